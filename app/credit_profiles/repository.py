"""What a credit profile reads, in two statements built once and bound per request.

:func:`read_profile` sends (1) the subject by its blind index with every published listing
of it (one ORM statement, an outer join: the rows as the ORM maps them), then, for a stored
subject, (2) one ``UNION ALL`` of its commitments' summaries (the status on the day),
its credit record entries and the referral marks its reader's department recorded, each
branch filling the typed columns it needs of one wide row, told apart by ``kind`` and
ordered here as each repository orders them.

:func:`read_profile_orm` reads the same through the repositories, one statement per
lookup: the reference the two-statement read is held to (tests/restrictions).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment
from app.commitments.repository import CommitmentRepository, CommitmentSummary
from app.core.db import UTCDateTime
from app.core.direct import Direct
from app.credit_records.models import CreditRecordEntry
from app.credit_records.repository import CreditRecordRepository
from app.referrals.models import Referral
from app.referrals.repository import ReferralRepository
from app.restrictions.models import Restriction
from app.restrictions.repository import RestrictionRepository
from app.rules.lifecycles import ToleranceState
from app.subjects.models import Subject, identifier_index
from app.subjects.repository import SubjectRepository


class RecordEntry(NamedTuple):
    """What a credit profile shows of a credit record entry."""

    outcome: str
    recorded_on: date
    matter_code: str | None
    department: str | None
    citation: str


class MarkRow(NamedTuple):
    """What a credit profile shows of a referral mark (app.referrals.marks.mark_read)."""

    id: uuid.UUID
    kind: str
    decision_reference: str
    decided_on: date | None
    note: str | None
    department: str
    restriction_id: uuid.UUID | None
    commitment_id: uuid.UUID | None
    recorded_on: date


@dataclass(frozen=True, slots=True)
class ProfileRows:
    subject: Subject | None
    published: list[Restriction]  # ordered by id
    commitments: list[CommitmentSummary]
    entries: list[RecordEntry]
    marks: list[MarkRow]


_SUBJECT_AND_LISTINGS = (
    select(Subject, Restriction)
    .outerjoin(
        Restriction,
        and_(Restriction.subject_id == Subject.id, Restriction.published_on.is_not(None)),
    )
    .where(
        Subject.subject_type == bindparam("subject_type"),
        Subject.id_number_index == bindparam("id_number_index"),
    )
)

_SLOTS: dict[str, Any] = {
    **{f"u{n}": Uuid() for n in range(1, 4)},
    **{f"s{n}": String() for n in range(1, 5)},
    "d1": Date(),
    "d2": Date(),
    "t1": UTCDateTime(),
}


def _branch(kind: str, **values: Any) -> Any:
    columns = [literal(kind, String()).label("kind")]
    for slot, type_ in _SLOTS.items():
        value = values.get(slot)
        columns.append((cast(null(), type_) if value is None else value).label(slot))
    return select(*columns)


def _build() -> Any:
    c, e, m = Commitment, CreditRecordEntry, Referral
    status = case(
        (
            and_(c.status == ToleranceState.ACCEPTED, c.current_due_on < bindparam("today")),
            literal(ToleranceState.OVERDUE.value),
        ),
        else_=c.status,
    )
    commitments = _branch(
        "commitment",
        u1=c.id,
        s1=c.matter_code,
        s2=c.mode,
        s3=status,
        s4=c.department,
        t1=c.created_at,
    ).where(c.subject_id == bindparam("subject_id"))
    entries = _branch(
        "entry",
        u1=e.id,
        s1=e.outcome,
        s2=e.matter_code,
        s3=e.department,
        s4=e.citation,
        d1=e.recorded_on,
        t1=e.recorded_at,
    ).where(e.subject_id == bindparam("subject_id"))
    marks = _branch(
        "mark",
        u1=m.id,
        u2=m.restriction_id,
        u3=m.commitment_id,
        s1=m.kind,
        s2=m.decision_reference,
        s3=cast(m.note, String()),
        s4=m.department,
        d1=m.decided_on,
        d2=m.recorded_on,
        t1=m.created_at,
    ).where(m.subject_id == bindparam("subject_id"), m.department == bindparam("department"))
    return union_all(commitments, entries, marks)


_OF_SUBJECT = Direct(_build())


async def read_profile(
    session: AsyncSession,
    subject_type: str,
    id_number: str,
    today: date,
    marks_of: str | None,
) -> ProfileRows:
    """The subject, its published listings, commitments, credit record and the referral
    marks recorded by ``marks_of`` (None: none), in two statements."""
    parameters = {
        "subject_type": subject_type,
        "id_number_index": identifier_index(subject_type, id_number),
    }
    found = (await session.execute(_SUBJECT_AND_LISTINGS, parameters)).all()
    if not found:
        return ProfileRows(None, [], [], [], [])
    subject = found[0][0]
    published = sorted((row[1] for row in found if row[1] is not None), key=lambda r: r.id)
    commitments: list[tuple[Any, CommitmentSummary]] = []
    entries: list[tuple[Any, RecordEntry]] = []
    marks: list[tuple[Any, MarkRow]] = []
    connection = await session.connection()
    bound = {"subject_id": subject.id, "today": today, "department": marks_of}
    for r in await _OF_SUBJECT.rows(connection, bound):
        if r.kind == "commitment":
            commitments.append(((r.t1, r.u1), CommitmentSummary(r.u1, r.s1, r.s2, r.s3, r.s4)))
        elif r.kind == "entry":
            entries.append(((r.t1, r.u1), RecordEntry(r.s1, r.d1, r.s2, r.s3, r.s4)))
        else:
            mark = MarkRow(r.u1, r.s1, r.s2, r.d1, r.s3, r.s4, r.u2, r.u3, r.d2)
            marks.append(((r.d2, r.t1, r.u1), mark))
    return ProfileRows(
        subject,
        published,
        [row for _, row in sorted(commitments, key=lambda pair: pair[0])],
        [row for _, row in sorted(entries, key=lambda pair: pair[0])],
        [row for _, row in sorted(marks, key=lambda pair: pair[0])],
    )


async def read_profile_orm(
    session: AsyncSession,
    subject_type: str,
    id_number: str,
    today: date,
    marks_of: str | None,
) -> ProfileRows:
    """:func:`read_profile` through the repositories, a statement per lookup."""
    subject = await SubjectRepository(session).get_by_identifier(subject_type, id_number)
    if subject is None:
        return ProfileRows(None, [], [], [], [])
    published = await RestrictionRepository(session).published_of([subject.id])
    commitments = await CommitmentRepository(session).summaries_of_subject(subject.id, today)
    entries = await CreditRecordRepository(session).of_subject(subject.id)
    marks = (
        await ReferralRepository(session).of_subject_for_department(subject.id, marks_of)
        if marks_of
        else []
    )
    return ProfileRows(
        subject,
        sorted(published, key=lambda r: r.id),
        list(commitments),
        [
            RecordEntry(e.outcome, e.recorded_on, e.matter_code, e.department, e.citation)
            for e in entries
        ],
        [
            MarkRow(
                m.id,
                m.kind,
                m.decision_reference,
                m.decided_on,
                m.note,
                m.department,
                m.restriction_id,
                m.commitment_id,
                m.recorded_on,
            )
            for m in marks
        ],
    )
