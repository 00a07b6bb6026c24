"""credit repair on application (信用修复申请, national rules)

- ``restrictions.repair_granted_on``: the day a credit repair was granted on application
  (国家发展改革委令第36号 art. 3): the listing is repaired that day. Listings before this
  revision were never repaired on application and keep their dates.
- ``restriction_repair_applications``: the ``route`` of an application (``period_end``,
  the proof of rectification of LZ §5(1)5, every application filed before this revision;
  ``national``, the application for credit repair), the materials filed, the one notice
  of everything missing (一次性告知) and its day, and the day of acceptance.

Revision ID: 0027
Revises: 0028
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, or with a default) on both databases: SQLite need not
    # rebuild the tables other tables point at.
    op.add_column("restrictions", sa.Column("repair_granted_on", sa.Date(), nullable=True))
    table = "restriction_repair_applications"
    op.add_column(
        table,
        sa.Column("route", sa.String(length=16), nullable=False, server_default="period_end"),
    )
    op.add_column(table, sa.Column("materials", sa.JSON(), nullable=True))
    op.add_column(table, sa.Column("missing_materials", sa.JSON(), nullable=True))
    op.add_column(table, sa.Column("materials_requested_on", sa.Date(), nullable=True))
    op.add_column(table, sa.Column("accepted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch would copy the tables, which the
    # foreign keys of their history rows refuse.
    table = "restriction_repair_applications"
    for column in ("accepted_on", "materials_requested_on", "missing_materials", "materials"):
        op.drop_column(table, column)
    op.drop_column(table, "route")
    op.drop_column("restrictions", "repair_granted_on")
