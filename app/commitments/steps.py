"""Commitments (容缺受理, 告知承诺; DZ art. 7-14) on the one step engine: how the engine
sees a case, what time has done to it, and every step from supplement to revocation.
Outcomes append to the subject's credit record; a breach proposes a listing that a clerk
must still determine."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar import hooks
from app.calendar.service import load_working_calendar
from app.catalog.schemas import PeriodSpec
from app.commitments.models import Commitment, CommitmentEvent, VerificationStatus
from app.commitments.reads import commitment_read, load_for_agency
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import (
    CommitmentRead,
    NoteCreate,
    NoticeRead,
    SupplementCreate,
)
from app.commitments.state import (
    DUE_BY_STATE,
    ORDER_DEADLINES,
    derived_status,
    due_on,
    order_served_on,
    order_unserved,
)
from app.commitments.withdrawal_schemas import WithdrawalCreate
from app.core.context import Context
from app.core.errors import FieldError, UnprocessableEntity
from app.credit_records import service as credit_records
from app.lifecycle.engine import (
    SYSTEM,
    LifeCycle,
    recompute_provisional,
    transit,
)
from app.lifecycle.step_dates import Dated, StepDate, date_step
from app.referrals.marks import withholds_proposal
from app.restrictions import steps as restrictions
from app.rules.calendar import WorkingCalendar
from app.rules.commitments import WithdrawalReason, decision_late, verification_start
from app.rules.lifecycles import (
    TIME_EVENTS,
    AgencyPeriod,
    DeadlineBelowMinimum,
    DeadlineRule,
    Event,
    GuardContext,
    Machine,
    MissingDeadlineInput,
    NotifyCommitState,
    ToleranceState,
    TransitionResult,
    compute_rule_deadline,
    is_terminal,
)
from app.rules.periods import Deadline, Unit
from app.rules.profiles import Mode, Profile, get_profile
from app.rules.restrictions import Situation

MACHINES = {Mode.TOLERANCE: Machine.TOLERANCE, Mode.NOTIFY_COMMIT: Machine.NOTIFY_COMMIT}


# Outcomes written to the credit record (DZ art. 9 ¶2, 14).
_OUTCOMES: dict[str, str] = {
    ToleranceState.COMPLETED: "fulfilled",
    NotifyCommitState.FULFILLED: "fulfilled",
    ToleranceState.TERMINATED: "terminated",
    NotifyCommitState.REVOKED: "revoked",
    ToleranceState.WITHDRAWN: "withdrawn",
}


# Refusal rows that mean "this step is over": answered like any illegal transition.
_CLOSED_STEP_REFUSALS = {"withdrawal_after_completion", "withdrawal_after_decision"}


def _guard_context(commitment: Commitment, today: date, **facts: Any) -> GuardContext:
    """What the guards see on ``today``: the stored deadlines and facts, and ``facts``
    (which take precedence: a receipt step says the order awaited it)."""
    recorded: dict[str, Any] = {
        "supplement_due": due_on(commitment, "supplement_due"),
        "reminder_due": due_on(commitment, "reminder_due"),
        "rectification_due": due_on(commitment, "rectification_due"),
        "exempt_from_verification": commitment.exempt_from_verification,
        "order_unserved": order_unserved(commitment),
        "meet_by": commitment.meet_by,
    }
    return GuardContext(today=today, **(recorded | facts))


def period_of(spec: PeriodSpec | dict[str, Any] | None) -> AgencyPeriod | None:
    if spec is None:
        return None
    if isinstance(spec, dict):
        return AgencyPeriod(spec["amount"], Unit(spec["unit"]))
    return AgencyPeriod(spec.amount, spec.unit)


def count_deadline(
    rule: DeadlineRule,
    calendar: WorkingCalendar,
    profile: Profile,
    start: date,
    period: AgencyPeriod | None,
    field: str,
) -> Deadline:
    try:
        return compute_rule_deadline(
            rule, calendar=calendar, profile=profile, start=start, period=period
        )
    except DeadlineBelowMinimum as exc:
        raise UnprocessableEntity(
            str(exc),
            code="deadline_below_minimum",
            errors=[FieldError(field=field, code="deadline_below_minimum", message=str(exc))],
        ) from None
    except (MissingDeadlineInput, ValueError) as exc:
        raise UnprocessableEntity(
            str(exc),
            code="deadline_period_invalid",
            errors=[FieldError(field=field, code="deadline_period_invalid", message=str(exc))],
        ) from None


def _history(commitment: Commitment, **fields: Any) -> CommitmentEvent:
    return CommitmentEvent(commitment_id=commitment.id, **fields)


async def _event_data(
    commitment: Commitment, event: str, source: str, details: dict[str, Any], ctx: Context
) -> dict[str, Any]:
    return {
        "commitment_id": str(commitment.id),
        "mode": commitment.mode,
        "matter_code": commitment.matter_code,
        "department": commitment.department,
        "from": source,
        "to": commitment.status,
        "details": details,
    }


COMMITMENTS = LifeCycle(
    kind="commitment",
    history=_history,
    event_data=_event_data,
    due_by_state=DUE_BY_STATE,
    closed_step_codes=_CLOSED_STEP_REFUSALS,
)


async def _catch_up(
    session: AsyncSession, ctx: Context, commitment: Commitment, on: date | None = None
) -> None:
    """Record the transitions time has made by ``on`` (default today): a passed
    supplement deadline."""
    day = on or ctx.today
    if derived_status(commitment, day) != commitment.status:
        await transit(
            session,
            ctx,
            COMMITMENTS,
            commitment,
            Machine.TOLERANCE,
            Event.SUPPLEMENT_DEADLINE_PASSED,
            _guard_context(commitment, day),
            details={"supplement_due": commitment.deadlines["supplement_due"]["date"]},
            principal=SYSTEM,
        )


async def _reopen_supplement_deadline(
    session: AsyncSession, ctx: Context, commitment: Commitment, dated: StepDate
) -> None:
    """A step made within the supplement deadline and entered after the lapse was
    recorded: on its day the case was still accepted, so the recorded lapse is undone
    first, in the history and the audit log (DZ art. 9 ¶2: the deadline is the
    applicant's, not the clerk's)."""
    due = due_on(commitment, "supplement_due")
    if commitment.status != ToleranceState.OVERDUE or due is None or dated.on > due:
        return
    events = await CommitmentRepository(session).events(commitment.id)
    if not events or events[-1].event != Event.SUPPLEMENT_DEADLINE_PASSED:
        return
    await transit(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        Machine.TOLERANCE,
        Event.SUPPLEMENT_DEADLINE_REOPENED,
        _guard_context(commitment, dated.on),
        details={"supplement_due": due.isoformat(), **dated.details()},
    )


# Steps someone takes; what time did (a passed deadline) bounds no later step's day, nor
# does the receipt of an order (a fact about the applicant's day, dated from the order's).
_TAKEN_STEPS = frozenset(e.value for e in Event if e not in TIME_EVENTS | {Event.RECORD_RECEIPT})


async def previous_step(
    session: AsyncSession, ctx: Context, commitment: Commitment
) -> dict[str, date]:
    """The step a new one follows: the latest step someone took on the case, on the day
    it happened (its ``on``, else the day it was entered); with none yet, the signature.

    Rows time made (a passed supplement deadline) and facts that move no state
    (supervision feedback, a recomputed deadline, an order's receipt) bound nothing: the
    guards judge a step's day against the deadlines themselves."""
    for row in reversed(await CommitmentRepository(session).events(commitment.id)):
        if row.event in _TAKEN_STEPS:
            day = row.details.get("on")
            if day is None:
                return {row.event: row.occurred_at.astimezone(ctx.settings.tz).date()}
            return {row.event: date.fromisoformat(day)}
    return {"signature": commitment.signed_at.astimezone(ctx.settings.tz).date()}


async def date_commitment_step(
    session: AsyncSession, ctx: Context, commitment: Commitment, data: Dated
) -> StepDate:
    """The step's day (``on``, default today): not after today, not before the step it
    follows; a day before today needs ``late_entry_reason``."""
    return date_step(
        ctx, data.on, data.late_entry_reason, await previous_step(session, ctx, commitment)
    )


async def _close(
    session: AsyncSession,
    ctx: Context,
    commitment: Commitment,
    result: TransitionResult,
    on: date,
) -> None:
    """Outcome side effects on the day of the closing step: credit record, and a
    restriction proposal on a breach."""
    commitment.closed_on = on
    commitment.current_due_on = None
    await credit_records.append_commitment_outcome(
        session,
        ctx,
        credit_records.CommitmentOutcome(
            subject_id=commitment.subject_id,
            commitment_id=commitment.id,
            mode=commitment.mode,
            status=commitment.status,
            outcome=_OUTCOMES[commitment.status],
            department=commitment.department,
            matter_code=commitment.matter_code,
            citation=result.citation,
        ),
    )
    if result.proposes is not None and not await withholds_proposal(session, commitment.id):
        await _propose_restriction(session, ctx, commitment, result.proposes)


async def _propose_restriction(
    session: AsyncSession, ctx: Context, commitment: Commitment, situation: Situation
) -> None:
    """A breach proposes a listing to the commitment's department, through the
    restrictions service (its first step, audited and sent like any other)."""
    notice = NoticeRead.model_validate(commitment.notice)
    await restrictions.propose(
        session,
        ctx,
        subject_id=commitment.subject_id,
        situation=situation,
        facts=f"{notice.title[:4]}事项“{notice.matter_name}”（承诺编号 {commitment.id}）："
        f"{situation.label_zh}。",
        collecting_department=commitment.department,
        commitment_id=commitment.id,
    )


async def step(
    session: AsyncSession,
    ctx: Context,
    commitment: Commitment,
    event: Event,
    *,
    details: dict[str, Any] | None = None,
    period: AgencyPeriod | None = None,
    period_field: str = "body.period",
    dated: StepDate | None = None,
    **facts: Any,
) -> TransitionResult:
    """Apply one event as of the step's day (``dated``, default today): catch up with
    time by that day, guard on it, count the new state's deadline from it, and record
    history and audit (a late entry's who and why in the details)."""
    on = dated.on if dated else ctx.today
    if commitment.mode == Mode.TOLERANCE:
        if dated is not None:
            await _reopen_supplement_deadline(session, ctx, commitment, dated)
        await _catch_up(session, ctx, commitment, on)
    machine = MACHINES[Mode(commitment.mode)]

    async def count(rule: DeadlineRule) -> Deadline | None:
        agency_period: AgencyPeriod | None = period
        start = on
        if rule is DeadlineRule.VERIFICATION_DUE:
            agency_period = period_of(notify_terms(commitment).get("verification_limit"))
            if commitment.exempt_from_verification:
                return None  # 免于核查 (DZ art. 12 ¶2): no verification period to count
            start = verification_start(on, commitment.meet_by)
        elif rule in ORDER_DEADLINES:
            served = order_served_on(commitment, on)
            if served is None:
                return None  # sent, not yet received: no period runs (DZ art. 13)
            start = served
        return count_deadline(
            rule,
            await load_working_calendar(session),
            get_profile(commitment.profile),
            start,
            agency_period,
            period_field,
        )

    result = await transit(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        machine,
        event,
        _guard_context(commitment, on, **facts),
        details={**(details or {}), **(dated.details() if dated else {})},
        count=count,
    )
    if result.changed and is_terminal(machine, commitment.status):
        await _close(session, ctx, commitment, result, on)
    await session.flush()
    return result


def notify_terms(commitment: Commitment) -> dict[str, Any]:
    terms: dict[str, Any] = commitment.notice.get("terms", {})
    return terms


async def record_time_transitions(session: AsyncSession, ctx: Context, batch: int = 200) -> int:
    """Worker: record overdue tolerance cases (idempotent; rows claimed SKIP LOCKED)."""
    rows = await CommitmentRepository(session).overdue_unrecorded(ctx.today, batch)
    for commitment in rows:
        await _catch_up(session, ctx, commitment)
    await session.flush()
    return len(rows)


async def recompute_provisional_deadlines(
    session: AsyncSession, ctx: Context, calendar: WorkingCalendar
) -> int:
    """Calendar hook: provisional deadlines of open commitments counted again on
    ``calendar``; each changed case gets a ``deadline_recomputed`` step of its own."""
    repository = CommitmentRepository(session)

    async def follow(commitment: Commitment) -> None:
        for verification in await repository.verifications(commitment.id):
            if verification.status == VerificationStatus.OPEN:
                verification.due_on = due_on(commitment, "verification_due")

    return await recompute_provisional(
        session, ctx, COMMITMENTS, await repository.open_commitments(), calendar, follow
    )


async def record_supplement(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: SupplementCreate,
    if_match: str | None,
) -> CommitmentRead:
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    event = Event.SUPPLEMENT_COMPLIANT if data.compliant else Event.SUPPLEMENT_NONCOMPLIANT
    await step(
        session,
        ctx,
        commitment,
        event,
        details={"materials": data.materials, "compliant": data.compliant, "note": data.note},
        dated=dated,
    )
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def record_decision(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: NoteCreate,
    if_match: str | None,
) -> CommitmentRead:
    """办结 (tolerance) or 作出办理决定 (notify_commit); exempt matters are then fulfilled
    the same day. A notify-commit decision on a day after its stored completion limit is
    flagged ``late`` in the history, the audit entry and the case (DZ art. 7 ¶3), judged
    on the step's day, not the day of entry."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    due = due_on(commitment, DeadlineRule.DECISION_DUE.value)
    late = decision_late(dated.on, due)
    timeliness = {} if due is None else {"decision_due": due.isoformat(), "late": late}
    await step(
        session,
        ctx,
        commitment,
        Event.DECIDE,
        details={"note": data.note, **timeliness},
        dated=dated,
    )
    commitment.decided_on = dated.on
    commitment.decision_due_on = due
    commitment.decision_late = late
    if commitment.mode == Mode.NOTIFY_COMMIT and commitment.exempt_from_verification:
        await step(
            session,
            ctx,
            commitment,
            Event.EXEMPT_FROM_VERIFICATION,
            details={"note": "免于核查 (DZ art. 12 ¶2)"},
            dated=dated,
        )
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def withdraw(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: WithdrawalCreate,
    if_match: str | None,
) -> CommitmentRead:
    """撤回承诺书 before completion or decision, with a reasonable reason (DZ art. 10): its
    category (``reason_category`` in the history) and, for ``other``, its text; the
    ordinary procedure follows."""
    category = data.reason_category
    if category is WithdrawalReason.OTHER and not (data.reason or "").strip():
        raise UnprocessableEntity(
            "A withdrawal for another reason states it (DZ art. 10).",
            code="withdrawal_reason_missing",
            errors=[
                FieldError(
                    field="body.reason",
                    code="withdrawal_reason_missing",
                    message="required when reason_category is other",
                )
            ],
        )
    reason = data.reason or category.label_zh
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    await step(
        session,
        ctx,
        commitment,
        Event.WITHDRAW,
        details={"reason": reason, "reason_category": category.value},
        dated=dated,
        withdrawal_reason=reason,
    )
    commitment.withdrawal_reason = reason
    commitment.withdrawal_reason_category = category.value
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


hooks.register("commitment", recompute_provisional_deadlines)
