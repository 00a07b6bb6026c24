"""The restriction list (失信制约名单, LZ §5; DZ art. 15): determination to repair.

Every step goes through the rule module's transition table. Whether a listing is
effective on a day, when the subject's restriction ends (with the restart rule), and
whether the objection window has lapsed or the period has ended are computed from the
stored dates at request time: an answer never waits for a background job.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar import hooks
from app.calendar.service import load_working_calendar
from app.catalog.repository import CatalogRepository
from app.commitments.repository import CommitmentRepository
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.errors import Conflict, FieldError, Forbidden, NotFound, UnprocessableEntity
from app.core.identifiers import SubjectType
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.credit_records.repository import CreditRecordRepository
from app.departments.repository import DepartmentRepository
from app.events.service import REPORTED_TYPES
from app.lifecycle.deadlines import DeadlineRead, due_date
from app.lifecycle.engine import (
    SYSTEM,
    CountDeadline,
    LifeCycle,
    recompute_provisional,
    record_transition,
    transit,
)
from app.lifecycle.step_dates import Dated, StepDate, check_date, date_step
from app.privacy.masking import masked_identity
from app.restrictions.models import (
    Correction,
    LiftingRequest,
    Objection,
    Restriction,
    RestrictionEvent,
)
from app.restrictions.repository import RestrictionRepository, history_of
from app.restrictions.schemas import (
    CommitmentEntry,
    CorrectionCreate,
    CorrectionRead,
    CreditProfileRead,
    CreditRecordRead,
    EventRead,
    LiftingDecisionCreate,
    LiftingOutcome,
    LiftingRequestCreate,
    LiftingRequestRead,
    ListingEffect,
    NoticeIssue,
    ObjectionCreate,
    ObjectionRead,
    PublicRestriction,
    RectificationCreate,
    RestrictionCreate,
    RestrictionDates,
    RestrictionRead,
    RestrictionSummary,
    ReviewCreate,
    ReviewOutcome,
    SourceChannel,
    SupervisionTarget,
)
from app.rules.calendar import WorkingCalendar
from app.rules.citations import LZ_5_1_4_OBJECTION
from app.rules.due import DUE_BY_STATE
from app.rules.eligibility import EffectiveRestriction
from app.rules.lifecycles import (
    DeadlineRule,
    Event,
    GuardContext,
    Machine,
    RestrictionState,
    TransitionResult,
    compute_rule_deadline,
    initial_state,
)
from app.rules.periods import Deadline
from app.rules.profiles import Profile, get_profile
from app.rules.restrictions import (
    ListingHistory,
    ListingView,
    Situation,
    listing_state_on,
    subject_restriction_on,
)
from app.subjects.repository import SubjectRepository
from app.subjects.schemas import SubjectRead
from app.subjects.service import (
    checked_id_number,
    resolve_subject,
    subject_read,
)
from app.web.auth import Principal

_R = RestrictionState


# --- derived state ---------------------------------------------------------------------


async def effective_restrictions(
    session: AsyncSession, subject_ids: Collection[uuid.UUID], as_of: date, profile: Profile
) -> dict[uuid.UUID, tuple[EffectiveRestriction, ...]]:
    """Per subject, the listings effective on ``as_of`` (one query for all subjects)."""
    histories = await RestrictionRepository(session).published_histories(subject_ids)
    result: dict[uuid.UUID, tuple[EffectiveRestriction, ...]] = {}
    for subject_id in subject_ids:
        key = str(subject_id)
        own = [(h, s) for h, s in histories if h.subject_key == key]
        listings = [h for h, _ in own]
        summary = subject_restriction_on(listings, as_of, profile=profile)
        effective = []
        for history, situation in own:
            if history.listing_id in summary.effective_listing_ids:
                view = listing_state_on(listings, history.listing_id, as_of, profile=profile)
                effective.append(
                    EffectiveRestriction(
                        listing_id=history.listing_id,
                        situation=situation,
                        restricted_until=view.period_ends_on,
                    )
                )
        result[subject_id] = tuple(effective)
    return result


def _profile(restriction: Restriction, departments: dict[str, str], default: str) -> Profile:
    return get_profile(departments.get(restriction.collecting_department, default))


async def _profile_of(session: AsyncSession, restriction: Restriction, default: str) -> Profile:
    department = await DepartmentRepository(session).get(restriction.collecting_department)
    return get_profile(department.profile if department else default)


async def _subject_listings(session: AsyncSession, subject_id: uuid.UUID) -> list[ListingHistory]:
    rows = await RestrictionRepository(session).published_of([subject_id])
    return [history_of(row) for row in rows]


def _view(
    restriction: Restriction, listings: Sequence[ListingHistory], today: date, profile: Profile
) -> ListingView | None:
    if restriction.published_on is None:
        return None
    return listing_state_on(listings, str(restriction.id), today, profile=profile)


def _window_lapsed(restriction: Restriction, today: date) -> bool:
    due = due_date(restriction.deadlines, "objection_due")
    return restriction.status == _R.NOTIFIED and due is not None and today > due


def _confirmed_by_lapse_on(restriction: Restriction, today: date) -> date | None:
    """视为放弃陈述和申辩的权利 (LZ annex): a lapsed window confirms the listing from the
    day after its last day; the day a read derives and the worker later records."""
    if not _window_lapsed(restriction, today):
        return None
    due = due_date(restriction.deadlines, "objection_due")
    assert due is not None
    return due + timedelta(days=1)


def derived_status(restriction: Restriction, today: date, view: ListingView | None) -> str:
    """The status on ``today``: a lapsed objection window confirms; an ended period with
    rectification repairs (LZ §5(1)4-5), whether or not anybody recorded it yet."""
    if _window_lapsed(restriction, today):
        return _R.CONFIRMED.value
    repaired_on = view.repaired_on if view is not None else None
    if restriction.status == _R.EFFECTIVE and repaired_on is not None and today >= repaired_on:
        return _R.REPAIRED.value
    return restriction.status


# --- reading ---------------------------------------------------------------------------


async def restriction_read(
    session: AsyncSession, restriction: Restriction, today: date, profile: Profile
) -> RestrictionRead:
    repository = RestrictionRepository(session)
    subject = await SubjectRepository(session).get(restriction.subject_id)
    assert subject is not None
    view = _view(
        restriction, await _subject_listings(session, restriction.subject_id), today, profile
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
            confirmed_on=restriction.confirmed_on or _confirmed_by_lapse_on(restriction, today),
            published_on=restriction.published_on,
            period_ends_on=view.period_ends_on if view else None,
            rectified_on=restriction.rectified_on,
            repaired_on=view.repaired_on if view else None,
            lifted_on=restriction.lifted_on,
            withdrawn_on=restriction.withdrawn_on,
        ),
        deadlines=[DeadlineRead.model_validate(v) for v in deadlines.values()],
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
        history=[
            EventRead(
                event=e.event,
                from_status=e.from_status,
                to_status=e.to_status,
                occurred_at=e.occurred_at,
                actor=e.actor,
                department=e.department,
                citation=e.citation,
                details=e.details,
            )
            for e in await repository.events(restriction.id)
        ],
        version=restriction.version,
    )


async def _load(
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
    return await _load(session, ctx, restriction_id, for_update=False)


async def read_restriction(
    session: AsyncSession, ctx: Context, restriction_id: uuid.UUID
) -> RestrictionRead:
    restriction = await _load(session, ctx, restriction_id, for_update=False)
    await record(
        session,
        ctx.principal,
        action="restriction.read",
        target_type="restriction",
        target_id=str(restriction.id),
    )
    profile = await _profile_of(session, restriction, ctx.settings.profile)
    return await restriction_read(session, restriction, ctx.today, profile)


# --- transitions -----------------------------------------------------------------------


def _history(restriction: Restriction, **fields: Any) -> RestrictionEvent:
    return RestrictionEvent(restriction_id=restriction.id, **fields)


async def _event_data(
    restriction: Restriction, event: str, source: str, details: dict[str, Any], ctx: Context
) -> dict[str, Any]:
    """What a listing's event carries; a reported one also the publication and its basis."""
    data: dict[str, Any] = {
        "restriction_id": str(restriction.id),
        "situation": restriction.situation,
        "collecting_department": restriction.collecting_department,
        "from": source,
        "to": restriction.status,
        "details": details,
    }
    if f"restriction.{event}" in REPORTED_TYPES:
        # Who it is about is added when the event is read or delivered: no citizen
        # identity is stored in clear in the outbox.
        data["subject_id"] = str(restriction.subject_id)
        # Publication is recorded on its own day; the event is emitted within that step.
        published = restriction.published_on or (
            date.fromisoformat(details.get("on", ctx.today.isoformat()))
            if event == "publish"
            else None
        )
        data["published_on"] = _iso(published)
        data["legal_basis"] = restriction.legal_basis
    return data


