"""A lane's claim reads on PostgreSQL only the rows it claims, however many deliveries are
due: the lane index gives them in the order they fall due, so no sort reads every
delivery due at the same instant (a batch of events fans out with one due time)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.webhooks.repository import _claim_statement


async def test_a_lane_claim_is_served_in_order_by_the_lane_index(session: AsyncSession) -> None:
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("a plan of PostgreSQL's")
    query = _claim_statement(uuid.uuid4(), datetime(2026, 3, 10, 9, 0, tzinfo=UTC), 16)
    compiled = query.compile(dialect=connection.dialect)
    arguments = [compiled.params[name] for name in compiled.positiontup or ()]
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None
    # Sorts and sequential scans priced out: one left in the plan is one no index avoids.
    for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort"):
        await raw.execute(f"SET LOCAL {setting} = off")
    rows = await raw.fetch("EXPLAIN " + str(compiled), *arguments)
    plan = "\n".join(row[0] for row in rows)
    assert "Sort" not in plan, plan
    assert "ix_webhook_deliveries_lane" in plan, plan
