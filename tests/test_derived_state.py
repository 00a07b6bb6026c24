"""Derived state is complete at read time: what a worker pass records changes nothing a
reader sees (status, dates, deadlines, lists, the credit profile) and no refusal code.

Each case drives a listing or a commitment to a day on which time has made (or not yet
made) a transition, reads everything, refuses a step, runs one worker pass on the same
day, and reads and refuses again. Only the history and the version may differ.

Dates counted by hand from the 2026 calendar (see tests/restrictions/conftest.py and
tests/commitments/test_lifecycles.py for the base dates):
- listing verified Mon 03-02 (notice due Thu 03-05), notice Tue 03-03, received Wed
  03-04: objection due Mon 03-09, confirmed from Tue 03-10; published 03-10, the period
  ends 09-10, repaired 09-11 when rectified by then;
- an objection filed Fri 03-06 is reviewed within 15 working days: Mar 9-13 (1-5),
  16-20 (6-10), 23-27 (11-15) -> Fri 03-27;
- tolerance signed Wed 09-30, supplement within 10 working days: Oct 8, 9, Sat 10
  (make-up), 12-16, 19, 20 -> Tue 10-20, overdue from Wed 10-21; reminded 10-21, the
  reminder grace of 3 working days ends Mon 10-26;
- notify-commit decided on the spot Wed 09-30, verified within 20 working days:
  Oct 8, 9, 10 (1-3), 12-16 (4-8), 19-23 (9-13), 26-30 (14-18), Nov 2, 3 (19-20) -> Tue
  11-03;
- a second listing verified Thu 03-05 (notice due Fri 6, Mon 9, Tue 10 -> 03-10), notice
  Fri 03-06, received Mon 03-09: objection due Tue 10 (1), Wed 11 (2), Thu 12 (3) -> 03-12,
  still notified on 03-10;
- a later listing verified Mon 03-16, notice Tue 03-17, received Wed 03-18: objection due
  Thu 19 (1), Fri 20 (2), Mon 23 (3) -> 03-23; published Tue 03-24, its act taken as of
  that day, within the period of the subject's listing published 03-10, which it restarts:
  both periods end 09-24, so the earlier one, rectified 05-06, is repaired from 09-25 only.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.commitments.conftest import commitment
from tests.conftest import Harness, TokenFactory
from tests.factories import AGENT, ORG, ORG_ID, PERSON, ok, setup_catalog
from tests.restrictions.conftest import at, notified, published, step

LISTINGS = "/api/v1/restrictions"
COMMITMENTS = "/api/v1/commitments"
LOOKUP = "/api/v1/credit-profiles/lookup"
TASKS = "/api/v1/tasks"


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


@dataclass(frozen=True)
class Refused:
    """A step refused on the case's day: the same code and citation before and after."""

    path: str  # after the case's URL
    body: dict[str, Any]
    code: str
    citation: str | None


Setup = Callable[[httpx.AsyncClient, TokenFactory, FixedClock], Awaitable[str]]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup  # returns the case's URL; the clock is left on the day to read
    expected: dict[str, Any]  # hand-computed members of the read ("a.b" for nested)
    refused: Refused | None = None


