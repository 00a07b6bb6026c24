"""Only determined listings leave the department (LZ §5(1)4 "对确定列为失信制约的主体信息…推送").

Every step of a listing still writes its event; before the listing is confirmed the event is
internal to the collecting department: stored, in that department's reads of
`GET /api/v1/events`, never delivered to a webhook subscription or to the credit platform,
never shown to another department. The receivers are real servers on loopback.

Dates (tests.restrictions.conftest): verified Mon 2026-03-02, notice issued Tue 03-03 and
received Wed 03-04; objection window Thu 5, Fri 6, Mon 9 -> confirmed from Tue 03-10.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.conftest import Harness, TokenFactory, make_settings
from tests.events.receiver import Receiver, running_receiver
from tests.factories import AGENCY, LINZI, ORG, PERSON, ok, setup_catalog
from tests.restrictions.conftest import at, notified, published, step

SECRET = "receiver-shared-secret-0123456789"
URL = "/api/v1/restrictions"
BEFORE_CONFIRMATION = ["collect", "verify", "issue_notice", "record_receipt"]


@pytest.fixture
def subscriber() -> Iterator[Receiver]:
    with running_receiver(Receiver(secret=SECRET)) as receiver:
        yield receiver


@pytest.fixture
def platform() -> Iterator[Receiver]:
    with running_receiver(Receiver(secret=SECRET)) as receiver:
        yield receiver


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


async def _subscribe(client: httpx.AsyncClient, auth: TokenFactory, url: str) -> None:
    body = {"name": "订阅方", "url": url, "event_types": ["*"], "secret": SECRET}
    await ok(await client.post("/api/v1/webhooks", json=body, headers=auth("admin")))


async def _deliver(harness: Harness, clock: FixedClock, platform: Receiver) -> None:
    """One worker pass, with the credit platform configured at ``platform``."""
    settings = make_settings(
        harness.database.url, credit_platform_url=platform.url, credit_platform_secret=SECRET
    )
    worker = Worker(harness.database, settings, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


def _received(receiver: Receiver, listing_id: str) -> list[str]:
    """The listing's events the receiver got, in feed order (deliveries may interleave)."""
    bodies = sorted(
        (r["body"] for r in receiver.received if r["body"]["aggregate_id"] == listing_id),
        key=lambda body: int(body["position"]),
    )
    return [body["type"].removeprefix("restriction.") for body in bodies]


async def _feed(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    page = await ok(await client.get("/api/v1/events", params={"limit": 500}, headers=headers), 200)
    items: list[dict[str, Any]] = page["items"]
    return items


def _of(items: list[dict[str, Any]], listing_id: str) -> list[str]:
    prefix = "restriction."
    return [e["type"].removeprefix(prefix) for e in items if e["aggregate_id"] == listing_id]


async def test_no_listing_event_reaches_a_subscriber_before_its_confirmation(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    subscriber: Receiver,
    platform: Receiver,
) -> None:
    await _subscribe(client, auth, subscriber.url)
    listing_id = await notified(client, auth, clock, ORG)
    await _deliver(app_harness, clock, platform)
    assert (subscriber.attempts, platform.attempts) == (0, 0)

    at(clock, "2026-03-10")  # the window lapsed yesterday: confirmed, then published
    await step(client, auth, f"{URL}/{listing_id}/publication")
    await _deliver(app_harness, clock, platform)
    # The confirmation and the publication, and nothing of what came before.
    assert _received(subscriber, listing_id) == ["objection_window_lapsed", "publish"]
    assert _received(platform, listing_id) == ["publish"]
    assert subscriber.bad_signatures == platform.bad_signatures == 0
    deliveries = await ok(
        await client.get("/api/v1/webhooks/deliveries", headers=auth("admin")), 200
    )
    assert sorted(d["event_type"] for d in deliveries) == [
        "restriction.objection_window_lapsed",
        "restriction.publish",
        "restriction.publish",
    ]


async def test_an_upheld_review_confirms_and_is_delivered_from_there(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    subscriber: Receiver,
    platform: Receiver,
) -> None:
    await _subscribe(client, auth, subscriber.url)
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-09")
    objected = await step(
        client, auth, f"{URL}/{listing_id}/objections", {"statement": "不知情"}, status=201
    )
    await _deliver(app_harness, clock, platform)
    assert subscriber.received == []
    at(clock, "2026-03-20")
    await step(
        client,
        auth,
        f"{URL}/{listing_id}/objections/{objected['objections'][0]['id']}/review",
        {"outcome": "upheld", "reasons": "申辩理由不成立"},
    )
    await step(client, auth, f"{URL}/{listing_id}/publication")
    await _deliver(app_harness, clock, platform)
    assert _received(subscriber, listing_id) == ["review_upheld", "publish"]
    assert _received(platform, listing_id) == ["publish"]


async def test_a_withdrawal_leaves_only_when_the_listing_had(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    app_harness: Harness,
    clock: FixedClock,
    subscriber: Receiver,
    platform: Receiver,
) -> None:
    """Removed before its confirmation, nothing of a listing ever left, its removal
    included; removed after its publication, the removal is reported as the listing was."""
    await _subscribe(client, auth, subscriber.url)
    early = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-05")
    body = {"kind": "remove", "discovered_on": "2026-03-05", "reason": "身份被冒用，认定有误"}
    removed = await step(client, auth, f"{URL}/{early}/corrections", body)
    assert removed["status"] == "withdrawn"

    late = await published(client, auth, clock, PERSON)
    at(clock, "2026-04-02")
    body = {**body, "discovered_on": "2026-04-01"}
    assert (await step(client, auth, f"{URL}/{late}/corrections", body))["status"] == "withdrawn"
    await _deliver(app_harness, clock, platform)

    assert _received(subscriber, early) == _received(platform, early) == []
    assert _received(subscriber, late) == ["objection_window_lapsed", "publish", "correct_remove"]
    assert _received(platform, late) == ["publish", "correct_remove"]
    # The department that collected the early one still reads all of its steps.
    own = await _feed(client, auth("platform", department=AGENCY))
    assert _of(own, early) == [*BEFORE_CONFIRMATION, "correct_remove"]
    assert _of(await _feed(client, auth("platform", department=LINZI)), early) == []


async def test_the_owning_department_reads_the_internal_events_another_does_not(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    after_confirmation = ["objection_window_lapsed", "publish"]

    own = await _feed(client, auth("platform", department=AGENCY))
    assert _of(own, listing_id) == [*BEFORE_CONFIRMATION, *after_confirmation]
    audiences = {e["type"]: e["audience"] for e in own if e["aggregate_id"] == listing_id}
    assert audiences == {
        **{f"restriction.{t}": "internal" for t in BEFORE_CONFIRMATION},
        **{f"restriction.{t}": "external" for t in after_confirmation},
    }

    other = await _feed(client, auth("platform", department=LINZI))
    assert _of(other, listing_id) == after_confirmation
    assert all(e["audience"] == "external" for e in other)
    # Positions stay in commit order; the other department's page just skips what is not
    # its to read, and paging on from it finds nothing more.
    positions = [e["position"] for e in other]
    assert positions == sorted(positions)
    page = await ok(
        await client.get(
            "/api/v1/events",
            params={"after": positions[-1]},
            headers=auth("platform", department=LINZI),
        ),
        200,
    )
    assert (page["items"], page["next_after"]) == ([], positions[-1])

    # The auditor, who reads every department's, sees them all.
    audited = await _feed(client, auth("auditor", department=None))
    assert _of(audited, listing_id) == [*BEFORE_CONFIRMATION, *after_confirmation]
