"""Reading commitments: one case with its letter, deadlines, verifications and history;
the list."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import explain_stored
from app.catalog.models import MatterVersion
from app.catalog.repository import CatalogRepository
from app.catalog.schemas import VerificationMethod
from app.commitments.content import letter_affirmations, letter_title_from
from app.commitments.models import Commitment, Verification
from app.commitments.register import record_read
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import (
    CommitmentRead,
    CommitmentSummary,
    LetterRead,
    NoticeRead,
    VerificationRead,
)
from app.commitments.state import (
    current_due_on,
    deadlines_read,
    derived_status,
    due_on,
    order_service_read,
)
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.errors import NotFound, UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.lifecycle.deadlines import StoredDeadline
from app.lifecycle.schemas import history_read
from app.referrals.marks import commitment_marks
from app.rules.commitments import ORDINARY_PROCEDURE, TerminationGround, WithdrawalReason
from app.rules.lifecycles import ToleranceState
from app.rules.profiles import Mode
from app.subjects.models import Subject
from app.subjects.repository import SubjectRepository
from app.subjects.service import subject_read
from app.supervision.schemas import CommitmentSupervision


def verification_read(v: Verification, commitment: Commitment) -> VerificationRead:
    """The verification with what it checks: the conditions committed to be met, from the
    day they are to be met (DZ art. 9 ¶2)."""
    return VerificationRead(
        id=str(v.id),
        commitment_id=str(v.commitment_id),
        method=VerificationMethod(v.method),
        assigned_department=v.assigned_department,
        assisting_department=v.assisting_department,
        status=v.status,
        due_on=v.due_on,
        verification_number=v.verification_number,
        checked_at=v.checked_at,
        checking_department_code=v.checking_department_code,
        checking_department_name=v.checking_department_name,
        basis=v.basis,
        fulfilled=v.fulfilled,
        description=v.description,
        conditions_to_meet=list(commitment.conditions_to_meet),
        meet_by=commitment.meet_by,
        version=v.version,
    )


async def commitment_read(
    session: AsyncSession, commitment: Commitment, today: date, viewer: str | None
) -> CommitmentRead:
    """The commitment as ``viewer`` (the caller's department) may see it: the referral
    marks (移送标记) only for the agency, never for a regulator, a verifier or the platform
    of another department."""
    repository = CommitmentRepository(session)
    subjects = SubjectRepository(session)
    subject = await subjects.get(commitment.subject_id)
    agent = await subjects.get(commitment.agent_id) if commitment.agent_id else None
    assert subject is not None
    notice = NoticeRead.model_validate(commitment.notice)
    return CommitmentRead(
        id=str(commitment.id),
        credit_check_id=str(commitment.credit_check_id),
        mode=Mode(commitment.mode),
        status=derived_status(commitment, today),
        profile=commitment.profile,
        department=commitment.department,
        subject=subject_read(subject),
        agent=subject_read(agent) if agent else None,
        notice=notice,
        letter=LetterRead(
            title=letter_title_from(notice),
            affirmations=letter_affirmations(commitment.conditions_to_meet, commitment.meet_by),
            conditions_to_meet=list(commitment.conditions_to_meet),
            meet_by=commitment.meet_by,
            signed_by=commitment.signed_by,
            signed_at=commitment.signed_at,
        ),
        missing_materials=list(commitment.missing_materials),
        exempt_from_verification=commitment.exempt_from_verification,
        deadlines=deadlines_read(commitment),
        current_due_on=current_due_on(commitment, today),
        decided_on=commitment.decided_on,
        decision_due_on=commitment.decision_due_on,
        decision_late=commitment.decision_late,
        closed_on=commitment.closed_on,
        withdrawal_reason=commitment.withdrawal_reason,
        withdrawal_reason_category=(
            WithdrawalReason(commitment.withdrawal_reason_category)
            if commitment.withdrawal_reason_category
            else None
        ),
        next_step=(
            ORDINARY_PROCEDURE if commitment.status == ToleranceState.WITHDRAWN.value else None
        ),
        order_service=order_service_read(commitment),
        termination_ground=(
            TerminationGround(commitment.termination_ground)
            if commitment.termination_ground
            else None
        ),
        version=commitment.version,
        history=history_read(await repository.events(commitment.id)),
        verifications=[
            verification_read(v, commitment) for v in await repository.verifications(commitment.id)
        ],
        referrals=(
            await commitment_marks(session, commitment.id)
            if viewer == commitment.department
            else []
        ),
        supervision=supervision_read(commitment),
        record=await record_read(session, commitment, today),
    )


def supervision_read(commitment: Commitment) -> CommitmentSupervision | None:
    """The regulator's finding and the order it awaits (DZ art. 12, 13 ¶2); None before
    any feedback."""
    if commitment.supervision_feedback_on is None:
        return None
    pending = commitment.supervision_order_pending
    return CommitmentSupervision(
        result=commitment.supervision_result,
        feedback_on=commitment.supervision_feedback_on,
        order_pending=pending,
        order_due_on=due_on(commitment, "rectification_order_due") if pending else None,
    )


async def version_of(session: AsyncSession, commitment: Commitment) -> MatterVersion:
    version = await CatalogRepository(session).get_version(commitment.matter_version_id)
    assert version is not None
    return version


async def load_for_read(session: AsyncSession, commitment_id: uuid.UUID) -> Commitment:
    """The commitment (whose departments may read it: ``app.web.ownership``, owner related)."""
    commitment = await CommitmentRepository(session).get(commitment_id)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    return commitment


async def read_commitment(
    session: AsyncSession, ctx: Context, commitment_id: uuid.UUID, *, explain: bool = False
) -> CommitmentRead:
    """Read one commitment (credit data: the read is audited, docs/domain.md section 7)."""
    commitment = await load_for_read(session, commitment_id)
    await record(
        session,
        ctx.principal,
        action="commitment.read",
        target_type="commitment",
        target_id=str(commitment.id),
    )
    read = await commitment_read(session, commitment, ctx.today, ctx.principal.department)
    if explain:
        read.deadlines.details = await explain_stored(session, read.deadlines.details)
    return read


async def load_for_agency(
    session: AsyncSession, commitment_id: uuid.UUID, if_match: str | None
) -> Commitment:
    """The commitment, locked, for a step only its agency (政务服务实施机关) may take
    (the route's owner, enforced by ``app.web.ownership``)."""
    commitment = await CommitmentRepository(session).get(commitment_id, for_update=True)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    check_version(commitment.version, if_match, f"Commitment {commitment_id}")
    return commitment


def _search_position(after: object) -> tuple[datetime, uuid.UUID] | None:
    """The (created_at, id) a cursor points after; anything else is an invalid cursor."""
    if after is None:
        return None
    invalid = UnprocessableEntity("The cursor is not valid.", code="invalid_cursor")
    if not (isinstance(after, list) and len(after) == 2 and all(isinstance(v, str) for v in after)):
        raise invalid
    try:
        created, last_id = datetime.fromisoformat(after[0]), uuid.UUID(after[1])
    except ValueError:
        raise invalid from None
    if created.tzinfo is None:
        raise invalid
    return created, last_id


async def list_commitments(
    session: AsyncSession,
    ctx: Context,
    *,
    subject: str | None,
    status: str | None,
    department: str | None,
    due_before: date | None,
    limit: int,
    cursor: str | None,
    late: bool | None = None,
) -> Page[CommitmentSummary]:
    """Commitments of ``department`` (None: every department), as the route's scope
    narrowed it (``app.web.ownership``: the caller's own; auditors any)."""
    position = decode_cursor(cursor) if cursor else {}
    after = _search_position(position.get("after"))
    rows = await CommitmentRepository(session).search(
        department=department,
        subject_id_number=subject,
        status=status,
        due_before=due_before,
        late=late,
        today=ctx.today,
        after=after,
        limit=limit + 1,
    )
    subjects = {
        s.id: s for s in await SubjectRepository(session).get_many({r.subject_id for r in rows})
    }
    items = [_summary(row, subjects[row.subject_id], ctx.today) for row in rows[:limit]]
    next_cursor = (
        encode_cursor({"after": [rows[limit - 1].created_at.isoformat(), str(rows[limit - 1].id)]})
        if len(rows) > limit
        else None
    )
    return Page[CommitmentSummary](items=items, next_cursor=next_cursor)


def _summary(row: Commitment, subject: Subject, today: date) -> CommitmentSummary:
    return CommitmentSummary(
        id=str(row.id),
        mode=Mode(row.mode),
        status=derived_status(row, today),
        matter_code=row.matter_code,
        department=row.department,
        subject=subject_read(subject),
        current_due_on=current_due_on(row, today),
        decision_late=row.decision_late,
        version=row.version,
    )


def deadlines_of(commitment: Commitment) -> list[StoredDeadline]:
    return deadlines_read(commitment).details
