"""The work queue: what each department must do, due when, overdue or not."""

from __future__ import annotations

from typing import Any

import httpx

from app.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, ORG, PERSON, REGULATOR, ok
from tests.restrictions.conftest import at, collect, step


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
