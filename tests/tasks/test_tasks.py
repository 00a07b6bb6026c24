"""The work queue: what each department must do, due when, overdue or not."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from app.core.clock import FixedClock
from app.core.db import Database
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, FOOD, ORG, ORG_ID, PERSON, PERSON_ID, REGULATOR, ok
from tests.restrictions.conftest import at, collect, notified, published, step


async def _tasks(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> list[dict[str, Any]]:
    page = await ok(await client.get("/api/v1/tasks", params=params, headers=headers), 200)
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_tasks_by_department_with_due_dates(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    await step(client, auth, f"/api/v1/restrictions/{listing['id']}/verification")
    tolerance = await commitment(client, auth, "tolerance", signed_at="2026-03-02T10:00:00+08:00")
    notify = await commitment(client, auth, "notify_commit", signed_at="2026-03-02T10:00:00+08:00")
    await step(client, auth, f"/api/v1/commitments/{notify['id']}/decision")
    await step(
        client,
        auth,
        f"/api/v1/commitments/{notify['id']}/verifications",
        {"method": "onsite"},
        status=201,
    )

    mine = await _tasks(client, auth("clerk"))
    kinds = {(t["kind"], t["resource_id"], t["due_on"]) for t in mine}
    # Notice due 3 working days after Mon Mar 2: Mar 3, 4, 5.
    assert ("issue_listing_notice", listing["id"], "2026-03-05") in kinds
    assert all(t["department"] == AGENCY for t in mine)
    assert not any(t["overdue"] for t in mine)
    # The on-site verification is the regulator's work (DZ art. 11 ¶2), not the agency's.
    assert not any(t["kind"] == "carry_out_verification" for t in mine)
    theirs = await _tasks(client, auth("verifier", department=REGULATOR))
    (verification,) = theirs
    assert verification["kind"] == "carry_out_verification"

    at(clock, "2026-03-06")  # the notice is overdue now
    overdue = await _tasks(client, auth("clerk"), kind="issue_listing_notice")
    assert [(t["resource_id"], t["overdue"]) for t in overdue] == [(listing["id"], True)]
    # Supplement due 10 working days after Mar 2: Mar 3-6 (1-4), 9-13 (5-9), 16 (10).
    at(clock, "2026-03-17")
    reminders = await _tasks(client, auth("clerk"), kind="send_reminder")
    assert [(t["resource_id"], t["due_on"], t["overdue"]) for t in reminders] == [
        (tolerance["id"], "2026-03-16", True)
    ]
    early = await _tasks(client, auth("clerk"), due_before="2026-03-05")
    assert [t["kind"] for t in early] == ["issue_listing_notice"]


async def test_tasks_are_paged_and_scoped(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    for subject in (ORG, PERSON):
        listing = await collect(client, auth, subject)
        await step(client, auth, f"/api/v1/restrictions/{listing['id']}/verification")
    first = await ok(
        await client.get("/api/v1/tasks", params={"limit": 1}, headers=auth("clerk")), 200
    )
    second = await ok(
        await client.get(
            "/api/v1/tasks",
            params={"limit": 1, "cursor": first["next_cursor"]},
            headers=auth("clerk"),
        ),
        200,
    )
    ids = [t["resource_id"] for t in first["items"] + second["items"]]
    assert len(set(ids)) == 2 and second["next_cursor"] is None
    other = await client.get(
        "/api/v1/tasks",
        params={"department": AGENCY},
        headers=auth("clerk", department="370305-XZSP"),
    )
    assert other.status_code == 403


async def test_paging_one_by_one_gives_the_whole_list_in_order(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    for subject in (ORG, PERSON):
        listing = await collect(client, auth, subject)
        await step(client, auth, f"/api/v1/restrictions/{listing['id']}/verification")
    await commitment(client, auth, "notify_commit", signed_at="2026-03-02T10:00:00+08:00")
    await commitment(client, auth, "tolerance", signed_at="2026-03-02T10:00:00+08:00")
    at(clock, "2026-03-20")
    everything = await _tasks(client, auth("clerk"))
    assert len(everything) >= 4
    dues = [t["due_on"] or "9999-12-31" for t in everything]
    assert dues == sorted(dues)
    paged: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "1", **({"cursor": cursor} if cursor else {})}
        page = await ok(
            await client.get("/api/v1/tasks", params=params, headers=auth("clerk")), 200
        )
        paged += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == everything


async def test_an_accepted_tolerance_case_is_listed_from_the_day_of_acceptance(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    case = await commitment(client, auth, "tolerance", signed_at="2026-03-02T10:00:00+08:00")
    url = f"/api/v1/commitments/{case['id']}"
    # Supplement due 10 working days after Mon Mar 2: Mar 3-6 (1-4), 9-13 (5-9), 16 (10).
    (task,) = await _tasks(client, auth("clerk"))
    assert {k: task[k] for k in ("kind", "resource_id", "commitment_id", "due_on", "overdue")} == {
        "kind": "await_supplement",
        "resource_id": case["id"],
        "commitment_id": case["id"],
        "due_on": "2026-03-16",
        "overdue": False,
    }
    assert task["matter_code"] == FOOD
    # An organisation's name and code are public by law and shown in full.
    assert task["subject"] == {
        "subject_type": "organization",
        "id_number": ORG_ID,
        "name": ORG["name"],
    }
    assert task["links"] == [
        {"step": "supplements", "method": "POST", "href": f"{url}/supplements"}
    ]
    at(clock, "2026-03-16")  # the deadline itself is in time
    (task,) = await _tasks(client, auth("clerk"))
    assert (task["kind"], task["due_on"], task["overdue"]) == (
        "await_supplement",
        "2026-03-16",
        False,
    )
    at(clock, "2026-03-17")
    (task,) = await _tasks(client, auth("clerk"))
    assert (task["kind"], task["due_on"], task["overdue"]) == ("send_reminder", "2026-03-16", True)
    assert task["links"] == [{"step": "reminders", "method": "POST", "href": f"{url}/reminders"}]


async def test_a_reminded_case_is_listed_due_on_its_reminder_deadline(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    case = await commitment(client, auth, "tolerance", signed_at="2026-03-02T10:00:00+08:00")
    url = f"/api/v1/commitments/{case['id']}"
    at(clock, "2026-03-17")
    await step(client, auth, f"{url}/reminders")
    # Reminder grace: 3 working days after Tue Mar 17: Wed 18 (1), Thu 19 (2), Fri 20 (3).
    (task,) = await _tasks(client, auth("clerk"))
    assert (task["kind"], task["resource_id"], task["due_on"], task["overdue"]) == (
        "await_supplement",
        case["id"],
        "2026-03-20",
        False,
    )
    assert [link["href"] for link in task["links"]] == [f"{url}/supplements"]
    at(clock, "2026-03-23")
    (task,) = await _tasks(client, auth("clerk"))
    assert (task["kind"], task["due_on"], task["overdue"]) == (
        "terminate_or_accept",
        "2026-03-20",
        True,
    )
    assert [link["href"] for link in task["links"]] == [f"{url}/supplements", f"{url}/termination"]


async def test_a_lifting_decision_carries_the_listing_and_a_link_that_decides(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    # early lifting: a listing for an untrue commitment (DZ art. 15 ¶1-2)
    listing_id = await published(client, auth, clock, PERSON, situation="commitment_untrue")
    url = f"/api/v1/restrictions/{listing_id}"
    at(clock, "2026-04-01")
    await step(client, auth, f"{url}/rectification", {"description": "已整改"})
    at(clock, "2026-04-02")
    asked = await step(client, auth, f"{url}/lifting-requests", {"reason": "已整改"}, status=201)
    (request,) = asked["lifting_requests"]
    (task,) = await _tasks(client, auth("clerk"), kind="decide_lifting")
    # 5 days from Thu Apr 2 (DZ art. 15 ¶2): Fri 3 (1), Apr 4-6 (2-4), Tue Apr 7 (5).
    assert (task["resource_id"], task["listing_id"], task["due_on"]) == (
        request["id"],
        listing_id,
        "2026-04-07",
    )
    # A person is shown masked: no full ID number or name in the work queue.
    assert task["subject"] == {
        "subject_type": "person",
        "id_number": PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:],
        "name": "张*丰",
    }
    assert PERSON_ID not in str(task) and "张三丰" not in str(task)
    (link,) = task["links"]
    assert (link["step"], link["method"]) == ("decision", "POST")
    assert link["href"] == f"{url}/lifting-requests/{request['id']}/decision"
    lifted = await step(
        client, auth, link["href"], {"outcome": "lifted", "reasons": "经核实整改属实"}
    )
    assert lifted["status"] == "lifted"
    assert await _tasks(client, auth("clerk"), kind="decide_lifting") == []


async def test_every_task_shows_matter_subject_and_links(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, PERSON)
    await step(client, auth, f"/api/v1/restrictions/{listing['id']}/verification")
    notify = await commitment(client, auth, "notify_commit", signed_at="2026-03-02T10:00:00+08:00")
    tasks = await _tasks(client, auth("clerk"))
    by_kind = {t["kind"]: t for t in tasks}
    notice = by_kind["issue_listing_notice"]
    assert notice["listing_id"] == listing["id"]
    assert notice["matter_code"] is None  # collected by investigation, not from a case
    assert notice["subject"]["name"] == "张*丰"
    assert notice["links"] == [
        {
            "step": "notice",
            "method": "POST",
            "href": f"/api/v1/restrictions/{listing['id']}/notice",
        }
    ]
    decision = by_kind["decide_commitment"]
    assert decision["matter_code"] == FOOD and decision["subject"]["id_number"] == ORG_ID
    assert decision["links"] == [
        {
            "step": "decision",
            "method": "POST",
            "href": f"/api/v1/commitments/{notify['id']}/decision",
        }
    ]
    assert all(t["subject"] and t["links"] for t in tasks)


async def test_the_links_of_a_review_and_of_a_verification_resolve_them(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    url = f"/api/v1/restrictions/{listing_id}"
    at(clock, "2026-03-09")  # the third working day after receipt
    objected = await step(client, auth, f"{url}/objections", {"statement": "不知情"}, status=201)
    (objection,) = objected["objections"]
    (review,) = await _tasks(client, auth("clerk"), kind="review_objection")
    assert review["listing_id"] == listing_id
    (link,) = review["links"]
    assert link["href"] == f"{url}/objections/{objection['id']}/review"
    upheld = await step(client, auth, link["href"], {"outcome": "upheld", "reasons": "不成立"})
    assert upheld["status"] == "confirmed"
    assert await _tasks(client, auth("clerk"), kind="review_objection") == []

    notify = await commitment(client, auth, "notify_commit", signed_at="2026-03-09T10:00:00+08:00")
    await step(client, auth, f"/api/v1/commitments/{notify['id']}/decision")
    opened = await step(
        client,
        auth,
        f"/api/v1/commitments/{notify['id']}/verifications",
        {"method": "onsite"},
        status=201,
    )
    verifier = auth("verifier", department=REGULATOR)
    (task,) = await _tasks(client, verifier, kind="carry_out_verification")
    assert (task["resource_id"], task["commitment_id"]) == (opened["id"], notify["id"])
    assert task["matter_code"] == FOOD
    (link,) = task["links"]
    assert link["href"] == f"/api/v1/verifications/{opened['id']}/result"
    body = {"basis": "《食品经营许可和备案管理办法》", "description": "现场核查", "fulfilled": True}
    await ok(await client.post(link["href"], json=body, headers=verifier), 200)
    assert await _tasks(client, verifier, kind="carry_out_verification") == []


async def test_a_page_with_its_matters_subjects_and_objections_is_one_statement(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, database: Database
) -> None:
    listing_id = await notified(client, auth, clock, PERSON)
    at(clock, "2026-03-09")  # the third working day after receipt
    objected = await step(
        client, auth, f"/api/v1/restrictions/{listing_id}/objections", {"statement": "不知情"}, 201
    )
    (objection,) = objected["objections"]
    notify = await commitment(client, auth, "notify_commit", signed_at="2026-03-09T10:00:00+08:00")

    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        tasks = await _tasks(client, auth("clerk"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    by_kind = {t["kind"]: t for t in tasks}
    review, decision = by_kind["review_objection"], by_kind["decide_commitment"]
    assert review["subject"]["name"] == "张*丰" and review["matter_code"] is None
    assert review["links"][0]["href"].endswith(f"/objections/{objection['id']}/review")
    assert (decision["commitment_id"], decision["matter_code"]) == (notify["id"], FOOD)
    assert decision["subject"]["id_number"] == ORG_ID
    # the page, its cases' matters and subjects and the objection awaiting review: one read
    assert len(sent) == 1, sent
