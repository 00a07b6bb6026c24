"""joint punishment

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "joint_punishment_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_punishment_imports")),
    )
    op.create_table(
        "joint_punishment_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("list_name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["joint_punishment_imports.id"],
            name=op.f("fk_joint_punishment_entries_import_id_joint_punishment_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_joint_punishment_entries")),
    )
    op.create_index(
        "ix_joint_punishment_entries_id_number",
        "joint_punishment_entries",
        ["id_number", "subject_type"],
    )


def downgrade() -> None:
    op.drop_index("ix_joint_punishment_entries_id_number", table_name="joint_punishment_entries")
    op.drop_table("joint_punishment_entries")
    op.drop_table("joint_punishment_imports")
