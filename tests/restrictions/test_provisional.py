"""Listing deadlines reaching an unloaded year are provisional, and exact once it is loaded.

Dates counted by hand. 2026 is loaded (no holiday in late December); 2027 is not, so it
counts weekends alone until the load below makes Fri Jan 1 - Sun Jan 3 2027 days off.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.calendar.models import CalendarYear
from app.core.clock import FixedClock
from app.events.models import Event
from app.restrictions.models import Restriction
from tests.conftest import TokenFactory
from tests.factories import ORG, PERSON, ok
from tests.restrictions.conftest import at, collect, step

URL = "/api/v1/restrictions"
LOAD_2027 = {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "makeup_workdays": []}


async def _read(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200
    )
    return result


def _deadlines(listing: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {d["name"]: (d["date"], d["provisional"]) for d in listing["deadlines"]}


async def _due_on(session: AsyncSession, listing_id: str) -> str | None:
    due = (
        await session.execute(
            select(Restriction.current_due_on).where(Restriction.id == uuid.UUID(listing_id))
        )
    ).scalar_one()
    return due.isoformat() if due else None


async def test_loading_2027_recomputes_provisional_listing_deadlines(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    await session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
    await session.commit()

    at(clock, "2026-12-21")  # Mon: 3 working days, Dec 22, 23, 24 -> exact, never recomputed
    exact = await collect(client, auth, PERSON)
    await step(client, auth, f"{URL}/{exact['id']}/verification")

    at(clock, "2026-12-30")  # Wed
    waiting = await collect(client, auth, ORG)
    verified = await step(client, auth, f"{URL}/{waiting['id']}/verification")
    # Notice within 3 working days: Thu Dec 31 (1), then 2027 on weekends alone:
    # Fri Jan 1 (2), Mon Jan 4 (3).
    assert _deadlines(verified) == {"notice_due": ("2027-01-04", True)}

    objected = await collect(client, auth, ORG, facts="申请时隐瞒有关情况")
    url = f"{URL}/{objected['id']}"
    await step(client, auth, f"{url}/verification")
    await step(client, auth, f"{url}/notice", {"method": "mail"})
    at(clock, "2026-12-31")  # Thu: received today, objected today
    await step(client, auth, f"{url}/notice/receipt", {"received_on": "2026-12-31"})
    under_review = await step(client, auth, f"{url}/objections", {"statement": "不知情"}, 201)
    # Objection within 3 working days of Thu Dec 31: Jan 1 (1), Jan 4 (2), Jan 5 (3).
    # Review within 15: Jan 1 (1), Jan 4-8 (2-6), Jan 11-15 (7-11), Jan 18-21 (12-15).
    assert _deadlines(under_review) == {
        "notice_due": ("2027-01-04", True),
        "objection_due": ("2027-01-05", True),
        "review_due": ("2027-01-21", True),
    }
    assert under_review["objections"][0]["review_due"] == "2027-01-21"
    assert await _due_on(session, waiting["id"]) == "2027-01-04"
    assert await _due_on(session, objected["id"]) == "2027-01-21"

    put = await client.put("/api/v1/calendar/2027", json=LOAD_2027, headers=auth("admin"))
    assert put.status_code == 201

    # Jan 1-3 off now. Notice from Wed Dec 30: Dec 31 (1), Jan 4 (2), Jan 5 (3).
    read = await _read(client, auth, waiting["id"])
    assert _deadlines(read) == {"notice_due": ("2027-01-05", False)}
    assert read["dates"]["notice_due"] == "2027-01-05"
    assert await _due_on(session, waiting["id"]) == "2027-01-05"
    assert read["history"][-1]["event"] == "deadline_recomputed"
    assert read["history"][-1]["details"] == {
        "notice_due": {"before": "2027-01-04", "after": "2027-01-05"}
    }
    # From Thu Dec 31: objection Jan 4 (1), 5 (2), 6 (3); review Jan 4-8 (1-5),
    # Jan 11-15 (6-10), Jan 18-22 (11-15).
    read = await _read(client, auth, objected["id"])
    assert _deadlines(read) == {
        "notice_due": ("2027-01-05", False),
        "objection_due": ("2027-01-06", False),
        "review_due": ("2027-01-22", False),
    }
    assert (read["dates"]["objection_due"], read["dates"]["review_due"]) == (
        "2027-01-06",
        "2027-01-22",
    )
    assert read["objections"][0]["review_due"] == "2027-01-22"
    assert read["status"] == "under_review"
    assert await _due_on(session, objected["id"]) == "2027-01-22"
    changes = {
        "notice_due": {"before": "2027-01-04", "after": "2027-01-05"},
        "objection_due": {"before": "2027-01-05", "after": "2027-01-06"},
        "review_due": {"before": "2027-01-21", "after": "2027-01-22"},
    }
    assert read["history"][-1] == {
        **read["history"][-1],
        "event": "deadline_recomputed",
        "from_status": "under_review",
        "to_status": "under_review",
        "details": changes,
    }

    audit = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "restriction.deadline_recomputed",
                AuditEntry.target_id == objected["id"],
            )
        )
    ).one()
    assert audit.details == changes
    assert audit.actor == read["history"][-1]["actor"]
    event = (
        await session.scalars(
            select(Event).where(
                Event.type == "restriction.deadline_recomputed",
                Event.aggregate_id == objected["id"],
            )
        )
    ).one()
    assert event.payload["details"] == changes
    assert (event.payload["from"], event.payload["to"]) == ("under_review", "under_review")

    untouched = await _read(client, auth, exact["id"])
    assert _deadlines(untouched) == {"notice_due": ("2026-12-24", False)}
    assert "deadline_recomputed" not in [e["event"] for e in untouched["history"]]
    recomputed = (
        await session.scalars(
            select(AuditEntry.target_id).where(
                AuditEntry.action == "restriction.deadline_recomputed"
            )
        )
    ).all()
    assert sorted(recomputed) == sorted([waiting["id"], objected["id"]])
    load = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "calendar.load", AuditEntry.target_id == "2027"
            )
        )
    ).one()
    assert load.details is not None
    assert load.details["recomputed"] == {"commitment": 0, "restriction": 2}
