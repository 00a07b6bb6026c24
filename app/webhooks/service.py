"""Webhook subscriptions and deliveries; the public credit platform is one of them.

Each sequenced event fans out to the matching active subscriptions as a delivery row.
Workers claim due deliveries lane by lane with a lease (app.webhooks.dispatch), post the
event signed, and on failure retry with exponential back-off until the last attempt,
after which the delivery is dead-lettered for an admin to re-queue.

Only external events fan out (app.rules.disclosure): a listing's steps before its
confirmation stay with the department that collected it (LZ §5(1)4).

Who an event is about travels masked, except to a subscription granted ``personal_data``:
only an admin grants it (audited), only for an ``https://`` URL, and the credit platform's
subscription has it whenever its configured URL is https.
"""

from __future__ import annotations

import json
import logging
import ssl
import uuid
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.config import Settings
from app.core.errors import Conflict, NotFound
from app.events.models import Event
from app.events.repository import EventRepository
from app.events.service import REPORTED_TYPES, event_read
from app.rules.disclosure import Audience
from app.web.auth import Principal
from app.webhooks.errors import (
    PersonalDataRequiresHttps,
    SubscriptionInactive,
    SubscriptionManaged,
)
from app.webhooks.models import Delivery, DeliveryStatus, Subscription
from app.webhooks.repository import DeliveryRepository, WebhookRepository
from app.webhooks.schemas import (
    DeliveryRead,
    PersonalDataGrant,
    SubscriptionCreate,
    SubscriptionRead,
)

logger = logging.getLogger("app.webhooks")

PLATFORM_SUBSCRIPTION = "公共信用信息平台"
CONFIGURATION = Principal(sub="system:configuration", roles=frozenset(), department=None)
# The credit platform needs who a report is about to publish it (DZ art. 14).
_PLATFORM_BASIS = "ZWFW_CREDIT_PLATFORM_URL: reports to the public credit platform (DZ art. 14)"


def delivery_tls(settings: Settings) -> ssl.SSLContext:
    """What a delivery over TLS trusts: public CAs, plus ``ZWFW_WEBHOOK_CA_FILE`` when set."""
    context = httpx.create_ssl_context()
    if settings.webhook_ca_file is not None:
        context.load_verify_locations(cafile=settings.webhook_ca_file)
    return context


def delivery_client(settings: Settings) -> httpx.AsyncClient:
    """An HTTP client of deliveries, one per subscription's lane (which holds at most
    ``ZWFW_WEBHOOK_CONCURRENCY`` connections) when they go through a proxy."""
    limits = httpx.Limits(
        max_connections=settings.webhook_concurrency,
        max_keepalive_connections=settings.webhook_concurrency,
    )
    return httpx.AsyncClient(
        verify=delivery_tls(settings), limits=limits, timeout=settings.webhook_timeout
    )


