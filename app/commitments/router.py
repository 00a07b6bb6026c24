from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.explain_schemas import ExplainQuery
from app.commitments import documents, orders, reads, signing, steps, verifications
from app.commitments.schemas import (
    CommitmentCreate,
    CommitmentRead,
    CommitmentSummary,
    NoteCreate,
    OrderReceiptCreate,
    ReasonCreate,
    ReminderCreate,
    RevocationCreate,
    SupervisionFeedbackCreate,
    SupplementCreate,
    VerificationCreate,
    VerificationRead,
    VerificationResultCreate,
)
from app.commitments.search_schemas import CommitmentSearch
from app.commitments.withdrawal_schemas import WithdrawalCreate
from app.core.clock import ClockDep
from app.core.context import Context
from app.core.dates import IsoDate
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.documents.schemas import PDF_RESPONSES as PDF
from app.web.auth import Principal
from app.web.authz import Authorized
from app.web.deprecation import deprecated_responses, successor_route
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import ListScope, Owned, Scope

router = APIRouter(prefix="/api/v1/commitments", tags=["commitments"], route_class=KeepingRoute)
# Searches by identifier take it in the body: a URL is written to every gateway's log.
COMMITMENT_SEARCH = "/api/v1/commitments/search"
verifications_router = APIRouter(
    prefix="/api/v1/verifications", tags=["commitments"], route_class=KeepingRoute
)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]
STEP_RESPONSES = problem_responses(401, 403, 404, 409, 412, 422)
_DATED = (
    " Dated `on`, the day it happened (default today): not after today "
    "(`step_date_in_future`), not before the step it follows "
    "(`step_date_before_previous_step`); a day before today needs `late_entry_reason`. "
    "Guards and deadlines count from that day."
)


def _context(request: Request, principal: Principal, clock: ClockDep) -> Context:
    return Context(principal, clock.now(), request.app.state.settings)


