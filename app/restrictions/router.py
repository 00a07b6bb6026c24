from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.explain_schemas import ExplainQuery
from app.core.context import Context, ContextDep, PublicContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.identifiers import SubjectType, normalize
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.credit_profiles import service as credit_profiles
from app.documents.schemas import PDF_RESPONSES as PDF
from app.restrictions import corrections, documents, lifting, notices, reads, register, steps
from app.restrictions.schemas import (
    CorrectionCreate,
    CreditProfileLookup,
    CreditProfileRead,
    LiftingDecisionCreate,
    LiftingRequestCreate,
    NoticeIssue,
    ObjectionCreate,
    PublicRestriction,
    PublicRestrictionSearch,
    ReceiptCreate,
    RectificationCreate,
    RestrictionCreate,
    RestrictionRead,
    RestrictionSearch,
    RestrictionSummary,
    ReviewCreate,
    StepCreate,
    SupervisionTarget,
)
from app.rules.lifecycles import Event
from app.supervision import service as supervision
from app.web.authz import Authorized
from app.web.deprecation import deprecated_responses, successor_route
from app.web.idempotency.transaction import KeepingRoute
from app.web.ownership import ListScope, Owned, Scope

router = APIRouter(prefix="/api/v1/restrictions", tags=["restrictions"], route_class=KeepingRoute)
# Lookups by identifier take it in the body: a URL is written to every gateway's log.
CREDIT_PROFILE_LOOKUP = "/api/v1/credit-profiles/lookup"
PUBLIC_SEARCH = "/api/v1/public/restrictions/search"
RESTRICTION_SEARCH = "/api/v1/restrictions/search"
lookups_router = APIRouter(tags=["restrictions"], route_class=KeepingRoute)
# The GET forms, kept for one release: every answer names its successor.
public_router = APIRouter(
    prefix="/api/v1/public/restrictions",
    tags=["restrictions"],
    route_class=successor_route(PUBLIC_SEARCH, KeepingRoute),
)
subjects_router = APIRouter(
    prefix="/api/v1/subjects",
    tags=["restrictions"],
    route_class=successor_route(CREDIT_PROFILE_LOOKUP, KeepingRoute),
)
supervision_router = APIRouter(
    prefix="/api/v1/supervision", tags=["restrictions"], route_class=KeepingRoute
)

IfMatch = Annotated[str | None, Header(max_length=64, description="The current `version`.")]
STEP = problem_responses(401, 403, 404, 409, 412, 422)


@router.post(
    "",
    response_model=RestrictionRead,
    status_code=201,
    summary="Collect a listing (信息采集, LZ §5(1)3)",
    description="The collecting department is the caller's; it alone verifies, notifies "
    "and corrects the listing (谁采集、谁核实、谁告知).",
    responses=problem_responses(401, 403, 409, 422),
)
async def collect(
    session: SessionDep, _principal: Authorized, ctx: ContextDep, body: RestrictionCreate
) -> RestrictionRead:
    return await steps.collect(session, ctx, body)


async def _listings(
    session: AsyncSession, scope: Scope, ctx: Context, filters: RestrictionSearch
) -> Page[RestrictionSummary]:
    """The one service call of both list forms."""
    return await reads.list_restrictions(
        session,
        ctx,
        department=scope.department,
        status=filters.status,
        subject=normalize(filters.subject) if filters.subject else None,
        limit=filters.limit,
        cursor=filters.cursor,
    )


