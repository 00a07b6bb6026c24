"""listings record the profile they were made under

A listing's procedure and effects follow the regime that made it (DZ art. 2 ¶1 本市行政区域内;
LZ §3 临淄区范围内), not whatever its collecting department applies later. ``profile`` is
set when the listing is opened; a listing made before this revision was made under its
collecting department's profile, which is what it is given here.

Revision ID: 0016
Revises: 0019
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile", sa.String(64), nullable=True))
    restrictions = sa.table(
        "restrictions",
        sa.column("collecting_department", sa.String(32)),
        sa.column("profile", sa.String(64)),
    )
    departments = sa.table(
        "departments", sa.column("code", sa.String(32)), sa.column("profile", sa.String(64))
    )
    op.get_bind().execute(
        restrictions.update().values(
            profile=sa.select(departments.c.profile)
            .where(departments.c.code == restrictions.c.collecting_department)
            .scalar_subquery()
        )
    )
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.alter_column("profile", existing_type=sa.String(64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_column("profile")