LISTINGS = LifeCycle(
    kind="restriction",
    history=_history,
    event_data=_event_data,
    due_by_state=DUE_BY_STATE[Machine.RESTRICTION],
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def _guard_context(
    session: AsyncSession, restriction: Restriction, today: date, profile: Profile
) -> GuardContext:
    view = _view(
        restriction, await _subject_listings(session, restriction.subject_id), today, profile
    )
    pending = [
        r
        for r in await RestrictionRepository(session).lifting_requests(restriction.id)
        if r.outcome is None
    ]
    return GuardContext(
        today=today,
        objection_due=due_date(restriction.deadlines, "objection_due"),
        period_ends_on=view.period_ends_on if view else None,
        rectified_on=restriction.rectified_on,
        lifting_requested_on=pending[0].requested_on if pending else None,
        early_lifting_enabled=profile.early_lifting,
    )


async def _apply(
    session: AsyncSession,
    ctx: Context,
    principal: Principal,
    restriction: Restriction,
    event: Event,
    profile: Profile,
    details: dict[str, Any],
    on: date | None = None,
    count: CountDeadline | None = None,
) -> TransitionResult:
    """Apply ``event`` as of ``on``, the day it happened (default today)."""
    guard = await _guard_context(session, restriction, on or ctx.today, profile)
    return await transit(
        session,
        ctx,
        LISTINGS,
        restriction,
        Machine.RESTRICTION,
        event,
        guard,
        details=details,
        count=count,
        principal=principal,
    )


async def _catch_up(
    session: AsyncSession,
    ctx: Context,
    restriction: Restriction,
    profile: Profile,
    on: date | None = None,
) -> None:
    """Record what time has done by ``on`` (default today): a lapsed objection window,
    an ended period."""
    day = on or ctx.today
    confirmed_on = _confirmed_by_lapse_on(restriction, day)
    if confirmed_on is not None:
        await _apply(
            session,
            ctx,
            SYSTEM,
            restriction,
            Event.OBJECTION_WINDOW_LAPSED,
            profile,
            {"objection_due": restriction.deadlines["objection_due"]["date"]},
            day,
        )
        restriction.confirmed_on = confirmed_on
    view = _view(
        restriction, await _subject_listings(session, restriction.subject_id), day, profile
    )
    if derived_status(restriction, day, view) == _R.REPAIRED:
        await _apply(session, ctx, SYSTEM, restriction, Event.REPAIR, profile, {}, day)


async def _reopen_window(
    session: AsyncSession, ctx: Context, restriction: Restriction, dated: StepDate
) -> None:
    """An objection made within the window and entered after the lapse was recorded: on
    its day the listing was still notified, so the recorded lapse is undone first, in the
    history and the audit log (LZ §5(1)4: the window is the subject's, not the clerk's)."""
    confirmed_on = restriction.confirmed_on
    if (
        restriction.status != _R.CONFIRMED
        or restriction.published_on is not None
        or confirmed_on is None
        or dated.on >= confirmed_on
    ):
        return
    events = await RestrictionRepository(session).events(restriction.id)
    if not events or events[-1].event != Event.OBJECTION_WINDOW_LAPSED:
        return
    restriction.status = _R.NOTIFIED.value
    restriction.confirmed_on = None
    restriction.updated_at = ctx.now
    restriction.current_due_on = LISTINGS.due_on(restriction)
    await record_transition(
        session,
        ctx,
        LISTINGS,
        restriction,
        "objection_window_reopened",
        _R.CONFIRMED.value,
        LZ_5_1_4_OBJECTION,
        {"confirmed_on": confirmed_on.isoformat(), **dated.details()},
    )


async def _step(
    session: AsyncSession,
    ctx: Context,
    restriction: Restriction,
    event: Event,
    *,
    details: dict[str, Any] | None = None,
    deadline_start: date | None = None,
    dated: StepDate | None = None,
) -> TransitionResult:
    """Catch up with time as of the step's day, apply one event on that day, compute
    the new state's deadline from it (a late entry's who and why in the details)."""
    profile = await _profile_of(session, restriction, ctx.settings.profile)
    on = dated.on if dated else ctx.today
    if dated is not None and event is Event.OBJECT:
        await _reopen_window(session, ctx, restriction, dated)
    # A step time has ended (a late objection) is refused in the state time led to with
    # the guard's own code, as it is once the worker has recorded the transition.
    await _catch_up(session, ctx, restriction, profile, on)
    extra = {**(details or {}), **(dated.details() if dated else {})}

    async def count(rule: DeadlineRule) -> Deadline:
        return compute_rule_deadline(
            rule,
            calendar=await load_working_calendar(session),
            profile=profile,
            start=deadline_start or on,
        )

    result = await _apply(
        session, ctx, ctx.principal, restriction, event, profile, extra, on, count
    )
    await session.flush()
    return result


async def record_time_transitions(session: AsyncSession, ctx: Context, batch: int = 200) -> int:
    """Worker: record lapsed objection windows and ended periods (idempotent).

    Rows are claimed with ``FOR UPDATE SKIP LOCKED``: several workers never record the
    same transition twice, and a second run finds nothing left to do.
    """
    rows = await RestrictionRepository(session).due_for_time_transitions(ctx.today, batch)
    recorded = 0
    for restriction in rows:
        profile = await _profile_of(session, restriction, ctx.settings.profile)
        before = restriction.status
        await _catch_up(session, ctx, restriction, profile)
        recorded += restriction.status != before
    await session.flush()
    return recorded


async def recompute_provisional_deadlines(
    session: AsyncSession, ctx: Context, calendar: WorkingCalendar
) -> int:
    """Calendar hook: provisional notice, objection, review and lifting-decision deadlines
    of open listings counted again on ``calendar``; each changed listing gets a
    ``deadline_recomputed`` step of its own, and a pending objection or lifting request
    the day it is due by."""
    repository = RestrictionRepository(session)

    async def follow(restriction: Restriction) -> None:
        review_due = due_date(restriction.deadlines, DeadlineRule.REVIEW_DUE.value)
        for objection in await repository.objections(restriction.id):
            if objection.outcome is None and review_due is not None:
                objection.review_due = review_due
        decision_due = due_date(restriction.deadlines, DeadlineRule.LIFTING_DECISION_DUE.value)
        for request in await repository.lifting_requests(restriction.id):
            if request.outcome is None and decision_due is not None:
                request.decision_due = decision_due

    return await recompute_provisional(
        session, ctx, LISTINGS, await repository.open_listings(), calendar, follow
    )


# --- steps -----------------------------------------------------------------------------


async def collect(session: AsyncSession, ctx: Context, data: RestrictionCreate) -> RestrictionRead:
    """信息采集 by the caller's department (LZ §5(1)3)."""
    department = await DepartmentRepository(session).get(ctx.principal.department or "")
    if department is None:
        raise Forbidden("The caller's department is not registered.", code="department_unknown")
    profile = get_profile(department.profile)
    if not profile.listing_procedure:
        raise Conflict(
            f"The profile {profile.name} of {department.code} has no restriction list.",
            code="listing_procedure_not_available",
        )
    if data.occurred_on is not None:  # a dishonest act is dated when it happened, not later
        check_date(data.occurred_on, ctx.today, field="body.occurred_on")
    resolved = await resolve_subject(session, data.subject, ctx.today, "body.subject")
    restriction = await _open(
        session,
        ctx,
        "collect",
        Restriction(
            subject_id=resolved.subject.id,
            status=_R.COLLECTED.value,
            situation=data.situation.value,
            source_channel=data.source_channel.value,
            facts=data.facts,
            legal_basis=data.legal_basis,
            legal_documents=list(data.legal_documents),
            address=data.subject.address or resolved.subject.address,
            collecting_department=department.code,
            commitment_id=data.commitment_id,
            occurred_on=data.occurred_on,
        ),
        {},
    )
    return await restriction_read(session, restriction, ctx.today, profile)


async def propose(
    session: AsyncSession,
    ctx: Context,
    *,
    subject_id: uuid.UUID,
    situation: Situation,
    facts: str,
    collecting_department: str,
    commitment_id: uuid.UUID,
) -> uuid.UUID:
    """A listing proposed from a breached commitment (DZ art. 12-13): ``proposed`` until
    the collecting department takes it up (or dismisses it); its legal basis is the
    situation's. Opened like a collected listing, with its first step ``propose``."""
    subject = await SubjectRepository(session).get(subject_id)
    assert subject is not None  # the commitment's subject
    restriction = await _open(
        session,
        ctx,
        "propose",
        Restriction(
            subject_id=subject_id,
            status=initial_state(Machine.RESTRICTION, proposed=True).value,
            situation=situation.value,
            source_channel=SourceChannel.investigation.value,
            facts=facts,
            legal_basis=f"{situation.citation.label}：{situation.citation.text_zh}",
            legal_documents=[f"commitment:{commitment_id}"],
            address=subject.address,
            collecting_department=collecting_department,
            commitment_id=commitment_id,
            occurred_on=ctx.today,
        ),
        {"commitment_id": str(commitment_id)},
    )
    return restriction.id


async def _open(
    session: AsyncSession,
    ctx: Context,
    event: str,
    restriction: Restriction,
    details: dict[str, Any],
) -> Restriction:
    """A new listing in its entry state, with its first history row, audit entry and
    outbox event (``event``, from that state to itself), in the caller's transaction."""
    restriction.deadlines = {}
    restriction.created_by = ctx.principal.sub
    restriction.created_at = ctx.now
    restriction.updated_at = ctx.now
    RestrictionRepository(session).add(restriction)
    await session.flush()
    await record_transition(
        session,
        ctx,
        LISTINGS,
        restriction,
        event,
        restriction.status,
        None,
        {
            "situation": restriction.situation,
            "source_channel": restriction.source_channel,
            **details,
        },
    )
    return restriction


async def take_step(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    event: Event,
    if_match: str | None,
    details: dict[str, Any] | None = None,
    data: Dated | None = None,
) -> RestrictionRead:
    """A step with no data of its own: take up, dismiss, verify, publish; dated the day
    it happened, not before the step it follows (publication: the confirmation)."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    previous = (
        {"confirmation": restriction.confirmed_on or _confirmed_by_lapse_on(restriction, ctx.today)}
        if event is Event.PUBLISH
        else {"collection": _collected_on(ctx, restriction)}
    )
    dated = date_step(
        ctx, data.on if data else None, data.late_entry_reason if data else None, previous
    )
    await _step(session, ctx, restriction, event, details=details, dated=dated)
    if event is Event.VERIFY:
        restriction.verified_on = dated.on
    elif event is Event.PUBLISH:
        restriction.published_on = dated.on
        restriction.confirmed_on = restriction.confirmed_on or dated.on
    elif event is Event.DISMISS:
        restriction.withdrawn_on = dated.on
    await session.flush()
    return await _read(session, ctx, restriction)


def _collected_on(ctx: Context, restriction: Restriction) -> date:
    """The day the listing was collected (or proposed), in the legal time zone."""
    return restriction.created_at.astimezone(ctx.settings.tz).date()


async def _read(session: AsyncSession, ctx: Context, restriction: Restriction) -> RestrictionRead:
    profile = await _profile_of(session, restriction, ctx.settings.profile)
    return await restriction_read(session, restriction, ctx.today, profile)


async def issue_notice(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: NoticeIssue,
    if_match: str | None,
) -> RestrictionRead:
    """告知书 within 3 working days of verification; later is allowed and recorded late."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"verification": restriction.verified_on}
    )
    due = due_date(restriction.deadlines, "notice_due")
    late = due is not None and dated.on > due
    await _step(
        session,
        ctx,
        restriction,
        Event.ISSUE_NOTICE,
        details={"method": data.method.value, "late": late},
        dated=dated,
    )
    restriction.notice_issued_on = dated.on
    restriction.notice_method = data.method.value
    restriction.notice_late = late
    await session.flush()
    return await _read(session, ctx, restriction)


