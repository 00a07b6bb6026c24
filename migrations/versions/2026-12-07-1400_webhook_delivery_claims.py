"""webhook deliveries are claimed one by one, with a lease

- ``webhook_deliveries.claimed_until``: a worker that took a delivery holds it until then;
  a worker killed mid-delivery loses it at that instant and another worker sends it again.
  Only the deliveries it had in flight go again: each is marked as soon as it is answered.
- ``webhook_deliveries.claimed_by``: which worker holds it (a random id per worker), so a
  late answer to an expired claim does not overwrite the next worker's outcome.
- ``ix_webhook_deliveries_lane`` (subscription, status, next attempt): each subscription's
  due deliveries in the order they fall due, claimed subscription by subscription.

Rows before this revision hold no claim. The downgrade drops the index and the columns.

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0030"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable) on both databases: SQLite need not rebuild the table.
    op.add_column(
        "webhook_deliveries",
        sa.Column("claimed_until", app.core.db.UTCDateTime(), nullable=True),
    )
    op.add_column(
        "webhook_deliveries", sa.Column("claimed_by", sa.String(length=64), nullable=True)
    )
    op.create_index(
        "ix_webhook_deliveries_lane",
        "webhook_deliveries",
        ["subscription_id", "status", "next_attempt_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_lane", table_name="webhook_deliveries")
    op.drop_column("webhook_deliveries", "claimed_by")
    op.drop_column("webhook_deliveries", "claimed_until")
