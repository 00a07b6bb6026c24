"""an end the subject can reach: the repair notice and proof of rectification

A listing whose management period ends unrectified stays effective (LZ §5(1)5); from the
day after its end the collecting department tells the subject in writing what remains
to rectify (the notice's issue day, method, lateness and receipt are kept on the
listing), and the subject files proof of rectification, decided within the profile's
limit (``restriction_repair_applications``, with a partial index on the undecided ones
for the work queue).

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNDECIDED = sa.text("outcome IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repair_notice_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("repair_notice_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("repair_notice_late", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("repair_notice_received_on", sa.Date(), nullable=True))

    op.create_table(
        "restriction_repair_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("evidence_refs", sa.JSON(), nullable=False),
        sa.Column("commitment_letter", sa.Boolean(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_repair_applications_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_repair_applications")),
    )
    with op.batch_alter_table("restriction_repair_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_repair_applications_restriction_id"),
            ["restriction_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_restriction_repair_applications_undecided",
            ["decision_due", "id"],
            unique=False,
            postgresql_where=_UNDECIDED,
            sqlite_where=_UNDECIDED,
        )


def downgrade() -> None:
    with op.batch_alter_table("restriction_repair_applications", schema=None) as batch_op:
        batch_op.drop_index("ix_restriction_repair_applications_undecided")
        batch_op.drop_index(batch_op.f("ix_restriction_repair_applications_restriction_id"))
    op.drop_table("restriction_repair_applications")

    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_column("repair_notice_received_on")
        batch_op.drop_column("repair_notice_late")
        batch_op.drop_column("repair_notice_method")
        batch_op.drop_column("repair_notice_issued_on")
