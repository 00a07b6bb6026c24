"""events carry an audience: a listing leaves its department once determined

Events gain ``audience`` (``external``: every reader's feed and every subscription;
``internal``: the department that owns the case, never delivered) and ``department``, and
an index on their case. Only a determined listing leaves the department (LZ §5(1)4
"对确定列为失信制约的主体信息…推送"): the events of each stored listing are walked in
order, and a step neither from nor into a determined state (confirmed, effective,
repaired, lifted), with no earlier step of the listing that left, is marked internal to
the collecting department. Every other event stays external, as it was. A delivery not yet
made (pending or dead-lettered) of an event now internal is withheld: it is never sent.

The downgrade drops the columns and the index; a withheld delivery becomes dead-lettered,
for an admin to decide, rather than pending.

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000
# app.rules.disclosure as of this revision (a migration does not follow later changes).
_DETERMINED = frozenset({"confirmed", "effective", "repaired", "lifted"})


def _events() -> sa.TableClause:
    return sa.table(
        "events",
        sa.column("id", sa.BigInteger()),
        sa.column("aggregate_type", sa.String()),
        sa.column("aggregate_id", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("audience", sa.String()),
        sa.column("department", sa.String()),
    )


def _deliveries() -> sa.TableClause:
    return sa.table(
        "webhook_deliveries",
        sa.column("event_id", sa.BigInteger()),
        sa.column("status", sa.String()),
    )


def _restrictions() -> sa.TableClause:
    return sa.table(
        "restrictions",
        sa.column("id", sa.Uuid()),
        sa.column("collecting_department", sa.String()),
    )


def _collecting_departments() -> dict[str, str]:
    restrictions = _restrictions()
    rows = op.get_bind().execute(sa.select(restrictions.c.id, restrictions.c.collecting_department))
    return {str(row.id): row.collecting_department for row in rows}


def _mark_listing_events() -> list[int]:
    """Set each listing event's audience and department; return the ids made internal."""
    connection = op.get_bind()
    events = _events()
    departments = _collecting_departments()
    disclosed: set[str] = set()
    internal: list[int] = []
    last: int | None = None
    while True:
        query = (
            sa.select(events.c.id, events.c.aggregate_id, events.c.payload)
            .where(events.c.aggregate_type == "restriction")
            .order_by(events.c.id)
            .limit(_BATCH)
        )
        if last is not None:
            query = query.where(events.c.id > last)
        rows = connection.execute(query).all()
        if not rows:
            return internal
        for row in rows:
            payload: Any = row.payload if isinstance(row.payload, dict) else {}
            listing = str(row.aggregate_id)
            department = payload.get("collecting_department") or departments.get(listing)
            source, target = payload.get("from"), payload.get("to")
            known = isinstance(source, str) and isinstance(target, str)
            keep = (
                listing in disclosed
                or not known
                or department is None
                or source in _DETERMINED
                or target in _DETERMINED
            )
            if keep:
                disclosed.add(listing)
            else:
                internal.append(row.id)
            connection.execute(
                events.update()
                .where(events.c.id == row.id)
                .values(audience="external" if keep else "internal", department=department)
            )
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("audience", sa.String(length=16), server_default="external", nullable=False)
        )
        batch_op.add_column(sa.Column("department", sa.String(length=32), nullable=True))
        batch_op.create_index(
            "ix_events_aggregate", ["aggregate_type", "aggregate_id"], unique=False
        )
    internal = _mark_listing_events()
    deliveries = _deliveries()
    for start in range(0, len(internal), _BATCH):
        op.get_bind().execute(
            deliveries.update()
            .where(
                deliveries.c.event_id.in_(internal[start : start + _BATCH]),
                deliveries.c.status.in_(("pending", "dead")),
            )
            .values(status="withheld")
        )


def downgrade() -> None:
    deliveries = _deliveries()
    op.get_bind().execute(
        deliveries.update().where(deliveries.c.status == "withheld").values(status="dead")
    )
    # Dropped in place (SQLite 3.35+ drops a column natively): a batch copy of the table
    # would have to drop the events the deliveries refer to.
    op.drop_index("ix_events_aggregate", table_name="events")
    op.drop_column("events", "department")
    op.drop_column("events", "audience")
