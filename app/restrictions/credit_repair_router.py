"""Routes of credit repair on application (信用修复申请; app.restrictions.credit_repair)
and its two documents (app.restrictions.credit_repair_documents)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response

from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.documents.schemas import PDF_RESPONSES as PDF
from app.restrictions import credit_repair, credit_repair_documents
from app.restrictions.credit_repair_schemas import (
    CreditRepairCreate,
    CreditRepairDecisionCreate,
    CreditRepairRead,
    CreditRepairSupplement,
)
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The listing's `version`.")]
STEP = problem_responses(401, 403, 404, 409, 412, 422)
_BASE = "/{restriction_id}/credit-repair-applications"
_DATED = (
    "步骤日期：请求体可带 `on`（发生日，默认今日），早于今日须写明 `late_entry_reason`。"
    "Dated `on` the day it happened (default today); before today with `late_entry_reason`."
)


@router.post(
    _BASE,
    response_model=CreditRepairRead,
    status_code=201,
    summary="Apply for credit repair (信用修复申请)",
    description="轻微失信信息法定责任义务履行完毕即可申请修复（国办发〔2025〕22号 二），"
    "管理期限届满前亦可。申请材料：履行完毕的证明材料、信用承诺书（见 `credit-commitment.pdf`）。"
    "材料齐全的当日受理，认定部门在规则配置 `credit_repair_decision` 期限内决定；"
    "材料不齐的，一次性告知全部所缺材料（`missing_materials`），申请等待补正。"
    "Filed while the listing is effective, before its period end too. Complete: accepted "
    "the same day, decided within the profile's `credit_repair_decision`. Incomplete: one "
    "notice names every missing material and the application waits. No repair on "
    "application under the profile: 409 `credit_repair_not_available`; listing not "
    "effective: 409 `listing_not_effective`; an application awaiting decision: 409 "
    f"`repair_application_pending`. {_DATED}",
    responses=STEP,
)
async def file_credit_repair(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: CreditRepairCreate,
) -> CreditRepairRead:
    return await credit_repair.file_credit_repair(session, ctx, restriction_id, body)


@router.get(
    _BASE + "/{application_id}",
    response_model=CreditRepairRead,
    summary="One credit repair application (信用修复申请进度)",
    description="受理、所缺材料、决定期限、决定及理由、不予修复的救济途径。"
    "Acceptance, missing materials, the decision limit, the decision with its reasons and, "
    "for a refusal, the remedy. Unknown: 404 `repair_application_not_found`.",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_credit_repair(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
) -> CreditRepairRead:
    return await credit_repair.read_credit_repair(session, ctx, restriction_id, application_id)


@router.post(
    _BASE + "/{application_id}/materials",
    response_model=CreditRepairRead,
    summary="Supply the missing materials (补正材料)",
    description="补齐一次性告知的全部材料后当日受理。仍有缺漏的不再二次告知："
    "409 `credit_repair_materials_missing`（列明所缺材料）。"
    "Complete: accepted that day. Still incomplete: 409 `credit_repair_materials_missing` "
    "naming what is missing (no second notice); nothing awaited: 409 "
    f"`credit_repair_not_awaiting_materials`. {_DATED}",
    responses=STEP,
)
async def supplement_credit_repair(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    body: CreditRepairSupplement,
) -> CreditRepairRead:
    return await credit_repair.supplement_credit_repair(
        session, ctx, restriction_id, application_id, body
    )


@router.post(
    _BASE + "/{application_id}/decision",
    response_model=CreditRepairRead,
    summary="Decide on credit repair, with reasons (信用修复决定)",
    description="谁认定、谁修复：由认定部门决定。予以修复的，当日终止公示、停止共享和使用、"
    "同步解除失信惩戒措施（国家发展改革委令第36号 第三条），并推送信用信息平台；"
    "不予修复的，说明理由并告知救济途径，名单继续有效。"
    "Granted: the same day publication ends, sharing stops (an event the credit platform "
    "receives) and the restriction effects end. Refused: reasons and the remedy; the "
    "listing stays effective. Not accepted: 409 `credit_repair_not_accepted`; decided: "
    f"409 `repair_application_decided`. {_DATED}",
    responses=STEP,
)
async def decide_credit_repair(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    body: CreditRepairDecisionCreate,
    if_match: IfMatch = None,
) -> CreditRepairRead:
    return await credit_repair.decide_credit_repair(
        session, ctx, restriction_id, application_id, body, if_match
    )


@router.get(
    _BASE + "/{application_id}/decision.pdf",
    response_class=Response,
    summary="The decision letter as a PDF (信用修复决定书)",
    description="决定、理由、依据、日期、作出决定部门；不予修复的，救济途径。"
    "Decision, reasons, legal basis, date, issuing department and, for a refusal, the "
    "remedy. Not decided: 409 `repair_application_pending`.",
    responses={**PDF, **problem_responses(401, 403, 404, 409, 422)},
)
async def decision_letter_pdf(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
) -> Response:
    content = await credit_repair_documents.decision_letter_pdf(
        session, ctx, restriction_id, application_id
    )
    return Response(content, media_type="application/pdf")


@router.get(
    "/{restriction_id}/credit-commitment.pdf",
    response_class=Response,
    summary="The credit commitment to sign (信用承诺书)",
    description="信用修复申请材料之一，由本系统生成，当事人签字或盖章后提交。"
    "One of the application's materials, produced here for the subject to sign. No repair "
    "on application under the profile: 409 `credit_repair_not_available`.",
    responses={**PDF, **problem_responses(401, 403, 404, 409, 422)},
)
async def commitment_letter_pdf(
    session: SessionDep, _principal: Owned, ctx: ContextDep, restriction_id: uuid.UUID
) -> Response:
    content = await credit_repair_documents.commitment_letter_pdf(session, ctx, restriction_id)
    return Response(content, media_type="application/pdf")