async def list_restrictions(
    session: SessionDep,
    scope: ListScope,
    ctx: ContextDep,
    status: Annotated[str | None, Query(max_length=32)] = None,
    subject: Annotated[
        str | None,
        Query(
            max_length=40,
            deprecated=True,
            description=f"已弃用：身份证号码会写入网关日志，请改用 `POST {RESTRICTION_SEARCH}`。"
            "Deprecated: an identifier in the query reaches every proxy's log.",
        ),
    ] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[RestrictionSummary]:
    filters = RestrictionSearch.model_construct(
        status=status, subject=subject, limit=limit, cursor=cursor
    )
    return await _listings(session, scope, ctx, filters)


_LISTINGS = "Listings collected by the caller's department (auditors: every department)."
# Given `subject`, the GET form names its successor on every answer.
router.add_api_route(
    "",
    list_restrictions,
    methods=["GET"],
    route_class_override=successor_route(RESTRICTION_SEARCH, KeepingRoute, parameter="subject"),
    response_model=Page[RestrictionSummary],
    summary="List the department's listings, proposals included",
    description=f"{_LISTINGS} 按主体检索请改用 `POST {RESTRICTION_SEARCH}`：`subject` 参数已弃用，"
    "带此参数的请求会收到 `Deprecation` 与 `Link` 响应头。"
    "Searching by subject: the `subject` parameter is deprecated, and an answer to a "
    'request giving it carries `Deprecation` and `Link: rel="successor-version"`.',
    responses=deprecated_responses(RESTRICTION_SEARCH, 401, 403, 422, parameter="subject"),
)


@router.post(
    "/search",
    response_model=Page[RestrictionSummary],
    status_code=200,
    summary="Search the department's listings (检索本部门失信制约信息)",
    description="查询条件放在请求体中，身份证号码不进入 URL（网关与代理日志不留存）。"
    f"The way to list by subject. {_LISTINGS} Same filters and answer as `GET "
    "/api/v1/restrictions`; page with `next_cursor`.",
    responses=problem_responses(401, 403, 422),
)
async def search_restrictions(
    session: SessionDep, scope: ListScope, ctx: ContextDep, body: RestrictionSearch
) -> Page[RestrictionSummary]:
    return await _listings(session, scope, ctx, body)


@router.get(
    "/{restriction_id}",
    response_model=RestrictionRead,
    summary="Read a listing with its dates, derived by date",
    responses=problem_responses(401, 403, 404, 422),
)
async def read_restriction(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    explain: ExplainQuery = False,
) -> RestrictionRead:
    return await reads.read_restriction(session, ctx, restriction_id, explain=explain)


_DATED = (
    "步骤日期：请求体可带 `on`（发生日，默认今日），"
    "早于今日须写明 `late_entry_reason`（补录原因）。"
    "Dated `on` the day it happened (default today); deadlines count from it. After "
    "today: 422 `step_date_in_future`; before the step it follows: 422 "
    "`step_date_before_previous_step` (both dates in the problem); before today without "
    "`late_entry_reason`: 422 `late_entry_reason_required`."
)


def _simple_step(event: Event, summary: str, description: str) -> Any:
    async def step(
        session: SessionDep,
        _principal: Owned,
        ctx: ContextDep,
        restriction_id: uuid.UUID,
        body: StepCreate | None = None,
        if_match: IfMatch = None,
    ) -> RestrictionRead:
        return await steps.take_step(session, ctx, restriction_id, event, if_match, data=body)

    step.__name__ = f"restriction_{event.value}"
    return router.post(
        "/{restriction_id}/"
        + {
            Event.TAKE_UP: "take-up",
            Event.DISMISS: "dismissal",
            Event.VERIFY: "verification",
            Event.PUBLISH: "publication",
        }[event],
        response_model=RestrictionRead,
        summary=summary,
        description=f"{description} {_DATED}",
        responses=STEP,
    )(step)


_simple_step(
    Event.TAKE_UP,
    "Take up a proposal from a breached commitment",
    "A proposal (`proposed`) becomes a collected listing; a person determines it.",
)
_simple_step(
    Event.DISMISS,
    "Dismiss a proposal",
    "The proposal is not pursued; it is withdrawn and never published.",
)
_simple_step(
    Event.VERIFY,
    "Verify a listing (信息核实)",
    "By the collecting department; the listing notice is due 3 working days later.",
)
_simple_step(
    Event.PUBLISH,
    "Publish a confirmed listing (公布)",
    "Starts the 6-month management period (LZ §5(1)5), restarted by a new listing.",
)


@router.post(
    "/{restriction_id}/notice",
    response_model=RestrictionRead,
    summary="Issue the listing notice (告知书)",
    description="Due 3 working days after verification; issuing late is allowed and "
    f"recorded as late (`dates.notice_late`). {_DATED}",
    responses=STEP,
)
async def issue_notice(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: NoticeIssue,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await notices.issue_notice(session, ctx, restriction_id, body, if_match)


@router.get(
    "/{restriction_id}/notice.pdf",
    response_class=Response,
    summary="The listing notice as a printable PDF (政务服务失信制约认定告知书)",
    responses={**PDF, **problem_responses(401, 403, 404, 422)},
)
async def listing_notice_pdf(
    session: SessionDep, _principal: Owned, ctx: ContextDep, restriction_id: uuid.UUID
) -> Response:
    content = await documents.notice_pdf(session, ctx, restriction_id)
    return Response(content, media_type="application/pdf")


@router.post(
    "/{restriction_id}/notice/receipt",
    response_model=RestrictionRead,
    summary="Record the day the subject received the notice",
    description="The 3-working-day objection window counts from this day (LZ §5(1)4). "
    "`received_on` is the step's day: not before the notice, not after today; before today "
    "with `late_entry_reason`.",
    responses=STEP,
)
async def record_receipt(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: ReceiptCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await notices.record_receipt(
        session, ctx, restriction_id, body.received_on, if_match, body.late_entry_reason
    )


@router.post(
    "/{restriction_id}/objections",
    response_model=RestrictionRead,
    status_code=201,
    summary="File a statement and defence (陈述申辩)",
    description="Within 3 working days of receipt, judged by the day it was made (`on`; a "
    "mailed statement: its postmark), so a statement entered after the window is in time; "
    f"made later: 409 `objection_window_closed`. {_DATED}",
    responses=STEP,
)
async def file_objection(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: ObjectionCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await notices.file_objection(session, ctx, restriction_id, body, if_match)


@router.post(
    "/{restriction_id}/objections/{objection_id}/review",
    response_model=RestrictionRead,
    summary="Review an objection (复核): upheld or overturned",
    description=f"Due 15 working days after the objection. Overturned: never effective. {_DATED}",
    responses=STEP,
)
async def review_objection(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    objection_id: uuid.UUID,
    body: ReviewCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await notices.review_objection(
        session, ctx, restriction_id, objection_id, body, if_match
    )


@router.post(
    "/{restriction_id}/rectification",
    response_model=RestrictionRead,
    summary="Record rectification with evidence (整改)",
    description="Rectified within the period: repaired the day after it ends. Not "
    f"rectified: stays effective until rectification is recorded (LZ §5(1)5). {_DATED}",
    responses=STEP,
)
async def record_listing_rectification(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: RectificationCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await lifting.record_rectification(session, ctx, restriction_id, body, if_match)


@router.post(
    "/{restriction_id}/lifting-requests",
    response_model=RestrictionRead,
    status_code=201,
    summary="Ask for early lifting after rectification (申请取消限制, DZ art. 15 ¶2)",
    description="Decided within 5 days (working days by default, profile parameter), "
    f"counted from the request's day. {_DATED}",
    responses=STEP,
)
async def request_lifting(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: LiftingRequestCreate,
) -> RestrictionRead:
    return await lifting.request_lifting(session, ctx, restriction_id, body)


@router.post(
    "/{restriction_id}/lifting-requests/{request_id}/decision",
    response_model=RestrictionRead,
    summary="Decide a lifting request: lifted or refused, with reasons",
    description=_DATED,
    responses=STEP,
)
async def decide_lifting(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    request_id: uuid.UUID,
    body: LiftingDecisionCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await lifting.decide_lifting(session, ctx, restriction_id, request_id, body, if_match)


@router.post(
    "/{restriction_id}/corrections",
    response_model=RestrictionRead,
    summary="Correct or remove a listing (更正/移除)",
    description="Within 2 working days of discovering the error (LZ §5(1)4); a later "
    "correction is still made and flagged `late`. Field changes keep before and after. "
    "`discovered_on` is not before the listing's collection nor after the correction's "
    f"day. {_DATED}",
    responses=STEP,
)
async def correct(
    session: SessionDep,
    _principal: Owned,
    ctx: ContextDep,
    restriction_id: uuid.UUID,
    body: CorrectionCreate,
    if_match: IfMatch = None,
) -> RestrictionRead:
    return await corrections.correct(session, ctx, restriction_id, body, if_match)


_PUBLIC_LIST = (
    "Effective listings only, searchable by exact name or identifier. Personal names and "
    "citizen ID numbers are masked; organisations are shown in full. Repaired, lifted or "
    "withdrawn listings never appear."
)
_CREDIT_PROFILE = (
    "Effective listings, the restriction's end, commitments and credit record. A clerk "
    "sees their own department's detail and only the effect of others'. Audited."
)


@lookups_router.post(
    PUBLIC_SEARCH,
    response_model=Page[PublicRestriction],
    status_code=200,
    summary="Search the public restriction list (检索失信制约名单), no login",
    description="查询条件放在请求体中，身份证号码不进入 URL（网关与代理日志不留存）。"
    f"The way to search by name or identifier. {_PUBLIC_LIST} Page with `next_cursor`.",
    responses=problem_responses(422),
)
async def search_public_restrictions(
    session: SessionDep, ctx: PublicContextDep, body: PublicRestrictionSearch
) -> Page[PublicRestriction]:
    return await register.public_list(
        session,
        ctx,
        name=body.name,
        id_number=normalize(body.id_number) if body.id_number else None,
        limit=body.limit,
        cursor=body.cursor,
    )


@lookups_router.post(
    CREDIT_PROFILE_LOOKUP,
    response_model=CreditProfileRead,
    status_code=200,
    summary="Look up a subject's credit profile (查询信用档案)",
    description="主体标识放在请求体中，不进入 URL。"
    f"The way to read a credit profile. {_CREDIT_PROFILE}",
    responses=problem_responses(401, 403, 422),
)
async def look_up_credit_profile(
    session: SessionDep, _principal: Authorized, ctx: ContextDep, body: CreditProfileLookup
) -> CreditProfileRead:
    return await credit_profiles.credit_profile(session, ctx, body.subject_type, body.id_number)


@public_router.get(
    "",
    response_model=Page[PublicRestriction],
    summary="The public restriction list (失信制约名单), no login — deprecated",
    description=f"已弃用：请改用 `POST {PUBLIC_SEARCH}`，本接口保留一个版本。"
    f"Deprecated: an `id_number` in the query reaches every proxy's log; call "
    f"`POST {PUBLIC_SEARCH}`. Kept for one release. {_PUBLIC_LIST}",
    deprecated=True,
    responses=deprecated_responses(PUBLIC_SEARCH, 422),
)
async def public_restrictions(
    session: SessionDep,
    ctx: PublicContextDep,
    name: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    id_number: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[PublicRestriction]:
    return await register.public_list(
        session,
        ctx,
        name=name,
        id_number=normalize(id_number) if id_number else None,
        limit=limit,
        cursor=cursor,
    )


@subjects_router.get(
    "/{subject_type}/{id_number}/credit-profile",
    response_model=CreditProfileRead,
    summary="A subject's credit profile (信用档案) — deprecated",
    description=f"已弃用：请改用 `POST {CREDIT_PROFILE_LOOKUP}`，本接口保留一个版本。"
    f"Deprecated: the identifier in the path reaches every proxy's log; call "
    f"`POST {CREDIT_PROFILE_LOOKUP}`. Kept for one release. {_CREDIT_PROFILE}",
    deprecated=True,
    responses=deprecated_responses(CREDIT_PROFILE_LOOKUP, 401, 403, 422),
)
async def credit_profile(
    session: SessionDep,
    _principal: Authorized,
    ctx: ContextDep,
    subject_type: SubjectType,
    id_number: Annotated[str, Path(min_length=1, max_length=40)],
) -> CreditProfileRead:
    return await credit_profiles.credit_profile(
        session, ctx, subject_type, id_number, "path.id_number"
    )


@supervision_router.get(
    "/targets",
    response_model=Page[SupervisionTarget],
    summary="Key inspection targets (重点核查对象, LZ §5(2)2)",
    description="Subjects with effective listings collected in the regulator's region or "
    "from commitments on matters it regulates.",
    responses=problem_responses(401, 403, 422),
)
async def supervision_targets(
    session: SessionDep,
    scope: ListScope,
    ctx: ContextDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[SupervisionTarget]:
    return await supervision.supervision_targets(session, ctx, scope.department, limit, cursor)
