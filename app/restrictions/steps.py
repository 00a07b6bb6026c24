"""The restriction list (失信制约名单, LZ §5; DZ art. 15) on the one step engine: how the
engine sees a listing, what time has done to it, collection and proposal, and the steps
with no data of their own. The other steps are in notices, lifting and corrections."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar import hooks
from app.calendar.service import load_working_calendar
from app.core.context import Context
from app.core.errors import Conflict, Forbidden
from app.departments.repository import DepartmentRepository
from app.events.service import REPORTED_TYPES
from app.lifecycle.deadlines import due_date
from app.lifecycle.engine import (
    SYSTEM,
    CountDeadline,
    LifeCycle,
    recompute_provisional,
    record_transition,
    transit,
)
from app.lifecycle.step_dates import Dated, StepDate, check_date, date_step
from app.restrictions.models import Restriction, RestrictionEvent
from app.restrictions.reads import load_listing, restriction_read
from app.restrictions.repair_schedule import schedule_repair_notices
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import RestrictionCreate, RestrictionRead, SourceChannel
from app.restrictions.state import (
    confirmed_by_lapse_on,
    derived_status,
    listing_profile,
    listing_view,
    subject_listings,
)
from app.rules.calendar import WorkingCalendar
from app.rules.disclosure import listing_event_audience
from app.rules.due import DUE_BY_STATE
from app.rules.hearing import own_period_end
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
from app.rules.restrictions import Situation
from app.subjects.repository import SubjectRepository
from app.subjects.service import resolve_subject
from app.web.auth import Principal


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
        "profile": restriction.profile,  # its regime: where the listing's effects reach
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
    # Only a determined listing leaves the collecting department (LZ §5(1)4).
    audience=listing_event_audience,
    department=lambda restriction: restriction.collecting_department,
)


def early_lifting_in_scope(restriction: Restriction, profile: Profile) -> bool:
    """Whether the profile's early lifting covers the listing (DZ art. 15 ¶1-2)."""
    scope = profile.early_lifting_scope
    return scope is not None and scope.covers(
        restriction.situation, restriction.commitment_id is not None
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def _guard_context(
    session: AsyncSession, restriction: Restriction, today: date, profile: Profile
) -> GuardContext:
    view = listing_view(
        restriction, await subject_listings(session, restriction.subject_id), today, profile
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
        early_lifting_in_scope=early_lifting_in_scope(restriction, profile),
        listing_procedure=profile.listing_procedure,
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
    confirmed_on = confirmed_by_lapse_on(restriction, day)
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
        restriction.confirmed_on = restriction.determined_on = confirmed_on
    view = listing_view(
        restriction, await subject_listings(session, restriction.subject_id), day, profile
    )
    if derived_status(restriction, day, view) == RestrictionState.REPAIRED:
        await _apply(session, ctx, SYSTEM, restriction, Event.REPAIR, profile, {}, day)


async def catch_up(
    session: AsyncSession, ctx: Context, restriction: Restriction, on: date | None = None
) -> None:
    """Record what time has done by ``on`` (default today), after a step that changed
    what it derives from (a rectification confirmed past the period end repairs at once)."""
    profile = listing_profile(restriction)
    await _catch_up(session, ctx, restriction, profile, on)
    await session.flush()


async def _reopen_window(
    session: AsyncSession,
    ctx: Context,
    restriction: Restriction,
    dated: StepDate,
    profile: Profile,
) -> None:
    """An objection made within the window and entered after the lapse was recorded: on
    its day the listing was still notified, so the recorded lapse is undone first, in the
    history and the audit log (LZ §5(1)4: the window is the subject's, not the clerk's)."""
    confirmed_on = restriction.confirmed_on
    if (
        restriction.status != RestrictionState.CONFIRMED
        or restriction.published_on is not None
        or confirmed_on is None
        or dated.on >= confirmed_on
    ):
        return
    events = await RestrictionRepository(session).events(restriction.id)
    if not events or events[-1].event != Event.OBJECTION_WINDOW_LAPSED:
        return
    await _apply(
        session,
        ctx,
        ctx.principal,
        restriction,
        Event.OBJECTION_WINDOW_REOPENED,
        profile,
        {"confirmed_on": confirmed_on.isoformat(), **dated.details()},
        dated.on,
    )
    restriction.confirmed_on = restriction.determined_on = None


async def step(
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
    profile = listing_profile(restriction)
    on = dated.on if dated else ctx.today
    if dated is not None and event is Event.OBJECT:
        await _reopen_window(session, ctx, restriction, dated, profile)
    # A step time has ended (a late objection) is refused in the state time led to with
    # the guard's own code, as it is once the worker has recorded the transition.
    await _catch_up(session, ctx, restriction, profile, on)
    extra = {**(details or {}), **(dated.details() if dated else {})}

    async def count(rule: DeadlineRule) -> Deadline:
        if rule is DeadlineRule.PERIOD_END and restriction.period_months is not None:
            return own_period_end(deadline_start or on, restriction.period_months)
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
        profile = listing_profile(restriction)
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
        repair_due = due_date(restriction.deadlines, DeadlineRule.REPAIR_DECISION_DUE.value)
        for application in await repository.repair_applications(restriction.id):
            if application.outcome is None and repair_due is not None:
                application.decision_due = repair_due

    return await recompute_provisional(
        session, ctx, LISTINGS, await repository.open_listings(), calendar, follow
    )


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
            status=RestrictionState.COLLECTED.value,
            situation=data.situation.value,
            source_channel=data.source_channel.value,
            facts=data.facts,
            legal_basis=data.legal_basis,
            legal_documents=list(data.legal_documents),
            address=data.subject.address or resolved.subject.address,
            collecting_department=department.code,
            profile=profile.name,
            commitment_id=data.commitment_id,
            occurred_on=data.occurred_on,
            period_months=data.period_months,
            period_basis=data.period_basis,
        ),
        # Another rule's period (LZ §5(1)5) is in the collection's history and audit entry.
        {"period_months": data.period_months, "period_basis": data.period_basis}
        if data.period_months is not None
        else {},
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
    situation's. Opened like a collected listing, with its first step ``propose``, under
    the collecting department's profile: Linzi's procedure (take-up), or Dezhou's
    restriction (``restrict``, DZ art. 15 ¶1)."""
    subject = await SubjectRepository(session).get(subject_id)
    assert subject is not None  # the commitment's subject
    department = await DepartmentRepository(session).get(collecting_department)
    assert department is not None  # the commitment's department
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
            profile=department.profile,
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
    """A step with no data of its own: take up, dismiss, verify, publish, restrict; dated
    the day it happened, not before the step it follows (publication: the confirmation).
    A Dezhou restriction (DZ art. 15 ¶1) is effective from its day, recorded as the
    listing's ``published_on``: the measures know no publication, nothing is published."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    previous = (
        {"confirmation": restriction.confirmed_on or confirmed_by_lapse_on(restriction, ctx.today)}
        if event is Event.PUBLISH
        else {"collection": collected_on(ctx, restriction)}
    )
    dated = date_step(
        ctx, data.on if data else None, data.late_entry_reason if data else None, previous
    )
    await step(session, ctx, restriction, event, details=details, dated=dated)
    if event is Event.VERIFY:
        restriction.verified_on = dated.on
    elif event in (Event.PUBLISH, Event.RESTRICT):
        restriction.published_on = dated.on
        restriction.confirmed_on = restriction.confirmed_on or dated.on
        restriction.determined_on = restriction.determined_on or dated.on
    elif event is Event.DISMISS:
        restriction.withdrawn_on = dated.on
    await session.flush()
    if event is Event.PUBLISH:  # the repair notice falls due after the period (LZ §5(1)5)
        await schedule_repair_notices(session, ctx, LISTINGS, restriction, dated.on)
    return await read_after_step(session, ctx, restriction)


def collected_on(ctx: Context, restriction: Restriction) -> date:
    """The day the listing was collected (or proposed), in the legal time zone."""
    return restriction.created_at.astimezone(ctx.settings.tz).date()


async def read_after_step(
    session: AsyncSession, ctx: Context, restriction: Restriction
) -> RestrictionRead:
    profile = listing_profile(restriction)
    return await restriction_read(session, restriction, ctx.today, profile)


hooks.register("restriction", recompute_provisional_deadlines)
