"""待办: what each department must do, with due dates and whether overdue."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.errors import UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.privacy.masking import masked_identity
from app.tasks.kinds import NO_DUE, Key, Row
from app.tasks.repository import TaskRepository
from app.tasks.schemas import TaskKind, TaskLink, TaskRead, TaskSubject

_COMMITMENTS = "/api/v1/commitments/{commitment}"
_LISTINGS = "/api/v1/restrictions/{listing}"
# The step routes that resolve each kind of task, by name and URL.
_STEPS: dict[TaskKind, tuple[tuple[str, str], ...]] = {
    TaskKind.take_up_proposal: (
        ("take-up", _LISTINGS + "/take-up"),
        ("dismissal", _LISTINGS + "/dismissal"),
    ),
    TaskKind.issue_listing_notice: (("notice", _LISTINGS + "/notice"),),
    TaskKind.review_objection: (("review", _LISTINGS + "/objections/{objection}/review"),),
    TaskKind.decide_lifting: (("decision", _LISTINGS + "/lifting-requests/{resource}/decision"),),
    TaskKind.await_supplement: (("supplements", _COMMITMENTS + "/supplements"),),
    TaskKind.send_reminder: (("reminders", _COMMITMENTS + "/reminders"),),
    TaskKind.terminate_or_accept: (
        ("supplements", _COMMITMENTS + "/supplements"),
        ("termination", _COMMITMENTS + "/termination"),
    ),
    TaskKind.decide_commitment: (("decision", _COMMITMENTS + "/decision"),),
    TaskKind.carry_out_verification: (("result", "/api/v1/verifications/{resource}/result"),),
    TaskKind.follow_rectification: (
        ("rectification", _COMMITMENTS + "/rectification"),
        ("revocation", _COMMITMENTS + "/revocation"),
    ),
    TaskKind.issue_repair_notice: (("repair-notice", _LISTINGS + "/repair-notice"),),
    TaskKind.decide_repair: (("decision", _LISTINGS + "/repair-applications/{resource}/decision"),),
    TaskKind.correct_listing: (
        ("corrections", _LISTINGS + "/corrections"),
        ("rejection", _LISTINGS + "/correction-duties/{resource}/rejection"),
    ),
    TaskKind.record_order_receipt: (("order-receipt", _COMMITMENTS + "/order-receipt"),),
    TaskKind.order_rectification: (("rectification-order", _COMMITMENTS + "/rectification-order"),),
}


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
    today = ctx.today  # a property computed on each read
    rows = await TaskRepository(session).page(
        department,
        today,
        kind=kind,
        due_before=due_before,
        after=_decode(cursor),
        limit=limit + 1,
    )
    # the matter, the masked subject and the next steps, as the page's statement read them
    tasks = [_task(row, today) for row in rows[: limit + 1]]
    page = tasks[:limit]
    next_cursor = encode_cursor({"after": list(_encode(page[-1]))}) if len(tasks) > limit else None
    return Page[TaskRead](items=page, next_cursor=next_cursor)


def _task(row: Row, today: date) -> TaskRead:
    ids = {
        "resource": row.resource_id,
        "listing": row.case_id,
        "commitment": row.case_id,
        "objection": row.objection_id or "",
    }
    links = [
        TaskLink(step=step, href=template.format(**ids))
        for step, template in _STEPS[row.kind]
        if "{objection}" not in template or row.objection_id is not None
    ]
    return TaskRead(
        kind=row.kind,
        department=row.department,
        resource_type=row.resource_type,
        resource_id=row.resource_id,
        listing_id=row.case_id if row.on_listing else None,
        commitment_id=None if row.on_listing else row.case_id,
        due_on=row.due_on,
        overdue=row.due_on is not None and today > row.due_on,
        matter_code=row.matter_code,
        subject=None if row.subject is None else _subject(*row.subject),
        links=links,
    )


def _subject(subject_type: str, name: str, id_number: str) -> TaskSubject:
    name, id_number = masked_identity(subject_type, name, id_number)
    return TaskSubject(subject_type=subject_type, name=name, id_number=id_number)


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
