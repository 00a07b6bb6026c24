"""陈述申辩 as a hearing and 申诉 after the window (LZ §2, §5(1)4-5), over HTTP.

Dates by hand (tests/restrictions/conftest.py: notice received Wed 2026-03-04, objection
window to Mon 03-09; 2026 calendar, Qingming Apr 4-6 off):
- a statement made Thu 03-05 is reviewed Thu 03-12 (within 15 working days); the listing
  is confirmed that day and published Fri 03-13;
- a 3-month period from 03-13 ends 2026-06-13 (never moved for a holiday); the profile's
  6 months would end 2026-09-13;
- a complaint received Wed 04-01 is due Thu 04-02 (1), Fri 04-03 (2) -> 04-03;
- a complaint received Fri 04-03 is due Tue 04-07 (1), Wed 04-08 (2) -> 04-08.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, ok
from tests.restrictions.conftest import at, notified, published, step

URL = "/api/v1/restrictions"
STATEMENT = {
    "statement": "经营场所证明系出租方出具，且同类情形依规定管理期限为3个月",
    "grounds": ["facts", "proportionality"],
    "evidence_refs": ["租赁合同"],
}
CORRECTED_FACTS = "申请食品经营许可时提交的经营场所证明与实际不符（证明由出租方出具）"
BASIS = "《某某行业信用管理办法》第十条：此类失信行为管理期限为3个月"


async def _under_review(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> tuple[str, str]:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-05")
    objected = await step(client, auth, f"{URL}/{listing_id}/objections", STATEMENT, status=201)
    (objection,) = objected["objections"]
    assert objection["grounds"] == ["facts", "proportionality"]
    assert objected["history"][-1]["details"]["grounds"] == ["facts", "proportionality"]
    return listing_id, str(objection["id"])


async def test_an_amended_review_changes_the_listing_as_decided(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id, objection_id = await _under_review(client, auth, clock)
    at(clock, "2026-03-12")
    amended = await step(
        client,
        auth,
        f"{URL}/{listing_id}/objections/{objection_id}/review",
        {
            "outcome": "amended",
            "reasons": "申辩部分成立：事实表述更正，管理期限依其规定缩短",
            "amendments": {"facts": CORRECTED_FACTS, "period_months": 3, "period_basis": BASIS},
        },
    )
    assert (amended["status"], amended["dates"]["confirmed_on"]) == ("confirmed", "2026-03-12")
    assert amended["facts"] == CORRECTED_FACTS
    assert (amended["period_months"], amended["period_basis"]) == (3, BASIS)
    (objection,) = amended["objections"]
    assert objection["outcome"] == "amended"
    assert objection["amendments"]["facts"] == {
        "before": "申请食品经营许可时提供虚假的经营场所证明",
        "after": CORRECTED_FACTS,
    }
    assert objection["amendments"]["period_months"] == {"before": None, "after": 3}
    last = amended["history"][-1]
    assert (last["event"], last["to_status"], last["citation"]) == (
        "review_amended",
        "confirmed",
        "LZ §5(1)4",
    )
    assert last["details"]["amendments"]["period_months"]["after"] == 3
    at(clock, "2026-03-13")
    effective = await step(client, auth, f"{URL}/{listing_id}/publication")
    assert effective["dates"]["period_ends_on"] == "2026-06-13"
    (period,) = [d for d in effective["deadlines"] if d["name"] == "period_end"]
    assert (period["date"], period["amount"]) == ("2026-06-13", 3)
    assert "LZ §5(1)5" in str(period["citation"])
    # Rectified within the shorter period: repaired the day after it ends.
    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已更正"})
    at(clock, "2026-06-13")
    assert (await _read(client, auth, listing_id))["status"] == "effective"
    at(clock, "2026-06-14")
    read = await _read(client, auth, listing_id)
    assert (read["status"], read["dates"]["repaired_on"]) == ("repaired", "2026-06-14")


async def test_an_amendment_is_named_and_only_shortens_with_a_basis(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id, objection_id = await _under_review(client, auth, clock)
    at(clock, "2026-03-12")
    review = f"{URL}/{listing_id}/objections/{objection_id}/review"

    async def refused(body: dict[str, Any]) -> tuple[int, str]:
        response = await client.post(review, json=body, headers=auth("clerk"))
        return response.status_code, response.json()["code"]

    reasons = {"reasons": "复核"}
    assert await refused({"outcome": "amended", **reasons}) == (422, "review_amendments_required")
    assert await refused(
        {"outcome": "upheld", **reasons, "amendments": {"facts": CORRECTED_FACTS}}
    ) == (422, "review_amendments_required")
    longer = {"period_months": 6, "period_basis": BASIS}
    code = await refused({"outcome": "amended", **reasons, "amendments": longer})
    assert code == (422, "amended_period_not_shorter")
    no_basis = await client.post(
        review,
        json={"outcome": "amended", **reasons, "amendments": {"period_months": 3}},
        headers=auth("clerk"),
    )
    assert no_basis.status_code == 422
    # Nothing changed by the refusals: still under review.
    assert (await _read(client, auth, listing_id))["status"] == "under_review"
    upheld = await step(client, auth, review, {"outcome": "upheld", **reasons})
    assert (upheld["status"], upheld["period_months"]) == ("confirmed", None)


async def test_a_complaint_after_the_window_opens_a_correction_task_due_in_two_working_days(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    complained = await step(
        client,
        auth,
        f"{URL}/{listing_id}/complaints",
        {
            "received_on": "2026-04-01",
            "statement": "名单所载失信事实有误",
            "grounds": ["facts"],
        },
        status=201,
    )
    (duty,) = complained["correction_duties"]
    assert (duty["origin"], duty["received_on"], duty["due_on"], duty["overdue"]) == (
        "complaint",
        "2026-04-01",
        "2026-04-03",
        False,
    )
    last = complained["history"][-1]
    assert (last["event"], last["citation"]) == ("complain", "LZ §2")
    assert last["details"]["correction_due"] == "2026-04-03"
    (task,) = await _tasks(client, auth)
    assert (task["listing_id"], task["resource_type"], task["due_on"]) == (
        listing_id,
        "correction_duty",
        "2026-04-03",
    )
    assert [link["step"] for link in task["links"]] == ["corrections", "rejection"]
    at(clock, "2026-04-02")
    corrected = await step(
        client,
        auth,
        f"{URL}/{listing_id}/corrections",
        {
            "kind": "fix",
            "discovered_on": "2026-04-01",
            "reason": "申诉属实",
            "changes": {"facts": CORRECTED_FACTS},
        },
    )
    (closed,) = corrected["correction_duties"]
    assert (closed["outcome"], closed["closed_on"]) == ("corrected", "2026-04-02")
    assert corrected["facts"] == CORRECTED_FACTS
    assert await _tasks(client, auth) == []


async def test_a_complaint_rejected_late_with_reasons(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-03")
    complained = await step(
        client,
        auth,
        f"{URL}/{listing_id}/complaints",
        {"received_on": "2026-04-03", "statement": "认定依据有误", "grounds": ["legal_basis"]},
        status=201,
    )
    (duty,) = complained["correction_duties"]
    assert duty["due_on"] == "2026-04-08"
    at(clock, "2026-04-09")
    assert (await _tasks(client, auth))[0]["overdue"] is True
    rejected = await step(
        client,
        auth,
        f"{URL}/{listing_id}/correction-duties/{duty['id']}/rejection",
        {"reasons": "经核实，认定依据准确"},
    )
    (closed,) = rejected["correction_duties"]
    assert (closed["outcome"], closed["closed_on"], closed["overdue"]) == (
        "rejected",
        "2026-04-09",
        False,
    )
    assert rejected["history"][-1]["details"]["late"] is True
    assert rejected["status"] == "effective"
    again = await client.post(
        f"{URL}/{listing_id}/correction-duties/{duty['id']}/rejection",
        json={"reasons": "再次"},
        headers=auth("clerk"),
    )
    assert (again.status_code, again.json()["code"]) == (409, "correction_duty_closed")
    assert await _tasks(client, auth) == []


async def test_within_the_window_a_statement_is_an_objection_not_a_complaint(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-05")
    response = await client.post(
        f"{URL}/{listing_id}/complaints",
        json={"received_on": "2026-03-05", "statement": "事实有误"},
        headers=auth("clerk"),
    )
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")


async def _read(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200
    )
    return result


async def _tasks(client: httpx.AsyncClient, auth: TokenFactory) -> list[dict[str, Any]]:
    page = await ok(
        await client.get(
            "/api/v1/tasks", params={"kind": "correct_listing"}, headers=auth("clerk")
        ),
        200,
    )
    items: list[dict[str, Any]] = page["items"]
    return items
