from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.context import ContextDep
from app.core.dates import IsoDate
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.tasks import service
from app.tasks.schemas import TaskKind, TaskRead
from app.web.ownership import ListScope

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get(
    "",
    response_model=Page[TaskRead],
    summary="Work due by department (待办)",
    description="各部门待办, 自工作产生之日起列出: listing notices to issue, objections to "
    "review, verifications to carry out (on-site ones assigned by another agency included), "
    "tolerance cases awaiting their supplement (容缺待补正, due on the supplement or reminder "
    "deadline) and then a reminder or a termination, the receipt of a reminder or an order "
    "to rectify sent by post to record (送达回执待登记, no due day: its period waits on it), "
    "lifting requests to decide (with the "
    "listing's id), and more; earliest due first. Each task names its matter (事项), its "
    "subject masked (主体, 脱敏) and the URL of each step that resolves it (`links`, POST).",
    responses=problem_responses(401, 403, 422),
)
async def list_tasks(
    session: SessionDep,
    scope: ListScope,
    ctx: ContextDep,
    department: Annotated[str | None, Query(max_length=32)] = None,
    kind: TaskKind | None = None,
    due_before: IsoDate | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[TaskRead]:
    return await service.list_tasks(
        session,
        ctx,
        department=scope.narrowed(department),
        kind=kind,
        due_before=due_before,
        limit=limit,
        cursor=cursor,
    )
