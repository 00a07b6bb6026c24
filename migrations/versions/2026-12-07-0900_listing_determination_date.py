"""a listing's determination date (认定日期, LZ §5(1)3)

``restrictions.determined_on``: the day the listing was determined — its confirmation
after the objection window or the review (LZ §5(1)4 "确定列为失信制约"), or a Dezhou
restriction's day (DZ art. 15 ¶1). Stored listings are filled from their history, walked
in order: a lapsed window determines on the day after its last day (the ``objection_due``
the step recorded), an upholding or amending review and a Dezhou restriction on the step's
day (its ``on``, else the day it was recorded in Asia/Shanghai), and a reopened window
undoes the determination before it. A listing whose history gives no day keeps its
``confirmed_on`` (the same day, recorded with the step), or null.

The downgrade drops the column (in place, also on SQLite).

Revision ID: 0024
Revises: 0025
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEGAL_TZ = ZoneInfo("Asia/Shanghai")
# The events that determine a listing, as of this revision.
_ON_STEP_DAY = frozenset({"review_upheld", "review_amended", "restrict"})
_LAPSED, _REOPENED = "objection_window_lapsed", "objection_window_reopened"


def _restrictions() -> sa.TableClause:
    return sa.table(
        "restrictions",
        sa.column("id", sa.Uuid()),
        sa.column("confirmed_on", sa.Date()),
        sa.column("determined_on", sa.Date()),
    )


def _events() -> sa.TableClause:
    return sa.table(
        "restriction_events",
        sa.column("id", sa.BigInteger()),
        sa.column("restriction_id", sa.Uuid()),
        sa.column("event", sa.String()),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("details", sa.JSON()),
    )


def _step_day(occurred_at: datetime, details: dict[str, Any]) -> date:
    if details.get("on"):
        return date.fromisoformat(details["on"])
    if occurred_at.tzinfo is None:  # SQLite returns the stored UTC time without its zone
        occurred_at = occurred_at.replace(tzinfo=ZoneInfo("UTC"))
    return occurred_at.astimezone(_LEGAL_TZ).date()


def _determined_from_history() -> dict[Any, date | None]:
    events = _events()
    rows = op.get_bind().execute(
        sa.select(events.c.restriction_id, events.c.event, events.c.occurred_at, events.c.details)
        .where(events.c.event.in_([*_ON_STEP_DAY, _LAPSED, _REOPENED]))
        .order_by(events.c.id)
    )
    determined: dict[Any, date | None] = {}
    for row in rows:
        details = row.details or {}
        if row.event == _REOPENED:
            determined[row.restriction_id] = None
        elif row.event == _LAPSED and details.get("objection_due"):
            lapsed = date.fromisoformat(details["objection_due"]) + timedelta(days=1)
            determined[row.restriction_id] = lapsed
        elif row.event in _ON_STEP_DAY and determined.get(row.restriction_id) is None:
            determined[row.restriction_id] = _step_day(row.occurred_at, details)
    return determined


def upgrade() -> None:
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("determined_on", sa.Date(), nullable=True))
    restrictions = _restrictions()
    connection = op.get_bind()
    determined = _determined_from_history()
    rows = connection.execute(sa.select(restrictions.c.id, restrictions.c.confirmed_on)).all()
    for row in rows:
        day = determined.get(row.id) or row.confirmed_on
        if day is not None:
            connection.execute(
                restrictions.update().where(restrictions.c.id == row.id).values(determined_on=day)
            )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ has it): a batch would copy the table, which the
    # foreign keys of its history rows refuse.
    op.drop_column("restrictions", "determined_on")
