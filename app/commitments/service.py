"""Commitments (容缺受理, 告知承诺; DZ art. 7-14): from signature to fulfilment.

Every step goes through the rule module's transition tables. A step first records the
transitions time has already made (a supplement deadline that passed), so the answer
never depends on a background job having run. Outcomes append to the subject's credit
record; breaches propose a restriction that a clerk must still determine.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar import hooks
from app.calendar.service import load_working_calendar
from app.catalog.models import MatterVersion
from app.catalog.repository import CatalogRepository
from app.catalog.schemas import MatterModes, PeriodSpec, VerificationMethod
from app.commitments.content import AFFIRMATION_TEXT, letter_title_from, notice_snapshot
from app.commitments.models import Commitment, CommitmentEvent, Verification
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import (
    Affirmations,
    CommitmentCreate,
    CommitmentRead,
    CommitmentSummary,
    DeadlinesRead,
    EventRead,
    LetterRead,
    NoticeRead,
    ReminderCreate,
    RevocationCreate,
    SupervisionFeedbackCreate,
    SupplementCreate,
    VerificationCreate,
    VerificationRead,
    VerificationResultCreate,
)
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.core.pagination import Page, decode_cursor, encode_cursor
from app.credit_checks.repository import CreditCheckRepository
from app.credit_records import service as credit_records
from app.departments.repository import DepartmentRepository
from app.events.service import emit
from app.lifecycle.deadlines import DeadlineRead, deadline_json, due_date
from app.lifecycle.engine import (
    SYSTEM,
    LifeCycle,
    recompute_provisional,
    record_transition,
    transit,
)
from app.lifecycle.step_dates import check_date
from app.restrictions import service as restrictions
from app.rules.calendar import WorkingCalendar
from app.rules.due import due_by_state
from app.rules.eligibility import CheckResult
from app.rules.lifecycles import (
    AgencyPeriod,
    DeadlineBelowMinimum,
    DeadlineRule,
    Event,
    GuardContext,
    Machine,
    MissingDeadlineInput,
    TransitionResult,
    compute_rule_deadline,
    initial_state,
    is_terminal,
)
from app.rules.periods import Deadline, Unit
from app.rules.profiles import Mode, Profile, get_profile
from app.rules.restrictions import Situation
from app.subjects.models import Subject
from app.subjects.repository import SubjectRepository
from app.subjects.service import subject_read

_SIGNATURE_SKEW = timedelta(minutes=5)

# The deadline that governs each state of either machine (app.rules.due).
_DUE_BY_STATE = due_by_state(Machine.TOLERANCE, Machine.NOTIFY_COMMIT)
_MACHINES = {Mode.TOLERANCE: Machine.TOLERANCE, Mode.NOTIFY_COMMIT: Machine.NOTIFY_COMMIT}
# Outcomes written to the credit record (DZ art. 9 ¶2, 14).
_OUTCOMES = {
    "completed": "fulfilled",
    "fulfilled": "fulfilled",
    "terminated": "terminated",
    "revoked": "revoked",
    "withdrawn": "withdrawn",
}
# Refusal rows that mean "this step is over": answered like any illegal transition.
_CLOSED_STEP_REFUSALS = {"withdrawal_after_completion", "withdrawal_after_decision"}


# --- reading ---------------------------------------------------------------------------


def _deadlines_read(commitment: Commitment) -> DeadlinesRead:
    details = [DeadlineRead.model_validate(v) for v in commitment.deadlines.values()]
    dates = {d.name: d.date for d in details}
    return DeadlinesRead(
        supplement_due=dates.get("supplement_due"),
        decision_due=dates.get("decision_due"),
        reminder_due=dates.get("reminder_due"),
        verification_due=dates.get("verification_due"),
        rectification_due=dates.get("rectification_due"),
        provisional=any(d.provisional for d in details),
        details=details,
    )


def _due(commitment: Commitment, name: str | None) -> date | None:
    return due_date(commitment.deadlines, name)


def derived_status(commitment: Commitment, today: date) -> str:
    """The status on ``today``, counting transitions time has made but nobody recorded."""
    if commitment.status == "accepted":
        due = _due(commitment, "supplement_due")
        if due is not None and today > due:
            return "overdue"
    return commitment.status


def current_due_on(commitment: Commitment, today: date) -> date | None:
    """The deadline that governs the status on ``today``: once the supplement deadline
    has passed, none, whether or not the worker has recorded the case overdue."""
    status = derived_status(commitment, today)
    if status == commitment.status:
        return commitment.current_due_on
    rule = _DUE_BY_STATE.get(status)
    return _due(commitment, rule.value if rule else None)


def _verification_read(v: Verification) -> VerificationRead:
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
        version=v.version,
    )


async def commitment_read(
    session: AsyncSession, commitment: Commitment, today: date
) -> CommitmentRead:
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
            affirmations=[AFFIRMATION_TEXT[k] for k in AFFIRMATION_TEXT],
            signed_by=commitment.signed_by,
            signed_at=commitment.signed_at,
        ),
        missing_materials=list(commitment.missing_materials),
        exempt_from_verification=commitment.exempt_from_verification,
        deadlines=_deadlines_read(commitment),
        current_due_on=current_due_on(commitment, today),
        decided_on=commitment.decided_on,
        closed_on=commitment.closed_on,
        withdrawal_reason=commitment.withdrawal_reason,
        version=commitment.version,
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
            for e in await repository.events(commitment.id)
        ],
        verifications=[
            _verification_read(v) for v in await repository.verifications(commitment.id)
        ],
    )


async def _version_of(session: AsyncSession, commitment: Commitment) -> MatterVersion:
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
    session: AsyncSession, ctx: Context, commitment_id: uuid.UUID
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
    return await commitment_read(session, commitment, ctx.today)


async def _load_for_agency(
    session: AsyncSession, commitment_id: uuid.UUID, if_match: str | None
) -> Commitment:
    """The commitment, locked, for a step only its agency (政务服务实施机关) may take
    (the route's owner, enforced by ``app.web.ownership``)."""
    commitment = await CommitmentRepository(session).get(commitment_id, for_update=True)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    check_version(commitment.version, if_match, f"Commitment {commitment_id}")
    return commitment


# --- transitions -----------------------------------------------------------------------


def _guard_context(commitment: Commitment, today: date, **facts: Any) -> GuardContext:
    return GuardContext(
        today=today,
        supplement_due=_due(commitment, "supplement_due"),
        reminder_due=_due(commitment, "reminder_due"),
        rectification_due=_due(commitment, "rectification_due"),
        exempt_from_verification=commitment.exempt_from_verification,
        **facts,
    )


def _period(spec: PeriodSpec | dict[str, Any] | None) -> AgencyPeriod | None:
    if spec is None:
        return None
    if isinstance(spec, dict):
        return AgencyPeriod(spec["amount"], Unit(spec["unit"]))
    return AgencyPeriod(spec.amount, spec.unit)


def _compute(
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
    due_by_state=_DUE_BY_STATE,
    closed_step_codes=_CLOSED_STEP_REFUSALS,
)


async def _catch_up(session: AsyncSession, ctx: Context, commitment: Commitment) -> None:
    """Record the transitions time has made (a passed supplement deadline)."""
    if derived_status(commitment, ctx.today) != commitment.status:
        await transit(
            session,
            ctx,
            COMMITMENTS,
            commitment,
            Machine.TOLERANCE,
            Event.SUPPLEMENT_DEADLINE_PASSED,
            _guard_context(commitment, ctx.today),
            details={"supplement_due": commitment.deadlines["supplement_due"]["date"]},
            principal=SYSTEM,
        )


async def _close(
    session: AsyncSession, ctx: Context, commitment: Commitment, result: TransitionResult
) -> None:
    """Outcome side effects: credit record, and a restriction proposal on a breach."""
    commitment.closed_on = ctx.today
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
    if result.proposes is not None:
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


async def _step(
    session: AsyncSession,
    ctx: Context,
    commitment: Commitment,
    event: Event,
    *,
    details: dict[str, Any] | None = None,
    period: AgencyPeriod | None = None,
    period_field: str = "body.period",
    **facts: Any,
) -> TransitionResult:
    """Apply one event: guard, new status, deadline of the new state, history, audit."""
    if commitment.mode == Mode.TOLERANCE:
        await _catch_up(session, ctx, commitment)
    machine = _MACHINES[Mode(commitment.mode)]

    async def count(rule: DeadlineRule) -> Deadline | None:
        agency_period = period
        if rule is DeadlineRule.VERIFICATION_DUE:
            agency_period = _period(_notify_terms(commitment).get("verification_limit"))
            if commitment.exempt_from_verification:
                return None  # 免于核查 (DZ art. 12 ¶2): no verification period to count
        return _compute(
            rule,
            await load_working_calendar(session),
            get_profile(commitment.profile),
            ctx.today,
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
        _guard_context(commitment, ctx.today, **facts),
        details=details,
        count=count,
    )
    if result.changed and is_terminal(machine, commitment.status):
        await _close(session, ctx, commitment, result)
    await session.flush()
    return result


def _notify_terms(commitment: Commitment) -> dict[str, Any]:
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
            if verification.status == "open":
                verification.due_on = _due(commitment, "verification_due")

    return await recompute_provisional(
        session, ctx, COMMITMENTS, await repository.open_commitments(), calendar, follow
    )


# --- creating --------------------------------------------------------------------------


def _affirmation_errors(affirmations: Affirmations) -> list[FieldError]:
    errors = []
    for name, value in affirmations.model_dump().items():
        if value is not True:
            code = "affirmation_missing" if value is None else "affirmation_false"
            errors.append(
                FieldError(
                    field=f"body.affirmations.{name}",
                    code=code,
                    message=f"must be affirmed: {AFFIRMATION_TEXT[name]} (DZ art. 9 ¶1)",
                )
            )
    return errors


async def create_commitment(
    session: AsyncSession, ctx: Context, data: CommitmentCreate
) -> CommitmentRead:
    errors = _affirmation_errors(data.affirmations)
    if errors:
        raise UnprocessableEntity(
            "Every affirmation of DZ art. 9 must be made explicitly.",
            code="affirmations_incomplete",
            errors=errors,
        )
    if data.signed_at > ctx.now + _SIGNATURE_SKEW:
        raise UnprocessableEntity(
            "The commitment cannot be signed in the future.",
            code="signed_in_future",
            errors=[FieldError(field="body.signed_at", code="signed_in_future", message="future")],
        )
    check = await CreditCheckRepository(session).get(data.credit_check_id)
    if check is None:
        raise NotFound(f"No credit check {data.credit_check_id}.", code="credit_check_not_found")
    if check.result != CheckResult.PASS:
        raise Conflict("The credit check did not pass.", code="credit_check_failed")
    # Signed after the check that backs it: a signature dated before is a typo, not a breach.
    check_date(
        data.signed_at.astimezone(ctx.settings.tz).date(),
        ctx.today,
        {"credit_check": check.checked_on},
        field="body.signed_at",
    )
    if ctx.today > check.valid_until:
        raise Conflict(
            f"The credit check was valid until {check.valid_until.isoformat()}; run a new one.",
            code="credit_check_expired",
        )
    if data.mode.value not in check.eligible_modes or data.mode not in _MACHINES:
        raise UnprocessableEntity(
            f"The credit check does not allow a {data.mode.value} commitment.",
            code="mode_not_allowed",
            errors=[
                FieldError(
                    field="body.mode",
                    code="mode_not_allowed",
                    message=f"allowed: {', '.join(check.eligible_modes) or 'none'}",
                )
            ],
        )
    assert check.matter_version_id is not None
    version = await CatalogRepository(session).get_version(check.matter_version_id)
    assert version is not None
    # Made with the matter's agency only: the route's owner (agency), app.web.ownership.
    repository = CommitmentRepository(session)
    if await repository.get_by_credit_check(check.id) is not None:
        raise Conflict("The credit check already backs a commitment.", code="credit_check_used")

    modes = MatterModes.model_validate(version.modes)
    missing = list(dict.fromkeys(data.missing_materials))
    if data.mode is Mode.TOLERANCE:
        assert modes.tolerance is not None
        tolerable = set(modes.tolerance.tolerable_missing_materials)
        wrong = [m for m in missing if m not in tolerable]
        if not missing or wrong:
            raise UnprocessableEntity(
                "Name the missing materials, each one tolerable for this matter.",
                code="materials_not_tolerable",
                errors=[
                    FieldError(
                        field="body.missing_materials",
                        code="materials_not_tolerable",
                        message=f"tolerable: {', '.join(sorted(tolerable))}",
                    )
                ],
            )
    elif missing:
        raise UnprocessableEntity(
            "Missing materials are named for tolerance only.",
            code="materials_not_tolerable",
            errors=[
                FieldError(
                    field="body.missing_materials",
                    code="materials_not_tolerable",
                    message="notify_commit has no tolerated materials",
                )
            ],
        )

    agency = await DepartmentRepository(session).get(version.agency_code)
    assert agency is not None
    notice = notice_snapshot(
        mode=data.mode,
        matter_code=version.matter_code,
        matter_name=version.name,
        matter_version=version.version,
        agency_code=agency.code,
        agency_name=agency.name,
        modes=modes,
        legal_basis=version.legal_basis,
        legal_liability=version.legal_liability,
        verification_power=version.verification_power,
        other_notice=version.other_notice,
        missing_materials=missing,
    )
    profile = get_profile(check.profile)
    calendar = await load_working_calendar(session)
    start = data.signed_at.astimezone(ctx.settings.tz).date()
    machine = _MACHINES[data.mode]
    status = initial_state(machine)
    terms: dict[str, Any] = {}
    if data.mode is Mode.TOLERANCE:
        assert modes.tolerance is not None
        name, rule = "supplement_due", DeadlineRule.SUPPLEMENT_DUE
        period = _period(modes.tolerance.supplement_deadline)
        exempt = False
    else:
        assert modes.notify_commit is not None
        name, rule = "decision_due", DeadlineRule.DECISION_DUE
        period = _period(modes.notify_commit.completion_limit)
        exempt = modes.notify_commit.exempt_from_verification
        terms = modes.notify_commit.model_dump(mode="json")
    deadline = _compute(rule, calendar, profile, start, period, "body.mode")
    commitment = Commitment(
        credit_check_id=check.id,
        subject_id=check.subject_id,
        agent_id=check.agent_id,
        matter_code=version.matter_code,
        matter_version_id=version.id,
        mode=data.mode.value,
        status=status.value,
        profile=profile.name,
        department=version.agency_code,
        notice={**notice.model_dump(mode="json"), "terms": terms},
        affirmations=data.affirmations.model_dump(),
        missing_materials=missing,
        signed_by=data.signed_by,
        signed_at=data.signed_at,
        exempt_from_verification=exempt,
        deadlines={name: deadline_json(name, deadline)},
        current_due_on=deadline.date,
        created_by=ctx.principal.sub,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    repository.add(commitment)
    await session.flush()
    await record_transition(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        "create",
        status.value,
        deadline.citation[0] if deadline.citation else None,
        {"credit_check_id": str(check.id), name: deadline.date.isoformat()},
    )
    return await commitment_read(session, commitment, ctx.today)


# --- steps -----------------------------------------------------------------------------


async def record_supplement(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: SupplementCreate,
    if_match: str | None,
) -> CommitmentRead:
    commitment = await _load_for_agency(session, commitment_id, if_match)
    event = Event.SUPPLEMENT_COMPLIANT if data.compliant else Event.SUPPLEMENT_NONCOMPLIANT
    await _step(
        session,
        ctx,
        commitment,
        event,
        details={"materials": data.materials, "compliant": data.compliant, "note": data.note},
    )
    return await commitment_read(session, commitment, ctx.today)


async def record_decision(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    note: str | None,
    if_match: str | None,
) -> CommitmentRead:
    """办结 (tolerance) or 作出办理决定 (notify_commit); exempt matters are then fulfilled."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(session, ctx, commitment, Event.DECIDE, details={"note": note})
    commitment.decided_on = ctx.today
    if commitment.mode == Mode.NOTIFY_COMMIT and commitment.exempt_from_verification:
        await _step(
            session,
            ctx,
            commitment,
            Event.EXEMPT_FROM_VERIFICATION,
            details={"note": "免于核查 (DZ art. 12 ¶2)"},
        )
    return await commitment_read(session, commitment, ctx.today)


async def send_reminder(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReminderCreate,
    if_match: str | None,
) -> CommitmentRead:
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(
        session,
        ctx,
        commitment,
        Event.REMIND,
        details={"note": data.note},
        period=_period(data.period),
        period_field="body.period",
    )
    return await commitment_read(session, commitment, ctx.today)


async def withdraw(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    reason: str,
    if_match: str | None,
) -> CommitmentRead:
    """撤回承诺书 before completion or decision (DZ art. 10): ordinary procedure follows."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(
        session,
        ctx,
        commitment,
        Event.WITHDRAW,
        details={"reason": reason},
        withdrawal_reason=reason,
    )
    commitment.withdrawal_reason = reason
    return await commitment_read(session, commitment, ctx.today)


async def terminate(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    reason: str,
    if_match: str | None,
) -> CommitmentRead:
    """终止办理 after the reminder deadline passed (DZ art. 13 ¶1; LZ §5(1)2 situation 3)."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(session, ctx, commitment, Event.TERMINATE, details={"reason": reason})
    return await commitment_read(session, commitment, ctx.today)


async def revoke(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: RevocationCreate,
    if_match: str | None,
) -> CommitmentRead:
    """撤销办理结果 (DZ art. 13 ¶2; LZ §5(1)2 situation 4)."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(
        session,
        ctx,
        commitment,
        Event.REVOKE,
        details={"reason": data.reason, "still_nonconforming": data.still_nonconforming},
        still_nonconforming=data.still_nonconforming,
    )
    return await commitment_read(session, commitment, ctx.today)


