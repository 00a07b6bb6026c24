from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, new_id, utcnow


class Restriction(Base):
    """失信制约名单 listing (LZ §5(1)3): the record and the dates of its history.

    Whether it is effective on a day, and until when, is derived from these dates by the
    rule module at request time (app.rules.restrictions), never stored.
    """

    __tablename__ = "restrictions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"))
    status: Mapped[str] = mapped_column(String(32))
    situation: Mapped[str] = mapped_column(String(32))
    source_channel: Mapped[str] = mapped_column(String(32))
    facts: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    legal_documents: Mapped[list[str]] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(500))
    collecting_department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    verified_on: Mapped[date | None] = mapped_column(Date)
    notice_issued_on: Mapped[date | None] = mapped_column(Date)
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_restrictions_subject_published", "subject_id", "published_on"),
        Index("ix_restrictions_status", "status"),
    )
