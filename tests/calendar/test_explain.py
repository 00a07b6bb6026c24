"""期限说明 over HTTP: the deadline endpoint and stored deadlines with ``explain=true``.

Counted by hand from the 2026 calendar (tests/calendar/test_router.py). Listing of
tests/restrictions/conftest.py: notice received Wed 2026-03-04, objection window Thu 5
(1), Fri 6 (2), Sat 7 and Sun 8 off, Mon 9 (3)."""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, ok, setup_catalog
from tests.restrictions.conftest import notified

DEADLINE = "/api/v1/calendar/deadline"
NOTICE = "国务院办公厅关于2026年部分节假日安排的通知"


async def _explained(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = await ok(
        await client.get(DEADLINE, params={**params, "explain": "true"}), 200
    )
    return body


async def test_national_day_day_by_day(client: httpx.AsyncClient) -> None:
    body = await _explained(client, start="2026-09-30", amount=3, unit="working_days")
    explanation = body["explanation"]
    assert body["deadline"] == explanation["deadline"] == "2026-10-10"
    assert "2026年9月30日不计入" in explanation["start_not_counted"]
    assert "民法典 art. 201" in explanation["start_not_counted"]
    days = [(d["day"], d["kind"], d["ordinal"]) for d in explanation["days"]]
    assert days == [
        *((f"2026-10-0{d}", "holiday", None) for d in range(1, 8)),
        ("2026-10-08", "weekday", 1),
        ("2026-10-09", "weekday", 2),
        ("2026-10-10", "makeup_workday", 3),
    ]
    first, makeup = explanation["days"][0], explanation["days"][-1]
    assert (first["holiday"], first["notice"], first["counted"]) == ("国庆节", NOTICE, False)
    assert (makeup["holiday"], makeup["notice"], makeup["counted"]) == ("国庆节", NOTICE, True)
    assert [c["label"] for c in explanation["citations"]] == [
        "民法典 art. 201",
        "行政许可法 art. 82",
    ]
    assert explanation["summary"] == (
        "自2026年9月30日起3个工作日：10月1日至7日国庆节假期不计，10月10日调休上班计入，"
        "至2026年10月10日"
    )
    plain = await ok(
        await client.get(
            DEADLINE, params={"start": "2026-09-30", "amount": 3, "unit": "working_days"}
        ),
        200,
    )
    assert plain["explanation"] is None


async def test_month_end_and_a_missing_year(client: httpx.AsyncClient) -> None:
    months = (await _explained(client, start="2026-01-31", amount=1, unit="months"))["explanation"]
    assert months["months"] == {
        "months": 1,
        "year": 2026,
        "month": 2,
        "corresponding_day": 31,
        "last_day_of_month": 28,
        "month_end": True,
        "end": "2026-02-28",
    }
    assert months["days"] == [] and months["deadline"] == "2026-02-28"
    # No calendar for 2199: weekends only, and said so.
    late = await _explained(client, start="2199-03-01", amount=2, unit="working_days")
    assert late["provisional"] is True
    assert late["explanation"]["missing_years"] == [2199]
    assert "2199年节假日安排尚未载入" in late["explanation"]["summary"]


async def test_a_stored_deadline_explains_itself_on_request(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await setup_catalog(client, auth)
    listing_id = await notified(client, auth, clock, ORG)
    url = f"/api/v1/restrictions/{listing_id}"
    plain = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert all(d["explanation"] is None for d in plain["deadlines"])
    read = await ok(await client.get(url, params={"explain": "true"}, headers=auth("clerk")), 200)
    (objection,) = [d for d in read["deadlines"] if d["name"] == "objection_due"]
    explanation = objection["explanation"]
    assert explanation["deadline"] == objection["date"] == "2026-03-09"
    assert [(d["day"], d["kind"], d["counted"]) for d in explanation["days"]] == [
        ("2026-03-05", "weekday", True),
        ("2026-03-06", "weekday", True),
        ("2026-03-07", "weekend", False),
        ("2026-03-08", "weekend", False),
        ("2026-03-09", "weekday", True),
    ]
    assert explanation["summary"] == "自2026年3月4日起3个工作日：周末2日不计，至2026年3月9日"
