"""Every listing step takes the day it happened; a day out of order is refused.

Dates counted by hand from the 2026 calendar (see conftest.py for the base dates):
- collected and verified Mon 03-02, notice Tue 03-03, received Wed 03-04: the objection
  window's last day is Mon 03-09, confirmed from Tue 03-10;
- an objection made Mon 03-09 is reviewed within 15 working days: Mar 10-13 (1-4),
  16-20 (5-9), 23-27 (10-14), 30 (15) -> Mon 03-30;
- verified Mon 03-02: the notice is due 3 working days later, Thu 03-05;
- published 03-10: the six-month period ends 2026-09-10.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.conftest import Harness, TokenFactory
from tests.factories import ORG, ok
from tests.restrictions.conftest import at, collect, notified, step

URL = "/api/v1/restrictions"
MAILED = "邮寄送达，邮戳日期2026-03-09，次日收到"


async def _post(
    client: httpx.AsyncClient, auth: TokenFactory, path: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{URL}/{path}", json=body, headers=auth("clerk"))


def _refused(response: httpx.Response, code: str, **members: str) -> None:
    """422 with ``code``, the HTTP code in ``status`` and both dates in members of their own."""
    body = response.json()
    assert (response.status_code, body["code"], body["status"]) == (422, code, 422), body
    assert {name: body.get(name) for name in members} == members


async def _worker_pass(harness: Harness, clock: FixedClock) -> None:
    worker = Worker(harness.database, harness.settings, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


async def _late_objection_recorded(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, listing_id: str
) -> dict[str, Any]:
    """A statement mailed on the window's last day, entered the next day: in time."""
    objected: dict[str, Any] = await ok(
        await _post(
            client,
            auth,
            f"{listing_id}/objections",
            {"statement": "本人不知情", "on": "2026-03-09", "late_entry_reason": MAILED},
        ),
        201,
    )
    assert objected["status"] == "under_review"
    (objection,) = objected["objections"]
    assert (objection["filed_on"], objection["review_due"]) == ("2026-03-09", "2026-03-30")
    last = objected["history"][-1]
    assert (last["event"], last["actor"]) == ("object", "alice")
    late_entry = {"entered_on": "2026-03-10", "entered_by": "alice", "reason": MAILED}
    assert (last["details"]["on"], last["details"]["late_entry"]) == ("2026-03-09", late_entry)
    audit = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "restriction.object", AuditEntry.target_id == listing_id
            )
        )
    ).one()
    assert audit.details is not None
    assert (audit.actor, audit.details["on"], audit.details["late_entry"]) == (
        "alice",
        "2026-03-09",
        late_entry,
    )
    return objected


