from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow


class CreditRecordEntry(Base):
    """信用记录: how a subject kept a commitment (DZ art. 9 ¶2, 14); appended, never edited."""

    __tablename__ = "credit_record_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("commitments.id"))
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    department: Mapped[str | None] = mapped_column(String(32))
    matter_code: Mapped[str | None] = mapped_column(String(64))
    citation: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