def matches(pattern: str, event_type: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


def is_https(url: str) -> bool:
    return urlsplit(url).scheme.lower() == "https"


def receives_personal_data(subscription: Subscription) -> bool:
    """Granted, and still over TLS: a URL that is not https never gets the full identity."""
    return subscription.personal_data and is_https(subscription.url)


def _require_https(url: str) -> None:
    if not is_https(url):
        raise PersonalDataRequiresHttps(
            "Personal data is delivered only to an https:// URL.",
        )


def subscription_read(row: Subscription) -> SubscriptionRead:
    return SubscriptionRead(
        id=str(row.id),
        name=row.name,
        url=row.url,
        event_types=list(row.event_types),
        active=row.active,
        system=row.system,
        personal_data=row.personal_data,
        created_at=row.created_at,
    )


async def create_subscription(
    session: AsyncSession, principal: Principal, data: SubscriptionCreate, now: datetime
) -> SubscriptionRead:
    url = str(data.url)
    if data.personal_data:
        _require_https(url)
    row = Subscription(
        name=data.name,
        url=url,
        event_types=list(dict.fromkeys(data.event_types)),
        secret=data.secret,
        active=True,
        system=False,
        personal_data=data.personal_data,
        created_by=principal.sub,
        created_at=now,
    )
    WebhookRepository(session).add(row)
    await session.flush()
    await record(
        session,
        principal,
        action="webhook.subscribe",
        target_type="webhook_subscription",
        target_id=str(row.id),
        details={
            "url": row.url,
            "event_types": row.event_types,
            "personal_data": row.personal_data,
        },
    )
    return subscription_read(row)


async def list_subscriptions(session: AsyncSession) -> list[SubscriptionRead]:
    rows = await WebhookRepository(session).list_all()
    return [subscription_read(row) for row in rows]


async def _subscription(session: AsyncSession, subscription_id: uuid.UUID) -> Subscription:
    row = await WebhookRepository(session).get(subscription_id, for_update=True)
    if row is None:
        raise NotFound(f"No subscription {subscription_id}.", code="subscription_not_found")
    return row


async def deactivate_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> SubscriptionRead:
    row = await _subscription(session, subscription_id)
    row.active = False
    await session.flush()
    await record(
        session,
        principal,
        action="webhook.unsubscribe",
        target_type="webhook_subscription",
        target_id=str(row.id),
    )
    return subscription_read(row)


async def grant_personal_data(
    session: AsyncSession,
    principal: Principal,
    subscription_id: uuid.UUID,
    data: PersonalDataGrant,
) -> SubscriptionRead:
    """授权: from now on this receiver gets the subject's full ID number and name."""
    row = await _subscription(session, subscription_id)
    if row.system:
        raise SubscriptionManaged("The credit platform's subscription follows the settings.")
    if not row.active:
        raise SubscriptionInactive("The subscription is deactivated.")
    _require_https(row.url)
    row.personal_data = True
    await session.flush()
    await record(
        session,
        principal,
        action="webhook.personal_data_grant",
        target_type="webhook_subscription",
        target_id=str(row.id),
        details={"basis": data.basis},
    )
    return subscription_read(row)


async def withdraw_personal_data(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> SubscriptionRead:
    """撤回授权: deliveries not yet sent carry the subject masked again."""
    row = await _subscription(session, subscription_id)
    if row.system:
        raise SubscriptionManaged("The credit platform's subscription follows the settings.")
    row.personal_data = False
    await session.flush()
    await record(
        session,
        principal,
        action="webhook.personal_data_withdraw",
        target_type="webhook_subscription",
        target_id=str(row.id),
    )
    return subscription_read(row)


async def ensure_platform_subscription(session: AsyncSession, settings: Settings) -> None:
    """The public credit information platform receives reports (DZ art. 14) when set.

    It is granted personal data when its URL is https (it publishes who a report is
    about). On a plain http URL, as in development, it still receives every report, with
    the subject masked, and a warning says why. A change of the grant is audited.
    """
    if not settings.credit_platform_url or settings.credit_platform_secret is None:
        return
    url = settings.credit_platform_url
    subscriptions = WebhookRepository(session)
    existing = await subscriptions.get_system()
    secret = settings.credit_platform_secret.get_secret_value()
    granted = is_https(url)
    moved = existing is None or existing.url != url
    if existing is None:
        existing = Subscription(
            name=PLATFORM_SUBSCRIPTION,
            url=url,
            event_types=sorted(REPORTED_TYPES),
            secret=secret,
            active=True,
            system=True,
            personal_data=False,
            created_by=CONFIGURATION.sub,
        )
        subscriptions.add(existing)
        await session.flush()
        await record(
            session,
            CONFIGURATION,
            action="webhook.subscribe",
            target_type="webhook_subscription",
            target_id=str(existing.id),
            details={"url": url, "event_types": existing.event_types, "personal_data": False},
        )
    existing.url = url
    existing.secret = secret
    existing.event_types = sorted(REPORTED_TYPES)
    existing.active = True
    if moved and not granted:
        logger.warning(
            "credit platform URL is not https: its reports carry the subject masked",
            extra={"subscription_id": str(existing.id)},
        )
    if existing.personal_data != granted:
        existing.personal_data = granted
        await record(
            session,
            CONFIGURATION,
            action="webhook.personal_data_grant" if granted else "webhook.personal_data_withdraw",
            target_type="webhook_subscription",
            target_id=str(existing.id),
            details={"basis": _PLATFORM_BASIS} if granted else {"reason": "not https"},
        )
    await session.flush()


async def fan_out(session: AsyncSession, events: Sequence[Event], now: datetime) -> int:
    """A pending delivery for each (newly sequenced external event, matching active
    subscription); an internal event is delivered to no one."""
    events = [event for event in events if event.audience == Audience.EXTERNAL]
    if not events:
        return 0
    subscriptions = await WebhookRepository(session).list_active()
    deliveries = DeliveryRepository(session)
    created = 0
    for event in events:
        for subscription in subscriptions:
            if any(matches(p, event.type) for p in subscription.event_types):
                deliveries.add(
                    Delivery(
                        subscription_id=subscription.id,
                        event_id=event.id,
                        status=DeliveryStatus.PENDING,
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                created += 1
    await session.flush()
    return created


async def envelope(session: AsyncSession, event: Event, subscription: Subscription) -> bytes:
    """The body as sent (and signed): full identity only for a granted subscription."""
    read = await event_read(session, event, personal_data=receives_personal_data(subscription))
    body = read.model_dump(mode="json")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def delivery_read(row: Delivery, event: Event) -> DeliveryRead:
    return DeliveryRead(
        id=str(row.id),
        subscription_id=str(row.subscription_id),
        event_id=str(event.event_id),
        event_type=event.type,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
    )


async def list_deliveries(
    session: AsyncSession, status: str | None, limit: int
) -> list[DeliveryRead]:
    rows = await DeliveryRepository(session).list_with_events(status, limit)
    return [delivery_read(delivery, event) for delivery, event in rows]


async def requeue(
    session: AsyncSession, principal: Principal, delivery_id: uuid.UUID, now: datetime
) -> DeliveryRead:
    delivery = await DeliveryRepository(session).get(delivery_id, for_update=True)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id}.", code="delivery_not_found")
    if delivery.status != DeliveryStatus.DEAD:
        raise Conflict("Only a dead-lettered delivery is re-queued.", code="delivery_not_dead")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.claimed_until = delivery.claimed_by = None
    await session.flush()
    await record(
        session,
        principal,
        action="webhook.requeue",
        target_type="webhook_delivery",
        target_id=str(delivery.id),
    )
    event = await EventRepository(session).get(delivery.event_id)
    assert event is not None
    return delivery_read(delivery, event)