async def record_receipt(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    received_on: date,
    if_match: str | None,
    late_entry_reason: str | None = None,
) -> RestrictionRead:
    """The day the subject received the notice: 3 working days to object from it. Not
    before the notice, not after today; entered later, with the reason."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx,
        received_on,
        late_entry_reason,
        {"notice": restriction.notice_issued_on},
        field="body.received_on",
    )
    if restriction.notice_received_on is not None:
        raise Conflict("The receipt is already recorded.", code="receipt_already_recorded")
    await _step(
        session,
        ctx,
        restriction,
        Event.RECORD_RECEIPT,
        details={"received_on": received_on.isoformat()},
        dated=dated,
    )
    restriction.notice_received_on = received_on
    await session.flush()
    return await _read(session, ctx, restriction)


async def file_objection(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: ObjectionCreate,
    if_match: str | None,
) -> RestrictionRead:
    """陈述申辩 within 3 working days of receipt (LZ §5(1)4); review within 15. Dated the
    day it was made (a mailed statement: its postmark), which the window is judged by."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx,
        data.on,
        data.late_entry_reason,
        {"notice": restriction.notice_issued_on, "receipt": restriction.notice_received_on},
    )
    await _step(
        session, ctx, restriction, Event.OBJECT, details={"statement": data.statement}, dated=dated
    )
    review_due = due_date(restriction.deadlines, "review_due")
    assert review_due is not None
    objection = Objection(
        restriction_id=restriction.id,
        filed_on=dated.on,
        statement=data.statement,
        evidence_refs=list(data.evidence_refs),
        filed_by=ctx.principal.sub,
        review_due=review_due,
    )
    RestrictionRepository(session).add(objection)
    await session.flush()
    return await _read(session, ctx, restriction)


