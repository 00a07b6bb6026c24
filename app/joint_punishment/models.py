from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow
from app.privacy.crypto import EncryptedText


class JointPunishmentImport(Base):
    """联合奖惩名单导入批次: one bulk import of the national joint punishment lists."""

    __tablename__ = "joint_punishment_imports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    format: Mapped[str] = mapped_column(String(16))
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JointPunishmentEntry(Base):
    """联合惩戒对象名单条目: a subject on a national joint punishment list (LZ §3).

    The entry is active on day D when ``listed_on <= D`` and (``expires_on`` is null or
    ``D <= expires_on``); a null ``expires_on`` is open-ended. ``id_number`` (normalised)
    and ``name`` are stored encrypted; lookups go through the blind ``id_number_index``.
    """

    __tablename__ = "joint_punishment_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    subject_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(EncryptedText)
    id_number_index: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(EncryptedText)
    list_name: Mapped[str] = mapped_column(String(200))
    # The list's type, whose memorandum says what a hit bars (app/rules/joint_punishment.py).
    list_type: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))
    listed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("joint_punishment_imports.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_joint_punishment_entries_id_number_index", "id_number_index", "subject_type"),
    )