async def test_a_mailed_objection_entered_after_the_window_is_in_time(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-10")  # the day after the window's last day
    objected = await _late_objection_recorded(client, auth, session, listing_id)
    assert [e["event"] for e in objected["history"]][-1:] == ["object"]
    assert objected["dates"]["confirmed_on"] is None


async def test_a_mailed_objection_entered_after_the_worker_confirmed_is_in_time(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    session: AsyncSession,
    app_harness: Harness,
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-10")
    await _worker_pass(app_harness, clock)
    read = await ok(await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200)
    assert read["history"][-1]["event"] == "objection_window_lapsed"
    objected = await _late_objection_recorded(client, auth, session, listing_id)
    assert [e["event"] for e in objected["history"]][-3:] == [
        "objection_window_lapsed",
        "objection_window_reopened",
        "object",
    ]
    reopened = objected["history"][-2]
    assert (reopened["from_status"], reopened["to_status"]) == ("confirmed", "notified")
    assert objected["dates"]["confirmed_on"] is None


async def test_a_back_dated_step_needs_the_reason_it_is_entered_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-10")
    response = await _post(
        client, auth, f"{listing_id}/objections", {"statement": "不知情", "on": "2026-03-09"}
    )
    _refused(response, "late_entry_reason_required", step_date="2026-03-09", today="2026-03-10")


async def test_an_objection_made_after_the_window_is_closed_whenever_entered(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-11")
    response = await _post(
        client,
        auth,
        f"{listing_id}/objections",
        {"statement": "不知情", "on": "2026-03-10", "late_entry_reason": MAILED},
    )
    assert (response.status_code, response.json()["code"]) == (409, "objection_window_closed")


async def test_a_step_dated_in_the_future_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)  # today Wed 03-04
    response = await _post(
        client, auth, f"{listing_id}/objections", {"statement": "不知情", "on": "2026-03-05"}
    )
    _refused(response, "step_date_in_future", step_date="2026-03-05", today="2026-03-04")


async def test_a_dishonest_act_dated_in_the_future_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    body = {
        "subject": {**ORG, "address": "山东省德州市德城区新湖大街1号"},
        "situation": "false_materials",
        "source_channel": "investigation",
        "facts": "申请食品经营许可时提供虚假的经营场所证明",
        "legal_basis": "临政管办发〔2022〕3号 五(一)2",
        "occurred_on": "2026-03-03",
    }
    response = await client.post(URL, json=body, headers=auth("clerk"))
    _refused(response, "step_date_in_future", step_date="2026-03-03", today="2026-03-02")
    assert response.json()["errors"][0]["field"] == "body.occurred_on"


async def test_a_receipt_before_the_notice_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    await step(client, auth, f"{URL}/{listing['id']}/verification")
    at(clock, "2026-03-03")
    await step(client, auth, f"{URL}/{listing['id']}/notice", {"method": "mail"})
    response = await _post(
        client, auth, f"{listing['id']}/notice/receipt", {"received_on": "2026-03-02"}
    )
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-03-02",
        previous_step="notice",
        previous_step_date="2026-03-03",
    )


async def test_a_verification_before_the_collection_is_refused_and_yesterdays_is_entered(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    at(clock, "2026-03-04")
    response = await _post(client, auth, f"{listing['id']}/verification", {"on": "2026-03-01"})
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-03-01",
        previous_step="collection",
        previous_step_date="2026-03-02",
    )
    verified = await step(
        client,
        auth,
        f"{URL}/{listing['id']}/verification",
        {"on": "2026-03-02", "late_entry_reason": "核实记录次日补录"},
    )
    # The notice is due 3 working days after the day verified, not the day entered.
    assert (verified["dates"]["verified_on"], verified["dates"]["notice_due"]) == (
        "2026-03-02",
        "2026-03-05",
    )


async def test_a_publication_before_the_confirmation_is_refused_and_a_late_one_dated(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-12")
    response = await _post(client, auth, f"{listing_id}/publication", {"on": "2026-03-09"})
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-03-09",
        previous_step="confirmation",
        previous_step_date="2026-03-10",
    )
    published = await step(
        client,
        auth,
        f"{URL}/{listing_id}/publication",
        {"on": "2026-03-10", "late_entry_reason": "公示记录补录"},
    )
    assert (published["dates"]["published_on"], published["dates"]["period_ends_on"]) == (
        "2026-03-10",
        "2026-09-10",
    )


async def test_a_review_before_the_objection_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-06")
    objected = await step(
        client, auth, f"{URL}/{listing_id}/objections", {"statement": "不知情"}, status=201
    )
    (objection,) = objected["objections"]
    at(clock, "2026-03-09")
    response = await _post(
        client,
        auth,
        f"{listing_id}/objections/{objection['id']}/review",
        {
            "outcome": "upheld",
            "reasons": "理由不成立",
            "on": "2026-03-05",
            "late_entry_reason": "补录",
        },
    )
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-03-05",
        previous_step="objection",
        previous_step_date="2026-03-06",
    )


async def test_an_error_discovered_before_the_listing_existed_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)  # collected Mon 03-02
    response = await _post(
        client,
        auth,
        f"{listing_id}/corrections",
        {"kind": "remove", "discovered_on": "2023-05-01", "reason": "身份被冒用"},
    )
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2023-05-01",
        previous_step="collection",
        previous_step_date="2026-03-02",
    )
    assert response.json()["errors"][0]["field"] == "body.discovered_on"
