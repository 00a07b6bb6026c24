"""Reading listings: one listing with its dates, deadlines and history; the list."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import explain_stored
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.errors import NotFound, UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.lifecycle.deadlines import StoredDeadline, due_date
from app.lifecycle.schemas import history_read
from app.referrals.marks import listing_marks
from app.restrictions.hearing_schemas import CorrectionDutyRead
from app.restrictions.models import CorrectionDuty, Restriction
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import (
    CorrectionRead,
    LiftingRequestRead,
    ObjectionRead,
    RestrictionDates,
    RestrictionRead,
    RestrictionSummary,
    SourceChannel,
)
from app.restrictions.state import (
    confirmed_by_lapse_on,
    derived_status,
    listing_profile,
    listing_view,
    subject_listings,
)
from app.rules.hearing import DutyOrigin, ObjectionGround
from app.rules.profiles import Profile
from app.rules.restrictions import ListingView, Situation
from app.subjects.repository import SubjectRepository
from app.subjects.service import subject_read


async def restriction_read(
    session: AsyncSession, restriction: Restriction, today: date, profile: Profile
) -> RestrictionRead:
    repository = RestrictionRepository(session)
    subject = await SubjectRepository(session).get(restriction.subject_id)
    assert subject is not None
    view = listing_view(
        restriction, await subject_listings(session, restriction.subject_id), today, profile
    )
    deadlines = restriction.deadlines
    return RestrictionRead(
        id=str(restriction.id),
        status=derived_status(restriction, today, view),
        effective=bool(view and view.effective),
        awaiting_rectification=bool(view and view.awaiting_rectification),
        restarted_by=list(view.restarted_by) if view else [],
        situation=Situation(restriction.situation),
        source_channel=SourceChannel(restriction.source_channel),
        subject=subject_read(subject),
        address=restriction.address,
        facts=restriction.facts,
        legal_basis=restriction.legal_basis,
        legal_documents=list(restriction.legal_documents),
        collecting_department=restriction.collecting_department,
        profile=restriction.profile,
        commitment_id=str(restriction.commitment_id) if restriction.commitment_id else None,
        occurred_on=restriction.occurred_on,
        dates=RestrictionDates(
            verified_on=restriction.verified_on,
            notice_due=due_date(deadlines, "notice_due"),
            notice_issued_on=restriction.notice_issued_on,
            notice_late=restriction.notice_late,
            notice_received_on=restriction.notice_received_on,
            objection_due=due_date(deadlines, "objection_due"),
            review_due=due_date(deadlines, "review_due"),
            confirmed_on=restriction.confirmed_on or confirmed_by_lapse_on(restriction, today),
            determined_on=determined_on(restriction, today),
            published_on=restriction.published_on,
            period_ends_on=view.period_ends_on if view else None,
            rectified_on=restriction.rectified_on,
            repaired_on=view.repaired_on if view else None,
            lifted_on=restriction.lifted_on,
            withdrawn_on=restriction.withdrawn_on,
        ),
        deadlines=[StoredDeadline.model_validate(v) for v in deadlines.values()],
        objections=[
            ObjectionRead(
                id=str(o.id),
                filed_on=o.filed_on,
                statement=o.statement,
                evidence_refs=list(o.evidence_refs),
                review_due=o.review_due,
                outcome=o.outcome,
                reasons=o.reasons,
                reviewed_on=o.reviewed_on,
                grounds=[ObjectionGround(g) for g in o.grounds or ()],
                amendments=o.amendments,
            )
            for o in await repository.objections(restriction.id)
        ],
        lifting_requests=[
            LiftingRequestRead(
                id=str(r.id),
                requested_on=r.requested_on,
                reason=r.reason,
                evidence_refs=list(r.evidence_refs),
                decision_due=r.decision_due,
                outcome=r.outcome,
                reasons=r.reasons,
                decided_on=r.decided_on,
            )
            for r in await repository.lifting_requests(restriction.id)
        ],
        corrections=[
            CorrectionRead(
                id=str(c.id),
                kind=c.kind,
                discovered_on=c.discovered_on,
                due_on=c.due_on,
                corrected_on=c.corrected_on,
                late=c.late,
                reason=c.reason,
                changes=c.changes,
            )
            for c in await repository.corrections(restriction.id)
        ],
        period_months=restriction.period_months,
        period_basis=restriction.period_basis,
        correction_duties=[
            duty_read(d, today) for d in await repository.correction_duties(restriction.id)
        ],
        referrals=await listing_marks(session, restriction.id, restriction.commitment_id),
        history=history_read(await repository.events(restriction.id)),
        version=restriction.version,
    )


def determined_on(restriction: Restriction, today: date) -> date | None:
    """认定日期 (LZ §5(1)3) as of ``today``: recorded, or a lapsed objection window's
    confirmation that the worker has not recorded yet (LZ annex 视为放弃)."""
    return restriction.determined_on or confirmed_by_lapse_on(restriction, today)


def duty_read(duty: CorrectionDuty, today: date) -> CorrectionDutyRead:
    return CorrectionDutyRead(
        id=str(duty.id),
        origin=DutyOrigin(duty.origin),
        received_on=duty.received_on,
        due_on=duty.due_on,
        statement=duty.statement,
        grounds=[ObjectionGround(g) for g in duty.grounds],
        evidence_refs=list(duty.evidence_refs),
        referral_id=str(duty.referral_id) if duty.referral_id else None,
        outcome=duty.outcome,
        reasons=duty.reasons,
        correction_id=str(duty.correction_id) if duty.correction_id else None,
        closed_on=duty.closed_on,
        overdue=duty.outcome is None and today > duty.due_on,
    )


async def load_listing(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    if_match: str | None = None,
    *,
    for_update: bool = True,
) -> Restriction:
    """The listing, for its collecting department only ("谁采集、谁核实", LZ §5(1)4: the
    routes' owner, enforced by ``app.web.ownership``)."""
    restriction = await RestrictionRepository(session).get(restriction_id, for_update=for_update)
    if restriction is None:
        raise NotFound(f"No listing {restriction_id}.", code="restriction_not_found")
    check_version(restriction.version, if_match, f"Listing {restriction_id}")
    return restriction


async def load_for_notice(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID
) -> Restriction:
    return await load_listing(session, ctx, restriction_id, for_update=False)


async def read_restriction(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID, *, explain: bool = False
) -> RestrictionRead:
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    await record(
        session,
        ctx.principal,
        action="restriction.read",
        target_type="restriction",
        target_id=str(restriction.id),
    )
    read = await restriction_read(session, restriction, ctx.today, listing_profile(restriction))
    if explain:
        read.deadlines = await explain_stored(session, read.deadlines)
    return read


async def list_restrictions(
    session: AsyncSession,
    ctx: Context,
    *,
    department: str | None,
    status: str | None,
    subject: str | None,
    limit: int,
    cursor: str | None,
) -> Page[RestrictionSummary]:
    """Listings collected by ``department`` (None: every department), the route's scope:
    the caller's own department's (auditors: all); with ``status``, those with that status
    on the day asked as time derives it (a lapsed objection window confirms, an ended
    period with rectification repairs), recorded by the worker or not."""
    found = await _matching(
        session,
        ctx,
        department=department,
        status=status,
        subject=subject,
        limit=limit,
        after=cursor_after(cursor),
    )
    page = found[:limit]
    subject_ids = {row.subject_id for row, _, _ in page}
    subjects = {s.id: s for s in await SubjectRepository(session).get_many(subject_ids)}
    items = [
        RestrictionSummary(
            id=str(row.id),
            status=derived,
            effective=bool(view and view.effective),
            situation=Situation(row.situation),
            subject=subject_read(subjects[row.subject_id]),
            collecting_department=row.collecting_department,
            published_on=row.published_on,
            period_ends_on=view.period_ends_on if view else None,
            version=row.version,
        )
        for row, derived, view in page
    ]
    next_cursor = encode_cursor({"after": str(page[-1][0].id)}) if len(found) > limit else None
    return Page[RestrictionSummary](items=items, next_cursor=next_cursor)


async def _matching(
    session: AsyncSession,
    ctx: Context,
    *,
    department: str | None,
    status: str | None,
    subject: str | None,
    limit: int,
    after: uuid.UUID | None,
) -> list[tuple[Restriction, str, ListingView | None]]:
    """The first ``limit + 1`` listings after ``after`` in id order whose derived status is
    ``status`` (any, if None), each with that status and its view on the day asked.

    The repository narrows the candidates in SQL; where the status depends on the
    subject's other listings (repaired), the rule decides here and drops the others, and
    the next candidates are read after the last one read, so a page is full whenever more
    listings match and its last item is where the next page starts."""
    repository = RestrictionRepository(session)
    found: list[tuple[Restriction, str, ListingView | None]] = []
    while len(found) <= limit:
        rows = await repository.search(
            department=department,
            status=status,
            subject_id_number=subject,
            today=ctx.today,
            after=after,
            limit=limit + 1,
        )
        for row in rows:
            profile = listing_profile(row)
            listings = await subject_listings(session, row.subject_id)
            view = listing_view(row, listings, ctx.today, profile)
            derived = derived_status(row, ctx.today, view)
            if status is None or derived == status:
                found.append((row, derived, view))
        if len(rows) <= limit:
            break  # no candidates left
        after = rows[-1].id
    return found


def cursor_after(cursor: str | None) -> uuid.UUID | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    try:
        return uuid.UUID(str(after))
    except ValueError:
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor") from None
