"""Webhook delivery in lanes, through real HTTP receivers on loopback: a slow receiver
holds up no other subscriber, a lane never has more than its bound in flight, a retry
that is due goes before newer deliveries, and a worker killed mid-batch (``SIGKILL``)
leaves only the deliveries it had in flight to be sent again."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from app.core.db import Database
from app.events.models import Event
from app.events.service import sequence
from app.ops.worker import Worker
from app.webhooks.dispatch import Dispatcher, lease
from app.webhooks.models import Delivery, DeliveryStatus, Subscription
from tests.conftest import DEFAULT_NOW, Harness, make_settings, migrated_database
from tests.events.receiver import Receiver, running_receiver
from tests.server_process import run_worker_once, running_server, set_clock

SECRET = "receiver-shared-secret-0123456789"


def _subscription(url: str, name: str = "省平台") -> Subscription:
    return Subscription(
        name=name,
        url=url,
        event_types=["restriction.*"],
        secret=SECRET,
        active=True,
        system=False,
        personal_data=False,
        created_by="admin",
    )


async def _events(session: AsyncSession, count: int, at: datetime) -> list[Event]:
    """``count`` external events, sequenced (they have their place in the feed)."""
    events = [
        Event(
            type="restriction.publish",
            aggregate_type="restriction",
            aggregate_id=str(uuid.uuid4()),
            occurred_at=at,
            payload={"n": n},
        )
        for n in range(count)
    ]
    session.add_all(events)
    await session.flush()
    await sequence(session)
    return events


def _pending(
    subscription: Subscription, event: Event, due: datetime, attempts: int = 0
) -> Delivery:
    return Delivery(
        subscription_id=subscription.id,
        event_id=event.id,
        status=DeliveryStatus.PENDING,
        attempts=attempts,
        next_attempt_at=due,
        created_at=due if attempts == 0 else due - timedelta(minutes=5),
    )


async def _queue(session: AsyncSession, subscription: Subscription, events: list[Event]) -> None:
    session.add(subscription)
    await session.flush()
    session.add_all(_pending(subscription, event, DEFAULT_NOW) for event in events)
    await session.flush()


def _worker(harness: Harness, clock: FixedClock, **settings: object) -> Worker:
    return Worker(harness.database, make_settings(harness.database.url, **settings), clock)


async def _statuses(session: AsyncSession) -> Counter[str]:
    rows = await session.scalars(select(Delivery.status))
    return Counter(rows.all())


async def test_a_slow_receiver_does_not_hold_up_another_subscriber(
    session: AsyncSession, app_harness: Harness, clock: FixedClock
) -> None:
    slow = Receiver(secret=SECRET, delay=2.0)
    fast = Receiver(secret=SECRET)
    with running_receiver(slow), running_receiver(fast):
        await _queue(session, _subscription(slow.url, "慢"), await _events(session, 4, clock.at))
        await _queue(session, _subscription(fast.url, "快"), await _events(session, 6, clock.at))
        await session.commit()
        worker = _worker(app_harness, clock, webhook_concurrency=2)
        try:
            report = await worker.run_once()
        finally:
            await worker.aclose()
    assert report.deliveries == {"delivered": 10, "retried": 0, "dead": 0}
    assert len(fast.received) == 6 and len(slow.received) == 4
    # Every fast delivery arrived before the slow receiver answered its first one.
    assert max(fast.arrived_at) < min(slow.answered_at)
    assert (slow.most_in_flight, fast.bad_signatures, slow.bad_signatures) == (2, 0, 0)
    assert await _statuses(session) == {"delivered": 10}


async def test_a_lane_never_has_more_than_its_bound_in_flight(
    session: AsyncSession, app_harness: Harness, clock: FixedClock
) -> None:
    receiver = Receiver(secret=SECRET, delay=0.3)
    with running_receiver(receiver):
        await _queue(session, _subscription(receiver.url), await _events(session, 9, clock.at))
        await session.commit()
        worker = _worker(app_harness, clock, webhook_concurrency=3)
        try:
            report = await worker.run_once()
        finally:
            await worker.aclose()
    assert report.deliveries["delivered"] == 9
    assert receiver.most_in_flight == 3  # reached, never passed


async def _posts_done(dispatcher: Dispatcher) -> None:
    """Until the posts in flight are answered (those of a fast receiver may be already)."""
    if dispatcher.tasks:
        await asyncio.wait(set(dispatcher.tasks))


async def test_a_slot_is_free_once_answered_and_its_mark_claims_the_next(
    session: AsyncSession, app_harness: Harness, clock: FixedClock
) -> None:
    """Two at a time: once both are answered the lane has two free slots before their
    marks are written, and the transaction that marks them claims the next two."""
    receiver = Receiver(secret=SECRET)
    with running_receiver(receiver):
        subscription = _subscription(receiver.url)
        await _queue(session, subscription, await _events(session, 5, clock.at))
        await session.commit()
        worker = _worker(app_harness, clock, webhook_concurrency=2)
        dispatcher = worker.dispatcher
        try:
            assert await dispatcher.step() == 2
            await _posts_done(dispatcher)
            lane = dispatcher.lanes[subscription.id]
            assert (lane.in_flight, len(dispatcher.answered)) == (0, 2)
            assert lane.free(2, clock.at) == 2
            assert await dispatcher.step() == 2  # marks two, claims two
            assert await _statuses(session) == {"delivered": 2, "pending": 3}
            await _posts_done(dispatcher)
            assert await dispatcher.step() == 1
            await _posts_done(dispatcher)
            assert await dispatcher.step() == 0
        finally:
            await worker.aclose()
    assert await _statuses(session) == {"delivered": 5}
    assert receiver.most_in_flight <= 2


async def test_a_due_retry_goes_before_newer_deliveries(
    session: AsyncSession, app_harness: Harness, clock: FixedClock
) -> None:
    """One at a time, in the order deliveries fall due: the retry due at +10 s before the
    three deliveries queued at +20, +21 and +22 s, the retry due at +25 s after them."""
    receiver = Receiver(secret=SECRET)
    start = clock.at
    with running_receiver(receiver):
        subscription = _subscription(receiver.url)
        session.add(subscription)
        early, newer_1, newer_2, newer_3, late = await _events(session, 5, start)
        await session.flush()
        session.add_all(
            [
                _pending(subscription, late, start + timedelta(seconds=25), attempts=2),
                _pending(subscription, newer_3, start + timedelta(seconds=22)),
                _pending(subscription, newer_1, start + timedelta(seconds=20)),
                _pending(subscription, newer_2, start + timedelta(seconds=21)),
                _pending(subscription, early, start + timedelta(seconds=10), attempts=1),
            ]
        )
        await session.commit()
        clock.at = start + timedelta(seconds=30)
        worker = _worker(app_harness, clock, webhook_concurrency=1)
        try:
            await worker.run_once()
        finally:
            await worker.aclose()
    order = [str(e.event_id) for e in (early, newer_1, newer_2, newer_3, late)]
    assert receiver.event_ids() == order
    attempts = await session.scalars(select(Delivery.attempts).order_by(Delivery.next_attempt_at))
    assert sorted(attempts.all()) == [1, 1, 1, 2, 3]


# --- a worker killed mid-batch, in a real process ---------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with migrated_database(request.param, tmp_path) as url:
        yield url


async def _queue_in(url: str, receiver_url: str, count: int) -> list[str]:
    database = Database(url)
    try:
        async with database.sessionmaker() as session, session.begin():
            events = await _events(session, count, DEFAULT_NOW)
            await _queue(session, _subscription(receiver_url), events)
            return [str(event.event_id) for event in events]
    finally:
        await database.dispose()


async def _delivered_count(url: str) -> int:
    database = Database(url)
    try:
        async with database.sessionmaker() as session:
            return (await _statuses(session))["delivered"]
    finally:
        await database.dispose()


async def _until(condition: object, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_worker_killed_mid_batch_sends_again_only_what_it_had_in_flight(
    own_database: str, tmp_path: Path
) -> None:
    url = own_database
    clock = tmp_path / "clock"
    set_clock(clock, DEFAULT_NOW)
    env = {"ZWFW_WEBHOOK_CONCURRENCY": "4", "ZWFW_WORKER_INTERVAL_SECONDS": "0.2"}
    # The first ten are answered at once; the next ones are held until the worker is dead.
    receiver = Receiver(secret=SECRET, hold=True, answer_first=10)
    with running_receiver(receiver):
        event_ids = await _queue_in(url, receiver.url, 20)

        async def arrived() -> bool:
            return receiver.attempts >= 14

        async def marked() -> bool:
            return await _delivered_count(url) == 10

        with running_server(url, tmp_path, env=env, worker=True, clock_file=clock) as server:
            await _until(arrived, "ten answered and four held")
            await _until(marked, "the ten answered marked delivered")
            await asyncio.sleep(0.3)
            assert receiver.attempts == 14  # the lane is full: nothing more was sent
            server.kill()
        held = receiver.event_ids()[10:]
        receiver.release.set()
        receiver.hold = False
        # The dead worker's claims end with their lease; the next worker sends what is left.
        settings = make_settings(url)
        set_clock(clock, DEFAULT_NOW + lease(settings) + timedelta(seconds=1))
        done = await asyncio.to_thread(run_worker_once, url, env=env, clock_file=clock)
        assert done.returncode == 0, done.stderr
    sent = Counter(receiver.event_ids())
    assert set(sent) == set(event_ids)
    assert {event_id for event_id, times in sent.items() if times > 1} == set(held)
    assert sorted(sent.values()) == [1] * 16 + [2] * 4
    assert await _delivered_count(url) == 20


# --- a running worker (``zwfw-credit serve --worker``) beside a slow receiver ------------


async def _queue_two(url: str, fast_url: str, slow_url: str, count: int) -> None:
    database = Database(url)
    try:
        async with database.sessionmaker() as session, session.begin():
            events = await _events(session, count, DEFAULT_NOW)
            await _queue(session, _subscription(fast_url, "快"), events)
            await _queue(session, _subscription(slow_url, "慢"), events)
    finally:
        await database.dispose()


async def test_a_running_worker_sends_every_fast_delivery_while_a_slow_receiver_answers(
    own_database: str, tmp_path: Path
) -> None:
    """The command the service and the benchmark run: 150 deliveries to a fast receiver
    and 150 to one that takes 3 s per answer, 4 at a time. Every fast delivery arrives
    before the slow receiver has answered its third group of 4."""
    url = own_database
    env = {"ZWFW_WEBHOOK_CONCURRENCY": "4", "ZWFW_WORKER_INTERVAL_SECONDS": "0.5"}
    fast = Receiver(secret=SECRET)
    slow = Receiver(secret=SECRET, delay=3.0)
    with running_receiver(fast), running_receiver(slow):
        await _queue_two(url, fast.url, slow.url, 150)

        async def all_fast_arrived() -> bool:
            return len(fast.received) >= 150

        with running_server(url, tmp_path, env=env, worker=True):
            await _until(all_fast_arrived, "every fast delivery", seconds=60)
            slow_answers = len(slow.answered_at)
    assert slow_answers <= 8
    assert sorted(Counter(fast.event_ids()).values()) == [1] * 150
    assert (fast.bad_signatures, slow.most_in_flight) == (0, 4)
