"""The outbox: record events with the state change; sequence them into the feed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.events.models import Event
from app.events.repository import EventRepository
from app.events.schemas import EventPage, EventRead
from app.privacy.masking import masked_identity
from app.rules.disclosure import Audience
from app.subjects.models import Subject
from app.subjects.repository import SubjectRepository

# Events reported to the public credit information platform (DZ art. 14; LZ §5(1)4):
# outcomes of commitments and listings that are published, lifted, repaired or removed.
REPORTED_TYPES = frozenset(
    {
        "credit_record.appended",
        "restriction.publish",
        "restriction.repair",
        "restriction.grant_credit_repair",  # 信用修复申请 granted (NDRC order 36 art. 3)
        "restriction.lift",
        "restriction.correct_remove",
    }
)


async def emit(
    session: AsyncSession,
    *,
    type: str,
    aggregate_type: str,
    aggregate_id: str,
    occurred_at: datetime,
    data: dict[str, Any],
    audience: Audience = Audience.EXTERNAL,
    department: str | None = None,
) -> Event:
    """Record an event in the caller's transaction: it commits or rolls back with it.

    An event about a subject (``data["subject_id"]``) is stored with the subject masked
    beside that id; the full identity is never written to the outbox, only rebuilt from
    the subject (stored encrypted) for a subscription granted personal data. An
    ``internal`` event stays with ``department``, the department that owns the case
    (app.rules.disclosure): it is never delivered.
    """
    if audience is Audience.INTERNAL and department is None:
        raise ValueError("an internal event names the department it stays with")
    payload = dict(data)
    subject_id = payload.get("subject_id")
    if isinstance(subject_id, str) and "subject" not in payload:
        subject = await SubjectRepository(session).get(uuid.UUID(subject_id))
        if subject is not None:
            payload["subject"] = identity(subject, full=False)
    event = Event(
        type=type,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        occurred_at=occurred_at,
        payload=payload,
        audience=audience.value,
        department=department,
    )
    EventRepository(session).add(event)
    await session.flush()
    return event


async def disclosed(session: AsyncSession, aggregate_type: str, aggregate_id: str) -> bool:
    """Whether an event of this case has already left its department."""
    return await EventRepository(session).any_external(aggregate_type, aggregate_id)


async def sequence(session: AsyncSession, batch: int = 1000) -> list[Event]:
    """Give committed, unsequenced events the next feed positions, in id order.

    Runs under a transaction-scoped advisory lock on PostgreSQL (SQLite has one writer).
    Only committed rows are visible, so an event whose transaction commits later gets a
    later position: readers paging by position see no gaps and no duplicates.
    """
    events = EventRepository(session)
    await events.lock_sequencer()
    pending = await events.unsequenced(batch)
    if not pending:
        return []
    await events.set_positions(pending, (await events.max_position() or 0) + 1)
    return list(pending)


def identity(subject: Subject, *, full: bool) -> dict[str, str]:
    """Who an event is about: in full, or masked as for anyone without a grant."""
    if full:
        name, id_number = subject.name, subject.id_number
    else:
        name, id_number = masked_identity(subject.subject_type, subject.name, subject.id_number)
    return {"subject_type": subject.subject_type, "id_number": id_number, "name": name}


async def event_read(
    session: AsyncSession, event: Event, *, personal_data: bool = False
) -> EventRead:
    """The event as published: the subject masked as stored (the feed, most receivers);
    with ``personal_data`` (a granted subscription) rebuilt in full from the subject."""
    assert event.position is not None
    data = dict(event.payload)
    subject_id = data.get("subject_id")
    if isinstance(subject_id, str) and (personal_data or "subject" not in data):
        # An event recorded without its masked subject (by an older release) is masked here.
        subject = await SubjectRepository(session).get(uuid.UUID(subject_id))
        if subject is not None:
            data["subject"] = identity(subject, full=personal_data)
    return EventRead(
        event_id=str(event.event_id),
        position=event.position,
        type=event.type,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        occurred_at=event.occurred_at,
        audience=Audience(event.audience),
        data=data,
    )


async def feed(
    session: AsyncSession, after: int, limit: int, *, every: bool, department: str | None
) -> EventPage:
    """A page of the feed: external events, and ``department``'s internal ones (``every``:
    all, for a reader of every department's)."""
    rows = await EventRepository(session).page_after(
        after, limit, every=every, department=department
    )
    items = [await event_read(session, row) for row in rows]
    return EventPage(items=items, next_after=items[-1].position if items else after)
