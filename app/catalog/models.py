from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, new_id, utcnow


class Matter(Base):
    """政务服务事项 in the catalog (清单, DZ art. 5); its content lives in versions."""

    __tablename__ = "matters"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    latest_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": latest_version, "version_id_generator": False}  # noqa: RUF012


class MatterVersion(Base):
    """One version of a catalog entry (动态调整): a change never edits, it adds a version.

    ``modes`` maps each offered mode to its terms (materials, deadlines, verification).
    """

    __tablename__ = "matter_versions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    matter_code: Mapped[str] = mapped_column(ForeignKey("matters.code"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    agency_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    regulator_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    onsite_verifier_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    excluded_categories: Mapped[list[str]] = mapped_column(JSON)
    legal_basis: Mapped[str] = mapped_column(Text)
    legal_liability: Mapped[str] = mapped_column(Text)
    verification_power: Mapped[str | None] = mapped_column(Text)
    other_notice: Mapped[str | None] = mapped_column(Text)
    modes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("matter_code", "version"),
        Index("ix_matter_versions_effective", "matter_code", "effective_from"),
    )