async def review_objection(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    objection_id: uuid.UUID,
    data: ReviewCreate,
    if_match: str | None,
) -> RestrictionRead:
    """复核: upheld confirms the listing; overturned withdraws it."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    objection = await RestrictionRepository(session).get_objection(objection_id)
    if objection is None or objection.restriction_id != restriction.id:
        raise NotFound(f"No objection {objection_id} on this listing.", code="objection_not_found")
    if objection.outcome is not None:
        raise Conflict("The objection is already reviewed.", code="objection_already_reviewed")
    dated = date_step(ctx, data.on, data.late_entry_reason, {"objection": objection.filed_on})
    event = Event.REVIEW_UPHELD if data.outcome is ReviewOutcome.upheld else Event.REVIEW_OVERTURNED
    await _step(
        session,
        ctx,
        restriction,
        event,
        details={"objection_id": str(objection.id), "reasons": data.reasons},
        dated=dated,
    )
    objection.outcome = data.outcome.value
    objection.reasons = data.reasons
    objection.reviewed_on = dated.on
    objection.reviewed_by = ctx.principal.sub
    if data.outcome is ReviewOutcome.upheld:
        restriction.confirmed_on = dated.on
    else:
        restriction.withdrawn_on = dated.on
    await session.flush()
    return await _read(session, ctx, restriction)


async def record_rectification(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: RectificationCreate,
    if_match: str | None,
) -> RestrictionRead:
    """整改 recorded with evidence: repair at period end, or at once after it (LZ §5(1)5)."""
    restriction = await _load(session, ctx, restriction_id, if_match)
    if restriction.rectified_on is not None:
        raise Conflict("Rectification is already recorded.", code="rectification_recorded")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"publication": restriction.published_on}
    )
    await _step(
        session,
        ctx,
        restriction,
        Event.RECORD_RECTIFICATION,
        details={"description": data.description, "evidence_refs": data.evidence_refs},
        dated=dated,
    )
    restriction.rectified_on = dated.on
    restriction.rectification = {
        "description": data.description,
        "evidence_refs": list(data.evidence_refs),
    }
    await session.flush()
    return await _read(session, ctx, restriction)


async def request_lifting(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: LiftingRequestCreate,
) -> RestrictionRead:
    """申请取消限制 (DZ art. 15 ¶2): after rectification; decided within 5 days."""
    restriction = await RestrictionRepository(session).get(restriction_id, for_update=True)
    if restriction is None:
        raise NotFound(f"No listing {restriction_id}.", code="restriction_not_found")
    pending = [
        r
        for r in await RestrictionRepository(session).lifting_requests(restriction.id)
        if r.outcome is None
    ]
    if pending:
        raise Conflict("A lifting request is already pending.", code="lifting_request_pending")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"rectification": restriction.rectified_on}
    )
    await _step(
        session,
        ctx,
        restriction,
        Event.REQUEST_LIFTING,
        details={"reason": data.reason},
        dated=dated,
    )
    due = due_date(restriction.deadlines, "lifting_decision_due")
    assert due is not None
    RestrictionRepository(session).add(
        LiftingRequest(
            restriction_id=restriction.id,
            requested_on=dated.on,
            reason=data.reason,
            evidence_refs=list(data.evidence_refs),
            requested_by=ctx.principal.sub,
            decision_due=due,
        )
    )
    await session.flush()
    return await _read(session, ctx, restriction)


async def decide_lifting(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    request_id: uuid.UUID,
    data: LiftingDecisionCreate,
    if_match: str | None,
) -> RestrictionRead:
    restriction = await _load(session, ctx, restriction_id, if_match)
    request = await RestrictionRepository(session).get_lifting_request(request_id)
    if request is None or request.restriction_id != restriction.id:
        raise NotFound(f"No lifting request {request_id}.", code="lifting_request_not_found")
    if request.outcome is not None:
        raise Conflict("The request is already decided.", code="lifting_request_decided")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"lifting_request": request.requested_on}
    )
    event = Event.LIFT if data.outcome is LiftingOutcome.lifted else Event.REJECT_LIFTING
    await _step(
        session,
        ctx,
        restriction,
        event,
        details={"request_id": str(request.id), "reasons": data.reasons},
        dated=dated,
    )
    request.outcome = data.outcome.value
    request.reasons = data.reasons
    request.decided_on = dated.on
    request.decided_by = ctx.principal.sub
    if data.outcome is LiftingOutcome.lifted:
        restriction.lifted_on = dated.on
    await session.flush()
    return await _read(session, ctx, restriction)


async def correct(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: CorrectionCreate,
    if_match: str | None,
) -> RestrictionRead:
    """更正 or 移除 within 2 working days of discovering the error (LZ §5(1)4).

    A late correction is still made — leaving a wrong listing in place would be worse —
    and is flagged late.
    """
    restriction = await _load(session, ctx, restriction_id, if_match)
    # The error is found in a listing that exists, and before it is corrected.
    check_date(
        data.discovered_on,
        ctx.today,
        {"collection": _collected_on(ctx, restriction)},
        field="body.discovered_on",
    )
    dated = date_step(ctx, data.on, data.late_entry_reason, {"discovery": data.discovered_on})
    changes = data.changes.model_dump(exclude_none=True) if data.changes else {}
    if data.kind == "fix" and not changes:
        raise UnprocessableEntity(
            "A fix names the fields it changes.",
            code="correction_empty",
            errors=[FieldError(field="body.changes", code="correction_empty", message="empty")],
        )
    profile = await _profile_of(session, restriction, ctx.settings.profile)
    calendar = await load_working_calendar(session)
    due = compute_rule_deadline(
        DeadlineRule.CORRECTION_DUE, calendar=calendar, profile=profile, start=data.discovered_on
    )
    late = dated.on > due.date
    event = Event.CORRECT_REMOVE if data.kind == "remove" else Event.CORRECT_FIX
    diff = {
        field: {"before": _jsonable(getattr(restriction, field)), "after": value}
        for field, value in changes.items()
    }
    await _step(
        session,
        ctx,
        restriction,
        event,
        details={"reason": data.reason, "late": late, "changes": diff},
        dated=dated,
    )
    for field, value in changes.items():
        setattr(restriction, field, value)
    if data.kind == "remove":
        restriction.withdrawn_on = dated.on
    RestrictionRepository(session).add(
        Correction(
            restriction_id=restriction.id,
            kind=data.kind.value,
            discovered_on=data.discovered_on,
            due_on=due.date,
            corrected_on=dated.on,
            late=late,
            reason=data.reason,
            changes=diff,
            corrected_by=ctx.principal.sub,
        )
    )
    await session.flush()
    return await _read(session, ctx, restriction)


def _jsonable(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


# --- lists -----------------------------------------------------------------------------


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
    the caller's own department's (auditors: all)."""
    after = _after(cursor)
    rows = await RestrictionRepository(session).search(
        department=department,
        status=status,
        subject_id_number=subject,
        after=after,
        limit=limit + 1,
    )
    subjects = {
        s.id: s for s in await SubjectRepository(session).get_many({r.subject_id for r in rows})
    }
    profiles = await _department_profiles(session, {r.collecting_department for r in rows})
    items = []
    for row in rows[:limit]:
        profile = _profile(row, profiles, ctx.settings.profile)
        view = _view(row, await _subject_listings(session, row.subject_id), ctx.today, profile)
        items.append(
            RestrictionSummary(
                id=str(row.id),
                status=derived_status(row, ctx.today, view),
                effective=bool(view and view.effective),
                situation=Situation(row.situation),
                subject=subject_read(subjects[row.subject_id]),
                collecting_department=row.collecting_department,
                published_on=row.published_on,
                period_ends_on=view.period_ends_on if view else None,
                version=row.version,
            )
        )
    next_cursor = encode_cursor({"after": str(rows[limit - 1].id)}) if len(rows) > limit else None
    return Page[RestrictionSummary](items=items, next_cursor=next_cursor)


