"""待办: what each department must do, with due dates and whether overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import Role
from app.context import Context
from app.errors import Forbidden, UnprocessableEntity
from app.pagination import Page, decode_cursor, encode_cursor
from app.tasks.repository import TaskRepository
from app.tasks.schemas import TaskKind, TaskRead

_NO_DUE = date.max


async def list_tasks(
    session: AsyncSession,
    ctx: Context,
    *,
    department: str | None,
    kind: TaskKind | None,
    due_before: date | None,
    limit: int,
    cursor: str | None,
) -> Page[TaskRead]:
    """Clerks and verifiers see their own department's work; auditors any department's."""
    if Role.auditor not in ctx.principal.roles:
        if department is not None and department != ctx.principal.department:
            raise Forbidden("Tasks are listed by department.", code="department_forbidden")
        department = ctx.principal.department
    rows = await TaskRepository(session).tasks(department, ctx.today)
    tasks = [
        TaskRead(
            kind=k,
            department=dept,
            resource_type=resource,
            resource_id=rid,
            due_on=due,
            overdue=due is not None and ctx.today > due,
        )
        for k, dept, resource, rid, due in rows
        if (kind is None or k is kind) and (due_before is None or (due and due <= due_before))
    ]
    tasks.sort(key=_key)
    start = 0
    if cursor is not None:
        position = decode_cursor(cursor).get("after")
        if not isinstance(position, list) or len(position) != 3:
            raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
        after = (str(position[0]), str(position[1]), str(position[2]))
        start = next((i for i, t in enumerate(tasks) if _key(t) > after), len(tasks))
    page = tasks[start : start + limit]
    more = start + limit < len(tasks)
    next_cursor = encode_cursor({"after": list(_key(page[-1]))}) if more and page else None
    return Page[TaskRead](items=page, next_cursor=next_cursor)


def _key(task: TaskRead) -> tuple[str, str, str]:
    return ((task.due_on or _NO_DUE).isoformat(), task.kind.value, task.resource_id)
