"""commitments record a late decision and the category of a withdrawal's reason

- ``decision_due_on`` and ``decision_late``: the completion limit (承诺办结时限) a
  notify-commit decision was judged against on its day, and whether the decision came
  after it (DZ art. 7 ¶3 "当场或者在承诺办结时限内办结"). Decisions made before this
  revision were not judged and have neither.
- ``withdrawal_reason_category``: the category of a withdrawal's reason (DZ art. 10
  "有合理理由"). Commitments withdrawn before this revision gave their reason in words
  only and are recorded as ``other``, their text the reason, as a withdrawal that gives
  no category is now.

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decision_late", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("withdrawal_reason_category", sa.String(length=32), nullable=True)
        )
    commitments = sa.table(
        "commitments",
        sa.column("status", sa.String()),
        sa.column("withdrawal_reason_category", sa.String()),
    )
    op.get_bind().execute(
        commitments.update()
        .where(commitments.c.status == "withdrawn")
        .values(withdrawal_reason_category="other")
    )


def downgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_reason_category")
        batch_op.drop_column("decision_late")
        batch_op.drop_column("decision_due_on")
