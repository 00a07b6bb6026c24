"""restriction list

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "restriction_corrections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("discovered_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("corrected_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("corrected_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_corrections_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_corrections")),
    )
    with op.batch_alter_table("restriction_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_corrections_restriction_id"),
            ["restriction_id"],
            unique=False,
        )

    op.create_table(
        "restriction_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", app.core.db.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("citation", sa.String(length=200), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_events_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_events")),
    )
    with op.batch_alter_table("restriction_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_events_restriction_id"), ["restriction_id"], unique=False
        )

    op.create_table(
        "restriction_lifting_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence_refs", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_lifting_requests_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_lifting_requests")),
    )
    with op.batch_alter_table("restriction_lifting_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_lifting_requests_restriction_id"),
            ["restriction_id"],
            unique=False,
        )

    op.create_table(
        "restriction_objections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("restriction_id", sa.Uuid(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("evidence_refs", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_restriction_objections_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_objections")),
    )
    with op.batch_alter_table("restriction_objections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_objections_restriction_id"), ["restriction_id"], unique=False
        )

    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("notice_late", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("rectification", sa.JSON(), nullable=True))
        # Existing listings start with no computed deadline; the default only fills them.
        batch_op.add_column(
            sa.Column("deadlines", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.alter_column("deadlines", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_column("deadlines")
        batch_op.drop_column("rectification")
        batch_op.drop_column("confirmed_on")
        batch_op.drop_column("notice_late")
        batch_op.drop_column("notice_method")

    with op.batch_alter_table("restriction_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_objections_restriction_id"))

    op.drop_table("restriction_objections")
    with op.batch_alter_table("restriction_lifting_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_lifting_requests_restriction_id"))

    op.drop_table("restriction_lifting_requests")
    with op.batch_alter_table("restriction_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_events_restriction_id"))

    op.drop_table("restriction_events")
    with op.batch_alter_table("restriction_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_corrections_restriction_id"))

    op.drop_table("restriction_corrections")
