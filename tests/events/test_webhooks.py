"""Events and webhooks through real HTTP receivers on loopback."""

from __future__ import annotations

from datetime import timedelta

import httpx

from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.conftest import Harness, TokenFactory, make_settings
from tests.events.receiver import Receiver, running_receiver
from tests.factories import ORG, PERSON, ok, setup_catalog
from tests.restrictions.conftest import collect, published

SECRET = "receiver-shared-secret-0123456789"


async def _subscribe(
    client: httpx.AsyncClient, auth: TokenFactory, url: str, types: str = "restriction.*"
) -> str:
    body = {"name": "省平台", "url": url, "event_types": [types], "secret": SECRET}
    created = await ok(await client.post("/api/v1/webhooks", json=body, headers=auth("admin")))
    return str(created["id"])


def _worker(harness: Harness, clock: FixedClock, **settings: object) -> Worker:
    configured = make_settings(harness.database.url, **settings)
    return Worker(harness.database, configured, clock)


async def test_the_feed_lists_events_in_order_without_repeats(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    first = await collect(client, auth, ORG)
    second = await collect(client, auth, PERSON)
    feed = await ok(await client.get("/api/v1/events", headers=auth("platform")), 200)
    collected = [e for e in feed["items"] if e["type"] == "restriction.collect"]
    assert [e["aggregate_id"] for e in collected] == [first["id"], second["id"]]
    positions = [e["position"] for e in feed["items"]]
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    again = await ok(
        await client.get(
            "/api/v1/events", params={"after": feed["next_after"]}, headers=auth("platform")
        ),
        200,
    )
    assert (again["items"], again["next_after"]) == ([], feed["next_after"])
    assert (await client.get("/api/v1/events", headers=auth("clerk"))).status_code == 403


async def test_a_receiver_down_for_its_first_attempts_gets_each_event_once(
    client: httpx.AsyncClient, auth: TokenFactory, app_harness: Harness, clock: FixedClock
) -> None:
    await setup_catalog(client, auth)
    with running_receiver(Receiver(secret=SECRET, fail_first=2)) as receiver:
        await _subscribe(client, auth, receiver.url)
        # Confirmed (the window lapsed Mar 9) and published: two events leave (LZ §5(1)4).
        await published(client, auth, clock, ORG)
        worker = _worker(app_harness, clock, webhook_backoff_seconds=10.0)
        try:
            first = await worker.run_once()
            assert first.events_sequenced >= 2 and first.deliveries_created == 2
            assert first.deliveries == {"delivered": 0, "retried": 2, "dead": 0}
            # Not due yet: nothing is sent before the back-off has passed.
            assert (await worker.run_once()).deliveries == {"delivered": 0, "retried": 0, "dead": 0}
            clock.at += timedelta(seconds=10)
            await worker.run_once()
            assert len(receiver.received) == 2  # the third and fourth requests got through
            clock.at += timedelta(seconds=60)
            await worker.run_once()
        finally:
            await worker.aclose()
        assert receiver.attempts == 4
        assert sorted(receiver.event_ids()) == sorted(set(receiver.event_ids()))
        types = [r["body"]["type"] for r in receiver.received]
        assert sorted(types) == ["restriction.objection_window_lapsed", "restriction.publish"]
        assert receiver.bad_signatures == 0
        assert all(
            r["headers"]["x-zwfw-event-id"] == r["body"]["event_id"] for r in receiver.received
        )


async def test_a_receiver_that_never_recovers_is_dead_lettered_and_requeued(
    client: httpx.AsyncClient, auth: TokenFactory, app_harness: Harness, clock: FixedClock
) -> None:
    await setup_catalog(client, auth)
    with running_receiver(Receiver(secret=SECRET, never_recover=True)) as receiver:
        await _subscribe(client, auth, receiver.url, "restriction.publish")
        await published(client, auth, clock, ORG)
        worker = _worker(app_harness, clock, webhook_max_attempts=3, webhook_backoff_seconds=1.0)
        try:
            for _ in range(3):
                await worker.run_once()
                clock.at += timedelta(seconds=30)
            assert receiver.attempts == 3
            dead = await ok(
                await client.get(
                    "/api/v1/webhooks/deliveries", params={"status": "dead"}, headers=auth("admin")
                ),
                200,
            )
            (delivery,) = dead
            assert (delivery["attempts"], delivery["last_status_code"]) == (3, 503)
            receiver.never_recover = False
            requeued = await ok(
                await client.post(
                    f"/api/v1/webhooks/deliveries/{delivery['id']}/requeue", headers=auth("admin")
                ),
                200,
            )
            assert requeued["status"] == "pending"
            again = await client.post(
                f"/api/v1/webhooks/deliveries/{delivery['id']}/requeue", headers=auth("admin")
            )
            assert (again.status_code, again.json()["code"]) == (409, "delivery_not_dead")
            await worker.run_once()
        finally:
            await worker.aclose()
        assert [r["body"]["type"] for r in receiver.received] == ["restriction.publish"]
        delivered = await ok(
            await client.get(
                "/api/v1/webhooks/deliveries", params={"status": "delivered"}, headers=auth("admin")
            ),
            200,
        )
        assert [d["id"] for d in delivered] == [delivery["id"]]


async def test_the_credit_platform_receives_reports(
    client: httpx.AsyncClient, auth: TokenFactory, app_harness: Harness, clock: FixedClock
) -> None:
    """Credit-record entries and published listings reach the platform (DZ art. 14)."""
    from tests.commitments.conftest import commitment

    await setup_catalog(client, auth)
    with running_receiver(Receiver(secret=SECRET)) as platform:
        case = await commitment(client, auth, "notify_commit")
        await client.post(
            f"/api/v1/commitments/{case['id']}/withdrawal",
            json={"reason": "撤回"},
            headers=auth("clerk"),
        )
        worker = _worker(
            app_harness, clock, credit_platform_url=platform.url, credit_platform_secret=SECRET
        )
        try:
            await worker.run_once()
        finally:
            await worker.aclose()
        (report,) = [r["body"] for r in platform.received]
        assert report["type"] == "credit_record.appended"
        assert report["data"]["outcome"] == "withdrawn"
        assert report["data"]["subject"]["id_number"] == ORG["id_number"]


async def test_a_webhook_url_longer_than_the_column_is_a_422(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    url = "https://receiver.example/" + "a" * 1990
    body = {"name": "省平台", "url": url, "event_types": ["*"], "secret": SECRET}
    response = await client.post("/api/v1/webhooks", json=body, headers=auth("admin"))
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["body.url"]
