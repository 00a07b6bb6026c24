"""申诉 after the objection window and the department's correction duty (LZ §2, §5(1)4)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header

from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.restrictions import duties
from app.restrictions.hearing_schemas import ComplaintCreate, ComplaintRejection
from app.restrictions.schemas import RestrictionRead
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]
STEP = problem_responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/{restriction_id}/complaints",
    response_model=RestrictionRead,
    status_code=201,
    summary="File a complaint that an entry is wrong (申诉, LZ §2)",
    description="陈述申辩期满后，当事人认为名单信息有误的，可以申诉（LZ §2 异议申诉）。"
    "部门须自收到申诉之日起2个工作日内通过原途径更正或移除（`POST …/corrections`），"
    "或说明理由不予更正（`POST …/correction-duties/{duty_id}/rejection`），LZ §5(1)4。"
    "After the objection window (a confirmed or published listing): opens a correction duty "
    "due 2 working days after `received_on`, listed as the task `correct_listing`. Before "
    "the window ends, a statement is an objection: 409 `transition_not_allowed`. "
    "`received_on` not before the notice's receipt nor after today (422 "
    "`step_date_before_previous_step`, `step_date_in_future`); before today with "
    "`late_entry_reason` (422 `late_entry_reason_required`).",
    responses=STEP,
)
async def file_complaint(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: ComplaintCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await duties.file_complaint(session, ctx, restriction_id, body, if_match)


@router.post(
    "/{restriction_id}/correction-duties/{duty_id}/rejection",
    response_model=RestrictionRead,
    summary="Reject a complaint with reasons (不予更正)",
    description="经核实信息无误的，说明理由不予更正，更正义务随之办结；逾期办结的记为 `late`。"
    "Closes the duty; the listing stays as it is. A correction (`POST …/corrections`) closes "
    "every open duty instead. Problems: 404 `correction_duty_not_found`; 409 "
    "`correction_duty_closed`. Dated `on` (default today), not before the complaint.",
    responses=STEP,
)
async def reject_complaint(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    duty_id: uuid.UUID,
    body: ComplaintRejection,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await duties.reject_complaint(session, ctx, restriction_id, duty_id, body, if_match)
