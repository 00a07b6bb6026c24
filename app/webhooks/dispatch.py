"""Webhook delivery that keeps up: one lane per subscription, claims with a lease, a mark
per delivery.

Every active subscription is a lane of at most ``ZWFW_WEBHOOK_CONCURRENCY`` deliveries in
flight in this worker. One loop does all the database work in short transactions; the
posts run concurrently, each lane on keep-alive connections of its own
(app.webhooks.sender), so a slow receiver's open connections cost the other lanes
nothing, and each post is bounded by ``ZWFW_WEBHOOK_TIMEOUT`` as a whole:

- **claim**: for each lane with free slots, its due deliveries in the order they fall due
  (``next_attempt_at``: a retry that is due goes before anything newer), skipping rows
  another worker holds (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), each held until now +
  the lease and by this worker; the signed bodies are built in the same transaction;
- **post**: each claimed delivery on a task of its own; a slow receiver fills its own lane
  and no other;
- **mark**: each answered delivery is written (delivered, retried later, dead) in the
  loop's next transaction, with the others answered meanwhile. Its slot is free as soon
  as the receiver answered (the bound is on the posts a receiver has in hand), so that
  transaction claims for it too. A worker killed mid-batch leaves behind only its claims
  not yet marked (posts in flight, answers of the last moments), and they fall due again
  when their lease ends.

A receiver that looks down (no connection, a timeout, HTTP 408, 429 or 5xx) pauses its
lane: after ``ZWFW_WEBHOOK_BACKOFF_SECONDS`` (doubled on each failed probe, at most 15 s
unless the back-off itself is longer) one delivery probes it, and its first success opens
the lane again. The deliveries queued behind keep their attempts, so the backlog of an
outage drains as fast as the receiver answers once it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import Clock
from app.core.config import Settings
from app.core.logs import error_fields
from app.rules.disclosure import Audience
from app.webhooks.models import DeliveryStatus
from app.webhooks.repository import DeliveryMark, DeliveryRepository, WebhookRepository
from app.webhooks.sender import ClientSender, LaneConnections, PostFailed, Sender, proxied
from app.webhooks.service import delivery_client, delivery_tls, envelope
from app.webhooks.signing import signature

logger = logging.getLogger("app.webhooks")

_MAX_BACKOFF = timedelta(hours=6)
_MAX_PAUSE = timedelta(seconds=15)
_ERROR_CHARS = 500
_DOWN_STATUSES = frozenset({408, 429})
# Answers are gathered before the next transaction marks them: at least the first, then
# until half of what their lanes have in flight has answered, at most this long.
_GATHER_SECONDS = 0.02


def lease(settings: Settings) -> timedelta:
    """How long a claim holds: a post ends within the timeout, the mark follows at once."""
    return timedelta(seconds=2 * settings.webhook_timeout + 10)


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds: where it goes, what it carries, its attempt number."""

    id: uuid.UUID
    subscription_id: uuid.UUID
    attempt: int
    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes


@dataclass(frozen=True)
class Answer:
    claimed: Claimed
    ok: bool
    status: int | None
    error: str | None

    @property
    def receiver_down(self) -> bool:
        return not self.ok and (
            self.status is None or self.status >= 500 or self.status in _DOWN_STATUSES
        )


@dataclass
class Lane:
    """One subscription's deliveries in flight in this worker (posted, not yet answered),
    and whether it is paused."""

    in_flight: int = 0
    failures: int = 0
    paused_until: datetime | None = None
    sender: Sender | None = None

    def free(self, bound: int, now: datetime) -> int:
        if self.paused_until is None:
            return bound - self.in_flight
        if now < self.paused_until:
            return 0
        return 1 - self.in_flight  # one probe at a time


async def post(sender: Sender, settings: Settings, claimed: Claimed) -> Answer:
    timestamp = int(datetime.now().timestamp())  # noqa: DTZ005 - Unix seconds
    headers = (
        ("Content-Type", "application/json"),
        ("X-Zwfw-Event-Id", claimed.event_id),
        ("X-Zwfw-Event-Type", claimed.event_type),
        ("X-Zwfw-Timestamp", str(timestamp)),
        ("X-Zwfw-Signature", signature(claimed.secret, timestamp, claimed.body)),
    )
    try:
        async with asyncio.timeout(settings.webhook_timeout):  # the whole exchange
            code = await sender.post(claimed.url, headers, claimed.body)
    except PostFailed as exc:
        return Answer(claimed, ok=False, status=None, error=exc.reason[:_ERROR_CHARS])
    except TimeoutError:
        return Answer(claimed, ok=False, status=None, error="TimeoutError")
    if 200 <= code < 300:
        return Answer(claimed, ok=True, status=code, error=None)
    return Answer(claimed, ok=False, status=code, error=f"HTTP {code}")


