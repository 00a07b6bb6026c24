from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow


class Consent(Base):
    """授权: the applicant's consent to use their credit information (LZ §5(1)6).

    Purpose, scope and method stated; bounded in time (``expires_on`` is the last valid
    day, never open-ended); revocable. It may be limited to one matter (``matter_code``)
    or one application (``application_ref``). Given to named departments (``given_to``): only
    they may use it in a credit check, read it or revoke it; ``department`` is the one
    that recorded it.
    """

    __tablename__ = "consents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    scope: Mapped[list[str]] = mapped_column(JSON)
    matter_code: Mapped[str | None] = mapped_column(String(64))
    application_ref: Mapped[str | None] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_on: Mapped[date] = mapped_column(Date)
    evidence_ref: Mapped[str] = mapped_column(String(500))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(String(1000))
    recorded_by: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(32))
    given_to: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