def _after(cursor: str | None) -> uuid.UUID | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    try:
        return uuid.UUID(str(after))
    except ValueError:
        raise UnprocessableEntity("The cursor is not valid.", code="invalid_cursor") from None


async def _department_profiles(session: AsyncSession, codes: Collection[str]) -> dict[str, str]:
    departments = await DepartmentRepository(session).get_many(codes)
    return {code: d.profile for code, d in departments.items()}


async def _effective_views(
    session: AsyncSession, candidates: Sequence[Restriction], today: date, default: str
) -> list[tuple[Restriction, ListingView]]:
    """Candidates that are effective today, with their views (restart rule included)."""
    subject_ids = {row.subject_id for row in candidates}
    published = await RestrictionRepository(session).published_of(subject_ids)
    return await _views_of(session, candidates, published, today, default)


async def _views_of(
    session: AsyncSession,
    candidates: Sequence[Restriction],
    published: Sequence[Restriction],
    today: date,
    default: str,
) -> list[tuple[Restriction, ListingView]]:
    """The candidates effective today, given every published listing of their subjects."""
    if not candidates:
        return []
    by_subject: dict[str, list[ListingHistory]] = {}
    for row in published:
        by_subject.setdefault(str(row.subject_id), []).append(history_of(row))
    profiles = await _department_profiles(session, {r.collecting_department for r in candidates})
    result = []
    for row in candidates:
        profile = _profile(row, profiles, default)
        view = listing_state_on(
            by_subject[str(row.subject_id)], str(row.id), today, profile=profile
        )
        if view.effective:
            result.append((row, view))
    return result


