from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntKey, UTCDateTime, new_id, stored_deadline, utcnow
from app.privacy.crypto import EncryptedText


class Commitment(Base):
    """承诺: a 容缺受理 or 告知承诺 case made from a passed credit check (DZ art. 7-14).

    ``notice`` is the one-time notice snapshotted from the catalog version (DZ art. 8);
    ``deadlines`` keeps every computed deadline with its unit, start, citation and whether
    the calendar was provisional; ``current_due_on`` is the deadline of the current state.
    ``conditions_to_meet`` and ``meet_by``: what an applicant not yet fully qualified
    commits to meet, and by when (DZ art. 7 ¶3, 9 ¶2). ``order_service``: how the
    reminder or the order to rectify was served, and the period that counts from its
    service (DZ art. 13). ``termination_ground``: why a tolerance case was terminated.
    ``decision_due_on`` and ``decision_late``: the completion limit a notify-commit
    decision was judged against on its day, and whether it came after it (DZ art. 7 ¶3).
    ``withdrawal_reason_category``: the category of a withdrawal's reason (DZ art. 10).
    """

    __tablename__ = "commitments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    credit_check_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit_checks.id"), unique=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subjects.id"))
    matter_code: Mapped[str] = mapped_column(String(64))
    matter_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matter_versions.id"))
    mode: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    profile: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    notice: Mapped[dict[str, Any]] = mapped_column(JSON)
    affirmations: Mapped[dict[str, bool]] = mapped_column(JSON)
    missing_materials: Mapped[list[str]] = mapped_column(JSON)
    conditions_to_meet: Mapped[list[str]] = mapped_column(JSON, default=list)
    meet_by: Mapped[date | None] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(EncryptedText)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    exempt_from_verification: Mapped[bool] = mapped_column(Boolean)
    deadlines: Mapped[dict[str, Any]] = mapped_column(JSON)
    current_due_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    decision_late: Mapped[bool | None] = mapped_column(Boolean)
    closed_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_reason_category: Mapped[str | None] = mapped_column(String(32))
    order_service: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    termination_ground: Mapped[str | None] = mapped_column(String(32))
    # 监管结果 (DZ art. 12): the regulator's last conclusive finding (conforms,
    # nonconforming), the day of its last feedback, and whether the order to rectify a
    # nonconforming finding is still to be issued (DZ art. 13 ¶2).
    supervision_result: Mapped[str | None] = mapped_column(String(16))
    supervision_feedback_on: Mapped[date | None] = mapped_column(Date)
    supervision_order_pending: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index(
            "ix_commitments_department_status_due_on",
            "department",
            "status",
            "current_due_on",
            "id",
        ),
        Index("ix_commitments_status_due_on", "status", "current_due_on", "id"),
        Index("ix_commitments_current_due_on", "current_due_on"),
        # the regulator's queue: a matter version's decided commitments, by decision day
        Index("ix_commitments_matter_version_decided_on", "matter_version_id", "decided_on", "id"),
        # the agency's orders to issue (app.tasks)
        Index(
            "ix_commitments_supervision_order_pending",
            "department",
            "id",
            postgresql_where=text("supervision_order_pending"),
            sqlite_where=text("supervision_order_pending"),
        ),
    )


# Cases recorded overdue, by the day of their supplement deadline: the reminders to send
# (app.tasks), read in that order. An expression over the stored deadline, so declared on
# the mapped columns.
Index(
    "ix_commitments_overdue_supplement_due",
    Commitment.department,
    stored_deadline(Commitment.deadlines, "supplement_due"),
    Commitment.id,
    postgresql_where=text("status = 'overdue'"),
    sqlite_where=text("status = 'overdue'"),
)


class CommitmentEvent(Base):
    """One step of a commitment's history (supplements, decisions, reminders, ...)."""

    __tablename__ = "commitment_events"

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(32))
    citation: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class VerificationStatus(StrEnum):
    """A verification is open until its result is recorded (DZ art. 11)."""

    OPEN = "open"
    COMPLETED = "completed"


class Verification(Base):
    """核查 of a 告知承诺 commitment (DZ art. 11): online, on-site or assisted.

    The result fields follow the national 告知承诺 supervision data standard so a higher
    platform can take the record as it is.
    """

    __tablename__ = "verifications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    assigned_department: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    assisting_department: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    status: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date | None] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(200))
    verification_number: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checking_department_code: Mapped[str | None] = mapped_column(String(32))
    checking_department_name: Mapped[str | None] = mapped_column(String(200))
    basis: Mapped[str | None] = mapped_column(Text)
    fulfilled: Mapped[bool | None] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index(
            "ix_verifications_open_due_on",
            "due_on",
            "id",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "ix_verifications_open_assigned",
            "assigned_department",
            "due_on",
            "id",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "ix_verifications_open_assisting",
            "assisting_department",
            "due_on",
            "id",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )
