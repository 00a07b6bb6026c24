from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow


class Referral(Base):
    """The mark of a breach taken to an administrative penalty or referred to the judicial
    organs (DZ art. 16 ¶1), with the decision's reference (文书号): recorded, not decided,
    by the department of the listing or of the commitment the breach arose from."""

    __tablename__ = "referrals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    decision_reference: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"))
    restriction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("restrictions.id"), index=True
    )
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("commitments.id"), index=True
    )
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