@router.post(
    "",
    response_model=CommitmentRead,
    status_code=201,
    summary="Sign a commitment from a passed credit check (签订承诺书)",
    description=(
        "The mode must be one the check allowed and the check still valid. All five "
        "affirmations of DZ art. 9 must be true; each false or missing one is named in the "
        "422. The notice (DZ art. 8) is snapshotted from the catalog version; the first "
        "deadline is computed with its citation. 签署日不早于信用核查日: a `signed_at` before "
        "the day of the credit check is 422 `step_date_before_previous_step` (a day after "
        "today: `step_date_in_future`), both dates in the problem. 暂未完全具备办理条件 "
        "(DZ art. 7 ¶3): a notify_commit letter may name `conditions_to_meet` (each one of "
        "the matter's 办理条件, split at `；`) and `meet_by`, after the signature and not after "
        "the matter's verification period counted from the end of its completion limit; "
        "the affirmation 已符合相关条件 then excludes them and the verification checks them "
        "from `meet_by` on. Refused with 422 `conditions_to_meet_not_offered` (tolerance, a "
        "matter exempt from verification, a profile without the reading), "
        "`conditions_to_meet_incomplete`, `condition_not_of_matter`, `meet_by_out_of_range`."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_commitment(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    body: CommitmentCreate,
) -> CommitmentRead:
    return await signing.create_commitment(session, _context(request, principal, clock), body)


async def _cases(
    session: AsyncSession, scope: Scope, ctx: Context, filters: CommitmentSearch
) -> Page[CommitmentSummary]:
    """The one service call of both list forms."""
    return await reads.list_commitments(
        session,
        ctx,
        subject=filters.subject.upper() if filters.subject else None,
        status=filters.status,
        department=scope.narrowed(filters.department),
        due_before=filters.due_before,
        limit=filters.limit,
        cursor=filters.cursor,
        late=filters.late,
    )


_CASES = (
    "Filter by the subject's identifier, status (as of today), department and due date "
    "(`current_due_on <= due_before`), and decisions made after their completion limit "
    "(`late=true`, 逾期办结, DZ art. 7 ¶3) or within it (`late=false`). Clerks and "
    "platforms see their department."
)


async def list_commitments(
    request: Request,
    session: SessionDep,
    principal: Authorized,
    scope: ListScope,
    clock: ClockDep,
    subject: Annotated[
        str | None,
        Query(
            max_length=18,
            deprecated=True,
            description=f"已弃用：身份证号码会写入网关日志，请改用 `POST {COMMITMENT_SEARCH}`。"
            "USCC or citizen ID; deprecated: an identifier in the query reaches every "
            "proxy's log.",
        ),
    ] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    department: Annotated[str | None, Query(max_length=32)] = None,
    due_before: IsoDate | None = None,
    late: Annotated[
        bool | None,
        Query(description="逾期办结: `true` decisions after the completion limit (DZ art. 7 ¶3)."),
    ] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[CommitmentSummary]:
    filters = CommitmentSearch.model_construct(
        subject=subject,
        status=status,
        department=department,
        due_before=due_before,
        late=late,
        limit=limit,
        cursor=cursor,
    )
    return await _cases(session, scope, _context(request, principal, clock), filters)


# Given `subject`, the GET form names its successor on every answer.
router.add_api_route(
    "",
    list_commitments,
    methods=["GET"],
    route_class_override=successor_route(COMMITMENT_SEARCH, KeepingRoute, parameter="subject"),
    response_model=Page[CommitmentSummary],
    summary="List commitments",
    description=f"{_CASES} 按主体检索请改用 `POST {COMMITMENT_SEARCH}`：`subject` 参数已弃用，"
    "带此参数的请求会收到 `Deprecation` 与 `Link` 响应头。"
    "Searching by subject: the `subject` parameter is deprecated, and an answer to a "
    'request giving it carries `Deprecation` and `Link: rel="successor-version"`.',
    responses=deprecated_responses(COMMITMENT_SEARCH, 401, 403, 422, parameter="subject"),
)


@router.post(
    "/search",
    response_model=Page[CommitmentSummary],
    status_code=200,
    summary="Search commitments (检索承诺案件)",
    description="查询条件放在请求体中，身份证号码不进入 URL（网关与代理日志不留存）。"
    f"The way to list by subject. {_CASES} Same filters and answer as `GET "
    "/api/v1/commitments`; page with `next_cursor`.",
    responses=problem_responses(401, 403, 422),
)
async def search_commitments(
    request: Request,
    session: SessionDep,
    principal: Authorized,
    scope: ListScope,
    clock: ClockDep,
    body: CommitmentSearch,
) -> Page[CommitmentSummary]:
    return await _cases(session, scope, _context(request, principal, clock), body)


@router.get(
    "/{commitment_id}",
    response_model=CommitmentRead,
    summary="Read a commitment with its notice, letter, deadlines and history",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_commitment(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    explain: ExplainQuery = False,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await reads.read_commitment(session, ctx, commitment_id, explain=explain)


@router.get(
    "/{commitment_id}/notice.pdf",
    response_class=Response,
    summary="The one-time notice as a printable PDF (一次性告知书)",
    responses={**PDF, **problem_responses(401, 403, 404, 422)},
)
async def commitment_notice_pdf(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
) -> Response:
    ctx = _context(request, principal, clock)
    content = await documents.notice_pdf(session, ctx, commitment_id)
    return Response(content, media_type="application/pdf")


@router.get(
    "/{commitment_id}/letter.pdf",
    response_class=Response,
    summary="The commitment letter as a printable PDF (承诺书)",
    responses={**PDF, **problem_responses(401, 403, 404, 422)},
)
async def letter_pdf(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
) -> Response:
    ctx = _context(request, principal, clock)
    content = await documents.letter_pdf(session, ctx, commitment_id)
    return Response(content, media_type="application/pdf")


@router.post(
    "/{commitment_id}/supplements",
    response_model=CommitmentRead,
    summary="Record materials received (补齐补正)",
    description="`compliant: false` leaves the case open: it counts as not supplemented. "
    "Materials made within the deadline (a postmark) and entered after it are in time." + _DATED,
    responses=STEP_RESPONSES,
)
async def record_supplement(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: SupplementCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await steps.record_supplement(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/decision",
    response_model=CommitmentRead,
    summary="Record the decision (办结 / 作出办理决定)",
    description="Tolerance: completes a supplemented case. Notify-commit: the decision starts "
    "the verification period; a matter exempt from verification is fulfilled at once. "
    "逾期办结：作出决定之日（`on`）晚于承诺办结期限 `decision_due` 的，答复与历史记录 "
    "`decision_late: true`（DZ art. 7 ¶3 当场或者在承诺办结时限内办结），以决定之日而非录入"
    "之日判断；期限届满当日办结的不逾期。" + _DATED,
    responses=STEP_RESPONSES,
)
async def record_decision(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: NoteCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await steps.record_decision(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/reminders",
    response_model=CommitmentRead,
    summary="Remind / order rectification on an overdue tolerance case (催告)",
    description="The deadline comes from the profile (LZ: 3 working days) or, where the "
    "profile leaves it to the agency, from `period` (DZ art. 13 ¶1), and counts from the "
    "reminder's service (经催告后): `service.method` in_person (default) that day; post or "
    "electronic the day of receipt, `service.received_on` or recorded later at "
    "`…/order-receipt`. Until then the case has no due day and cannot be terminated "
    "(409 `reminder_not_served`); a supplement meanwhile is in time. A receipt with an "
    "in-person service is 422 `received_on_not_for_in_person`." + _DATED,
    responses=STEP_RESPONSES,
)
async def send_reminder(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: ReminderCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await orders.send_reminder(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/order-receipt",
    response_model=CommitmentRead,
    summary="Record the receipt of a reminder or an order to rectify (送达回执)",
    description="The day the applicant received a reminder (tolerance) or an order to "
    "rectify (notify_commit) sent by post or electronically: its period counts from that "
    "day (the day not counted; DZ art. 13; LZ §5(1)2 经催告后). Not before the order, not "
    "after today; a day before today needs `late_entry_reason`. Once only, and not for an "
    "order served in person: 409 `order_receipt_not_awaited`.",
    responses=STEP_RESPONSES,
)
async def record_order_receipt(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: OrderReceiptCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await orders.record_order_receipt(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/withdrawal",
    response_model=CommitmentRead,
    summary="Withdraw the commitment with a reason (撤回承诺书, DZ art. 10)",
    description="申请人有合理理由的，可以撤回承诺书：理由类别 `reason_category`（条件变化、"
    "材料无法取得、改按一般程序、重复申请；`other` 其他须写明 `reason`，否则 422 "
    "`withdrawal_reason_missing`），记入历史。撤回后该事项按照一般程序办理：答复中 "
    "`next_step: ordinary`。A body with `reason` alone is a withdrawal for `other`. Only "
    "before completion or decision; afterwards 409 `transition_not_allowed`." + _DATED,
    responses=STEP_RESPONSES,
)
async def withdraw(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: WithdrawalCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await steps.withdraw(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/termination",
    response_model=CommitmentRead,
    summary="Terminate the case after the reminder deadline (终止办理)",
    description="Records its ground (`termination_ground`) from the case's record: no "
    "supplement at all is `non_submission` and proposes a restriction with situation "
    "`tolerance_unfulfilled` (LZ §5(1)2 经催告后仍未提交); a supplement that fell short "
    "is `deficient_submission` (DZ art. 13 ¶1 补齐补正不符合要求) and proposes none. Before "
    "the reminder's receipt is recorded: 409 `reminder_not_served`." + _DATED,
    responses=STEP_RESPONSES,
)
async def terminate(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: ReasonCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await orders.terminate(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/rectification",
    response_model=CommitmentRead,
    summary="Record rectification in time (整改到位): the commitment is fulfilled",
    responses=STEP_RESPONSES,
)
async def record_commitment_rectification(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: NoteCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await orders.record_rectification(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/revocation",
    response_model=CommitmentRead,
    summary="Revoke the decision (撤销办理结果, DZ art. 13 ¶2)",
    description="Proposes a restriction with situation `commitment_untrue` (LZ §5(1)2).",
    responses=STEP_RESPONSES,
)
async def revoke(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: RevocationCreate,
    if_match: IfMatch = None,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await orders.revoke(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/verifications",
    response_model=VerificationRead,
    status_code=201,
    summary="Open a verification (核查: online, onsite, assisted)",
    responses=STEP_RESPONSES,
)
async def open_verification(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: VerificationCreate,
    if_match: IfMatch = None,
) -> VerificationRead:
    ctx = _context(request, principal, clock)
    return await verifications.open_verification(session, ctx, commitment_id, body, if_match)


@router.post(
    "/{commitment_id}/supervision-feedback",
    response_model=CommitmentRead,
    summary="Regulator's supervision result back to the agency (DZ art. 12 ¶1)",
    description="监管结果反馈 (DZ art. 12): `conforms` closes the regulator's queue item; "
    "`nonconforming` gives the agency the task `order_rectification` (责令限期整改, DZ art. "
    "13 ¶2) due within the profile's `rectification_order`, shown in the read's "
    "`supervision`; `other` records the feedback only." + _DATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def supervision_feedback(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    commitment_id: uuid.UUID,
    body: SupervisionFeedbackCreate,
) -> CommitmentRead:
    ctx = _context(request, principal, clock)
    return await verifications.record_supervision_feedback(session, ctx, commitment_id, body)


@verifications_router.post(
    "/{verification_id}/result",
    response_model=VerificationRead,
    summary="Record a verification result (核查结果)",
    description="Fulfilled: the commitment is fulfilled. Not fulfilled: rectification is "
    "ordered within `rectification_period` (DZ art. 13 ¶2), counted from the order's "
    "service (`rectification_service`: in person that day; by post or electronically the "
    "day of receipt, recorded at `…/order-receipt`). 核查日不早于开启核查之日: a "
    "`checked_at` before the day the verification was opened is 422 "
    "`step_date_before_previous_step`, a day after today `step_date_in_future`, both "
    "dates in the problem. A letter with conditions to meet by `meet_by` is checked from "
    "that day on: a `checked_at` before it is 409 `conditions_not_yet_due` (DZ art. 9 ¶2).",
    responses=STEP_RESPONSES,
)
async def record_verification_result(
    request: Request,
    session: SessionDep,
    principal: Owned,
    clock: ClockDep,
    verification_id: uuid.UUID,
    body: VerificationResultCreate,
    if_match: IfMatch = None,
) -> VerificationRead:
    ctx = _context(request, principal, clock)
    return await verifications.record_verification_result(
        session, ctx, verification_id, body, if_match
    )