def _may_be_effective(row: Restriction, today: date) -> bool:
    """The filter of ``RestrictionRepository.effective_candidates``, on a row in hand."""
    return (
        row.status == _R.EFFECTIVE
        and row.published_on is not None
        and row.published_on <= today
        and (row.withdrawn_on is None or row.withdrawn_on > today)
        and (row.lifted_on is None or row.lifted_on > today)
    )


async def public_list(
    session: AsyncSession,
    ctx: Context,
    *,
    name: str | None,
    id_number: str | None,
    limit: int,
    cursor: str | None,
) -> Page[PublicRestriction]:
    """Effective listings only, personal names and citizen IDs masked (LZ §5(1)5-6)."""
    subject_ids: list[uuid.UUID] | None = None
    subjects = SubjectRepository(session)
    if id_number is not None or name is not None:
        found = await subjects.find(id_number=id_number, name=name)
        subject_ids = [s.id for s in found]
        if not subject_ids:
            return Page[PublicRestriction](items=[], next_cursor=None)
    after = _after(cursor)
    items: list[PublicRestriction] = []
    next_cursor: str | None = None
    repository = RestrictionRepository(session)
    departments = DepartmentRepository(session)
    while True:
        batch = await repository.effective_candidates(
            ctx.today, subject_ids=subject_ids, after=after, limit=limit * 2
        )
        views = await _effective_views(session, batch, ctx.today, ctx.settings.profile)
        owners = {s.id: s for s in await subjects.get_many({r.subject_id for r, _ in views})}
        names = await departments.get_many({r.collecting_department for r, _ in views})
        for row, view in views:
            if not view.publicly_visible:
                continue
            owner = owners[row.subject_id]
            shown_name, shown_id = masked_identity(owner.subject_type, owner.name, owner.id_number)
            items.append(
                PublicRestriction(
                    subject_type=SubjectType(owner.subject_type),
                    name=shown_name,
                    id_number=shown_id,
                    situation=Situation(row.situation),
                    situation_label=Situation(row.situation).label_zh,
                    department=names[row.collecting_department].name
                    if row.collecting_department in names
                    else row.collecting_department,
                    published_on=row.published_on or ctx.today,
                    period_ends_on=view.period_ends_on,
                )
            )
            if len(items) == limit:
                next_cursor = encode_cursor({"after": str(row.id)})
                break
        if len(items) == limit or len(batch) < limit * 2:
            break
        after = batch[-1].id
    return Page[PublicRestriction](items=items, next_cursor=next_cursor)