def _zero() -> dict[str, int]:
    return {"delivered": 0, "retried": 0, "dead": 0}


class Dispatcher:
    """The lanes of one worker. ``drain()`` sends what is due and returns (a worker pass,
    ``zwfw-credit worker --once``); ``run(stop)`` keeps the lanes full until stopped."""

    def __init__(
        self,
        session_factory: Callable[[], AsyncSession],
        client: httpx.AsyncClient | None,
        settings: Settings,
        clock: Clock,
        lock: asyncio.Lock | None = None,
    ) -> None:
        self.session_factory = session_factory
        # Given, it carries every lane's posts; else each lane keeps connections of its own.
        self.shared = None if client is None else ClientSender(client, owned=False)
        self.tls: ssl.SSLContext | None = None
        self.settings = settings
        self.clock = clock
        # Held around each transaction: the worker's passes share it, so a session bound
        # to one connection (the tests') is never used by two statements at once.
        self.lock = lock or asyncio.Lock()
        self.worker_id = uuid.uuid4().hex
        self.lanes: dict[uuid.UUID, Lane] = {}
        self.answered: list[Answer] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.woken = asyncio.Event()
        self.counts = _zero()

    def wake(self) -> None:
        """New deliveries were queued (or a slot came free): claim without waiting."""
        self.woken.set()

    def _sender(self, subscription_id: uuid.UUID) -> Sender:
        if self.shared is not None:
            return self.shared
        lane = self.lanes[subscription_id]
        if lane.sender is None:
            if proxied():  # through the proxy the environment names, as httpx does
                lane.sender = ClientSender(delivery_client(self.settings), owned=True)
            else:
                if self.tls is None:
                    self.tls = delivery_tls(self.settings)
                lane.sender = LaneConnections(self.tls)
        return lane.sender

    async def aclose(self) -> None:
        """Close the lanes' connections (a client given to the dispatcher is the giver's)."""
        for lane in self.lanes.values():
            if lane.sender is not None:
                await lane.sender.aclose()
                lane.sender = None

    def take_counts(self) -> dict[str, int]:
        counts, self.counts = self.counts, _zero()
        return counts

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.lock, self.session_factory() as session, session.begin():
            yield session

    async def step(self, *, claim: bool = True) -> int:
        """Mark what was answered, then claim for the lanes with free slots and start
        posting; one transaction. Returns how many deliveries it claimed."""
        answered, self.answered = self.answered, []
        now = self.clock.now()
        try:
            async with self._transaction() as session:
                await self._mark(session, answered, now)
                claimed = await self._claim(session, now) if claim else []
        except BaseException:
            self.answered[:0] = answered  # not written: write them on the next step
            raise
        for delivery in claimed:
            self.lanes[delivery.subscription_id].in_flight += 1
            task = asyncio.create_task(self._send(delivery))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        return len(claimed)

    async def _claim(self, session: AsyncSession, now: datetime) -> list[Claimed]:
        deliveries = DeliveryRepository(session)
        until = now + lease(self.settings)
        claimed: list[Claimed] = []
        for subscription in await WebhookRepository(session).list_active():
            lane = self.lanes.setdefault(subscription.id, Lane())
            free = lane.free(self.settings.webhook_concurrency, now)
            if free <= 0:
                continue
            rows = await deliveries.claim_lane(subscription.id, now, free, until, self.worker_id)
            withheld = []
            for delivery_id, attempt, event in rows:
                if event.audience != Audience.EXTERNAL:
                    # Queued before its event was marked internal: it never leaves.
                    withheld.append(delivery_id)
                    continue
                claimed.append(
                    Claimed(
                        id=delivery_id,
                        subscription_id=subscription.id,
                        attempt=attempt,
                        url=subscription.url,
                        secret=subscription.secret,
                        event_id=str(event.event_id),
                        event_type=event.type,
                        body=await envelope(session, event, subscription),
                    )
                )
            await deliveries.withhold(withheld)
        return claimed

    async def _send(self, claimed: Claimed) -> None:
        try:
            answer = await post(self._sender(claimed.subscription_id), self.settings, claimed)
        except Exception as exc:  # never lose the slot: an unexpected error is a failure
            answer = Answer(claimed, ok=False, status=None, error=type(exc).__name__)
        self.lanes[claimed.subscription_id].in_flight -= 1  # its receiver is done with it
        self._pace(answer)
        self.answered.append(answer)
        self.woken.set()

    def _pace(self, answer: Answer) -> None:
        """A success opens the lane; a receiver that looks down pauses it, once per pause."""
        lane = self.lanes[answer.claimed.subscription_id]
        now = self.clock.now()
        if answer.ok:
            lane.failures, lane.paused_until = 0, None
        elif answer.receiver_down and (lane.paused_until is None or lane.paused_until <= now):
            lane.failures += 1
            backoff = self.settings.webhook_backoff_seconds
            longest = max(_MAX_PAUSE, timedelta(seconds=backoff))
            pause = timedelta(seconds=backoff * 2 ** min(lane.failures - 1, 20))
            lane.paused_until = now + min(pause, longest)

    async def _mark(self, session: AsyncSession, answered: list[Answer], now: datetime) -> None:
        marks: list[DeliveryMark] = []
        for answer in answered:
            attempt = answer.claimed.attempt
            if answer.ok:
                status, due, outcome = DeliveryStatus.DELIVERED, None, "delivered"
            elif attempt >= self.settings.webhook_max_attempts:
                status, due, outcome = DeliveryStatus.DEAD, None, "dead"
                logger.warning(
                    "webhook dead-lettered",
                    extra={"delivery_id": str(answer.claimed.id), "attempts": attempt},
                )
            else:
                seconds = self.settings.webhook_backoff_seconds * 2 ** (attempt - 1)
                due = now + min(timedelta(seconds=seconds), _MAX_BACKOFF)
                status, outcome = DeliveryStatus.PENDING, "retried"
            self.counts[outcome] += 1
            marks.append(
                DeliveryMark(
                    id=answer.claimed.id,
                    status=status,
                    next_attempt_at=due,
                    status_code=answer.status,
                    error=answer.error,
                    delivered_at=now if answer.ok else None,
                )
            )
        await DeliveryRepository(session).mark(marks, self.worker_id)

    async def _answer_or(self, seconds: float) -> None:
        """Wait for an answer or a wake-up, at most ``seconds``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.woken.wait(), seconds)
        self.woken.clear()

    def _answering(self) -> int:
        """Deliveries posted and not yet marked in the lanes that have answers waiting: a
        slow lane's posts do not hold up the marking of a fast one's answers."""
        lanes = {answer.claimed.subscription_id for answer in self.answered}
        return len(self.answered) + sum(self.lanes[lane].in_flight for lane in lanes)

    async def _gather(self, first: float) -> None:
        """Wait for an answer (at most ``first`` seconds), then let the answers of the moment
        gather: one transaction marks them all and fills their slots again."""
        if not self.answered:
            await self._answer_or(first)
        deadline = asyncio.get_running_loop().time() + _GATHER_SECONDS
        while self.answered and 2 * len(self.answered) < self._answering():
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            await self._answer_or(left)

    async def drain(self) -> dict[str, int]:
        """Send every delivery due now, lane by lane, and return the outcomes once nothing
        is in flight and nothing more is due (a paused lane waits for a later pass)."""
        self.counts = _zero()
        while True:
            self.woken.clear()
            await self.step()
            if not self.tasks and not self.answered:
                return self.take_counts()
            await self._gather(self.settings.webhook_timeout + 1)

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the lanes full until ``stop``; then let the posts in flight end and mark
        them. A failed transaction is logged, and the loop tries again."""
        poll = min(1.0, self.settings.worker_interval_seconds)
        while not stop.is_set():
            try:
                await self.step()
            except Exception as exc:  # logged; the loop must outlive any one failure
                logger.error("worker job failed", extra={"job": "webhooks", **error_fields(exc)})
                await self._answer_or(self.settings.worker_interval_seconds)
                continue
            await self._gather(poll)
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=self.settings.webhook_timeout + 1)
        with contextlib.suppress(SQLAlchemyError, OSError):
            await self.step(claim=False)


async def deliver_due(dispatcher: Dispatcher) -> dict[str, int]:
    """A worker pass's deliveries: everything due now, posted lane by lane."""
    return await dispatcher.drain()
