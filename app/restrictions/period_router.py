"""另有规定的管理期限 (LZ §5(1)5): a listing's own period, set by its own step."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header

from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.restrictions import periods
from app.restrictions.period_schemas import PeriodCreate
from app.restrictions.schemas import RestrictionRead
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]


@router.post(
    "/{restriction_id}/period",
    response_model=RestrictionRead,
    summary="Set the listing's own management period (另有规定的管理期限, LZ §5(1)5)",
    description="临淄方案五(一)5：失信制约的管理期限一般为6个月，自公布之日起计算；有关法律法规规章"
    "对管理期限另有规定的，依照其规定执行。公布前由采集部门设定本条名单的管理期限及其依据"
    "（`period_basis` 必填），记入历史与审计日志（变更前后）；此后届满日、信用修复与公示均按该期限"
    "计算。Sets the listing's own period (`period_months`, 1-120) with the rule that sets "
    "it (`period_basis`, required: 422 without it), before publication; the history and the "
    "audit log keep before and after (`period_set`), and every date derived afterwards (the "
    "period end, repair, the public list) counts it. Problems: 409 `listing_has_no_period` "
    "(a profile without a management period, e.g. `dezhou-2023`), 409 "
    "`management_period_running` (published or ended: correct it instead). Dated `on` "
    "(default today), not before the collection; before today with `late_entry_reason`.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def set_own_period(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: PeriodCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await periods.set_own_period(session, ctx, restriction_id, body, if_match)
