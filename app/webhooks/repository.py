from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Integer, Select, Table, Text, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import UTCDateTime
from app.events.models import Event
from app.webhooks.models import Delivery, DeliveryStatus, Subscription

_DELIVERIES = cast(Table, Delivery.__table__)


@dataclass(frozen=True)
class DeliveryMark:
    """The outcome of one attempt: the new status, when it falls due again (a retry), the
    receiver's answer."""

    id: uuid.UUID
    status: DeliveryStatus
    next_attempt_at: datetime | None
    status_code: int | None
    error: str | None
    delivered_at: datetime | None


def _claim_statement(
    subscription_id: uuid.UUID, now: datetime, limit: int
) -> Select[uuid.UUID, int, Event]:
    """A lane's due deliveries held by no live claim, in the order they fall due, with
    their events, locked (rows another transaction holds are skipped)."""
    return (
        select(Delivery.id, Delivery.attempts, Event)
        .join(Event, Event.id == Delivery.event_id)
        .where(
            Delivery.subscription_id == subscription_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
            or_(Delivery.claimed_until.is_(None), Delivery.claimed_until <= now),
        )
        # The lane index's own order: the scan stops after ``limit`` rows (a tie-break on the
        # random id would read and sort every delivery due at the same instant).
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
        .with_for_update(of=_DELIVERIES, skip_locked=True)
    )


class WebhookRepository:
    """Subscriptions: who receives which events."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, subscription: Subscription) -> None:
        self.session.add(subscription)

    async def get(
        self, subscription_id: uuid.UUID, *, for_update: bool = False
    ) -> Subscription | None:
        return await self.session.get(Subscription, subscription_id, with_for_update=for_update)

    async def list_all(self) -> Sequence[Subscription]:
        query = select(Subscription).order_by(Subscription.created_at)
        return (await self.session.scalars(query)).all()

    async def list_active(self) -> Sequence[Subscription]:
        query = select(Subscription).where(Subscription.active.is_(True))
        return (await self.session.scalars(query)).all()

    async def get_system(self) -> Subscription | None:
        """The subscription kept from the settings (the credit platform's), if any."""
        query = select(Subscription).where(Subscription.system.is_(True))
        return (await self.session.scalars(query)).first()


class DeliveryRepository:
    """Deliveries: one event to one subscription, with its attempts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, delivery: Delivery) -> None:
        self.session.add(delivery)

    async def get(self, delivery_id: uuid.UUID, *, for_update: bool = False) -> Delivery | None:
        return await self.session.get(Delivery, delivery_id, with_for_update=for_update)

    async def claim_lane(
        self,
        subscription_id: uuid.UUID,
        now: datetime,
        limit: int,
        until: datetime,
        worker: str,
    ) -> list[tuple[uuid.UUID, int, Event]]:
        """Up to ``limit`` of the subscription's pending deliveries due by ``now`` and held
        by no live claim, in the order they fall due, claimed by ``worker`` until ``until``
        and counted as one more attempt: (delivery id, attempt number, event). Rows another
        transaction is claiming are skipped (``SKIP LOCKED``, PostgreSQL)."""
        query = _claim_statement(subscription_id, now, limit)
        rows = [(row[0], row[1] + 1, row[2]) for row in (await self.session.execute(query)).all()]
        if rows:
            table = _DELIVERIES  # a Core statement: no ORM bulk-update machinery per claim
            await self.session.execute(
                update(table)
                .where(table.c.id.in_([row[0] for row in rows]))
                .values(claimed_until=until, claimed_by=worker, attempts=table.c.attempts + 1)
            )
        return rows

    async def withhold(self, delivery_ids: Sequence[uuid.UUID]) -> None:
        """Deliveries whose event may not leave: never sent, never re-queued."""
        if delivery_ids:
            await self.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(delivery_ids))
                .values(status=DeliveryStatus.WITHHELD, claimed_until=None, claimed_by=None)
                .execution_options(synchronize_session=False)
            )

    async def mark(self, marks: Sequence[DeliveryMark], worker: str) -> None:
        """Write each answered delivery's outcome and release its claim, in one statement
        (executemany); a claim that expired and went to another worker is left alone."""
        if not marks:
            return
        table = _DELIVERIES
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.claimed_by == bindparam("b_by"))
            .values(
                status=bindparam("b_status"),
                next_attempt_at=func.coalesce(
                    bindparam("b_due", type_=UTCDateTime()), table.c.next_attempt_at
                ),
                last_status_code=bindparam("b_code", type_=Integer()),
                last_error=bindparam("b_error", type_=Text()),
                delivered_at=bindparam("b_delivered", type_=UTCDateTime()),
                claimed_until=None,
                claimed_by=None,
            )
        )
        await self.session.execute(
            statement,
            [
                {
                    "b_id": mark.id,
                    "b_by": worker,
                    "b_status": mark.status.value,
                    "b_due": mark.next_attempt_at,
                    "b_code": mark.status_code,
                    "b_error": mark.error,
                    "b_delivered": mark.delivered_at,
                }
                for mark in marks
            ],
        )

    async def list_with_events(
        self, status: str | None, limit: int
    ) -> Sequence[tuple[Delivery, Event]]:
        """Deliveries with their events, oldest first; only those in ``status`` when given."""
        query = (
            select(Delivery, Event)
            .join(Event, Event.id == Delivery.event_id)
            .order_by(Delivery.created_at, Delivery.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(Delivery.status == status)
        return [(delivery, event) for delivery, event in (await self.session.execute(query)).all()]

    async def count_with_status(self, status: str) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == status)
        )
        return count or 0
