"""The regulator's work (DZ art. 12): its queue of supervised commitments, a nonconforming
finding that gives the agency an order to issue (DZ art. 13 ¶2), a conforming one that
closes the item.

Dates are counted by hand on the 2026 calendar: November has no holiday and no make-up
working day. A nonconforming feedback on Thu Nov 5 makes the order due 3 working days
later (the feedback day not counted): Fri Nov 6 (1), Mon Nov 9 (2), Tue Nov 10 (3).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    LINZI,
    REGULATOR,
    create_department,
    matter_body,
    ok,
    setup_catalog,
)
from tests.restrictions.conftest import at

QUEUE = "/api/v1/supervision/commitments"
HEALTH = "371400-WJW"  # regulates another matter
EXEMPT, OTHER_EXEMPT, IN_PROCESS = "SPJ-EXEMPT-001", "WJW-EXEMPT-001", "SPJ-INPROC-001"
SIGNED = "2026-11-02T10:00:00+08:00"  # Mon Nov 2


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> None:
    await setup_catalog(client, auth)
    await create_department(client, auth, HEALTH, "德州市卫生健康委员会")
    admin = auth("admin")
    exempt = matter_body()["modes"]
    exempt["notify_commit"] |= {"exempt_from_verification": True, "verification_methods": []}
    exempt["notify_commit"].pop("verification_limit")
    for code, regulator in ((EXEMPT, REGULATOR), (OTHER_EXEMPT, HEALTH)):
        body = matter_body(code, modes=exempt, regulator_department=regulator)
        body.pop("onsite_verification_department")
        await ok(await client.post("/api/v1/matters", json=body, headers=admin))
    supervised = matter_body()["modes"]
    supervised["notify_commit"]["in_process_supervision"] = True
    await ok(
        await client.post(
            "/api/v1/matters", json=matter_body(IN_PROCESS, modes=supervised), headers=admin
        )
    )
    at(clock, "2026-11-02")


async def _decided(
    client: httpx.AsyncClient, auth: TokenFactory, matter: str, signed_at: str = SIGNED
) -> dict[str, Any]:
    case = await commitment(client, auth, "notify_commit", matter_code=matter, signed_at=signed_at)
    return await ok(  # type: ignore[no-any-return]
        await client.post(
            f"/api/v1/commitments/{case['id']}/decision", json={}, headers=auth("clerk")
        ),
        200,
    )


async def _queue(
    client: httpx.AsyncClient, auth: TokenFactory, department: str, **params: str
) -> list[dict[str, Any]]:
    page = await ok(
        await client.get(QUEUE, params=params, headers=auth("regulator", department=department)),
        200,
    )
    return page["items"]  # type: ignore[no-any-return]


async def _feedback(
    client: httpx.AsyncClient, auth: TokenFactory, case: dict[str, Any], result: str
) -> dict[str, Any]:
    return await ok(  # type: ignore[no-any-return]
        await client.post(
            f"/api/v1/commitments/{case['id']}/supervision-feedback",
            json={"result": result, "description": "双随机抽查"},
            headers=auth("regulator", department=REGULATOR),
        ),
        200,
    )


async def _tasks(client: httpx.AsyncClient, auth: TokenFactory, kind: str) -> list[Any]:
    page = await ok(
        await client.get("/api/v1/tasks", params={"kind": kind}, headers=auth("clerk")), 200
    )
    return [(t["kind"], t["commitment_id"], t["due_on"], t["overdue"]) for t in page["items"]]


async def test_the_regulator_finds_an_exempt_fulfilled_commitment_and_others_see_nothing(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await _decided(client, auth, EXEMPT)
    assert case["status"] == "fulfilled"
    other = await _decided(client, auth, OTHER_EXEMPT)
    await _decided(client, auth, "SPJ-FOOD-001")  # verified by the agency: not the queue's

    (item,) = await _queue(client, auth, REGULATOR)
    assert (item["commitment_id"], item["basis"], item["citation"]) == (
        case["id"],
        "routine",
        "DZ art. 12 ¶2",
    )
    assert (item["commitment_status"], item["decided_on"], item["status"]) == (
        "fulfilled",
        "2026-11-02",
        "open",
    )
    assert (item["department"], item["regulator_department"], item["matter_code"]) == (
        AGENCY,
        REGULATOR,
        EXEMPT,
    )
    assert item["links"][0]["href"] == f"/api/v1/commitments/{case['id']}/supervision-feedback"
    # The regulator of another matter sees its own item, never this one; one of none, nothing.
    assert [i["commitment_id"] for i in await _queue(client, auth, HEALTH)] == [other["id"]]
    assert await _queue(client, auth, LINZI) == []
    asked = await client.get(
        QUEUE, params={"department": REGULATOR}, headers=auth("regulator", department=HEALTH)
    )
    assert (asked.status_code, asked.json()["code"]) == (403, "department_forbidden")
    clerk = await client.get(QUEUE, headers=auth("clerk"))
    assert (clerk.status_code, clerk.json()["code"]) == (403, "role_forbidden")
    # Auditors read every regulator's queue.
    audited = await ok(await client.get(QUEUE, headers=auth("auditor", department=None)), 200)
    assert {i["commitment_id"] for i in audited["items"]} == {case["id"], other["id"]}


async def test_a_nonconforming_feedback_gives_the_agency_an_order_due_in_three_working_days(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _decided(client, auth, EXEMPT)
    at(clock, "2026-11-05")  # Thu
    read = await _feedback(client, auth, case, "nonconforming")
    assert read["status"] == "fulfilled"
    assert read["supervision"] == {
        "result": "nonconforming",
        "feedback_on": "2026-11-05",
        "order_pending": True,
        "order_due_on": "2026-11-10",
    }
    last = read["history"][-1]
    assert (last["event"], last["details"]["rectification_order_due"]) == (
        "supervision_feedback",
        "2026-11-10",
    )
    (stored,) = [d for d in read["deadlines"]["details"] if d["name"] == "rectification_order_due"]
    assert (stored["start"], stored["amount"], stored["unit"]) == ("2026-11-05", 3, "working_days")
    assert "DZ art. 13 ¶2" in stored["citation"]
    # The agency's clerk reads the finding too.
    agency_read = await ok(
        await client.get(f"/api/v1/commitments/{case['id']}", headers=auth("clerk")), 200
    )
    assert agency_read["supervision"]["order_due_on"] == "2026-11-10"

    assert await _tasks(client, auth, "order_rectification") == [
        ("order_rectification", case["id"], "2026-11-10", False)
    ]
    (item,) = await _queue(client, auth, REGULATOR)
    assert (item["status"], item["supervision"]["order_due_on"]) == ("nonconforming", "2026-11-10")
    assert await _queue(client, auth, REGULATOR, status="open") == []

    at(clock, "2026-11-11")  # the day after the due day
    assert await _tasks(client, auth, "order_rectification") == [
        ("order_rectification", case["id"], "2026-11-10", True)
    ]
    # Ordered, dated Tue Nov 10 (entered late), 10 working days from that day in person:
    # Nov 11-13 (1-3), 16-20 (4-8), 23 (9), 24 (10).
    ordered = await ok(
        await client.post(
            f"/api/v1/commitments/{case['id']}/rectification-order",
            json={
                "rectification_period": {"amount": 10, "unit": "working_days"},
                "on": "2026-11-10",
                "late_entry_reason": "纸质责令书当日送达，次日补录",
            },
            headers=auth("clerk"),
        ),
        200,
    )
    assert ordered["status"] == "rectification_ordered"
    assert ordered["deadlines"]["rectification_due"] == "2026-11-24"
    assert ordered["closed_on"] is None
    assert ordered["supervision"]["order_pending"] is False
    assert ordered["history"][-1]["event"] == "order_rectification"
    assert ordered["history"][-1]["citation"] == "DZ art. 13 ¶2"
    assert await _tasks(client, auth, "order_rectification") == []
    assert await _tasks(client, auth, "follow_rectification") == [
        ("follow_rectification", case["id"], "2026-11-24", False)
    ]
    again = await client.post(
        f"/api/v1/commitments/{case['id']}/rectification-order",
        json={"rectification_period": {"amount": 10, "unit": "working_days"}},
        headers=auth("clerk"),
    )
    assert again.status_code == 409


async def test_a_conforming_feedback_closes_the_item(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _decided(client, auth, EXEMPT)
    at(clock, "2026-11-05")
    await _feedback(client, auth, case, "other")  # no conclusion: still open
    assert [i["status"] for i in await _queue(client, auth, REGULATOR)] == ["open"]
    read = await _feedback(client, auth, case, "conforms")
    assert read["supervision"]["result"] == "conforms"
    assert read["supervision"]["order_pending"] is False
    assert await _queue(client, auth, REGULATOR) == []
    (done,) = await _queue(client, auth, REGULATOR, status="closed")
    assert (done["commitment_id"], done["status"]) == (case["id"], "closed")
    assert await _tasks(client, auth, "order_rectification") == []


async def test_no_order_without_a_nonconforming_finding(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await _decided(client, auth, EXEMPT)
    refused = await client.post(
        f"/api/v1/commitments/{case['id']}/rectification-order",
        json={"rectification_period": {"amount": 10, "unit": "working_days"}},
        headers=auth("clerk"),
    )
    assert refused.status_code == 409
    body = refused.json()
    assert (body["reason"], body["citation"]) == (
        "no_nonconforming_supervision_feedback",
        "DZ art. 13 ¶2",
    )


async def test_in_process_supervision_and_the_filters(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    exempt = await _decided(client, auth, EXEMPT)
    at(clock, "2026-11-04")
    supervised = await _decided(client, auth, IN_PROCESS, "2026-11-04T10:00:00+08:00")
    assert supervised["status"] == "decided"

    items = await _queue(client, auth, REGULATOR)
    assert [(i["commitment_id"], i["basis"], i["citation"]) for i in items] == [
        (exempt["id"], "routine", "DZ art. 12 ¶2"),
        (supervised["id"], "in_process", "DZ art. 12 ¶1"),
    ]
    by_matter = await _queue(client, auth, REGULATOR, matter=IN_PROCESS)
    assert [i["commitment_id"] for i in by_matter] == [supervised["id"]]
    by_day = await _queue(
        client, auth, REGULATOR, decided_from="2026-11-03", decided_to="2026-11-04"
    )
    assert [i["commitment_id"] for i in by_day] == [supervised["id"]]
    assert await _queue(client, auth, REGULATOR, agency=LINZI) == []
    assert len(await _queue(client, auth, REGULATOR, agency=AGENCY)) == 2
    # Paged like the other lists: one by one, in decision order.
    first = await ok(
        await client.get(
            QUEUE, params={"limit": 1}, headers=auth("regulator", department=REGULATOR)
        ),
        200,
    )
    assert [i["commitment_id"] for i in first["items"]] == [exempt["id"]]
    second = await ok(
        await client.get(
            QUEUE,
            params={"limit": 1, "cursor": first["next_cursor"]},
            headers=auth("regulator", department=REGULATOR),
        ),
        200,
    )
    assert [i["commitment_id"] for i in second["items"]] == [supervised["id"]]
    assert second["next_cursor"] is None
    # A nonconforming finding on a decided case gives the order too; so does a failed
    # verification answer it (the order is issued with it).
    at(clock, "2026-11-05")
    read = await _feedback(client, auth, supervised, "nonconforming")
    assert read["supervision"]["order_due_on"] == "2026-11-10"
    wrong = await client.get(
        QUEUE,
        params={"decided_from": "2026-11-05", "decided_to": "2026-11-04"},
        headers=auth("regulator", department=REGULATOR),
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "decided_range_invalid")
