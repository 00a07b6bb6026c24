"""consents name the departments they were given to

A consent (授权, LZ §5(1)6) is given to named departments: only they may use it in a
credit check, read it or revoke it. ``given_to`` lists their codes; a consent recorded
before this revision was given to the department that recorded it (none when the
recording token named no department: such a consent is nobody's to use).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("given_to", sa.JSON(), nullable=True))
    consents = sa.table(
        "consents",
        sa.column("department", sa.String(32)),
        sa.column("given_to", sa.JSON()),
    )
    connection = op.get_bind()
    array = (
        sa.func.json_build_array if connection.dialect.name == "postgresql" else sa.func.json_array
    )
    recorded = consents.c.department.is_not(None)
    connection.execute(
        consents.update().where(recorded).values(given_to=array(consents.c.department))
    )
    connection.execute(consents.update().where(~recorded).values(given_to=array()))
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.alter_column("given_to", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("given_to")
