"""A breach marked for a penalty or a judicial referral (DZ art. 16 ¶1) is not for the list
(LZ §5(1)2 "尚不构成行政处罚"), over HTTP with hand-computed dates.

- The tolerance commitment (tests/commitments/conftest.py) is reminded on Wed 2026-10-21
  and terminated on Tue 2026-10-27, which proposes a `tolerance_unfulfilled` listing.
- A published listing (tests/restrictions/conftest.py: published 2026-03-10) marked on
  Wed 2026-04-01: its department must correct or remove it within 2 working days, Thu
  04-02 (1), Fri 04-03 (2) -> due 2026-04-03 (Qingming, Apr 4-6, comes after).
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ORG, ORG_ID, REGULATOR, ok
from tests.restrictions.conftest import at, published, step

URL = "/api/v1/restrictions"
PENALTY = {
    "kind": "administrative_penalty",
    "decision_reference": "德市监处罚〔2026〕15号",
    "decided_on": "2026-10-26",
}


async def _terminated(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, *, mark_before: bool
) -> dict[str, Any]:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at(clock, "2026-10-21")
    await step(client, auth, f"{url}/reminders")
    if mark_before:
        marked = await step(client, auth, f"{url}/referrals", PENALTY, status=201)
        assert [m["decision_reference"] for m in marked["referrals"]] == ["德市监处罚〔2026〕15号"]
    at(clock, "2026-10-27")
    terminated = await step(client, auth, f"{url}/termination", {"reason": "逾期未补正"})
    assert terminated["status"] == "terminated"
    return terminated


async def _proposals(client: httpx.AsyncClient, auth: TokenFactory) -> list[dict[str, Any]]:
    page = await ok(
        await client.get(URL, params={"status": "proposed"}, headers=auth("clerk")), 200
    )
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_a_penalty_referral_withdraws_a_pending_proposal(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await _terminated(client, auth, clock, mark_before=False)
    (proposal,) = await _proposals(client, auth)
    at(clock, "2026-10-28")
    marked = await step(client, auth, f"{URL}/{proposal['id']}/referrals", PENALTY, status=201)
    assert (marked["status"], marked["dates"]["withdrawn_on"]) == ("withdrawn", "2026-10-28")
    last = marked["history"][-1]
    assert (last["event"], last["from_status"], last["to_status"]) == (
        "refer",
        "proposed",
        "withdrawn",
    )
    assert last["citation"] == "LZ §5(1)2"
    (mark,) = marked["referrals"]
    assert (mark["kind"], mark["decision_reference"], mark["recorded_on"]) == (
        "administrative_penalty",
        "德市监处罚〔2026〕15号",
        "2026-10-28",
    )
    assert mark["citation"] == "DZ art. 16 ¶1"
    assert await _proposals(client, auth) == []
    audit = await ok(
        await client.get(
            "/api/v1/audit-log", params={"action": "referral.record"}, headers=auth("auditor")
        ),
        200,
    )
    assert [e["target_id"] for e in audit["items"]] == [proposal["id"]]


async def test_a_referred_commitments_termination_proposes_nothing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    terminated = await _terminated(client, auth, clock, mark_before=True)
    assert await _proposals(client, auth) == []
    assert [m["kind"] for m in terminated["referrals"]] == ["administrative_penalty"]
    everything = await ok(await client.get(URL, headers=auth("clerk")), 200)
    assert everything["items"] == []
    # The agency reads its mark; the matter's regulator reads the commitment without it.
    url = f"/api/v1/commitments/{terminated['id']}"
    agency = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert [m["decision_reference"] for m in agency["referrals"]] == ["德市监处罚〔2026〕15号"]
    regulator = await ok(
        await client.get(url, headers=auth("regulator", department=REGULATOR)), 200
    )
    assert regulator["referrals"] == []


async def test_a_commitment_marked_after_termination_withdraws_its_proposal(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    terminated = await _terminated(client, auth, clock, mark_before=False)
    (proposal,) = await _proposals(client, auth)
    at(clock, "2026-10-29")
    judicial = {"kind": "judicial", "decision_reference": "德公移字〔2026〕3号"}
    marked = await step(
        client, auth, f"/api/v1/commitments/{terminated['id']}/referrals", judicial, status=201
    )
    assert [m["kind"] for m in marked["referrals"]] == ["judicial"]
    listing = await ok(await client.get(f"{URL}/{proposal['id']}", headers=auth("clerk")), 200)
    assert (listing["status"], listing["dates"]["withdrawn_on"]) == ("withdrawn", "2026-10-29")
    assert [m["decision_reference"] for m in listing["referrals"]] == ["德公移字〔2026〕3号"]


async def test_a_published_listing_referred_gets_a_correction_duty_not_a_withdrawal(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    marked = await step(client, auth, f"{URL}/{listing_id}/referrals", PENALTY, status=201)
    assert (marked["status"], marked["effective"]) == ("effective", True)
    (duty,) = marked["correction_duties"]
    assert (duty["origin"], duty["received_on"], duty["due_on"], duty["outcome"]) == (
        "referral",
        "2026-04-01",
        "2026-04-03",
        None,
    )
    assert duty["referral_id"] == marked["referrals"][0]["id"]
    assert marked["history"][-1]["citation"] == "LZ §5(1)4"
    tasks = await ok(
        await client.get(
            "/api/v1/tasks", params={"kind": "correct_listing"}, headers=auth("clerk")
        ),
        200,
    )
    (task,) = tasks["items"]
    assert (task["listing_id"], task["resource_id"], task["due_on"]) == (
        listing_id,
        duty["id"],
        "2026-04-03",
    )
    # The public list shows the listing as published, never the mark.
    public = await ok(
        await client.post("/api/v1/public/restrictions/search", json={"id_number": ORG_ID}),
        200,
    )
    (entry,) = public["items"]
    assert "referrals" not in entry and "德市监处罚" not in str(public)
    # The department removes it the next working day: the duty is closed by the correction.
    at(clock, "2026-04-02")
    removed = await step(
        client,
        auth,
        f"{URL}/{listing_id}/corrections",
        {"kind": "remove", "discovered_on": "2026-04-01", "reason": "已移送行政处罚，不再列入"},
    )
    assert removed["status"] == "withdrawn"
    (closed,) = removed["correction_duties"]
    assert (closed["outcome"], closed["closed_on"]) == ("corrected", "2026-04-02")
    assert closed["correction_id"] == removed["corrections"][0]["id"]
    tasks = await ok(
        await client.get(
            "/api/v1/tasks", params={"kind": "correct_listing"}, headers=auth("clerk")
        ),
        200,
    )
    assert tasks["items"] == []


async def test_the_mark_is_the_owning_departments(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    other = await client.post(
        f"{URL}/{listing_id}/referrals",
        json=PENALTY,
        headers=auth("clerk", department="370305-XZSP"),
    )
    assert other.status_code == 403
    bad = await client.post(
        f"{URL}/{listing_id}/referrals",
        json={**PENALTY, "kind": "warning"},
        headers=auth("clerk"),
    )
    assert bad.status_code == 422


async def test_a_repaired_listing_keeps_the_mark_only(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    # Published 03-10, rectified 05-06: repaired from 09-11 (the day after 09-10), whether
    # or not anybody recorded it.
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-09-11")
    marked = await step(client, auth, f"{URL}/{listing_id}/referrals", PENALTY, status=201)
    assert (marked["status"], marked["correction_duties"]) == ("repaired", [])
    assert "refer" not in [e["event"] for e in marked["history"]]
    assert [m["kind"] for m in marked["referrals"]] == ["administrative_penalty"]


async def test_a_regulator_answering_does_not_see_the_mark(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    # Notify-commit decided on Wed 2026-09-30 and marked by the agency; the matter's
    # regulator sends its supervision feedback, and the commitment it gets back has no mark.
    case = await commitment(client, auth, "notify_commit")
    url = f"/api/v1/commitments/{case['id']}"
    await step(client, auth, f"{url}/decision", {})
    judicial = {"kind": "judicial", "decision_reference": "德公移字〔2026〕7号"}
    marked = await step(client, auth, f"{url}/referrals", judicial, status=201)
    assert [m["kind"] for m in marked["referrals"]] == ["judicial"]
    answered = await ok(
        await client.post(
            f"{url}/supervision-feedback",
            json={"result": "conforms", "description": "双随机抽查未发现问题"},
            headers=auth("regulator", department=REGULATOR),
        ),
        200,
    )
    assert answered["history"][-1]["event"] == "supervision_feedback"
    assert answered["referrals"] == []
