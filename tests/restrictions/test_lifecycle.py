"""The restriction list over HTTP, dates hand-computed (see conftest.py for the base dates)."""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import AGENT, AGENT_ID, ORG, ORG_ID, PERSON, credit_check, ok, record_consent
from tests.restrictions.conftest import at, collect, notified, published, step

URL = "/api/v1/restrictions"
# Early lifting is for a false or unfulfilled commitment (DZ art. 15 ¶1-2).
UNTRUE = "commitment_untrue"


async def _check(client: httpx.AsyncClient, auth: TokenFactory, **body: Any) -> dict[str, Any]:
    consent = await record_consent(client, auth, subject=body.pop("subject", ORG))
    result: dict[str, Any] = await ok(
        await credit_check(
            client, auth, consent_id=consent["id"], subject=consent["subject"], **body
        )
    )
    return result


async def _read(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200
    )
    return result


async def _public(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    body = (await client.get("/api/v1/public/restrictions", params=params)).json()
    items: list[dict[str, Any]] = body["items"]
    return items


async def test_no_objection_effective_then_repaired_after_six_months(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    read = await _read(client, auth, listing_id)
    assert read["status"] == "notified"
    assert (read["dates"]["notice_due"], read["dates"]["notice_late"]) == ("2026-03-05", False)
    assert read["dates"]["objection_due"] == "2026-03-09"
    at(clock, "2026-03-09")  # the last day of the window: still open
    assert (await _read(client, auth, listing_id))["status"] == "notified"
    early = await client.post(f"{URL}/{listing_id}/publication", json={}, headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "transition_not_allowed")
    at(clock, "2026-03-10")  # no objection: confirmed by date, nobody had to record it
    assert (await _read(client, auth, listing_id))["status"] == "confirmed"
    effective = await step(client, auth, f"{URL}/{listing_id}/publication")
    assert effective["dates"]["published_on"] == "2026-03-10"
    assert effective["dates"]["period_ends_on"] == "2026-09-10"
    assert effective["effective"] is True
    assert [e["event"] for e in effective["history"]][-2:] == ["objection_window_lapsed", "publish"]

    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已补交真实证明"})
    at(clock, "2026-09-10")  # the period's last day: still restricted
    failed = await _check(client, auth)
    assert [r["code"] for r in failed["reasons"]] == ["restriction_effective"]
    assert failed["reasons"][0]["citation"] == "LZ §5(2)1"
    assert len(await _public(client, id_number=ORG_ID)) == 1
    at(clock, "2026-09-11")  # repaired the day after, with no job having run
    assert (await _check(client, auth))["result"] == "pass"
    assert (await _read(client, auth, listing_id))["status"] == "repaired"
    assert await _public(client, id_number=ORG_ID) == []


async def test_not_rectified_stays_effective_until_rectification(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-09-20")
    read = await _read(client, auth, listing_id)
    assert (read["status"], read["effective"], read["awaiting_rectification"]) == (
        "effective",
        True,
        True,
    )
    assert (await _check(client, auth))["result"] == "fail"
    at(clock, "2026-09-21")
    repaired = await step(
        client, auth, f"{URL}/{listing_id}/rectification", {"description": "整改"}
    )
    assert (repaired["status"], repaired["dates"]["repaired_on"]) == ("repaired", "2026-09-21")
    assert (await _check(client, auth))["result"] == "pass"


async def test_objection_upheld(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-09")  # the third working day after receipt
    objected = await step(
        client, auth, f"{URL}/{listing_id}/objections", {"statement": "不知情"}, status=201
    )
    assert objected["status"] == "under_review"
    (objection,) = objected["objections"]
    # 15 working days from Mon Mar 9: Mar 10-13 (1-4), 16-20 (5-9), 23-27 (10-14), 30 (15).
    assert objection["review_due"] == "2026-03-30"
    assert objected["dates"]["review_due"] == "2026-03-30"
    at(clock, "2026-03-20")
    upheld = await step(
        client,
        auth,
        f"{URL}/{listing_id}/objections/{objection['id']}/review",
        {"outcome": "upheld", "reasons": "申辩理由不成立"},
    )
    assert upheld["status"] == "confirmed"
    effective = await step(client, auth, f"{URL}/{listing_id}/publication")
    assert effective["dates"]["period_ends_on"] == "2026-09-20"


async def test_objection_overturned_never_becomes_effective(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-06")
    objected = await step(
        client, auth, f"{URL}/{listing_id}/objections", {"statement": "系他人冒用"}, status=201
    )
    oid = objected["objections"][0]["id"]
    overturned = await step(
        client,
        auth,
        f"{URL}/{listing_id}/objections/{oid}/review",
        {"outcome": "overturned", "reasons": "经复核认定有误"},
    )
    assert overturned["status"] == "withdrawn"
    again = await client.post(f"{URL}/{listing_id}/publication", json={}, headers=auth("clerk"))
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
    for day in ("2026-03-10", "2026-06-01"):
        at(clock, day)
        assert (await _check(client, auth))["result"] == "pass"
        assert await _public(client, id_number=ORG_ID) == []


async def test_an_objection_one_working_day_late_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-10")
    late = await client.post(
        f"{URL}/{listing_id}/objections", json={"statement": "迟到"}, headers=auth("clerk")
    )
    assert (late.status_code, late.json()["code"]) == (409, "objection_window_closed")
    assert (await _read(client, auth, listing_id))["objections"] == []


async def test_a_second_listing_in_the_period_extends_the_restriction(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    first = await published(client, auth, clock, ORG)
    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{first}/rectification", {"description": "已整改"})
    # Second listing: verified Mon Jun 1, notice and receipt Jun 1, objection due
    # Jun 2 (1), 3 (2), 4 (3); published Fri Jun 5: its period ends 2026-12-05.
    await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-06-01",
        notice_on="2026-06-01",
        received_on="2026-06-01",
        publish_on="2026-06-05",
    )
    profile = await ok(
        await client.get(
            f"/api/v1/subjects/organization/{ORG_ID}/credit-profile", headers=auth("clerk")
        ),
        200,
    )
    assert (profile["restricted"], profile["restricted_until"]) == (True, "2026-12-05")
    assert len(profile["listings"]) == 2
    at(clock, "2026-09-11")  # the first period would have ended; the new one runs on
    assert (await _check(client, auth))["result"] == "fail"
    assert (await _read(client, auth, first))["dates"]["period_ends_on"] == "2026-12-05"
    at(clock, "2026-12-06")
    assert (await _check(client, auth))["result"] == "fail"  # the second was never rectified


async def test_early_lifting_granted(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG, situation=UNTRUE)
    at(clock, "2026-04-01")
    no_rectification = await client.post(
        f"{URL}/{listing_id}/lifting-requests", json={"reason": "请求取消"}, headers=auth("clerk")
    )
    assert (no_rectification.status_code, no_rectification.json()["code"]) == (
        409,
        "rectification_missing",
    )
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-04-02")
    asked = await step(
        client, auth, f"{URL}/{listing_id}/lifting-requests", {"reason": "已整改"}, status=201
    )
    (request,) = asked["lifting_requests"]
    # 5 days (DZ art. 15 ¶2 "五日", not working days) from Thu Apr 2: Fri 3 (1), the 清明
    # holiday Apr 4-6 (2-4), Tue Apr 7 (5), a working day.
    assert request["decision_due"] == "2026-04-07"
    at(clock, "2026-04-07")
    lifted = await step(
        client,
        auth,
        f"{URL}/{listing_id}/lifting-requests/{request['id']}/decision",
        {"outcome": "lifted", "reasons": "经核实整改属实"},
    )
    assert (lifted["status"], lifted["dates"]["lifted_on"]) == ("lifted", "2026-04-07")
    assert (await _check(client, auth))["result"] == "pass"
    assert await _public(client, id_number=ORG_ID) == []


async def test_early_lifting_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG, situation=UNTRUE)
    at(clock, "2026-04-01")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    asked = await step(
        client, auth, f"{URL}/{listing_id}/lifting-requests", {"reason": "已整改"}, status=201
    )
    request_id = asked["lifting_requests"][0]["id"]
    refused = await step(
        client,
        auth,
        f"{URL}/{listing_id}/lifting-requests/{request_id}/decision",
        {"outcome": "refused", "reasons": "整改材料不实"},
    )
    assert (refused["status"], refused["effective"]) == ("effective", True)
    assert refused["lifting_requests"][0]["outcome"] == "refused"
    assert (await _check(client, auth))["result"] == "fail"


async def test_a_lifting_decision_due_in_a_holiday_moves_to_the_next_working_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    # Received Wed May 13: objection due Thu 14, Fri 15, Mon 18; published Tue May 19.
    listing_id = await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-05-11",
        notice_on="2026-05-12",
        received_on="2026-05-13",
        publish_on="2026-05-19",
        situation=UNTRUE,
    )
    at(clock, "2026-09-24")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-09-26")
    asked = await step(
        client, auth, f"{URL}/{listing_id}/lifting-requests", {"reason": "已整改"}, status=201
    )
    # 5 days from Sat Sep 26: Sep 27 (1) ... Thu Oct 1 (5), in the National Day holiday
    # (Oct 1-7): the last day moves to Thu Oct 8, the next working day (民法典 art. 203).
    assert asked["lifting_requests"][0]["decision_due"] == "2026-10-08"
    (stored,) = [d for d in asked["deadlines"] if d["name"] == "lifting_decision_due"]
    assert (stored["unit"], stored["amount"], stored["rolled_from"]) == ("days", 5, "2026-10-01")


async def test_a_correction_that_removes_a_listing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-02")
    removed = await step(
        client,
        auth,
        f"{URL}/{listing_id}/corrections",
        {"kind": "remove", "discovered_on": "2026-04-01", "reason": "身份被冒用，认定有误"},
    )
    assert removed["status"] == "withdrawn"
    (correction,) = removed["corrections"]
    # 2 working days from Wed Apr 1: Thu 2 (1), Fri 3 (2).
    assert (correction["due_on"], correction["late"]) == ("2026-04-03", False)
    assert (await _check(client, auth))["result"] == "pass"
    assert await _public(client, id_number=ORG_ID) == []


async def test_a_late_field_correction_is_flagged_and_keeps_before_and_after(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-07")  # discovered Mon Mar 30: due Mar 31 (1), Apr 1 (2)
    fixed = await step(
        client,
        auth,
        f"{URL}/{listing_id}/corrections",
        {
            "kind": "fix",
            "discovered_on": "2026-03-30",
            "reason": "失信事实表述有误",
            "changes": {"facts": "申请食品经营许可时提供虚假的健康证明"},
        },
    )
    (correction,) = fixed["corrections"]
    assert (correction["due_on"], correction["late"]) == ("2026-04-01", True)
    assert correction["changes"]["facts"] == {
        "before": "申请食品经营许可时提供虚假的经营场所证明",
        "after": "申请食品经营许可时提供虚假的健康证明",
    }
    assert (fixed["status"], fixed["facts"]) == (
        "effective",
        "申请食品经营许可时提供虚假的健康证明",
    )


async def test_a_late_notice_is_allowed_and_recorded(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    url = f"{URL}/{listing['id']}"
    await step(client, auth, f"{url}/verification")
    at(clock, "2026-03-06")  # due Mar 5
    issued = await step(client, auth, f"{url}/notice", {"method": "in_person"})
    assert (issued["dates"]["notice_issued_on"], issued["dates"]["notice_late"]) == (
        "2026-03-06",
        True,
    )


async def test_an_agent_with_an_effective_listing_fails_the_check(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await published(client, auth, clock, AGENT)
    at(clock, "2026-04-01")
    check = await _check(client, auth, agent=AGENT)
    assert [r["code"] for r in check["reasons"]] == ["agent_restriction_effective"]
    assert check["agent"]["id_number"] == AGENT_ID


async def test_only_the_collecting_department_handles_a_listing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, PERSON)
    other = auth("clerk", department="370305-XZSP")
    url = f"{URL}/{listing['id']}"
    assert (await client.get(url, headers=other)).status_code == 403
    assert (await client.post(f"{url}/verification", json={}, headers=other)).status_code == 403
    mine = await ok(await client.get(URL, headers=auth("clerk")), 200)
    assert [r["id"] for r in mine["items"]] == [listing["id"]]
    assert (await ok(await client.get(URL, headers=other), 200))["items"] == []
