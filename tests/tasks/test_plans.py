"""The task list reads an index in every arm on PostgreSQL: no arm scans a whole table,
whatever its size (a department's list at a million subjects answers as at ten thousand).

With sequential scans disabled the planner takes an index wherever one applies, so a
``Seq Scan`` left in the plan is an arm no index can serve (e.g. a condition written so
that a partial index's predicate cannot be proved from it). The plan is the generic one,
made once for every call of the prepared statement, as the list is served.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.tasks.repository import _page_statement

pytestmark = pytest.mark.postgres_only


async def _plan(session: AsyncSession, one_department: bool) -> str:
    query = _page_statement(one_department, None, False, None)
    assert query is not None
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("a plan of PostgreSQL's")
    compiled = query.compile(dialect=connection.dialect)
    values: dict[str, Any] = {
        **compiled.params,
        "department": "371400-SPJ",
        "today": date(2026, 10, 9),
        "today_text": "2026-10-09",
        "due_before": None,
        "due_before_text": None,
        "limit": 50,
    }
    arguments = [values[name] for name in compiled.positiontup or ()]
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None
    await raw.execute("SET LOCAL enable_seqscan = off")
    await raw.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    rows = await raw.fetch("EXPLAIN " + str(compiled), *arguments)
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize("one_department", [True, False], ids=["department", "all"])
async def test_every_arm_of_the_task_list_reads_an_index(
    session: AsyncSession, one_department: bool
) -> None:
    plan = await _plan(session, one_department)
    assert "Seq Scan" not in plan, plan
    # the agency's orders to issue read their partial index, not every commitment of the
    # department (or of all departments) filtered afterwards
    assert "ix_commitments_supervision_order_pending" in plan, plan


async def test_the_sources_due_on_a_stored_deadline_read_their_own_index(
    session: AsyncSession,
) -> None:
    """A department's reminders of cases recorded overdue are read in the order of their
    stored supplement deadline, and its repair notices through the listings whose period
    ended, each from its index, not every overdue case or effective listing of the
    department sorted afterwards (at a million subjects, 20 ms of the 21 a page took)."""
    plan = await _plan(session, True)
    assert "ix_commitments_overdue_supplement_due" in plan, plan
    assert "ix_restrictions_repair_notice_pending" in plan, plan
