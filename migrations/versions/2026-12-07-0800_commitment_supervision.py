"""commitments record the regulator's supervision result and the order it awaits

- ``supervision_result``: the regulator's last conclusive finding (conforms,
  nonconforming) fed back on the commitment (DZ art. 12); ``supervision_feedback_on``:
  the day of its last feedback. Commitments with feedback before this revision have
  none: their queue item is open until the next feedback.
- ``supervision_order_pending``: a nonconforming finding whose order to rectify the agency
  has still to issue (DZ art. 13 ¶2); false for every existing commitment.
- Indexes for the regulator's queue (a matter version's decided commitments) and for the
  agency's orders to issue.

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supervision_result", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("supervision_feedback_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "supervision_order_pending",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
        batch_op.create_index(
            "ix_commitments_matter_version_decided_on",
            ["matter_version_id", "decided_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_commitments_supervision_order_pending",
            ["department", "id"],
            unique=False,
            postgresql_where=sa.text("supervision_order_pending"),
            sqlite_where=sa.text("supervision_order_pending"),
        )


def downgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("ix_commitments_supervision_order_pending")
        batch_op.drop_index("ix_commitments_matter_version_decided_on")
        batch_op.drop_column("supervision_order_pending")
        batch_op.drop_column("supervision_feedback_on")
        batch_op.drop_column("supervision_result")
