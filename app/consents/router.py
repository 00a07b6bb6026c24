from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from app.consents import service
from app.consents.schemas import ConsentCreate, ConsentRead, ConsentRevocation
from app.core.clock import ClockDep
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/consents", tags=["consents"], route_class=KeepingRoute)


@router.post(
    "",
    response_model=ConsentRead,
    status_code=201,
    summary="Record a consent (授权) to use credit information",
    description=(
        "LZ §5(1)6: the purpose, method and scope are stated; the consent is bounded in "
        "time (`expires_on` at most the profile's maximum after the grant, never for "
        "life) and revocable. Given to the departments in `given_to` (default: the caller's): "
        "only they may use it in a credit check, read it or revoke it."
    ),
    responses=problem_responses(401, 403, 422),
)
async def record_consent(
    request: Request,
    session: SessionDep,
    principal: Authorized,
    clock: ClockDep,
    body: ConsentCreate,
) -> ConsentRead:
    settings: Settings = request.app.state.settings
    return await service.record_consent(session, principal, body, clock.now(), settings)


@router.get(
    "/{consent_id}",
    response_model=ConsentRead,
    summary="Read a consent",
    description="By the departments it was given to (`given_to`; a platform acting for one "
    "of them included) or an auditor; any other department gets `403 department_forbidden`.",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_consent(
    session: SessionDep, _principal: Owned, consent_id: uuid.UUID
) -> ConsentRead:
    return await service.consent_read(session, await service.get_consent(session, consent_id))


@router.post(
    "/{consent_id}/revocation",
    response_model=ConsentRead,
    summary="Revoke a consent (撤回授权)",
    description="Takes effect at once: later checks under this consent fail. Only by the "
    "departments it was given to (others: `403 department_forbidden`).",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def revoke_consent(
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    consent_id: uuid.UUID,
    body: ConsentRevocation,
) -> ConsentRead:
    return await service.revoke_consent(session, principal, consent_id, body.reason, clock.now())
