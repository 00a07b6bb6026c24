"""Routes of the end an unrectified listing can reach (LZ §5(1)5): the repair notice and
its PDF, proof of rectification and its decision (app.restrictions.repair)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response

from app.core.context import ContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.documents.schemas import PDF_RESPONSES as PDF
from app.restrictions import repair, repair_documents
from app.restrictions.repair_schemas import (
    RepairApplicationCreate,
    RepairDecisionCreate,
    RepairNoticeIssue,
    RepairNoticeReceipt,
    RepairRead,
)
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import Owned

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]
STEP = problem_responses(401, 403, 404, 409, 412, 422)
_DATED = (
    "步骤日期：请求体可带 `on`（发生日，默认今日），"
    "早于今日须写明 `late_entry_reason`（补录原因）。"
    "Dated `on` the day it happened (default today): after today 422 `step_date_in_future`; "
    "before the step it follows 422 `step_date_before_previous_step`; before today without "
    "`late_entry_reason` 422 `late_entry_reason_required`."
)
_KEPT = (
    "管理期限届满而原失信行为未整改的，名单继续有效（LZ §5(1)5）。"
    "A listing whose period ends unrectified stays effective (LZ §5(1)5)."
)


@router.get(
    "/{restriction_id}/repair",
    response_model=RepairRead,
    summary="Where a listing stands on its way to repair (信用修复进度)",
    description=f"{_KEPT} 整改告知书、尚待整改的事项及证明方式、已提交的整改证明及认定结果。"
    "The repair notice, what remains to rectify and how to prove it (per situation, from "
    "the profile), and the proof filed with its decision; derived by date.",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_listing_repair(
    session: SessionDep, _principal: Owned, ctx: ContextDep, restriction_id: uuid.UUID
) -> RepairRead:
    return await repair.read_repair(session, ctx, restriction_id)


@router.post(
    "/{restriction_id}/repair-notice",
    response_model=RepairRead,
    summary="Serve the repair notice after an unrectified period end (整改告知书)",
    description=f"{_KEPT} 自期满次日起，认定部门书面告知当事人尚待整改的事项及证明方式，"
    "期限见规则配置 `repair_notice`（自期满日起3个工作日）；逾期送达照常记录并标注 `late`。"
    "From the day after the period end; due within the profile's `repair_notice` of the "
    "end; later is allowed and recorded late. Before the period end: 409 "
    "`management_period_running`; rectification recorded: 409 `rectification_recorded`; "
    f"already served: 409 `repair_notice_issued`. {_DATED}",
    responses=STEP,
)
async def issue_repair_notice(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: RepairNoticeIssue,
    if_match: IfMatch = None,
) -> RepairRead:
    return await repair.issue_repair_notice(session, ctx, restriction_id, body, if_match)


@router.get(
    "/{restriction_id}/repair-notice.pdf",
    response_class=Response,
    summary="The repair notice as a printable PDF (政务服务失信制约整改告知书)",
    description="尚待整改的事项、证明方式、提交途径与认定期限，附LZ §5(1)5原文。"
    "What remains to rectify, how to prove it, where to file and the decision limit. Before "
    "the period has ended unrectified: 409 `repair_notice_not_due`.",
    responses={**PDF, **problem_responses(401, 403, 404, 409, 422)},
)
async def repair_notice_pdf(
    session: SessionDep, _principal: Owned, ctx: ContextDep, restriction_id: uuid.UUID
) -> Response:
    content = await repair_documents.repair_notice_pdf(session, ctx, restriction_id)
    return Response(content, media_type="application/pdf")


@router.post(
    "/{restriction_id}/repair-notice/receipt",
    response_model=RepairRead,
    summary="Record the day the subject received the repair notice (签收)",
    description="邮寄送达的以签收日为准。`received_on` is the step's day: not before the "
    "notice, not after today; before today with `late_entry_reason`. No notice: 409 "
    "`repair_notice_not_issued`; recorded already: 409 `repair_notice_receipt_recorded`.",
    responses=STEP,
)
async def record_repair_notice_receipt(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: RepairNoticeReceipt,
    if_match: IfMatch = None,
) -> RepairRead:
    return await repair.record_repair_notice_receipt(session, ctx, restriction_id, body, if_match)


@router.post(
    "/{restriction_id}/repair-applications",
    response_model=RepairRead,
    status_code=201,
    summary="File proof of rectification (提交整改证明 / 信用修复申请)",
    description="当事人（经政务服务平台，或由窗口人员代为录入）在名单有效期间随时可提交，"
    "期满前后均可；认定期限见规则配置 `repair_decision`（自提交之日起5个工作日）。"
    "At any time while the listing is effective, before or after its period end; decided "
    "within the profile's `repair_decision`. Listing repaired, lifted or withdrawn: 409 "
    "`listing_not_effective`; rectification recorded: 409 `rectification_recorded`; proof "
    f"awaiting decision: 409 `repair_application_pending`. {_DATED}",
    responses=STEP,
)
async def file_repair_application(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: RepairApplicationCreate,
) -> RepairRead:
    return await repair.file_repair_application(session, ctx, restriction_id, body)


@router.post(
    "/{restriction_id}/repair-applications/{application_id}/decision",
    response_model=RepairRead,
    summary="Decide on proof of rectification: rectified or not, with reasons (整改认定)",
    description="认定已整改：管理期限已届满的，当日完成信用修复；期满前认定的，期满次日修复。"
    "认定未整改：说明理由，名单继续有效，当事人可再次提交。"
    "Rectified: repaired the same day after the period end, the day after it before. Not "
    "rectified: reasons given, the listing stays effective, the subject may file again. "
    "Unknown: 404 `repair_application_not_found`; decided already: 409 "
    f"`repair_application_decided`. {_DATED}",
    responses=STEP,
)
async def decide_repair_application(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    body: RepairDecisionCreate,
    if_match: IfMatch = None,
) -> RepairRead:
    return await repair.decide_repair_application(
        session, ctx, restriction_id, application_id, body, if_match
    )