async def record_rectification(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    note: str | None,
    if_match: str | None,
) -> CommitmentRead:
    """整改到位 within the rectification deadline: the commitment is fulfilled."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    await _step(session, ctx, commitment, Event.RECTIFIED, details={"note": note})
    return await commitment_read(session, commitment, ctx.today)


async def open_verification(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: VerificationCreate,
    if_match: str | None,
) -> VerificationRead:
    """核查 (DZ art. 11): on-site by the catalog's department when agency and regulator
    differ (¶2); assisted names the helping department (¶3)."""
    commitment = await _load_for_agency(session, commitment_id, if_match)
    terms = _notify_terms(commitment)
    if data.method.value not in terms.get("verification_methods", []):
        raise UnprocessableEntity(
            f"The catalog does not provide {data.method.value} verification for this matter.",
            code="verification_method_not_offered",
            errors=[
                FieldError(
                    field="body.method",
                    code="verification_method_not_offered",
                    message=f"offered: {', '.join(terms.get('verification_methods', []))}",
                )
            ],
        )
    version = await _version_of(session, commitment)
    assisting: str | None = None
    if data.method is VerificationMethod.assisted:
        if not data.assisting_department:
            raise UnprocessableEntity(
                "Assisted verification names the helping department.",
                code="assisting_department_required",
                errors=[
                    FieldError(
                        field="body.assisting_department",
                        code="assisting_department_required",
                        message="required for assisted verification (DZ art. 11 ¶3)",
                    )
                ],
            )
        if await DepartmentRepository(session).get(data.assisting_department) is None:
            raise UnprocessableEntity(
                f"No department {data.assisting_department}.",
                code="department_unknown",
                errors=[
                    FieldError(
                        field="body.assisting_department",
                        code="department_unknown",
                        message="unknown department",
                    )
                ],
            )
        assisting = data.assisting_department
        assigned = assisting
    elif data.method is VerificationMethod.onsite and version.agency_code != version.regulator_code:
        assigned = version.onsite_verifier_code or version.regulator_code
    else:
        assigned = commitment.department
    if commitment.status == "decided":
        await _step(
            session,
            ctx,
            commitment,
            Event.OPEN_VERIFICATION,
            details={"method": data.method.value, "assigned_department": assigned},
        )
    elif commitment.status != "verifying":
        raise Conflict(
            f"Verification is opened after the decision, not in status {commitment.status!r}.",
            code="transition_not_allowed",
            extra={"state": commitment.status, "event": Event.OPEN_VERIFICATION.value},
        )
    verification = Verification(
        commitment_id=commitment.id,
        method=data.method.value,
        assigned_department=assigned,
        assisting_department=assisting,
        status="open",
        due_on=_due(commitment, "verification_due"),
        opened_at=ctx.now,
        opened_by=ctx.principal.sub,
    )
    session.add(verification)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="verification.open",
        target_type="verification",
        target_id=str(verification.id),
        details={"commitment_id": str(commitment.id), "method": data.method.value},
    )
    await emit(
        session,
        type="verification.opened",
        aggregate_type="verification",
        aggregate_id=str(verification.id),
        occurred_at=ctx.now,
        data={
            "verification_id": str(verification.id),
            "commitment_id": str(commitment.id),
            "method": data.method.value,
            "assigned_department": assigned,
            "due_on": verification.due_on.isoformat() if verification.due_on else None,
        },
    )
    return _verification_read(verification)


async def record_verification_result(
    session: AsyncSession,
    ctx: Context,
    verification_id: uuid.UUID,
    data: VerificationResultCreate,
    if_match: str | None,
) -> VerificationRead:
    repository = CommitmentRepository(session)
    verification = await repository.get_verification(verification_id)
    if verification is None:
        raise NotFound(f"No verification {verification_id}.", code="verification_not_found")
    check_version(verification.version, if_match, f"Verification {verification_id}")
    if verification.status != "open":
        raise Conflict("The verification already has a result.", code="verification_closed")
    if not data.fulfilled and data.rectification_period is None:
        raise UnprocessableEntity(
            "A verification that finds the commitment unfulfilled orders rectification "
            "within a period (DZ art. 13 ¶2).",
            code="rectification_period_required",
            errors=[
                FieldError(
                    field="body.rectification_period",
                    code="rectification_period_required",
                    message="required when fulfilled is false",
                )
            ],
        )
    commitment = await repository.get(verification.commitment_id, for_update=True)
    assert commitment is not None
    checked_at = data.checked_at or ctx.now
    # Checked after the verification was opened, not after today.
    check_date(
        checked_at.astimezone(ctx.settings.tz).date(),
        ctx.today,
        {"verification_opening": verification.opened_at.astimezone(ctx.settings.tz).date()},
        field="body.checked_at",
    )
    department = await DepartmentRepository(session).get(ctx.principal.department or "")
    verification.status = "completed"
    verification.verification_number = data.verification_number or (
        f"HC-{commitment.department[:6]}-{ctx.today.year}-{verification.id.hex[:10].upper()}"
    )
    verification.checked_at = checked_at
    verification.checking_department_code = ctx.principal.department
    verification.checking_department_name = department.name if department else None
    verification.basis = data.basis
    verification.fulfilled = data.fulfilled
    verification.description = data.description
    verification.recorded_by = ctx.principal.sub
    details = {
        "verification_id": str(verification.id),
        "verification_number": verification.verification_number,
        "fulfilled": data.fulfilled,
    }
    if commitment.status == "verifying":
        if data.fulfilled:
            await _step(session, ctx, commitment, Event.VERIFICATION_CONFORMS, details=details)
        else:
            await _step(
                session,
                ctx,
                commitment,
                Event.VERIFICATION_FAILS,
                details=details,
                period=_period(data.rectification_period),
                period_field="body.rectification_period",
            )
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="verification.result",
        target_type="verification",
        target_id=str(verification.id),
        details=details,
    )
    await emit(
        session,
        type="verification.result_recorded",
        aggregate_type="verification",
        aggregate_id=str(verification.id),
        occurred_at=ctx.now,
        data={**_verification_read(verification).model_dump(mode="json")},
    )
    return _verification_read(verification)


async def record_supervision_feedback(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: SupervisionFeedbackCreate,
) -> CommitmentRead:
    """行业主管部门 feeds its supervision result back to the agency (DZ art. 12 ¶1)."""
    commitment = await CommitmentRepository(session).get(commitment_id)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    await record_transition(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        "supervision_feedback",
        commitment.status,
        None,
        {"result": data.result.value, "description": data.description},
    )
    await session.flush()
    return await commitment_read(session, commitment, ctx.today)


# --- lists -----------------------------------------------------------------------------


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
        version=row.version,
    )


def deadlines_of(commitment: Commitment) -> list[DeadlineRead]:
    return _deadlines_read(commitment).details


hooks.register("commitment", recompute_provisional_deadlines)
