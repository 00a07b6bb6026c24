from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.models import Event
from app.webhooks.models import Delivery, DeliveryStatus, Subscription


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

    async def claim_due(self, now: datetime, batch: int) -> Sequence[Delivery]:
        """Up to ``batch`` pending deliveries due by ``now``, oldest due first, locked for
        this transaction; rows another transaction holds are skipped (``SKIP LOCKED``)."""
        query = (
            select(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.scalars(query)).all()

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
