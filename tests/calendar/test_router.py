"""Calendar and deadlines over HTTP. Expected dates are counted by hand from the 2026
State Council calendar: holidays Jan 1-3, Feb 15-23, Apr 4-6, May 1-5, Jun 19-21,
Sep 25-27, Oct 1-7; make-up working days Jan 4 (Sun), Feb 14 (Sat), Feb 28 (Sat),
May 9 (Sat), Sep 20 (Sun), Oct 10 (Sat)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.calendar.models import CalendarYear
from app.core.clock import FixedClock
from app.main import create_app
from tests.conftest import Harness, TokenFactory

DEADLINE = "/api/v1/calendar/deadline"


async def test_seeding_is_audited(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    params = {"action": "calendar.seed"}
    body = (await client.get("/api/v1/audit-log", params=params, headers=auth("auditor"))).json()
    (entry,) = body["items"]
    assert entry["actor"] == "system:calendar-seed"
    assert 2026 in entry["details"]["years"]


async def test_2026_is_seeded_from_the_package(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/v1/calendar/2026")).json()
    assert body["provisional"] is False
    assert body["source"].startswith("chinese-calendar")
    assert {f"2026-10-0{d}" for d in range(1, 8)} <= set(body["holidays"])
    assert body["makeup_workdays"] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        # Oct 1-7 off; Oct 8 (Thu), Oct 9 (Fri) and make-up Saturday Oct 10 work.
        ("2026-09-30", 3, "working_days", "2026-10-10"),
        # Spring Festival: Feb 13 (1), make-up Sat Feb 14 (2), Feb 15-23 off, Feb 24 (3),
        # 25 (4), 26 (5), 27 (6), make-up Sat Feb 28 (7), Mar 2 (8), 3 (9), 4 (10).
        ("2026-02-12", 10, "working_days", "2026-03-04"),
        # The start day is not counted: Fri Oct 9 + 1 working day = make-up Sat Oct 10.
        ("2026-10-09", 1, "working_days", "2026-10-10"),
        # Sep 19 (Sat) + 1: make-up Sunday Sep 20 works.
        ("2026-09-19", 1, "working_days", "2026-09-20"),
        # 15 working days from Mon Sep 21: 21-24 is 4 days before the Sep 25-27 holiday
        # -> Sep 22 (1), 23 (2), 24 (3), 28 (4), 29 (5), 30 (6), Oct 8 (7), 9 (8),
        # 10 (9), 12 (10), 13 (11), 14 (12), 15 (13), 16 (14), 19 (15).
        ("2026-09-21", 15, "working_days", "2026-10-19"),
        ("2026-08-31", 6, "months", "2027-02-28"),
        ("2026-01-31", 1, "months", "2026-02-28"),
        ("2026-03-10", 6, "months", "2026-09-10"),
        # 7 days from Sep 24 ends on Oct 1, a holiday: the next working day is Oct 8.
        ("2026-09-24", 7, "days", "2026-10-08"),
        ("2026-09-24", 5, "days", "2026-09-29"),
    ],
)
async def test_deadline(
    client: httpx.AsyncClient, start: str, amount: int, unit: str, expected: str
) -> None:
    response = await client.get(DEADLINE, params={"start": start, "amount": amount, "unit": unit})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["deadline"] == expected
    assert body["provisional"] is False
    assert "民法典" in body["citation"]


async def test_days_without_roll_forward_keep_the_holiday(client: httpx.AsyncClient) -> None:
    params: dict[str, str | int] = {
        "start": "2026-09-24",
        "amount": 7,
        "unit": "days",
        "roll_forward": "false",
    }
    assert (await client.get(DEADLINE, params=params)).json()["deadline"] == "2026-10-01"


async def test_deadline_rejects_bad_input(client: httpx.AsyncClient) -> None:
    bad = await client.get(DEADLINE, params={"start": "2026-02-30", "amount": -1, "unit": "weeks"})
    assert bad.status_code == 422
    fields = {error["field"] for error in bad.json()["errors"]}
    assert fields == {"query.start", "query.amount", "query.unit"}


async def _forget_2027(session: AsyncSession) -> None:
    # The seed package may one day know 2027; this test is about a year not loaded.
    await session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
    await session.commit()


async def test_a_deadline_reaching_2027_is_provisional_until_2027_is_loaded(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _forget_2027(session)
    params: dict[str, str | int] = {"start": "2026-12-28", "amount": 5, "unit": "working_days"}
    # Weekends only in 2027: Dec 29 (1), 30 (2), 31 (3), Fri Jan 1 (4), Mon Jan 4 (5).
    before = (await client.get(DEADLINE, params=params)).json()
    assert (before["deadline"], before["provisional"]) == ("2027-01-04", True)
    assert (await client.get("/api/v1/calendar/2027")).json()["provisional"] is True

    load: dict[str, list[str] | str] = {
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "makeup_workdays": [],
        "source": "test notice",
    }
    put = await client.put("/api/v1/calendar/2027", json=load, headers=auth("admin"))
    assert put.status_code == 201, put.text
    assert put.headers["etag"] == '"1"'

    # Jan 1 off now: Dec 29 (1), 30 (2), 31 (3), Mon Jan 4 (4), Tue Jan 5 (5).
    after = (await client.get(DEADLINE, params=params)).json()
    assert (after["deadline"], after["provisional"]) == ("2027-01-05", False)

    audit = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "calendar.load", AuditEntry.target_id == "2027"
            )
        )
    ).one()
    assert audit.actor == "alice"
    assert audit.details is not None and audit.details["before"] is None


async def test_replacing_a_year_needs_the_current_version(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await _forget_2027(session)
    load: dict[str, list[str]] = {"holidays": ["2027-01-01"], "makeup_workdays": []}
    url = "/api/v1/calendar/2027"
    assert (await client.put(url, json=load, headers=auth("admin"))).status_code == 201
    stale = await client.put(url, json=load, headers={**auth("admin"), "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_mismatch"
    fresh = await client.put(url, json=load, headers={**auth("admin"), "If-Match": '"1"'})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2


@pytest.mark.parametrize(
    ("load", "code", "field"),
    [
        ({"holidays": ["2026-12-31"], "makeup_workdays": []}, "date_outside_year", "holidays"),
        (
            {"holidays": ["2027-02-20"], "makeup_workdays": ["2027-02-20"]},
            "holiday_and_makeup_day",
            "makeup_workdays",
        ),
        # 2027-02-17 is a Wednesday.
        ({"holidays": [], "makeup_workdays": ["2027-02-17"]}, "makeup_day_not_weekend", None),
    ],
)
async def test_an_invalid_year_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    load: dict[str, list[str]],
    code: str,
    field: str | None,
) -> None:
    await _forget_2027(session)
    response = await client.put("/api/v1/calendar/2027", json=load, headers=auth("admin"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "calendar_invalid"
    assert code in {error["code"] for error in body["errors"]}
    if field:
        assert f"body.{field}" in {error["field"] for error in body["errors"]}
    assert (await client.get("/api/v1/calendar/2027")).json()["provisional"] is True


async def test_only_an_admin_loads_a_calendar(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    load: dict[str, list[str]] = {"holidays": [], "makeup_workdays": []}
    assert (await client.put("/api/v1/calendar/2027", json=load)).status_code == 401
    denied = await client.put("/api/v1/calendar/2027", json=load, headers=auth("clerk"))
    assert denied.status_code == 403


@pytest.mark.parametrize(
    ("now", "warned"),
    [
        (datetime(2026, 11, 30, 15, 59, tzinfo=UTC), False),  # 23:59 on Nov 30 in Shanghai
        (datetime(2026, 11, 30, 16, 0, tzinfo=UTC), True),  # 00:00 on Dec 1 in Shanghai
    ],
)
async def test_readyz_warns_from_1_december_when_next_year_is_missing(
    app_harness: Harness, session: AsyncSession, now: datetime, warned: bool
) -> None:
    await _forget_2027(session)
    app = create_app(app_harness.settings, app_harness.database, clock=FixedClock(now))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        body = (await c.get("/readyz")).json()
    assert 2026 in body["calendar_years"]
    assert any("2027" in warning for warning in body["warnings"]) is warned