async def _lapsed(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-10")
    return f"{LISTINGS}/{listing_id}"


async def _lapsed_days_ago(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    url = await _lapsed(client, auth, clock)
    at(clock, "2026-03-16")
    return url


async def _window_last_day(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    url = await _lapsed(client, auth, clock)
    at(clock, "2026-03-09")
    return url


async def _repaired(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-05-06")
    await step(client, auth, f"{LISTINGS}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-09-11")
    return f"{LISTINGS}/{listing_id}"


async def _period_ended_unrectified(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> str:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-09-11")
    return f"{LISTINGS}/{listing_id}"


async def _review_overdue(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-06")
    await step(
        client, auth, f"{LISTINGS}/{listing_id}/objections", {"statement": "不知情"}, status=201
    )
    at(clock, "2026-03-30")
    return f"{LISTINGS}/{listing_id}"


async def _notice_late(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    at(clock, "2026-03-02")
    listing = await step(
        client,
        auth,
        LISTINGS,
        {
            "subject": {**ORG, "address": "山东省德州市德城区新湖大街1号"},
            "situation": "false_materials",
            "source_channel": "investigation",
            "facts": "申请食品经营许可时提供虚假的经营场所证明",
            "legal_basis": "临政管办发〔2022〕3号 五(一)2",
            "legal_documents": ["德审批核〔2026〕12号"],
        },
        status=201,
    )
    await step(client, auth, f"{LISTINGS}/{listing['id']}/verification")
    at(clock, "2026-03-06")
    return f"{LISTINGS}/{listing['id']}"


async def _overdue(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    case = await commitment(client, auth, "tolerance")
    at(clock, "2026-10-21")
    return f"{COMMITMENTS}/{case['id']}"


async def _reminder_passed(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    url = await _overdue(client, auth, clock)
    await step(client, auth, f"{url}/reminders")
    at(clock, "2026-10-27")
    return url


async def _verification_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> str:
    case = await commitment(client, auth, "notify_commit")
    url = f"{COMMITMENTS}/{case['id']}"
    await step(client, auth, f"{url}/decision")
    at(clock, "2026-11-04")
    return url


MATERIALS = {"compliant": True, "materials": ["食品安全管理制度文本"]}
LATE_OBJECTION = Refused(
    "/objections", {"statement": "迟到"}, "objection_window_closed", "LZ §5(1)4"
)

CASES = [
    Case("objection window lapsed: confirmed", _lapsed,
         {"status": "confirmed", "dates.confirmed_on": "2026-03-10",
          "dates.objection_due": "2026-03-09"}, LATE_OBJECTION),
    Case("objection window lapsed days ago", _lapsed_days_ago,
         {"status": "confirmed", "dates.confirmed_on": "2026-03-10"}, LATE_OBJECTION),
    Case("last day of the objection window", _window_last_day,
         {"status": "notified", "dates.confirmed_on": None},
         Refused("/publication", {}, "transition_not_allowed", None)),
    Case("period ended after rectification: repaired", _repaired,
         {"status": "repaired", "effective": False, "dates.repaired_on": "2026-09-11",
          "dates.period_ends_on": "2026-09-10"},
         Refused("/rectification", {"description": "再次整改"}, "rectification_recorded", None)),
    Case("period ended without rectification: awaiting it", _period_ended_unrectified,
         {"status": "effective", "effective": True, "awaiting_rectification": True,
          "dates.repaired_on": None}),
    Case("review deadline passed: still under review", _review_overdue,
         {"status": "under_review", "dates.review_due": "2026-03-27"}),
    Case("notice deadline passed: still verified", _notice_late,
         {"status": "verified", "dates.notice_due": "2026-03-05"}),
    Case("supplement deadline passed: overdue", _overdue,
         {"status": "overdue", "deadlines.supplement_due": "2026-10-20"},
         Refused("/supplements", MATERIALS, "supplement_deadline_passed", "DZ art. 13 ¶1")),
    Case("reminder deadline passed: termination is the agency's", _reminder_passed,
         {"status": "reminded", "deadlines.reminder_due": "2026-10-26",
          "current_due_on": "2026-10-26"},
         Refused("/supplements", MATERIALS, "reminder_deadline_passed", "DZ art. 13 ¶1")),
    Case("verification deadline passed: still decided", _verification_late,
         {"status": "decided", "deadlines.verification_due": "2026-11-03",
          "current_due_on": "2026-11-03"}),
]  # fmt: skip


def _member(read: dict[str, Any], dotted: str) -> Any:
    value: Any = read
    for part in dotted.split("."):
        value = value[part]
    return value


def _without(read: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in read.items() if k not in names}


async def _everything(client: httpx.AsyncClient, auth: TokenFactory, url: str) -> dict[str, Any]:
    """What readers see of the case: the read, its list, the subject's credit profile."""
    read = await ok(await client.get(url, headers=auth("clerk")), 200)
    # commitments are also listed by what is due, by the end of the year
    params = {"due_before": "2026-12-31"} if url.startswith(COMMITMENTS) else {}
    listed = await ok(await client.get(url.rsplit("/", 1)[0], headers=auth("clerk")), 200)
    due = await ok(
        await client.get(url.rsplit("/", 1)[0], params=params, headers=auth("clerk")), 200
    )
    profile = await ok(
        await client.post(
            LOOKUP,
            json={"subject_type": "organization", "id_number": ORG_ID},
            headers=auth("clerk"),
        ),
        200,
    )
    return {
        "read": _without(read, "history", "version"),
        "list": [_without(item, "version") for item in listed["items"]],
        "due": [item["id"] for item in due["items"]],
        "profile": profile,
    }


async def _refusal(
    client: httpx.AsyncClient, auth: TokenFactory, url: str, refused: Refused
) -> tuple[int, str, str | None]:
    response = await client.post(f"{url}{refused.path}", json=refused.body, headers=auth("clerk"))
    body = response.json()
    return response.status_code, body["code"], body.get("citation")


async def _worker_pass(harness: Harness, clock: FixedClock) -> None:
    worker = Worker(harness.database, harness.settings, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_worker_pass_changes_no_read_and_no_refusal(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    app_harness: Harness,
    case: Case,
) -> None:
    url = await case.setup(client, auth, clock)
    before = await _everything(client, auth, url)
    refused_before = await _refusal(client, auth, url, case.refused) if case.refused else None
    await _worker_pass(app_harness, clock)
    after = await _everything(client, auth, url)
    refused_after = await _refusal(client, auth, url, case.refused) if case.refused else None

    assert {k: _member(before["read"], k) for k in case.expected} == case.expected
    assert after == before
    if case.refused is not None:
        expected = (409, case.refused.code, case.refused.citation)
        assert refused_before == refused_after == expected


async def test_a_late_objection_gets_one_refusal_with_or_without_a_worker_pass(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, app_harness: Harness
) -> None:
    url = await _lapsed(client, auth, clock)  # Tue 03-10, the window closed on Mon 03-09
    before = await _refusal(client, auth, url, LATE_OBJECTION)
    await _worker_pass(app_harness, clock)
    read = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert read["history"][-1]["event"] == "objection_window_lapsed"  # the worker recorded it
    after = await _refusal(client, auth, url, LATE_OBJECTION)
    assert before == after == (409, "objection_window_closed", "LZ §5(1)4")
    assert read["objections"] == []


async def test_confirmed_on_is_the_first_day_of_confirmation_before_any_worker_pass(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, app_harness: Harness
) -> None:
    url = await _lapsed(client, auth, clock)  # Tue 03-10: the first day of confirmation
    read = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert (read["status"], read["dates"]["confirmed_on"]) == ("confirmed", "2026-03-10")
    at(clock, "2026-03-12")  # the worker passes two days late: still confirmed on 03-10
    assert (await ok(await client.get(url, headers=auth("clerk")), 200))["dates"][
        "confirmed_on"
    ] == "2026-03-10"
    await _worker_pass(app_harness, clock)
    recorded = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert recorded["history"][-1]["event"] == "objection_window_lapsed"
    assert (recorded["status"], recorded["dates"]["confirmed_on"]) == ("confirmed", "2026-03-10")


# The work queue of each case on its day, hand-computed: (kind, due day, overdue). A
# notified or confirmed listing, an effective or repaired one and a decided commitment
# without an open verification are nobody's task.
QUEUES: dict[str, list[tuple[str, str | None, bool]]] = {
    "objection window lapsed: confirmed": [],
    "objection window lapsed days ago": [],
    "last day of the objection window": [],
    "period ended after rectification: repaired": [],
    # LZ §5(1)5: the repair notice is due 3 working days after the end (Thu 09-10).
    "period ended without rectification: awaiting it": [
        ("issue_repair_notice", "2026-09-15", False)
    ],
    "review deadline passed: still under review": [("review_objection", "2026-03-27", True)],
    "notice deadline passed: still verified": [("issue_listing_notice", "2026-03-05", True)],
    "supplement deadline passed: overdue": [("send_reminder", "2026-10-20", True)],
    "reminder deadline passed: termination is the agency's": [
        ("terminate_or_accept", "2026-10-26", True)
    ],
    "verification deadline passed: still decided": [],
}


async def _queue(client: httpx.AsyncClient, auth: TokenFactory) -> dict[str, Any]:
    """The department's work queue: whole, by what is due by the end of the year, and a
    task at a time."""
    headers = auth("clerk")
    whole = await ok(await client.get(TASKS, params={"limit": 100}, headers=headers), 200)
    due = await ok(
        await client.get(TASKS, params={"due_before": "2026-12-31"}, headers=headers), 200
    )
    one_by_one: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 1}
    for _ in range(len(whole["items"]) + 1):
        page = await ok(await client.get(TASKS, params=params, headers=headers), 200)
        one_by_one += page["items"]
        if page["next_cursor"] is None:
            break
        params = {"limit": 1, "cursor": page["next_cursor"]}
    return {"whole": whole["items"], "due": due["items"], "one_by_one": one_by_one}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_worker_pass_changes_no_task(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    app_harness: Harness,
    case: Case,
) -> None:
    await case.setup(client, auth, clock)
    before = await _queue(client, auth)
    await _worker_pass(app_harness, clock)
    after = await _queue(client, auth)

    assert [(t["kind"], t["due_on"], t["overdue"]) for t in before["whole"]] == QUEUES[case.name]
    assert before["one_by_one"] == before["whole"]
    assert [t for t in before["due"] if t["due_on"] is not None] == before["due"]
    assert after == before


async def _filtered(client: httpx.AsyncClient, auth: TokenFactory, status: str) -> list[Any]:
    """The listings ``status=`` finds, by the list and by the search, a page of 1, 2, 3 and
    100 at a time: the same items in each, every page but the last full."""
    answers = []
    for limit in (1, 2, 3, 100):
        for method in ("GET", "POST"):
            items: list[Any] = []
            params: dict[str, Any] = {"status": status, "limit": limit}
            for _ in range(10):
                if method == "GET":
                    sent = client.get(LISTINGS, params=params, headers=auth("clerk"))
                else:
                    sent = client.post(f"{LISTINGS}/search", json=params, headers=auth("clerk"))
                page = await ok(await sent, 200)
                items += [_without(item, "version") for item in page["items"]]
                if page["next_cursor"] is None:
                    break
                assert len(page["items"]) == limit, (status, limit, method)
                params = {**params, "cursor": page["next_cursor"]}
            answers.append(items)
    assert all(answer == answers[0] for answer in answers), status
    return answers[0]


def _ids(items: list[Any]) -> list[str]:
    return [item["id"] for item in items]


def _in_order(*ids: str) -> list[str]:
    """Listings are listed in the order of their ids."""
    return sorted(ids, key=uuid.UUID)


async def test_the_status_filter_finds_a_lapsed_window_confirmed_before_a_worker_pass(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, app_harness: Harness
) -> None:
    lapsed = await notified(client, auth, clock, ORG)  # objection due Mon 03-09
    also_lapsed = await notified(client, auth, clock, AGENT)
    running = await notified(  # objection due Thu 03-12
        client,
        auth,
        clock,
        PERSON,
        verify_on="2026-03-05",
        notice_on="2026-03-06",
        received_on="2026-03-09",
    )
    at(clock, "2026-03-10")
    statuses = ("notified", "confirmed", "effective")
    before = {status: await _filtered(client, auth, status) for status in statuses}
    await _worker_pass(app_harness, clock)
    after = {status: await _filtered(client, auth, status) for status in statuses}

    assert {status: _ids(items) for status, items in before.items()} == {
        "notified": [running],
        "confirmed": _in_order(lapsed, also_lapsed),
        "effective": [],
    }
    assert all(item["status"] == "confirmed" for item in before["confirmed"])
    assert after == before


async def test_the_status_filter_finds_an_ended_period_repaired_before_a_worker_pass(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, app_harness: Harness
) -> None:
    repaired = await published(client, auth, clock, ORG)  # period ends 09-10
    unrectified = await published(client, auth, clock, PERSON)
    restarted = await published(client, auth, clock, AGENT)
    restarting = await published(  # period ends 09-24, restarting the one above
        client,
        auth,
        clock,
        AGENT,
        verify_on="2026-03-16",
        notice_on="2026-03-17",
        received_on="2026-03-18",
        publish_on="2026-03-24",
    )
    at(clock, "2026-05-06")
    for listing_id in (repaired, restarted):
        url = f"{LISTINGS}/{listing_id}/rectification"
        await step(client, auth, url, {"description": "已整改"})
    at(clock, "2026-09-11")
    statuses = ("effective", "repaired")
    before = {status: await _filtered(client, auth, status) for status in statuses}
    await _worker_pass(app_harness, clock)
    after = {status: await _filtered(client, auth, status) for status in statuses}

    assert {status: _ids(items) for status, items in before.items()} == {
        "effective": _in_order(unrectified, restarted, restarting),
        "repaired": [repaired],
    }
    assert after == before
