"""移送标记 routes: a breach marked for a penalty or a judicial referral (DZ art. 16 ¶1),
on a listing (its collecting department) or on a commitment (its agency)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header

from app.commitments.schemas import CommitmentRead
from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.referrals import service
from app.referrals.schemas import ReferralCreate
from app.restrictions.schemas import RestrictionRead
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(tags=["referrals"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]
_MARK = (
    "移送标记：失信制约名单只适用于尚不构成行政处罚的失信行为（LZ §5(1)2）。"
    "申请人实际情况与承诺内容不符，构成行政处罚或涉嫌犯罪移送司法机关的（DZ art. 16 ¶1），"
    "由部门登记处罚决定书或移送文书的文号；本服务只登记，不作处罚决定。标记仅对本部门可见，"
    "不在公示名单中出现。"
)


@router.post(
    "/api/v1/restrictions/{restriction_id}/referrals",
    response_model=RestrictionRead,
    status_code=201,
    summary="Mark a listing's breach for a penalty or a judicial referral (移送标记)",
    description=f"{_MARK} 尚未公布的名单（建议、采集、核实、告知、复核、确定）随即撤销"
    "（事件 `refer`，理由 LZ §5(1)2）；已公布的名单不自动撤销：视为信息发生变更，"
    "部门须在2个工作日内更正或移除，或说明理由不予更正（`correction_duties`，LZ §5(1)4）。"
    "A listing not yet published is withdrawn; a published one gets a correction duty due "
    "2 working days later. An ended listing (repaired, lifted, withdrawn) keeps the mark "
    "only. Audited. Problems: 404 `restriction_not_found`; 412 `version_mismatch`.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def mark_listing(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: ReferralCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await service.mark_listing(session, ctx, restriction_id, body, if_match)


@router.post(
    "/api/v1/commitments/{commitment_id}/referrals",
    response_model=CommitmentRead,
    status_code=201,
    summary="Mark a commitment's breach for a penalty or a judicial referral (移送标记)",
    description=f"{_MARK} 在终止办理或撤销前标记的，终止或撤销时不再提出列入建议；"
    "在其后标记的，由该承诺提出而尚未公布的名单随即撤销，已公布的产生2个工作日更正义务。"
    "Marked before the termination or revocation: no listing is proposed; after: each "
    "listing proposed from the commitment follows the mark. Audited. Problems: 404 "
    "`commitment_not_found`; 412 `version_mismatch`.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def mark_commitment(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    commitment_id: uuid.UUID,
    body: ReferralCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    return await service.mark_commitment(session, ctx, commitment_id, body, if_match)
