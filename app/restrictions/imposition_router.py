"""限制 under the Dezhou measures (DZ art. 15 ¶1): the agency restricts a proposal from a
breached commitment, without the Linzi listing procedure, which the measures do not have."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header

from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.restrictions import steps
from app.restrictions.schemas import RestrictionRead, StepCreate
from app.rules.lifecycles import Event
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]


@router.post(
    "/{restriction_id}/imposition",
    response_model=RestrictionRead,
    summary="Restrict a proposal under DZ art. 15 ¶1 (限制享受便利化服务)",
    description="德州办法第十五条第一款：申请人有不实承诺或者不履行承诺的，政务服务实施机关限制其享受"
    "容缺受理、告知承诺等便利化服务。仅适用于无失信制约名单程序的规则配置（`dezhou-2023`）；"
    "自步骤日期起生效，不公示、不推送，至取消限制（第十五条第二款）为止，仅在德州市行政区域内有效。"
    "A proposal from a false (`commitment_untrue`) or unfulfilled (`tolerance_unfulfilled`) "
    "commitment becomes `effective` on the step's day, under a profile without the Linzi "
    "listing procedure; it restricts tolerance and notify-commit for matters of agencies in "
    "Dezhou until lifted (DZ art. 15 ¶2), is not on the public list and is not pushed. Under "
    "a profile with the procedure: 409 `listing_procedure_required` (take the proposal up). "
    "步骤日期：请求体可带 `on`（发生日，默认今日），早于今日须写明 `late_entry_reason`。",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def impose_restriction(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: StepCreate | None = None,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await steps.take_step(session, ctx, restriction_id, Event.RESTRICT, if_match, data=body)