async def credit_profile(
    session: AsyncSession,
    ctx: Context,
    subject_type: SubjectType,
    raw_id: str,
    field: str = "body.id_number",
) -> CreditProfileRead:
    """信用档案: own department's detail, only the effect of others' (docs/domain.md section 7).

    ``field`` names where the identifier came from, for a 422 (the body, or the path of
    the deprecated form)."""
    id_number = checked_id_number(subject_type, raw_id, ctx.today, field).normalized
    subject = await SubjectRepository(session).get_by_identifier(subject_type.value, id_number)
    await record(
        session,
        ctx.principal,
        action="credit_profile.read",
        target_type="subject",
        target_id=str(subject.id) if subject else f"{subject_type.value}:unknown",
    )
    if subject is None:
        return CreditProfileRead(
            subject=SubjectRead(subject_type=subject_type, id_number=id_number, name=""),
            as_of=ctx.today,
            restricted=False,
            restricted_until=None,
            awaiting_rectification=False,
            listings=[],
            commitments=[],
            credit_record=[],
        )
    profile = get_profile(ctx.settings.profile)
    # Every published listing of the subject, read once: its history decides the summary,
    # and the effective ones among them are the candidates for the listing effects.
    published = sorted(
        await RestrictionRepository(session).published_of([subject.id]), key=lambda r: r.id
    )
    listings = [history_of(row) for row in published]
    summary = subject_restriction_on(listings, ctx.today, profile=profile)
    candidates = [row for row in published if _may_be_effective(row, ctx.today)]
    own = ctx.principal.department
    views = await _views_of(session, candidates, published, ctx.today, ctx.settings.profile)
    effects = [_effect(row, view, own) for row, view in views]
    commitments = await CommitmentRepository(session).summaries_of_subject(subject.id, ctx.today)
    entries = await CreditRecordRepository(session).of_subject(subject.id)
    return CreditProfileRead(
        subject=subject_read(subject),
        as_of=ctx.today,
        restricted=summary.effective,
        restricted_until=summary.restricted_until,
        awaiting_rectification=summary.awaiting_rectification,
        listings=effects,
        commitments=[
            CommitmentEntry(
                id=str(c.id) if c.department == own else None,
                matter_code=c.matter_code,
                mode=c.mode,
                status=c.status,
                department=c.department,
            )
            for c in commitments
        ],
        credit_record=[
            CreditRecordRead(
                outcome=e.outcome,
                recorded_on=e.recorded_on,
                matter_code=e.matter_code,
                department=e.department,
                citation=e.citation,
            )
            for e in entries
        ],
    )


