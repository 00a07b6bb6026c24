from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from app.core.clock import ClockDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.credit_checks import service
from app.credit_checks.schemas import CreditCheckCreate, CreditCheckRead
from app.joint_punishment.dependencies import JointPunishmentClientDep
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/credit-checks", tags=["credit-checks"], route_class=KeepingRoute)


@router.post(
    "",
    response_model=CreditCheckRead,
    status_code=201,
    summary="Run a credit check (信用核验)",
    description=(
        "Checks the catalog entry and mode, the applicant's consent, effective restrictions "
        "of the applicant and the agent, and the joint punishment lists, on today's date. "
        "A failed check is a normal 201 result with `result: fail`, every reason with its "
        "citation, and `next_step: ordinary` — the ordinary procedure, never a refusal of "
        "service (DZ art. 6 ¶2). Stored and audited."
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def run_credit_check(
    request: Request,
    session: SessionDep,
    principal: Authorized,
    clock: ClockDep,
    joint_punishment: JointPunishmentClientDep,
    body: CreditCheckCreate,
) -> CreditCheckRead:
    return await service.run_credit_check(
        session, principal, body, clock.now(), request.app.state.settings, joint_punishment
    )


@router.get(
    "/{check_id}",
    response_model=CreditCheckRead,
    summary="Read a credit check",
    description="By the department that made it, or an auditor. The read is audited.",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_credit_check(
    session: SessionDep, principal: Owned, check_id: uuid.UUID
) -> CreditCheckRead:
    return await service.read_credit_check(session, principal, check_id)
