"""referrals, correction duties, the hearing's grounds and amendments

A breach marked for an administrative penalty or referred to the judicial organs (DZ
art. 16 ¶1) is recorded in ``referrals``. A complaint after the objection window, or a
referral of a published listing, gives the department a duty to correct or remove the
listing within 2 working days (LZ §5(1)4): ``restriction_correction_duties``. A statement
records what it contests (``grounds``) and an amending review what it changed
(``amendments``); a listing may carry a management period set by another rule
(``period_months`` with its ``period_basis``, LZ §5(1)5). Existing rows keep nulls: no
grounds were recorded before, and every listing so far runs the profile's period.

Revision ID: 0019
Revises: 0021
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0019"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("decision_reference", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=True),
        sa.Column("commitment_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_referrals_commitment_id_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_referrals_restriction_id_restrictions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_referrals_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referrals_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referrals_restriction_id"), ["restriction_id"], unique=False
        )

    op.create_table(
        "restriction_correction_duties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("grounds", sa.JSON(), nullable=False),
        sa.Column("evidence_refs", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("correction_id", sa.Uuid(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_correction_duties_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_correction_duties")),
    )
    with op.batch_alter_table("restriction_correction_duties", schema=None) as batch_op:
        batch_op.create_index(
            "ix_restriction_correction_duties_open",
            ["due_on", "id"],
            unique=False,
            postgresql_where=sa.text("outcome IS NULL"),
            sqlite_where=sa.text("outcome IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_restriction_correction_duties_restriction_id"),
            ["restriction_id"],
            unique=False,
        )

    with op.batch_alter_table("restriction_objections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grounds", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("amendments", sa.JSON(), nullable=True))
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period_basis", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_column("period_basis")
        batch_op.drop_column("period_months")
    with op.batch_alter_table("restriction_objections", schema=None) as batch_op:
        batch_op.drop_column("amendments")
        batch_op.drop_column("grounds")
    with op.batch_alter_table("restriction_correction_duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_correction_duties_restriction_id"))
        batch_op.drop_index("ix_restriction_correction_duties_open")
    op.drop_table("restriction_correction_duties")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_restriction_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_commitment_id"))
    op.drop_table("referrals")
