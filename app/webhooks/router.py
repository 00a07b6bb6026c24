from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute
from app.webhooks import service
from app.webhooks.schemas import (
    DeliveryRead,
    PersonalDataGrant,
    SubscriptionCreate,
    SubscriptionRead,
)

router = APIRouter(prefix="/api/v1/webhooks", tags=["events"], route_class=KeepingRoute)


@router.post(
    "",
    response_model=SubscriptionRead,
    status_code=201,
    summary="Subscribe a receiver to events (admin)",
    description="Deliveries are signed: `X-Zwfw-Signature: v1=<hex>` is HMAC-SHA256 of "
    "`<X-Zwfw-Timestamp>.<body>` with the secret; `X-Zwfw-Event-Id` de-duplicates. "
    "The subject of an event is masked (3701**********1234, 张*丰) unless the subscription "
    "is granted `personal_data` (https only, audited).",
    responses=problem_responses(401, 403, 422),
)
async def subscribe(
    session: SessionDep, principal: Authorized, clock: ClockDep, body: SubscriptionCreate
) -> SubscriptionRead:
    return await service.create_subscription(session, principal, body, clock.now())


@router.get(
    "",
    response_model=list[SubscriptionRead],
    summary="List subscriptions (admin)",
    responses=problem_responses(401, 403),
)
async def list_subscriptions(session: SessionDep, _principal: Authorized) -> list[SubscriptionRead]:
    return await service.list_subscriptions(session)


@router.delete(
    "/{subscription_id}",
    response_model=SubscriptionRead,
    summary="Deactivate a subscription (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
async def unsubscribe(
    session: SessionDep, principal: Authorized, subscription_id: uuid.UUID
) -> SubscriptionRead:
    return await service.deactivate_subscription(session, principal, subscription_id)


@router.post(
    "/{subscription_id}/personal-data-grant",
    response_model=SubscriptionRead,
    summary="Grant a subscription personal data (授权接收个人信息, admin)",
    description="From now on its deliveries carry the subject's full ID number and name. "
    "Only for an `https://` URL (422 `personal_data_requires_https`); the basis is recorded "
    "in the audit log. The credit platform's subscription follows the settings "
    "(409 `subscription_managed`).",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def grant_personal_data(
    session: SessionDep,
    principal: Authorized,
    subscription_id: uuid.UUID,
    body: PersonalDataGrant,
) -> SubscriptionRead:
    return await service.grant_personal_data(session, principal, subscription_id, body)


@router.delete(
    "/{subscription_id}/personal-data-grant",
    response_model=SubscriptionRead,
    summary="Withdraw a subscription's personal-data grant (撤回授权, admin)",
    description="Deliveries not yet sent carry the subject masked again; audited.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def withdraw_personal_data(
    session: SessionDep, principal: Authorized, subscription_id: uuid.UUID
) -> SubscriptionRead:
    return await service.withdraw_personal_data(session, principal, subscription_id)


@router.get(
    "/deliveries",
    response_model=list[DeliveryRead],
    summary="List deliveries, e.g. the dead-letter ones (admin)",
    responses=problem_responses(401, 403, 422),
)
async def list_deliveries(
    session: SessionDep,
    _principal: Authorized,
    status: Annotated[str | None, Query(pattern="^(pending|delivered|dead|withheld)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryRead]:
    return await service.list_deliveries(session, status, limit)


@router.post(
    "/deliveries/{delivery_id}/requeue",
    response_model=DeliveryRead,
    summary="Re-queue a dead-lettered delivery (admin)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def requeue(
    session: SessionDep, principal: Authorized, clock: ClockDep, delivery_id: uuid.UUID
) -> DeliveryRead:
    return await service.requeue(session, principal, delivery_id, clock.now())
