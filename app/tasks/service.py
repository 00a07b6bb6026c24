"""待办: what each department must do, with due dates and whether overdue."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.errors import UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.privacy.masking import masked_identity
from app.subjects.models import Subject
from app.tasks.repository import NO_DUE, Key, Row, TaskRepository
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
    repository = TaskRepository(session)
    rows = await repository.page(
        department,
        ctx.today,
        kind=kind,
        due_before=due_before,
        after=_decode(cursor),
        limit=limit + 1,
    )
    tasks = await _read(repository, rows[: limit + 1], ctx.today)
    page = tasks[:limit]
    next_cursor = encode_cursor({"after": list(_encode(page[-1]))}) if len(tasks) > limit else None
    return Page[TaskRead](items=page, next_cursor=next_cursor)


async def _read(repository: TaskRepository, rows: list[Row], today: date) -> list[TaskRead]:
    """The tasks of a page with the matter, the masked subject and the next steps: a few
    reads of the page's cases by id, whatever the size of the tables."""
    listings = {_case(row) for row in rows if _listing(row)}
    commitments = {_case(row) for row in rows if not _listing(row)}
    listing_details = await repository.restriction_details(listings)
    commitment_details = await repository.commitment_details(commitments)
    objections = await repository.pending_objections(
        {uuid.UUID(row[3]) for row in rows if row[0] is TaskKind.review_objection}
    )
    tasks = []
    for row in rows:
        kind, department, resource, resource_id, due, _ = row
        case = _case(row)
        matter, subject = (listing_details if _listing(row) else commitment_details).get(
            case, (None, None)
        )
        ids = {
            "resource": resource_id,
            "listing": str(case),
            "commitment": str(case),
            "objection": str(objections.get(case, "")),
        }
        links = [
            TaskLink(step=step, href=template.format(**ids))
            for step, template in _STEPS[kind]
            if "{objection}" not in template or case in objections
        ]
        tasks.append(
            TaskRead(
                kind=kind,
                department=department,
                resource_type=resource,
                resource_id=resource_id,
                listing_id=str(case) if _listing(row) else None,
                commitment_id=None if _listing(row) else str(case),
                due_on=due,
                overdue=due is not None and today > due,
                matter_code=matter,
                subject=None if subject is None else _subject(subject),
                links=links,
            )
        )
    return tasks


def _listing(row: Row) -> bool:
    return row[2] in ("restriction", "lifting_request", "repair_application", "correction_duty")


def _case(row: Row) -> uuid.UUID:
    """The listing or commitment the task is on."""
    return uuid.UUID(row[5] or row[3])


def _subject(subject: Subject) -> TaskSubject:
    name, id_number = masked_identity(subject.subject_type, subject.name, subject.id_number)
    return TaskSubject(subject_type=subject.subject_type, name=name, id_number=id_number)


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
