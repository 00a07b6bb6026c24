"""信用承诺公示: the public list of commitments, no login (like the public restriction
list: persons masked, paged, the organisation's code searched in a body, never a URL)."""

from __future__ import annotations

from fastapi import APIRouter

from app.commitments import register
from app.commitments.register_schemas import PublicCommitment, PublicCommitmentSearch
from app.core.context import PublicContextDep
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.identifiers import normalize
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.web.idempotency.transaction import KeepingRoute

PUBLIC_COMMITMENTS = "/api/v1/public/commitments"
public_router = APIRouter(prefix=PUBLIC_COMMITMENTS, tags=["commitments"], route_class=KeepingRoute)

_LIST = (
    "只列出受理单位确定为“可向社会公开”的信用承诺；“特定范围公开”和“不公开”的承诺从不出现。"
    "自然人姓名和身份证号码遮蔽，法人和非法人组织全称与统一社会信用代码照示。按承诺日期由近及远"
    "排列，以 `next_cursor` 翻页。Commitments classed `public` only, newest signing day "
    "first; a natural person's name and ID number masked. Each shows its number, type, "
    "cause, content, liability for breach, signing day, accepting unit and fulfilment "
    "(derived from its case on the day asked)."
)


@public_router.get(
    "",
    response_model=Page[PublicCommitment],
    summary="The public list of commitments (信用承诺公示), no login",
    description=f"{_LIST} 按统一社会信用代码检索请用 `POST {PUBLIC_COMMITMENTS}/search`"
    "（代码放在请求体中，不进入 URL）。",
    responses=problem_responses(422),
)
async def list_public_commitments(
    session: SessionDep,
    ctx: PublicContextDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[PublicCommitment]:
    return await register.public_list(session, ctx, uscc=None, limit=limit, cursor=cursor)


@public_router.post(
    "/search",
    response_model=Page[PublicCommitment],
    status_code=200,
    summary="Search the public list of commitments by organisation (检索信用承诺公示), no login",
    description="查询条件放在请求体中，统一社会信用代码不进入 URL（网关与代理日志不留存）。"
    f"`uscc`: one organisation's commitments (a code naming no organisation lists none). "
    f"{_LIST}",
    responses=problem_responses(422),
)
async def search_public_commitments(
    session: SessionDep, ctx: PublicContextDep, body: PublicCommitmentSearch
) -> Page[PublicCommitment]:
    return await register.public_list(
        session,
        ctx,
        uscc=normalize(body.uscc) if body.uscc else None,
        limit=body.limit,
        cursor=body.cursor,
    )
