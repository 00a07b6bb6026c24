"""commitments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("credit_check_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("matter_code", sa.String(length=64), nullable=False),
        sa.Column("matter_version_id", sa.Uuid(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("notice", sa.JSON(), nullable=False),
        sa.Column("affirmations", sa.JSON(), nullable=False),
        sa.Column("missing_materials", sa.JSON(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("signed_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("exempt_from_verification", sa.Boolean(), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("current_due_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["subjects.id"], name=op.f("fk_commitments_agent_id_subjects")
        ),
        sa.ForeignKeyConstraint(
            ["credit_check_id"],
            ["credit_checks.id"],
            name=op.f("fk_commitments_credit_check_id_credit_checks"),
        ),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_commitments_department_departments")
        ),
        sa.ForeignKeyConstraint(
            ["matter_version_id"],
            ["matter_versions.id"],
            name=op.f("fk_commitments_matter_version_id_matter_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_commitments_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("credit_check_id", name=op.f("uq_commitments_credit_check_id")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index("ix_commitments_current_due_on", ["current_due_on"], unique=False)
        batch_op.create_index(
            "ix_commitments_department_status", ["department", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitments_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "commitment_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("commitment_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("citation", sa.String(length=200), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_events_commitment_id_commitments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_events")),
    )
    with op.batch_alter_table("commitment_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_events_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "credit_record_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("commitment_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("matter_code", sa.String(length=64), nullable=True),
        sa.Column("citation", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_credit_record_entries_commitment_id_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_credit_record_entries_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_record_entries")),
    )
    with op.batch_alter_table("credit_record_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_record_entries_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "verifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commitment_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("assigned_department", sa.String(length=32), nullable=False),
        sa.Column("assisting_department", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("opened_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("verification_number", sa.String(length=64), nullable=True),
        sa.Column("checked_at", app.core.db.UTCDateTime(), nullable=True),
        sa.Column("checking_department_code", sa.String(length=32), nullable=True),
        sa.Column("checking_department_name", sa.String(length=200), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("fulfilled", sa.Boolean(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_department"],
            ["departments.code"],
            name=op.f("fk_verifications_assigned_department_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["assisting_department"],
            ["departments.code"],
            name=op.f("fk_verifications_assisting_department_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_verifications_commitment_id_commitments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verifications_assigned_department"),
            ["assigned_department"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_verifications_commitment_id"), ["commitment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verifications_commitment_id"))
        batch_op.drop_index(batch_op.f("ix_verifications_assigned_department"))

    op.drop_table("verifications")
    with op.batch_alter_table("credit_record_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_record_entries_subject_id"))

    op.drop_table("credit_record_entries")
    with op.batch_alter_table("commitment_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_events_commitment_id"))

    op.drop_table("commitment_events")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_subject_id"))
        batch_op.drop_index("ix_commitments_department_status")
        batch_op.drop_index("ix_commitments_current_due_on")

    op.drop_table("commitments")
