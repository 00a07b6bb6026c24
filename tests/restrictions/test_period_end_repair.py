"""An end the subject can reach (LZ §5(1)5), over HTTP, dates counted by hand.

Published Tue 2026-03-10 (see conftest.py): the period's last day is Thu 2026-09-10.
2026 calendar around it: Sat 09-12, Sun 09-13 off; Sun 09-20 a make-up working day;
Fri 09-25 to Sun 09-27 off (Mid-Autumn).

- Repair notice (profile `repair_notice`, 3 working days from the period end, the end not
  counted): Fri 09-11 (1), Mon 09-14 (2), Tue 09-15 (3) -> due 2026-09-15; the task
  exists from Fri 09-11, the day after the end.
- Proof filed Wed 09-16 (profile `repair_decision`, 5 working days): Thu 09-17 (1),
  Fri 09-18 (2), Sun 09-20 (make-up, 3), Mon 09-21 (4), Tue 09-22 (5) -> due 2026-09-22.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, ORG_ID, credit_check, ok, record_consent
from tests.restrictions.conftest import at, published, step

URL = "/api/v1/restrictions"


async def _check(client: httpx.AsyncClient, auth: TokenFactory) -> str:
    consent = await record_consent(client, auth, subject=ORG)
    result = await ok(
        await credit_check(client, auth, consent_id=consent["id"], subject=consent["subject"])
    )
    return str(result["result"])


async def _public(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    body = (
        await client.post("/api/v1/public/restrictions/search", json={"id_number": ORG_ID})
    ).json()
    items: list[dict[str, Any]] = body["items"]
    return items


async def _tasks(client: httpx.AsyncClient, auth: TokenFactory, kind: str) -> list[dict[str, Any]]:
    body = await ok(await client.get(f"/api/v1/tasks?kind={kind}", headers=auth("clerk")), 200)
    items: list[dict[str, Any]] = body["items"]
    return items


async def _repair(client: httpx.AsyncClient, auth: TokenFactory, listing: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing}/repair", headers=auth("clerk")), 200
    )
    return result


async def _file(
    client: httpx.AsyncClient, auth: TokenFactory, listing: str, status: int = 201
) -> httpx.Response:
    response = await client.post(
        f"{URL}/{listing}/repair-applications",
        json={
            "statement": "原申请已撤回，现提交撤回文书及信用承诺书",
            "evidence_refs": ["撤回申请受理回执", "信用承诺书"],
            "commitment_letter": True,
        },
        headers=auth("platform"),
    )
    assert response.status_code == status, response.text
    return response


async def test_an_unrectified_period_end_gives_a_notice_and_a_task_the_day_after(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-09-10")  # the period's last day: nothing due yet
    assert await _tasks(client, auth, "issue_repair_notice") == []
    early = await client.get(f"{URL}/{listing}/repair-notice.pdf", headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "repair_notice_not_due")
    refused = await client.post(
        f"{URL}/{listing}/repair-notice", json={"method": "mail"}, headers=auth("clerk")
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "management_period_running")

    at(clock, "2026-09-11")  # the day after: derived by date, no worker has run
    (task,) = await _tasks(client, auth, "issue_repair_notice")
    assert (task["listing_id"], task["due_on"], task["overdue"]) == (listing, "2026-09-15", False)
    assert task["links"][0]["href"] == f"{URL}/{listing}/repair-notice"
    state = await _repair(client, auth, listing)
    assert (state["status"], state["effective"], state["awaiting_rectification"]) == (
        "effective",
        True,
        True,
    )
    assert state["notice"]["due_on"] == "2026-09-15"
    assert state["to_rectify"]["proof"] == "closure_and_commitment"  # false materials
    assert state["to_rectify"]["citation"] == "LZ §5(1)5"
    assert await _check(client, auth) == "fail"  # the literal reading: still effective
    pdf = await client.get(f"{URL}/{listing}/repair-notice.pdf", headers=auth("clerk"))
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")

    served = await step(client, auth, f"{URL}/{listing}/repair-notice", {"method": "mail"})
    assert served["notice"] == {
        "due_on": "2026-09-15",
        "issued_on": "2026-09-11",
        "method": "mail",
        "late": False,
        "received_on": None,
    }
    assert await _tasks(client, auth, "issue_repair_notice") == []
    again = await client.post(
        f"{URL}/{listing}/repair-notice", json={"method": "mail"}, headers=auth("clerk")
    )
    assert (again.status_code, again.json()["code"]) == (409, "repair_notice_issued")
    at(clock, "2026-09-14")
    received = await step(
        client, auth, f"{URL}/{listing}/repair-notice/receipt", {"received_on": "2026-09-14"}
    )
    assert received["notice"]["received_on"] == "2026-09-14"
    history = (await ok(await client.get(f"{URL}/{listing}", headers=auth("clerk")), 200))[
        "history"
    ]
    assert [h["event"] for h in history][-2:] == [
        "issue_repair_notice",
        "record_repair_notice_receipt",
    ]


async def test_a_late_repair_notice_is_recorded_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-09-16")  # one working day after 09-15
    (task,) = await _tasks(client, auth, "issue_repair_notice")
    assert (task["due_on"], task["overdue"]) == ("2026-09-15", True)
    served = await step(client, auth, f"{URL}/{listing}/repair-notice", {"method": "in_person"})
    assert (served["notice"]["issued_on"], served["notice"]["late"]) == ("2026-09-16", True)


async def test_proof_decided_rectified_repairs_the_same_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-09-16")
    filed = (await _file(client, auth, listing)).json()
    (application,) = filed["applications"]
    assert (application["filed_on"], application["decision_due"]) == ("2026-09-16", "2026-09-22")
    (task,) = await _tasks(client, auth, "decide_repair")
    assert (task["resource_id"], task["listing_id"], task["due_on"]) == (
        application["id"],
        listing,
        "2026-09-22",
    )
    pending = await client.post(
        f"{URL}/{listing}/repair-applications",
        json={"statement": "再次提交"},
        headers=auth("platform"),
    )
    assert (pending.status_code, pending.json()["code"]) == (409, "repair_application_pending")

    at(clock, "2026-09-18")
    assert await _check(client, auth) == "fail"
    assert len(await _public(client)) == 1
    decided = await step(
        client,
        auth,
        f"{URL}/{listing}/repair-applications/{application['id']}/decision",
        {"outcome": "rectified", "reasons": "经核实，原申请已撤回并已提交信用承诺书"},
    )
    assert (decided["status"], decided["repaired_on"], decided["rectified_on"]) == (
        "repaired",
        "2026-09-18",
        "2026-09-18",
    )
    assert decided["applications"][0]["outcome"] == "rectified"
    assert await _check(client, auth) == "pass"  # the decision day itself
    assert await _public(client) == []
    assert await _tasks(client, auth, "decide_repair") == []
    assert await _tasks(client, auth, "issue_repair_notice") == []
    read = await ok(await client.get(f"{URL}/{listing}", headers=auth("clerk")), 200)
    assert read["status"] == "repaired"
    assert [h["event"] for h in read["history"]][-3:] == [
        "file_repair_application",
        "confirm_rectification",
        "repair",
    ]
    twice = await client.post(
        f"{URL}/{listing}/repair-applications/{application['id']}/decision",
        json={"outcome": "rectified", "reasons": "重复"},
        headers=auth("clerk"),
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "repair_application_decided")
    late = await _file(client, auth, listing, status=409)
    assert late.json()["code"] == "listing_not_effective"


async def test_proof_decided_not_rectified_leaves_it_effective_and_may_be_filed_again(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-09-16")
    application = (await _file(client, auth, listing)).json()["applications"][0]
    at(clock, "2026-09-22")  # the last day of the limit
    refused = await step(
        client,
        auth,
        f"{URL}/{listing}/repair-applications/{application['id']}/decision",
        {"outcome": "not_rectified", "reasons": "未提交原申请终止办理或撤回的文书"},
    )
    assert (refused["status"], refused["effective"], refused["repaired_on"]) == (
        "effective",
        True,
        None,
    )
    assert refused["applications"][0]["reasons"] == "未提交原申请终止办理或撤回的文书"
    assert await _check(client, auth) == "fail"
    assert len(await _public(client)) == 1
    again = (await _file(client, auth, listing)).json()
    assert [a["outcome"] for a in again["applications"]] == ["not_rectified", None]
    # 09-22 + 5 working days: 23 (1), 24 (2), 28 (3; 25-27 off), 29 (4), 30 (5)
    assert again["applications"][1]["decision_due"] == "2026-09-30"


async def test_proof_rectified_within_the_period_repairs_the_day_after_it_ends(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-05-06")
    application = (await _file(client, auth, listing)).json()["applications"][0]
    at(clock, "2026-05-07")
    decided = await step(
        client,
        auth,
        f"{URL}/{listing}/repair-applications/{application['id']}/decision",
        {"outcome": "rectified", "reasons": "已整改"},
    )
    assert (decided["status"], decided["repaired_on"]) == ("effective", "2026-09-11")
    at(clock, "2026-09-10")
    assert await _check(client, auth) == "fail"
    at(clock, "2026-09-11")
    assert await _check(client, auth) == "pass"
    assert await _tasks(client, auth, "issue_repair_notice") == []


async def test_filing_on_a_withdrawn_listing_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    await step(
        client,
        auth,
        f"{URL}/{listing}/corrections",
        {"kind": "remove", "discovered_on": "2026-04-01", "reason": "认定有误"},
    )
    refused = await _file(client, auth, listing, status=409)
    assert (refused.json()["code"], refused.json()["status"]) == ("listing_not_effective", 409)


async def test_a_retried_filing_with_the_same_key_is_not_filed_twice(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-09-16")
    headers = {**auth("platform"), "Idempotency-Key": "repair-2026-09-16-1"}
    body = {"statement": "已整改", "commitment_letter": True}
    first = await client.post(f"{URL}/{listing}/repair-applications", json=body, headers=headers)
    second = await client.post(f"{URL}/{listing}/repair-applications", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len((await _repair(client, auth, listing))["applications"]) == 1


async def test_the_profile_says_how_rectification_is_established(
    client: httpx.AsyncClient,
) -> None:
    linzi = await ok(await client.get("/api/v1/profiles/linzi-2022"), 200)
    rules = {r["situation"]: r for r in linzi["rectification"]}
    assert set(rules) == {
        "identity_fraud",
        "false_materials",
        "tolerance_unfulfilled",
        "commitment_untrue",
        "other",
    }
    fraud = rules["identity_fraud"]
    assert (fraud["proof"], fraud["basis"], fraud["citation"]["label"]) == (
        "closure_and_commitment",
        "deployment_choice",
        "LZ §5(1)5",
    )
    assert "信用承诺书" in fraud["how_to_prove_zh"]
    decision = linzi["parameters"]["repair_decision"]
    assert (decision["value"], decision["unit"], decision["basis"]) == (
        5,
        "working_days",
        "deployment_choice",
    )
    assert linzi["parameters"]["repair_notice"]["value"] == 3
    dezhou = await ok(await client.get("/api/v1/profiles/dezhou-2023"), 200)
    assert dezhou["rectification"] == []
    assert "repair_decision" not in dezhou["parameters"]


async def test_a_restarted_period_moves_the_repair_notice_to_its_new_end(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    first = await published(client, auth, clock, ORG)
    # Second listing published Fri 2026-06-05 (see test_lifecycle): both periods now end
    # Sat 2026-12-05; the notice is due Mon 12-07 (1), Tue 12-08 (2), Wed 12-09 (3).
    second = await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-06-01",
        notice_on="2026-06-01",
        received_on="2026-06-01",
        publish_on="2026-06-05",
    )
    at(clock, "2026-09-11")  # the first period would have ended: nothing is due
    assert await _tasks(client, auth, "issue_repair_notice") == []
    refused = await client.post(
        f"{URL}/{first}/repair-notice", json={"method": "mail"}, headers=auth("clerk")
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "management_period_running")
    history = (await ok(await client.get(f"{URL}/{first}", headers=auth("clerk")), 200))["history"]
    recomputed = [h for h in history if h["event"] == "deadline_recomputed"]
    assert recomputed[-1]["details"]["repair_notice_due"] == {
        "before": "2026-09-15",
        "after": "2026-12-09",
    }
    at(clock, "2026-12-06")
    tasks = await _tasks(client, auth, "issue_repair_notice")
    assert sorted((t["listing_id"], t["due_on"]) for t in tasks) == sorted(
        [(first, "2026-12-09"), (second, "2026-12-09")]
    )


async def test_removing_the_restarting_listing_moves_the_repair_notice_back(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    first = await published(client, auth, clock, ORG)
    second = await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-06-01",
        notice_on="2026-06-01",
        received_on="2026-06-01",
        publish_on="2026-06-05",
    )
    at(clock, "2026-07-01")
    await step(
        client,
        auth,
        f"{URL}/{second}/corrections",
        {"kind": "remove", "discovered_on": "2026-07-01", "reason": "认定有误"},
    )
    at(clock, "2026-09-11")  # the first period ends on its own day again: Thu 09-10
    (task,) = await _tasks(client, auth, "issue_repair_notice")
    assert (task["listing_id"], task["due_on"]) == (first, "2026-09-15")
