"""The worker: records the transitions time makes, chains the audit log, sequences
events, delivers webhooks, forgets expired idempotency keys.

Every log line is a JSON line (``app.core.logs``): one ``worker pass`` line with the counts
of each job for a pass that did work, and one ``worker job failed`` line, with the
error's type and message, for a job that failed; a failure ends the pass, and the next
pass starts again from the first job.

Several workers may run at once against PostgreSQL: due rows are claimed with
``FOR UPDATE SKIP LOCKED`` and the chainer and the sequencer hold advisory locks, so no work is done
twice. Every pass is idempotent: running it again changes nothing that is already done.
On SQLite (the embedded default) run a single worker.

Webhooks are delivered by the worker's dispatcher (app.webhooks.dispatch): in a pass
(``run_once``, ``worker --once``) it sends what is due and the pass waits for it; a running
worker (``run_forever``) keeps it running beside the passes, woken whenever a pass queues
deliveries, so a slow receiver never holds up the passes nor another receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import chain_pending
from app.commitments import steps as commitments
from app.core.clock import Clock, SystemClock
from app.core.config import Settings
from app.core.context import Context
from app.core.db import Database
from app.core.logs import error_fields
from app.events.service import sequence
from app.lifecycle.engine import SYSTEM
from app.restrictions import steps as restrictions
from app.web.idempotency.repository import IdempotencyRepository
from app.webhooks.dispatch import Dispatcher, deliver_due
from app.webhooks.service import ensure_platform_subscription, fan_out

logger = logging.getLogger("app.worker")

WORKER = SYSTEM
SEQUENCE_BATCH = 1000


@dataclass
class PassReport:
    commitments_overdue: int = 0
    restrictions_changed: int = 0
    events_sequenced: int = 0
    deliveries_created: int = 0
    deliveries: dict[str, int] = field(default_factory=dict)
    audit_chained: int = 0
    idempotency_keys_expired: int = 0

    @property
    def idle(self) -> bool:
        return not (
            self.audit_chained
            or self.commitments_overdue
            or self.restrictions_changed
            or self.events_sequenced
            or any(self.deliveries.values())
        )

    @property
    def did_work(self) -> bool:
        return not self.idle or bool(self.deliveries_created or self.idempotency_keys_expired)


class Worker:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        clock: Clock | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock or SystemClock()
        # None: each subscription's lane opens a client (a connection pool) of its own.
        self.client = client
        # One transaction at a time in this worker: the passes and the dispatcher take turns.
        self.lock = asyncio.Lock()
        self.dispatcher = Dispatcher(
            database.sessionmaker, self.client, settings, self.clock, self.lock
        )
        self.dispatching = False

    def _context(self) -> Context:
        return Context(WORKER, self.clock.now(), self.settings)

    @contextlib.asynccontextmanager
    async def _job(self, name: str) -> AsyncIterator[AsyncSession]:
        """One job of a pass in a transaction of its own; its failure is logged, then
        raised (it ends the pass)."""
        async with (
            self._failing(name),
            self.lock,
            self.database.sessionmaker() as session,
            session.begin(),
        ):
            yield session

    @contextlib.asynccontextmanager
    async def _failing(self, name: str) -> AsyncIterator[None]:
        try:
            yield
        except Exception as exc:
            logger.error("worker job failed", extra={"job": name, **error_fields(exc)})
            raise

    async def run_once(self) -> PassReport:
        report = PassReport()
        started = time.perf_counter()
        async with self._job("commitments") as session:
            report.commitments_overdue = await commitments.record_time_transitions(
                session, self._context()
            )
        async with self._job("restrictions") as session:
            report.restrictions_changed = await restrictions.record_time_transitions(
                session, self._context()
            )
        async with self._job("events") as session:
            await ensure_platform_subscription(session, self.settings)
            events = await sequence(session, SEQUENCE_BATCH)
            report.events_sequenced = len(events)
            report.deliveries_created = await fan_out(session, events, self.clock.now())
        if self.dispatching:
            self.dispatcher.wake()
            report.deliveries = self.dispatcher.take_counts()
        else:
            async with self._failing("webhooks"):
                report.deliveries = await deliver_due(self.dispatcher)
        async with self._job("idempotency_keys") as session:
            expired = await IdempotencyRepository(session).purge_expired(self.clock.now())
            report.idempotency_keys_expired = expired
        # Last, so the audit entries of this pass's own changes are chained in it too.
        async with self._job("audit_chain") as session:
            report.audit_chained = await chain_pending(session)
        if report.did_work:
            logger.info(
                "worker pass",
                extra={
                    "counts": asdict(report),
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
        return report

    async def run_until_idle(self, max_passes: int = 1000) -> int:
        """Passes until one finds nothing to do (deliveries waiting on back-off excepted)."""
        for passes in range(1, max_passes + 1):
            report = await self.run_once()
            if report.idle:
                return passes
        return max_passes

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        logger.info("worker started", extra={"interval": self.settings.worker_interval_seconds})
        self.dispatching = True
        deliveries = asyncio.create_task(self.dispatcher.run(stop))
        try:
            while not stop.is_set():
                # A failed job has logged its line; the next pass tries again.
                report = None
                with contextlib.suppress(SQLAlchemyError, OSError):
                    report = await self.run_once()
                if report is not None and report.events_sequenced >= SEQUENCE_BATCH:
                    continue  # more events wait: the next pass at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        stop.wait(), timeout=self.settings.worker_interval_seconds
                    )
        finally:
            stop.set()
            await deliveries
            self.dispatching = False

    async def aclose(self) -> None:
        await self.dispatcher.aclose()
        if self.client is not None:
            await self.client.aclose()
