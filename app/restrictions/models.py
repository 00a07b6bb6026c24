from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntKey, UTCDateTime, new_id, stored_deadline, utcnow
from app.privacy.crypto import EncryptedText


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
    address: Mapped[str | None] = mapped_column(EncryptedText)
    collecting_department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    # The profile it was made under (the collecting department's then): its procedure and
    # effects follow that regime, whatever the department applies later (DZ art. 2 ¶1;
    # LZ §3).
    profile: Mapped[str] = mapped_column(String(64))
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    verified_on: Mapped[date | None] = mapped_column(Date)
    notice_issued_on: Mapped[date | None] = mapped_column(Date)
    notice_method: Mapped[str | None] = mapped_column(String(16))
    notice_late: Mapped[bool | None] = mapped_column(Boolean)
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    # 认定日期 (LZ §5(1)3): the day the listing is determined: its confirmation after the
    # objection window or the review (LZ §5(1)4 "确定列为失信制约"), or a Dezhou
    # restriction's day (DZ art. 15 ¶1). Kept when the listing later ends.
    determined_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    repair_granted_on: Mapped[date | None] = mapped_column(Date)  # 信用修复 on application
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    rectification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # 整改告知 after an unrectified period end (LZ §5(1)5; app.restrictions.repair)
    repair_notice_issued_on: Mapped[date | None] = mapped_column(Date)
    repair_notice_method: Mapped[str | None] = mapped_column(String(16))
    repair_notice_late: Mapped[bool | None] = mapped_column(Boolean)
    repair_notice_received_on: Mapped[date | None] = mapped_column(Date)
    # A management period set by another rule (LZ §5(1)5), e.g. by an amending review.
    period_months: Mapped[int | None] = mapped_column(Integer)
    period_basis: Mapped[str | None] = mapped_column(Text)
    deadlines: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_restrictions_subject_published", "subject_id", "published_on"),
        Index("ix_restrictions_status_due_on", "status", "current_due_on", "id"),
        Index(
            "ix_restrictions_department_status_due_on",
            "collecting_department",
            "status",
            "current_due_on",
            "id",
        ),
    )


# Effective listings awaiting their repair notice, by their period end (the start of the
# notice's stored deadline): the notices to issue (app.tasks) are the range that ended.
Index(
    "ix_restrictions_repair_notice_pending",
    Restriction.collecting_department,
    stored_deadline(Restriction.deadlines, "repair_notice_due", "start"),
    postgresql_where=text(
        "status = 'effective' AND rectified_on IS NULL AND repair_notice_issued_on IS NULL"
    ),
    sqlite_where=text(
        "status = 'effective' AND rectified_on IS NULL AND repair_notice_issued_on IS NULL"
    ),
)


class Objection(Base):
    """陈述申辩 against an intended listing, and its review (复核), LZ §5(1)4."""

    __tablename__ = "restriction_objections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    statement: Mapped[str] = mapped_column(Text)
    evidence_refs: Mapped[list[str]] = mapped_column(JSON)
    filed_by: Mapped[str] = mapped_column(String(200))
    review_due: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str | None] = mapped_column(Text)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    # What the statement contests (facts, legal basis, proportionality) and, when the
    # review amended the listing, what changed (before and after).
    grounds: Mapped[list[str] | None] = mapped_column(JSON)
    amendments: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LiftingRequest(Base):
    """申请取消限制 after rectification, decided within 5 days (DZ art. 15 ¶2)."""

    __tablename__ = "restriction_lifting_requests"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    evidence_refs: Mapped[list[str]] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(String(200))
    decision_due: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index(
            "ix_restriction_lifting_requests_undecided",
            "decision_due",
            "id",
            postgresql_where=text("outcome IS NULL"),
            sqlite_where=text("outcome IS NULL"),
        ),
    )


class RepairApplication(Base):
    """Proof of rectification filed by the subject, decided within the profile's limit
    (LZ §5(1)5): rectified repairs, not rectified gives reasons and leaves it effective."""

    __tablename__ = "restriction_repair_applications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    statement: Mapped[str] = mapped_column(Text)
    evidence_refs: Mapped[list[str]] = mapped_column(JSON)
    commitment_letter: Mapped[bool] = mapped_column(Boolean)
    filed_by: Mapped[str] = mapped_column(String(200))
    decision_due: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    # national credit repair on application (app.rules.credit_repair); period_end: LZ §5(1)5
    route: Mapped[str] = mapped_column(
        String(16), default="period_end", server_default="period_end"
    )
    materials: Mapped[list[str] | None] = mapped_column(JSON)
    missing_materials: Mapped[list[str] | None] = mapped_column(JSON)  # 一次性告知
    materials_requested_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        Index(
            "ix_restriction_repair_applications_undecided",
            "decision_due",
            "id",
            postgresql_where=text("outcome IS NULL"),
            sqlite_where=text("outcome IS NULL"),
        ),
    )


class Correction(Base):
    """更正 or 移除 within 2 working days of finding an error (LZ §5(1)4)."""

    __tablename__ = "restriction_corrections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    discovered_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    corrected_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    corrected_by: Mapped[str] = mapped_column(String(200))


class CorrectionDuty(Base):
    """A department's duty to correct or remove a listing within 2 working days (LZ
    §5(1)4), started by a complaint after the window (申诉, LZ §2) or a referral of a
    published listing's breach; closed by a correction or a reasoned rejection."""

    __tablename__ = "restriction_correction_duties"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    statement: Mapped[str] = mapped_column(Text)
    grounds: Mapped[list[str]] = mapped_column(JSON)
    evidence_refs: Mapped[list[str]] = mapped_column(JSON)
    filed_by: Mapped[str] = mapped_column(String(200))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str | None] = mapped_column(Text)
    correction_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index(
            "ix_restriction_correction_duties_open",
            "due_on",
            "id",
            postgresql_where=text("outcome IS NULL"),
            sqlite_where=text("outcome IS NULL"),
        ),
    )


class RestrictionEvent(Base):
    """One step of a listing's history."""

    __tablename__ = "restriction_events"

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    restriction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("restrictions.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(32))
    citation: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
