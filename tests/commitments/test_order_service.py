"""Reminders and orders to rectify count from their service (LZ §5(1)2 "经催告后"; DZ art.
13 "责令其限期整改"): in person that day; by post or electronically the recorded day of
receipt. Until the receipt is recorded no period runs: nothing lapses in transit.

2026 calendar: Oct 1-7 off, Sat Oct 10 a make-up working day, no day off in November.
Signed Wed Sep 30; the supplement deadline is Tue Oct 20. The reminder grace is 3 working
days (LZ §5(1)2, the combined profile's minimum).
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.commitments.test_lifecycles import _decide, at, post, proposals
from tests.conftest import TokenFactory
from tests.factories import ok

MATERIALS = {"compliant": True, "materials": ["食品安全管理制度文本"]}


async def _read(client: httpx.AsyncClient, auth: TokenFactory, url: str) -> dict[str, Any]:
    read: dict[str, Any] = await ok(await client.get(url, headers=auth("clerk")), 200)
    return read


async def _tasks(
    client: httpx.AsyncClient, auth: TokenFactory, case_id: str
) -> list[tuple[str, str | None, list[str]]]:
    page = await ok(
        await client.get("/api/v1/tasks", params={"limit": "200"}, headers=auth("clerk")), 200
    )
    return [
        (t["kind"], t["due_on"], [link["step"] for link in t["links"]])
        for t in page["items"]
        if t["commitment_id"] == case_id
    ]


async def _reminded_by_post(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> tuple[str, dict[str, Any]]:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)  # Wed, the day after the supplement deadline
    body = {"service": {"method": "post"}, "note": "挂号信寄出"}
    return url, await post(client, auth, f"{url}/reminders", body)


async def test_a_reminder_by_post_runs_from_the_recorded_day_of_receipt(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    url, reminded = await _reminded_by_post(client, auth, clock)
    assert reminded["status"] == "reminded"
    assert reminded["deadlines"]["reminder_due"] is None
    assert reminded["current_due_on"] is None
    assert reminded["order_service"] == {
        "method": "post",
        "issued_on": "2026-10-21",
        "received_on": None,
        "served_on": None,
        "period": None,
    }
    # In transit the department's one task is to record the receipt; it has no due day.
    case_id = reminded["id"]
    assert await _tasks(client, auth, case_id) == [
        ("record_order_receipt", None, ["order-receipt"])
    ]

    # Tue Oct 27: served in person on Oct 21 the reminder would have lapsed on Mon Oct 26.
    at("2026-10-27", clock)
    early = await client.post(f"{url}/termination", json={"reason": "逾期"}, headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "reminder_not_served")
    assert early.json()["citation"] == "LZ §5(1)2"
    still = await _read(client, auth, url)
    assert (still["status"], still["current_due_on"]) == ("reminded", None)
    assert await proposals(session, case_id) == []

    # Wed Oct 28: the return receipt shows Mon Oct 26. 3 working days from it: Oct 27 (1),
    # 28 (2), Thu Oct 29 (3).
    at("2026-10-28", clock)
    received = await post(
        client,
        auth,
        f"{url}/order-receipt",
        {"received_on": "2026-10-26", "late_entry_reason": "回执于10月28日退回"},
    )
    assert received["status"] == "reminded"
    assert received["deadlines"]["reminder_due"] == "2026-10-29"
    assert received["current_due_on"] == "2026-10-29"
    assert received["order_service"]["served_on"] == "2026-10-26"
    (detail,) = [d for d in received["deadlines"]["details"] if d["name"] == "reminder_due"]
    assert (detail["start"], detail["amount"], detail["unit"]) == (
        "2026-10-26",
        3,
        "working_days",
    )
    assert received["history"][-1]["event"] == "record_receipt"
    assert await _tasks(client, auth, case_id) == [
        ("await_supplement", "2026-10-29", ["supplements"])
    ]

    at("2026-10-29", clock)  # the reminder deadline itself: too early to terminate
    last_day = await client.post(
        f"{url}/termination", json={"reason": "逾期"}, headers=auth("clerk")
    )
    assert (last_day.status_code, last_day.json()["code"]) == (409, "reminder_deadline_not_passed")
    at("2026-10-30", clock)
    ended = await post(client, auth, f"{url}/termination", {"reason": "经催告后仍未提交"})
    assert (ended["status"], ended["termination_ground"]) == ("terminated", "non_submission")
    assert await proposals(session, case_id) == [("proposed", "tolerance_unfulfilled")]


async def test_a_supplement_while_the_reminder_is_in_transit_is_in_time(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    url, _ = await _reminded_by_post(client, auth, clock)
    at("2026-11-02", clock)  # long after an in-person reminder would have lapsed
    supplied = await post(client, auth, f"{url}/supplements", MATERIALS)
    assert supplied["status"] == "supplemented"


async def test_an_electronic_reminder_with_its_receipt_runs_from_that_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-22", clock)  # Thu
    body = {
        "on": "2026-10-21",
        "late_entry_reason": "电子送达记录次日补录",
        "service": {"method": "electronic", "received_on": "2026-10-22"},
    }
    reminded = await post(client, auth, f"{url}/reminders", body)
    # 3 working days from Thu Oct 22: Oct 23 (1), Mon 26 (2), Tue 27 (3).
    assert reminded["deadlines"]["reminder_due"] == "2026-10-27"
    assert reminded["order_service"]["served_on"] == "2026-10-22"
    again = await client.post(
        f"{url}/order-receipt", json={"received_on": "2026-10-22"}, headers=auth("clerk")
    )
    assert (again.status_code, again.json()["code"]) == (409, "order_receipt_not_awaited")


async def test_an_in_person_reminder_runs_from_its_day_and_takes_no_receipt(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)
    with_receipt = await client.post(
        f"{url}/reminders",
        json={"service": {"method": "in_person", "received_on": "2026-10-21"}},
        headers=auth("clerk"),
    )
    assert (with_receipt.status_code, with_receipt.json()["code"]) == (
        422,
        "received_on_not_for_in_person",
    )
    assert with_receipt.json()["errors"][0]["field"] == "body.service.received_on"
    reminded = await post(client, auth, f"{url}/reminders", {"service": {"method": "in_person"}})
    assert reminded["deadlines"]["reminder_due"] == "2026-10-26"
    assert reminded["order_service"]["served_on"] == "2026-10-21"
    receipt = await client.post(
        f"{url}/order-receipt", json={"received_on": "2026-10-21"}, headers=auth("clerk")
    )
    assert (receipt.status_code, receipt.json()["code"]) == (409, "order_receipt_not_awaited")


async def test_a_receipt_is_not_before_the_reminder_nor_after_today(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    url, _ = await _reminded_by_post(client, auth, clock)
    at("2026-10-23", clock)
    before = await client.post(
        f"{url}/order-receipt",
        json={"received_on": "2026-10-20", "late_entry_reason": "补录"},
        headers=auth("clerk"),
    )
    assert (before.status_code, before.json()["code"]) == (422, "step_date_before_previous_step")
    future = await client.post(
        f"{url}/order-receipt", json={"received_on": "2026-10-24"}, headers=auth("clerk")
    )
    assert (future.status_code, future.json()["code"]) == (422, "step_date_in_future")
    unexplained = await client.post(
        f"{url}/order-receipt", json={"received_on": "2026-10-22"}, headers=auth("clerk")
    )
    assert (unexplained.status_code, unexplained.json()["code"]) == (
        422,
        "late_entry_reason_required",
    )


async def test_an_order_to_rectify_by_post_runs_from_its_receipt(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await _decide(client, auth)
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-15", clock)  # Thu
    opened = await post(client, auth, f"{url}/verifications", {"method": "online"}, status=201)
    await post(
        client,
        auth,
        f"/api/v1/verifications/{opened['id']}/result",
        {
            "basis": "《食品经营许可和备案管理办法》",
            "description": "经营场所面积与承诺不符",
            "fulfilled": False,
            "rectification_period": {"amount": 10, "unit": "working_days"},
            "rectification_service": {"method": "post"},
        },
        role="verifier",
    )
    ordered = await _read(client, auth, url)
    assert ordered["status"] == "rectification_ordered"
    assert (ordered["deadlines"]["rectification_due"], ordered["current_due_on"]) == (None, None)
    assert ordered["order_service"]["period"] == {"amount": 10, "unit": "working_days"}
    assert await _tasks(client, auth, case["id"]) == [
        ("record_order_receipt", None, ["order-receipt"])
    ]

    # Fri Oct 30: served in person on Oct 15 the period would have ended Thu Oct 29.
    at("2026-10-30", clock)
    early = await client.post(f"{url}/revocation", json={"reason": "逾期"}, headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "rectification_order_not_served")

    # Received Mon Oct 19: 10 working days, Oct 20-23 (1-4), 26-30 (5-9), Mon Nov 2 (10).
    received = await post(
        client,
        auth,
        f"{url}/order-receipt",
        {"received_on": "2026-10-19", "late_entry_reason": "回执晚到"},
    )
    assert received["deadlines"]["rectification_due"] == "2026-11-02"
    assert received["current_due_on"] == "2026-11-02"
    assert await _tasks(client, auth, case["id"]) == [
        ("follow_rectification", "2026-11-02", ["rectification", "revocation"])
    ]
    not_yet = await client.post(f"{url}/revocation", json={"reason": "逾期"}, headers=auth("clerk"))
    assert (not_yet.status_code, not_yet.json()["code"]) == (
        409,
        "rectification_deadline_not_passed",
    )
    at("2026-11-03", clock)
    revoked = await post(client, auth, f"{url}/revocation", {"reason": "逾期不整改"})
    assert revoked["status"] == "revoked"
    assert await proposals(session, case["id"]) == [("proposed", "commitment_untrue")]
