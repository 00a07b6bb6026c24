"""commitments record an order's service, a termination's ground and conditions to meet

- ``order_service`` (JSON): how the reminder or the order to rectify was served (in
  person, by post, electronically), the recorded day of receipt and the period that
  counts from the service (DZ art. 13; LZ §5(1)2 "经催告后"). A case reminded or ordered
  before this revision has none and counts, as it did, from the order's day.
- ``termination_ground``: non-submission or deficient submission (DZ art. 13 ¶1; LZ
  §5(1)2, situation 3). Cases terminated before this revision have none.
- ``conditions_to_meet`` (JSON list) and ``meet_by``: the conditions an applicant not yet
  fully qualified commits to meet, and by when (DZ art. 7 ¶3, 9 ¶2); a commitment signed
  before this revision commits to none.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conditions_to_meet", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("meet_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("order_service", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("termination_ground", sa.String(length=32), nullable=True))
    commitments = sa.table("commitments", sa.column("conditions_to_meet", sa.JSON()))
    connection = op.get_bind()
    array = (
        sa.func.json_build_array if connection.dialect.name == "postgresql" else sa.func.json_array
    )
    connection.execute(commitments.update().values(conditions_to_meet=array()))
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("conditions_to_meet", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_column("termination_ground")
        batch_op.drop_column("order_service")
        batch_op.drop_column("meet_by")
        batch_op.drop_column("conditions_to_meet")