def _effect(row: Restriction, view: ListingView, own_department: str | None) -> ListingEffect:
    mine = row.collecting_department == own_department
    return ListingEffect(
        id=str(row.id) if mine else None,
        collecting_department=row.collecting_department,
        situation=Situation(row.situation),
        published_on=row.published_on or view.as_of,
        period_ends_on=view.period_ends_on,
        awaiting_rectification=view.awaiting_rectification,
        facts=row.facts if mine else None,
    )


async def supervision_targets(
    session: AsyncSession, ctx: Context, regulator: str | None, limit: int, cursor: str | None
) -> Page[SupervisionTarget]:
    """重点核查对象 (LZ §5(2)2): subjects with effective listings collected in the
    ``regulator``'s region (its code's first six digits) or from commitments on matters it
    regulates; the route's scope names the regulator."""
    if not regulator:  # never widened to every region
        raise Forbidden("Targets are listed for one regulator.", code="department_forbidden")
    own, region = regulator, regulator[:6]
    candidates = await RestrictionRepository(session).effective_candidates(ctx.today)
    in_remit = [r for r in candidates if r.collecting_department.startswith(region)]
    linked = [r for r in candidates if r.commitment_id is not None and r not in in_remit]
    if linked:
        regulated = await _regulated_commitments(session, [r.commitment_id for r in linked], own)  # type: ignore[misc]
        in_remit += [r for r in linked if r.commitment_id in regulated]
    views = await _effective_views(session, in_remit, ctx.today, ctx.settings.profile)
    by_subject: dict[uuid.UUID, list[tuple[Restriction, ListingView]]] = {}
    for row, view in views:
        by_subject.setdefault(row.subject_id, []).append((row, view))
    after = _after(cursor)
    ordered = sorted(s for s in by_subject if after is None or s > after)
    page = ordered[:limit]
    subjects = {s.id: s for s in await SubjectRepository(session).get_many(page)}
    profile = get_profile(ctx.settings.profile)
    items = []
    for subject_id in page:
        listings = await _subject_listings(session, subject_id)
        summary = subject_restriction_on(listings, ctx.today, profile=profile)
        items.append(
            SupervisionTarget(
                subject=subject_read(subjects[subject_id]),
                restricted_until=summary.restricted_until,
                awaiting_rectification=summary.awaiting_rectification,
                listings=[
                    _effect(row, view, row.collecting_department)
                    for row, view in by_subject[subject_id]
                ],
            )
        )
    await record(
        session,
        ctx.principal,
        action="supervision_targets.read",
        target_type="supervision_targets",
        target_id=own,
        details={"subjects": len(items)},
    )
    next_cursor = encode_cursor({"after": str(page[-1])}) if len(ordered) > limit else None
    return Page[SupervisionTarget](items=items, next_cursor=next_cursor)


async def _regulated_commitments(
    session: AsyncSession, commitment_ids: list[uuid.UUID], regulator: str
) -> set[uuid.UUID]:
    commitments = CommitmentRepository(session)
    catalog = CatalogRepository(session)
    regulated = set()
    for commitment_id in commitment_ids:
        commitment = await commitments.get(commitment_id)
        if commitment is None:
            continue
        version = await catalog.get_version(commitment.matter_version_id)
        if version is not None and version.regulator_code == regulator:
            regulated.add(commitment_id)
    return regulated


hooks.register("restriction", recompute_provisional_deadlines)
