"""task deadline indexes: the work queue's sources whose due day is a stored deadline

``ix_commitments_overdue_supplement_due``: cases recorded overdue, per department, by the
day of their supplement deadline (the reminders to send, read in that order);
``ix_restrictions_repair_notice_pending``: effective listings awaiting their repair
notice, per collecting department, by their period end (the notices to issue are the
range that ended). Each holds the deadline's ISO text as stored in ``deadlines``, the
expression the task list reads (a cast of text to a date is not immutable in PostgreSQL).

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING_NOTICE = (
    "status = 'effective' AND rectified_on IS NULL AND repair_notice_issued_on IS NULL"
)


def _stored(rule: str, part: str) -> sa.TextClause:
    """``deadlines[rule][part]`` as text, written as SQLAlchemy writes the task list's."""
    if op.get_bind().dialect.name == "postgresql":
        return sa.text(f"CAST(deadlines #>> '{{{rule}, {part}}}' AS VARCHAR)")
    return sa.text(f"""CAST(JSON_EXTRACT(deadlines, '$."{rule}"."{part}"') AS VARCHAR)""")


def upgrade() -> None:
    op.create_index(
        "ix_commitments_overdue_supplement_due",
        "commitments",
        ["department", _stored("supplement_due", "date"), "id"],
        unique=False,
        postgresql_where=sa.text("status = 'overdue'"),
        sqlite_where=sa.text("status = 'overdue'"),
    )
    op.create_index(
        "ix_restrictions_repair_notice_pending",
        "restrictions",
        ["collecting_department", _stored("repair_notice_due", "start")],
        unique=False,
        postgresql_where=sa.text(_PENDING_NOTICE),
        sqlite_where=sa.text(_PENDING_NOTICE),
    )


def downgrade() -> None:
    op.drop_index("ix_restrictions_repair_notice_pending", table_name="restrictions")
    op.drop_index("ix_commitments_overdue_supplement_due", table_name="commitments")
