"""A deadline reaching an unloaded year is provisional, and exact once the year is loaded."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.calendar.models import CalendarYear
from app.core.clock import FixedClock
from app.events.models import Event
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ok


async def test_loading_2027_recomputes_provisional_deadlines(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    await session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
    await session.commit()
    clock.at = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)  # Mon 2026-12-21, 10:00 Shanghai
    case = await commitment(client, auth, "tolerance", signed_at="2026-12-21T10:00:00+08:00")
    # 10 working days: Dec 22-25 (1-4), 28-31 (5-8), then 2027 on weekends alone:
    # Fri Jan 1 (9), Mon Jan 4 (10).
    assert case["deadlines"]["supplement_due"] == "2027-01-04"
    assert case["deadlines"]["provisional"] is True

    load = {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "makeup_workdays": []}
    put = await client.put("/api/v1/calendar/2027", json=load, headers=auth("admin"))
    assert put.status_code == 201
    # Jan 1 off now: Jan 4 (9), Jan 5 (10).
    read = await ok(
        await client.get(f"/api/v1/commitments/{case['id']}", headers=auth("clerk")), 200
    )
    assert read["deadlines"]["supplement_due"] == "2027-01-05"
    assert read["deadlines"]["provisional"] is False
    assert read["current_due_on"] == "2027-01-05"
    assert read["history"][-1]["event"] == "deadline_recomputed"
    audit = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "commitment.deadline_recomputed",
                AuditEntry.target_id == case["id"],
            )
        )
    ).one()
    assert audit.details == {"supplement_due": {"before": "2027-01-04", "after": "2027-01-05"}}


async def test_a_recomputed_commitment_deadline_is_an_event_in_the_outbox(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    await session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
    await session.commit()
    clock.at = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)  # Mon 2026-12-21, 10:00 Shanghai
    case = await commitment(client, auth, "tolerance", signed_at="2026-12-21T10:00:00+08:00")
    load = {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "makeup_workdays": []}
    put = await client.put("/api/v1/calendar/2027", json=load, headers=auth("admin"))
    assert put.status_code == 201
    event = (
        await session.scalars(
            select(Event).where(
                Event.type == "commitment.deadline_recomputed", Event.aggregate_id == case["id"]
            )
        )
    ).one()
    # 10 working days from Mon Dec 21: Jan 4 on weekends alone, Jan 5 with Jan 1 off.
    assert event.payload["details"] == {
        "supplement_due": {"before": "2027-01-04", "after": "2027-01-05"}
    }
    assert (event.payload["from"], event.payload["to"]) == ("accepted", "accepted")
    assert event.payload["commitment_id"] == case["id"]
