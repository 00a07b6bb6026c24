"""待办: what each department must do, with due dates and whether overdue."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.context import Context
from app.errors import UnprocessableEntity
from app.pagination import Page, decode_cursor, encode_cursor
from app.tasks.repository import NO_DUE, Key, TaskRepository
from app.tasks.schemas import TaskKind, TaskRead


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
    """The work of ``department`` (None: every department), as the route's scope narrowed
    it: clerks and verifiers see their own department's work; auditors any department's.

    Earliest due first (tasks with no due day last); the cursor is the last task's key.
    """
    rows = await TaskRepository(session).page(
        department,
        ctx.today,
        kind=kind,
        due_before=due_before,
        after=_decode(cursor),
        limit=limit + 1,
    )
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
    ]
    page = tasks[:limit]
    next_cursor = encode_cursor({"after": list(_encode(page[-1]))}) if len(tasks) > limit else None
    return Page[TaskRead](items=page, next_cursor=next_cursor)


def _encode(task: TaskRead) -> tuple[str, str, str]:
    return ((task.due_on or NO_DUE).isoformat(), task.kind.value, task.resource_id)


def _decode(cursor: str | None) -> Key | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor).get("after")
    try:
        due, kind, resource_id = position  # type: ignore[misc]
        uuid.UUID(str(resource_id))
        return (date.fromisoformat(due), TaskKind(kind).value, str(resource_id))
    except (TypeError, ValueError):
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor") from None
