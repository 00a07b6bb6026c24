"""The regulator's queue (监管事项, DZ art. 12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.context import ContextDep
from app.core.dates import IsoDate
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.departments.schemas import DEPARTMENT_CODE_PATTERN
from app.supervision import queue
from app.supervision.schemas import SupervisionItem, SupervisionStatus
from app.web.ownership import ListScope

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision"])

_Regulator = Annotated[
    str | None,
    Query(
        pattern=DEPARTMENT_CODE_PATTERN,
        description="行业主管部门: only the caller's own (auditors: any).",
    ),
]
_Agency = Annotated[
    str | None, Query(pattern=DEPARTMENT_CODE_PATTERN, description="政务服务实施机关.")
]


@router.get(
    "/commitments",
    response_model=Page[SupervisionItem],
    summary="The regulator's commitments to supervise (监管事项, DZ art. 12)",
    description="行业主管部门的监管事项: the decided 告知承诺 commitments of the matters the "
    "department regulates (the catalog version's `regulator_department`) — matters exempt "
    "from verification, left to its routine supervision (日常监管: 双随机、一公开, 重点监管, "
    "互联网+监管, 智慧监管, DZ art. 12 ¶2), and, where agency and regulator differ, matters "
    "whose verification content is under in-process supervision (事中事后监管, ¶1). Filters: "
    "`matter`, `agency` (实施机关), `decided_from`/`decided_to` (办理决定日, inclusive), "
    "`status` (open 待监管, nonconforming 已反馈不符合, closed 已反馈符合); without `status` "
    "the open and nonconforming ones. Earliest decision first, paged by cursor. A feedback "
    "(`links`) `conforms` closes the item; `nonconforming` gives the agency the task "
    "`order_rectification` (DZ art. 13 ¶2). Regulators see their own department's items, "
    "auditors any (`department`). The read is audited.",
    responses=problem_responses(401, 403, 422),
)
async def list_supervised_commitments(
    session: SessionDep,
    scope: ListScope,
    ctx: ContextDep,
    department: _Regulator = None,
    matter: Annotated[str | None, Query(max_length=64, description="事项编码.")] = None,
    agency: _Agency = None,
    decided_from: Annotated[
        IsoDate | None, Query(description="办理决定日不早于该日 (inclusive).")
    ] = None,
    decided_to: Annotated[
        IsoDate | None, Query(description="办理决定日不晚于该日 (inclusive).")
    ] = None,
    status: Annotated[
        SupervisionStatus | None,
        Query(
            description="open 待监管, nonconforming 已反馈不符合, closed 已反馈符合; "
            "default: open and nonconforming."
        ),
    ] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[SupervisionItem]:
    return await queue.list_supervised_commitments(
        session,
        ctx,
        regulator=scope.narrowed(department),
        matter=matter,
        agency=agency,
        decided_from=decided_from,
        decided_to=decided_to,
        status=status,
        limit=limit,
        cursor=cursor,
    )
