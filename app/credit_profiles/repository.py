"""What a credit profile reads, in one statement built once and bound per request.

:func:`read_profile` sends one ``UNION ALL``: the subject found by its blind index, every
published listing of it, its commitments' summaries (the status on the day), its credit
record entries and the referral marks its reader's department recorded. Each branch fills
the typed columns it needs of one wide row (personal data decrypted only in this process),
told apart by ``kind`` and ordered here as each repository orders them; the subject is a
CTE the other branches read its id from.

:func:`read_profile_orm` reads the same through the repositories, one statement per
lookup: the reference the one-statement read is held to (tests/restrictions).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment
from app.commitments.repository import CommitmentRepository, CommitmentSummary
from app.core.db import UTCDateTime, branch
from app.core.direct import Direct
from app.credit_records.models import CreditRecordEntry
from app.credit_records.repository import CreditRecordRepository
from app.privacy.crypto import EncryptedText
from app.referrals.models import Referral
from app.referrals.repository import ReferralRepository
from app.restrictions.models import Restriction
from app.restrictions.repository import PublishedListing, RestrictionRepository
from app.rules.lifecycles import ToleranceState
from app.subjects.models import (
    StoredSubject,
    Subject,
    identifier_index,
    stored_columns,
    stored_slots,
)
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
    subject: StoredSubject | None
    published: list[PublishedListing]  # ordered by id
    commitments: list[CommitmentSummary]
    entries: list[RecordEntry]
    marks: list[MarkRow]


_SLOTS: dict[str, Any] = {
    **{f"u{n}": Uuid() for n in range(1, 4)},
    **{f"s{n}": String() for n in range(1, 7)},
    "x1": Text(),
    **{f"e{n}": EncryptedText() for n in range(1, 4)},
    **{f"d{n}": Date() for n in range(1, 7)},
    "i1": Integer(),
    "t1": UTCDateTime(),
}


_branch = partial(branch, _SLOTS)


def _build() -> Any:
    s, r, c, e, m = Subject, Restriction, Commitment, CreditRecordEntry, Referral
    found = (
        select(*stored_columns())
        .where(
            s.subject_type == bindparam("subject_type"),
            s.id_number_index == bindparam("id_number_index"),
        )
        .cte("found")
    )
    subject_id = select(found.c.id).scalar_subquery()
    subject = _branch("subject", **stored_slots(list(found.c))).select_from(found)
    listings = _branch(
        "listing",
        u1=r.id,
        u2=r.subject_id,
        s1=r.status,
        s2=r.situation,
        s3=r.profile,
        s4=r.collecting_department,
        x1=r.facts,
        d1=r.published_on,
        d2=r.rectified_on,
        d3=r.lifted_on,
        d4=r.withdrawn_on,
        d5=r.occurred_on,
        d6=r.repair_granted_on,
        i1=r.period_months,
    ).where(r.subject_id == subject_id, r.published_on.is_not(None))
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
    ).where(c.subject_id == subject_id)
    entries = _branch(
        "entry",
        u1=e.id,
        s1=e.outcome,
        s2=e.matter_code,
        s3=e.department,
        s4=e.citation,
        d1=e.recorded_on,
        t1=e.recorded_at,
    ).where(e.subject_id == subject_id)
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
    ).where(m.subject_id == subject_id, m.department == bindparam("department"))
    return union_all(subject, listings, commitments, entries, marks)


_PROFILE = Direct(_build())


def _listing(r: Any) -> PublishedListing:
    return PublishedListing(
        r.u1, r.u2, r.s1, r.s2, r.s3, r.s4, r.x1, r.d1, r.d2, r.d3, r.d4, r.d5, r.i1, r.d6
    )


async def read_profile(
    session: AsyncSession,
    subject_type: str,
    id_number: str,
    today: date,
    marks_of: str | None,
) -> ProfileRows:
    """The subject, its published listings, commitments, credit record and the referral
    marks recorded by ``marks_of`` (None: none), in one statement."""
    bound = {
        "subject_type": subject_type,
        "id_number_index": identifier_index(subject_type, id_number),
        "today": today,
        "department": marks_of,
    }
    subject: StoredSubject | None = None
    published: list[PublishedListing] = []
    commitments: list[tuple[Any, CommitmentSummary]] = []
    entries: list[tuple[Any, RecordEntry]] = []
    marks: list[tuple[Any, MarkRow]] = []
    for r in await _PROFILE.rows(await session.connection(), bound):
        kind = r.kind
        if kind == "subject":
            subject = StoredSubject.of_slots(r)
        elif kind == "listing":
            published.append(_listing(r))
        elif kind == "commitment":
            commitments.append(((r.t1, r.u1), CommitmentSummary(r.u1, r.s1, r.s2, r.s3, r.s4)))
        elif kind == "entry":
            entries.append(((r.t1, r.u1), RecordEntry(r.s1, r.d1, r.s2, r.s3, r.s4)))
        else:
            mark = MarkRow(r.u1, r.s1, r.s2, r.d1, r.s3, r.s4, r.u2, r.u3, r.d2)
            marks.append(((r.d2, r.t1, r.u1), mark))
    if subject is None:
        return ProfileRows(None, [], [], [], [])
    return ProfileRows(
        subject,
        sorted(published, key=lambda listing: listing.id),
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
        StoredSubject(
            subject.id, subject.subject_type, subject.id_number, subject.name, subject.address
        ),
        sorted((PublishedListing.of(row) for row in published), key=lambda r: r.id),
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
