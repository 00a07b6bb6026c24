"""The transition tables, the steps time ends, and :func:`apply` that looks a row up."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from app.rules.citations import (
    DZ_7_2,
    DZ_7_3,
    DZ_9_2,
    DZ_10,
    DZ_11_1,
    DZ_12_2,
    DZ_13_1,
    DZ_13_2,
    DZ_15_1,
    DZ_15_2,
    DZ_15_2_LIFT,
    LZ_2_APPEAL,
    LZ_5_1_2_SHORT_OF_PENALTY,
    LZ_5_1_3,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_HEARING,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    LZ_5_1_4_VERIFY,
    LZ_5_1_5_PERIOD,
    LZ_5_1_5_REPAIR,
    LZ_ANNEX,
    Citation,
)
from app.rules.lifecycles.guards import (
    Guard,
    GuardContext,
    GuardFailed,
    MissingGuardInput,
    TransitionNotAllowed,
    conditions_due,
    exempt_from_verification,
    lifting_allowed,
    lifting_request_allowed,
    lifting_requested,
    listing_procedure_available,
    non_submission,
    objection_in_window,
    objection_window_lapsed,
    order_receipt_awaited,
    period_ended_unrectified,
    rectified_in_time,
    refuse_withdrawal_after_completion,
    refuse_withdrawal_after_decision,
    reminder_deadline_passed,
    reminder_open,
    repair_due,
    restriction_without_listing,
    revocation_allowed,
    supervision_found_nonconforming,
    supplement_deadline_passed,
    supplement_in_time,
    verification_not_exempt,
    withdrawal_reason_given,
)
from app.rules.lifecycles.states import (
    STATE_ENUMS,
    TERMINAL_STATES,
    DeadlineRule,
    Event,
    Machine,
    NotifyCommitState,
    RestrictionState,
    State,
    ToleranceState,
)
from app.rules.national_citations import GB_2025_22_2_MINOR, NDRC_36_3_REPAIR
from app.rules.restrictions import Situation


@dataclass(frozen=True, slots=True)
class Transition:
    """A row; ``proposes`` is the listing a breach proposes, when ``proposes_when`` (if
    any) holds for the step (a termination proposes only for non-submission)."""

    machine: Machine
    source: State
    event: Event
    target: State
    guard: Guard | None
    deadline_rule: DeadlineRule | None
    citation: Citation
    proposes: Situation | None = None
    proposes_when: Callable[[GuardContext], bool] | None = None


def _tol(
    source: ToleranceState,
    event: Event,
    target: ToleranceState,
    citation: Citation,
    *,
    guard: Guard | None = None,
    deadline_rule: DeadlineRule | None = None,
    proposes: Situation | None = None,
    proposes_when: Callable[[GuardContext], bool] | None = None,
) -> Transition:
    return Transition(
        Machine.TOLERANCE,
        source,
        event,
        target,
        guard,
        deadline_rule,
        citation,
        proposes,
        proposes_when,
    )


def _nc(
    source: NotifyCommitState,
    event: Event,
    target: NotifyCommitState,
    citation: Citation,
    *,
    guard: Guard | None = None,
    deadline_rule: DeadlineRule | None = None,
    proposes: Situation | None = None,
) -> Transition:
    return Transition(
        Machine.NOTIFY_COMMIT, source, event, target, guard, deadline_rule, citation, proposes
    )


def _rs(
    source: RestrictionState,
    event: Event,
    target: RestrictionState,
    citation: Citation,
    *,
    guard: Guard | None = None,
    deadline_rule: DeadlineRule | None = None,
) -> Transition:
    return Transition(Machine.RESTRICTION, source, event, target, guard, deadline_rule, citation)


_T = ToleranceState
_N = NotifyCommitState
_R = RestrictionState

TOLERANCE_TRANSITIONS: Final[tuple[Transition, ...]] = (
    _tol(_T.ACCEPTED, Event.SUPPLEMENT_COMPLIANT, _T.SUPPLEMENTED, DZ_9_2,
         guard=supplement_in_time),
    _tol(_T.ACCEPTED, Event.SUPPLEMENT_NONCOMPLIANT, _T.ACCEPTED, DZ_13_1),
    _tol(_T.ACCEPTED, Event.SUPPLEMENT_DEADLINE_PASSED, _T.OVERDUE, DZ_13_1,
         guard=supplement_deadline_passed),
    # A step made within the supplement deadline but entered after the lapse was
    # recorded: on its day the case was still accepted (DZ art. 9 ¶2).
    _tol(_T.OVERDUE, Event.SUPPLEMENT_DEADLINE_REOPENED, _T.ACCEPTED, DZ_9_2,
         guard=supplement_in_time),
    _tol(_T.OVERDUE, Event.REMIND, _T.REMINDED, DZ_13_1,
         deadline_rule=DeadlineRule.REMINDER_DUE),
    _tol(_T.REMINDED, Event.SUPPLEMENT_COMPLIANT, _T.SUPPLEMENTED, DZ_13_1,
         guard=reminder_open),
    _tol(_T.REMINDED, Event.SUPPLEMENT_NONCOMPLIANT, _T.REMINDED, DZ_13_1),
    # A reminder by post or electronically counts from its recorded receipt (经催告后).
    _tol(_T.REMINDED, Event.RECORD_RECEIPT, _T.REMINDED, DZ_13_1,
         guard=order_receipt_awaited, deadline_rule=DeadlineRule.REMINDER_DUE),
    # Terminated under DZ art. 13 ¶1 either way; a listing only for non-submission.
    _tol(_T.REMINDED, Event.TERMINATE, _T.TERMINATED, DZ_13_1,
         guard=reminder_deadline_passed, proposes=Situation.TOLERANCE_UNFULFILLED,
         proposes_when=non_submission),
    _tol(_T.SUPPLEMENTED, Event.DECIDE, _T.COMPLETED, DZ_7_2),
    _tol(_T.ACCEPTED, Event.WITHDRAW, _T.WITHDRAWN, DZ_10, guard=withdrawal_reason_given),
    _tol(_T.OVERDUE, Event.WITHDRAW, _T.WITHDRAWN, DZ_10, guard=withdrawal_reason_given),
    _tol(_T.REMINDED, Event.WITHDRAW, _T.WITHDRAWN, DZ_10, guard=withdrawal_reason_given),
    _tol(_T.SUPPLEMENTED, Event.WITHDRAW, _T.WITHDRAWN, DZ_10, guard=withdrawal_reason_given),
    _tol(_T.COMPLETED, Event.WITHDRAW, _T.COMPLETED, DZ_10,
         guard=refuse_withdrawal_after_completion),
)  # fmt: skip

NOTIFY_COMMIT_TRANSITIONS: Final[tuple[Transition, ...]] = (
    _nc(_N.COMMITTED, Event.DECIDE, _N.DECIDED, DZ_7_3,
        deadline_rule=DeadlineRule.VERIFICATION_DUE),
    _nc(_N.DECIDED, Event.EXEMPT_FROM_VERIFICATION, _N.FULFILLED, DZ_12_2,
        guard=exempt_from_verification),
    _nc(_N.DECIDED, Event.OPEN_VERIFICATION, _N.VERIFYING, DZ_11_1,
        guard=verification_not_exempt),
    _nc(_N.VERIFYING, Event.VERIFICATION_CONFORMS, _N.FULFILLED, DZ_11_1,
        guard=conditions_due),
    _nc(_N.VERIFYING, Event.VERIFICATION_FAILS, _N.RECTIFICATION_ORDERED, DZ_13_2,
        guard=conditions_due, deadline_rule=DeadlineRule.RECTIFICATION_DUE),
    # The regulator's finding (DZ art. 12) orders rectification like a failed verification,
    # also after an exempt matter was fulfilled on its decision (DZ art. 12 ¶2).
    *(
        _nc(source, Event.ORDER_RECTIFICATION, _N.RECTIFICATION_ORDERED, DZ_13_2,
            guard=supervision_found_nonconforming,
            deadline_rule=DeadlineRule.RECTIFICATION_DUE)
        for source in (_N.DECIDED, _N.VERIFYING, _N.FULFILLED)
    ),
    _nc(_N.RECTIFICATION_ORDERED, Event.RECORD_RECEIPT, _N.RECTIFICATION_ORDERED, DZ_13_2,
        guard=order_receipt_awaited, deadline_rule=DeadlineRule.RECTIFICATION_DUE),
    _nc(_N.RECTIFICATION_ORDERED, Event.RECTIFIED, _N.FULFILLED, DZ_13_2,
        guard=rectified_in_time),
    _nc(_N.RECTIFICATION_ORDERED, Event.REVOKE, _N.REVOKED, DZ_13_2,
        guard=revocation_allowed, proposes=Situation.COMMITMENT_UNTRUE),
    _nc(_N.COMMITTED, Event.WITHDRAW, _N.WITHDRAWN, DZ_10, guard=withdrawal_reason_given),
    _nc(_N.DECIDED, Event.WITHDRAW, _N.DECIDED, DZ_10,
        guard=refuse_withdrawal_after_decision),
    _nc(_N.VERIFYING, Event.WITHDRAW, _N.VERIFYING, DZ_10,
        guard=refuse_withdrawal_after_decision),
    _nc(_N.RECTIFICATION_ORDERED, Event.WITHDRAW, _N.RECTIFICATION_ORDERED, DZ_10,
        guard=refuse_withdrawal_after_decision),
    _nc(_N.FULFILLED, Event.WITHDRAW, _N.FULFILLED, DZ_10,
        guard=refuse_withdrawal_after_decision),
)  # fmt: skip

_RESTRICTION_OPEN_STATES: Final = (
    _R.PROPOSED,
    _R.COLLECTED,
    _R.VERIFIED,
    _R.NOTIFIED,
    _R.UNDER_REVIEW,
    _R.CONFIRMED,
    _R.EFFECTIVE,
)

RESTRICTION_TRANSITIONS: Final[tuple[Transition, ...]] = (
    _rs(_R.PROPOSED, Event.TAKE_UP, _R.COLLECTED, LZ_5_1_3, guard=listing_procedure_available),
    # DZ art. 15 ¶1: the agency restricts a false or unfulfilled commitment; no list, no
    # notice, no period: effective until lifted (DZ art. 15 ¶2).
    _rs(_R.PROPOSED, Event.RESTRICT, _R.EFFECTIVE, DZ_15_1, guard=restriction_without_listing),
    _rs(_R.PROPOSED, Event.DISMISS, _R.WITHDRAWN, LZ_5_1_4_VERIFY),
    _rs(_R.COLLECTED, Event.VERIFY, _R.VERIFIED, LZ_5_1_4_VERIFY,
        deadline_rule=DeadlineRule.NOTICE_DUE),
    _rs(_R.VERIFIED, Event.ISSUE_NOTICE, _R.NOTIFIED, LZ_5_1_4_NOTICE),
    _rs(_R.NOTIFIED, Event.RECORD_RECEIPT, _R.NOTIFIED, LZ_5_1_4_OBJECTION,
        deadline_rule=DeadlineRule.OBJECTION_DUE),
    _rs(_R.NOTIFIED, Event.OBJECT, _R.UNDER_REVIEW, LZ_5_1_4_OBJECTION,
        guard=objection_in_window, deadline_rule=DeadlineRule.REVIEW_DUE),
    _rs(_R.NOTIFIED, Event.OBJECTION_WINDOW_LAPSED, _R.CONFIRMED, LZ_ANNEX,
        guard=objection_window_lapsed),
    # An objection made within the window but entered after the lapse was recorded: on
    # its day the listing was still notified (the window is the subject's, LZ §5(1)4).
    _rs(_R.CONFIRMED, Event.OBJECTION_WINDOW_REOPENED, _R.NOTIFIED, LZ_5_1_4_OBJECTION,
        guard=objection_in_window),
    _rs(_R.UNDER_REVIEW, Event.REVIEW_UPHELD, _R.CONFIRMED, LZ_5_1_4_OBJECTION),
    _rs(_R.UNDER_REVIEW, Event.REVIEW_OVERTURNED, _R.WITHDRAWN, LZ_5_1_4_OBJECTION),
    # The review amends what the hearing showed wrong (a fact, a shorter period where
    # another rule sets one) and confirms the listing as amended.
    _rs(_R.UNDER_REVIEW, Event.REVIEW_AMENDED, _R.CONFIRMED, LZ_5_1_4_HEARING),
    _rs(_R.CONFIRMED, Event.PUBLISH, _R.EFFECTIVE, LZ_5_1_5_PERIOD,
        deadline_rule=DeadlineRule.PERIOD_END),
    _rs(_R.EFFECTIVE, Event.RECORD_RECTIFICATION, _R.EFFECTIVE, LZ_5_1_5_REPAIR),
    _rs(_R.EFFECTIVE, Event.REPAIR, _R.REPAIRED, LZ_5_1_5_REPAIR, guard=repair_due),
    _rs(_R.EFFECTIVE, Event.REQUEST_LIFTING, _R.EFFECTIVE, DZ_15_2,
        guard=lifting_request_allowed, deadline_rule=DeadlineRule.LIFTING_DECISION_DUE),
    _rs(_R.EFFECTIVE, Event.REJECT_LIFTING, _R.EFFECTIVE, DZ_15_2, guard=lifting_requested),
    _rs(_R.EFFECTIVE, Event.LIFT, _R.LIFTED, DZ_15_2_LIFT, guard=lifting_allowed),
    # An end the subject can reach (LZ §5(1)5): past an unrectified period end the
    # department tells the subject what remains and how to prove it; proof may be filed
    # at any time while the listing is effective and is decided within a time limit.
    _rs(_R.EFFECTIVE, Event.ISSUE_REPAIR_NOTICE, _R.EFFECTIVE, LZ_5_1_5_REPAIR,
        guard=period_ended_unrectified),
    _rs(_R.EFFECTIVE, Event.RECORD_REPAIR_NOTICE_RECEIPT, _R.EFFECTIVE, LZ_5_1_5_REPAIR),
    _rs(_R.EFFECTIVE, Event.FILE_REPAIR_APPLICATION, _R.EFFECTIVE, LZ_5_1_5_REPAIR,
        deadline_rule=DeadlineRule.REPAIR_DECISION_DUE),
    _rs(_R.EFFECTIVE, Event.CONFIRM_RECTIFICATION, _R.EFFECTIVE, LZ_5_1_5_REPAIR),
    _rs(_R.EFFECTIVE, Event.REFUSE_RECTIFICATION, _R.EFFECTIVE, LZ_5_1_5_REPAIR),
    # 信用修复申请 (国办发〔2025〕22号 §二; 国家发展改革委令第36号 art. 3): granted, the
    # listing is repaired on the decision day, before the period end too.
    _rs(_R.EFFECTIVE, Event.FILE_CREDIT_REPAIR, _R.EFFECTIVE, GB_2025_22_2_MINOR),
    _rs(_R.EFFECTIVE, Event.SUPPLEMENT_CREDIT_REPAIR, _R.EFFECTIVE, GB_2025_22_2_MINOR),
    _rs(_R.EFFECTIVE, Event.GRANT_CREDIT_REPAIR, _R.REPAIRED, NDRC_36_3_REPAIR),
    _rs(_R.EFFECTIVE, Event.REFUSE_CREDIT_REPAIR, _R.EFFECTIVE, NDRC_36_3_REPAIR),
    *(
        row
        for state in _RESTRICTION_OPEN_STATES
        for row in (
            _rs(state, Event.DISCOVER_ERROR, state, LZ_5_1_4_CORRECTION,
                deadline_rule=DeadlineRule.CORRECTION_DUE),
            _rs(state, Event.CORRECT_FIX, state, LZ_5_1_4_CORRECTION),
            _rs(state, Event.CORRECT_REMOVE, _R.WITHDRAWN, LZ_5_1_4_CORRECTION),
        )
    ),
    # 申诉 after the window: the department corrects (rows above) or rejects with reasons
    # within 2 working days of its receipt (LZ §2, §5(1)4).
    *(
        row
        for state in (_R.CONFIRMED, _R.EFFECTIVE)
        for row in (
            _rs(state, Event.COMPLAIN, state, LZ_2_APPEAL,
                deadline_rule=DeadlineRule.CORRECTION_DUE),
            _rs(state, Event.REJECT_COMPLAINT, state, LZ_5_1_4_CORRECTION),
        )
    ),
    # A breach marked for a penalty or referred to the judicial organs (DZ art. 16 ¶1) is
    # not for the list (LZ §5(1)2): a listing not yet published is withdrawn; a published
    # one has changed (发生变更) and its department must correct or remove it within 2
    # working days (LZ §5(1)4).
    *(
        _rs(state, Event.REFER, _R.WITHDRAWN, LZ_5_1_2_SHORT_OF_PENALTY)
        for state in _RESTRICTION_OPEN_STATES
        if state is not _R.EFFECTIVE
    ),
    _rs(_R.EFFECTIVE, Event.REFER, _R.EFFECTIVE, LZ_5_1_4_CORRECTION,
        deadline_rule=DeadlineRule.CORRECTION_DUE),
)  # fmt: skip

# Events no one takes: time makes them, and the worker or the next step records them.
TIME_EVENTS: Final[frozenset[Event]] = frozenset(
    {Event.SUPPLEMENT_DEADLINE_PASSED, Event.OBJECTION_WINDOW_LAPSED, Event.REPAIR}
)


@dataclass(frozen=True, slots=True)
class Foreclosure:
    """``event`` was possible in ``before`` until time moved the case to ``state``; there
    it is refused by the guard of its row in ``before`` (the regulation's reason)."""

    machine: Machine
    state: State
    event: Event
    before: State


FORECLOSED_BY_TIME: Final[tuple[Foreclosure, ...]] = (
    # a compliant supplement after the supplement deadline (DZ art. 13 ¶1)
    Foreclosure(Machine.TOLERANCE, _T.OVERDUE, Event.SUPPLEMENT_COMPLIANT, _T.ACCEPTED),
    # an objection after the window (LZ §5(1)4)
    Foreclosure(Machine.RESTRICTION, _R.CONFIRMED, Event.OBJECT, _R.NOTIFIED),
)

TABLES: Final[Mapping[Machine, tuple[Transition, ...]]] = MappingProxyType(
    {
        Machine.TOLERANCE: TOLERANCE_TRANSITIONS,
        Machine.NOTIFY_COMMIT: NOTIFY_COMMIT_TRANSITIONS,
        Machine.RESTRICTION: RESTRICTION_TRANSITIONS,
    }
)


def _index() -> Mapping[tuple[Machine, str, str], Transition]:
    index: dict[tuple[Machine, str, str], Transition] = {}
    for machine, rows in TABLES.items():
        for row in rows:
            key = (machine, row.source.value, row.event.value)
            if key in index:
                raise RuntimeError(f"duplicate transition {key}")
            index[key] = row
    return MappingProxyType(index)


_INDEX: Final = _index()


def _foreclosures() -> Mapping[tuple[Machine, str, str], Transition]:
    """Per (machine, state, event) time ended, the row of the event before it did."""
    index: dict[tuple[Machine, str, str], Transition] = {}
    for f in FORECLOSED_BY_TIME:
        by_time = any(
            _INDEX.get((f.machine, f.before.value, event.value)) is not None
            and _INDEX[(f.machine, f.before.value, event.value)].target == f.state
            for event in TIME_EVENTS
        )
        row = _INDEX.get((f.machine, f.before.value, f.event.value))
        if not by_time or row is None or row.guard is None:
            raise RuntimeError(f"{f}: no transition by time, or no guarded row before it")
        if (f.machine, f.state.value, f.event.value) in _INDEX:
            raise RuntimeError(f"{f}: the state has a row for the event")
        index[(f.machine, f.state.value, f.event.value)] = row
    return MappingProxyType(index)


_FORECLOSED: Final = _foreclosures()

# Entry states and the deadline computed on creation.
INITIAL_STATES: Final[Mapping[Machine, State]] = MappingProxyType(
    {
        Machine.TOLERANCE: ToleranceState.ACCEPTED,
        Machine.NOTIFY_COMMIT: NotifyCommitState.COMMITTED,
        Machine.RESTRICTION: RestrictionState.COLLECTED,
    }
)
ENTRY_DEADLINE_RULES: Final[Mapping[Machine, DeadlineRule | None]] = MappingProxyType(
    {
        Machine.TOLERANCE: DeadlineRule.SUPPLEMENT_DUE,
        Machine.NOTIFY_COMMIT: DeadlineRule.DECISION_DUE,
        Machine.RESTRICTION: None,
    }
)


def initial_state(machine: Machine, *, proposed: bool = False) -> State:
    """Entry state; a restriction proposed from a breached commitment starts ``proposed``."""
    if proposed:
        if machine is not Machine.RESTRICTION:
            raise ValueError(f"{machine}: only restrictions are proposed")
        return RestrictionState.PROPOSED
    return INITIAL_STATES[machine]


def is_terminal(machine: Machine, state: str) -> bool:
    return state in TERMINAL_STATES[machine]


def allowed_events(machine: Machine, state: str) -> tuple[Event, ...]:
    """Events with a row from ``state`` (guards not run; refusal rows included)."""
    return tuple(row.event for row in TABLES[machine] if row.source == state)


@dataclass(frozen=True, slots=True)
class TransitionResult:
    machine: Machine
    source: State
    event: Event
    target: State
    deadline_rule: DeadlineRule | None
    citation: Citation
    proposes: Situation | None

    @property
    def changed(self) -> bool:
        return self.source != self.target


def _refuse_foreclosed(machine: Machine, state: str, event: str, ctx: GuardContext) -> None:
    """Raise the refusal of a step time has ended, as its guard gave it before; nothing
    when the guard lets it pass (the state was reached otherwise) or lacks its input."""
    row = _FORECLOSED.get((machine, state, event))
    if row is None or row.guard is None:
        return
    try:
        refusal = row.guard(ctx)
    except MissingGuardInput:
        return
    if refusal is not None:
        raise GuardFailed(refusal.code, refusal.message, refusal.citation)


def apply(
    machine: Machine | str, state: str, event: Event | str, ctx: GuardContext
) -> TransitionResult:
    """Look up the row for (state, event), run its guard, and return the outcome."""
    machine = Machine(machine)
    state_enum = STATE_ENUMS[machine]
    if state not in state_enum.__members__.values():
        raise ValueError(f"{machine}: unknown state {state!r}")
    row = _INDEX.get((machine, str(state), str(event)))
    if row is None:
        _refuse_foreclosed(machine, str(state), str(event), ctx)
        raise TransitionNotAllowed(machine.value, str(state), str(event))
    if row.guard is not None:
        refusal = row.guard(ctx)
        if refusal is not None:
            raise GuardFailed(refusal.code, refusal.message, refusal.citation)
    return TransitionResult(
        machine=machine,
        source=row.source,
        event=row.event,
        target=row.target,
        deadline_rule=row.deadline_rule,
        citation=row.citation,
        proposes=row.proposes if row.proposes_when is None or row.proposes_when(ctx) else None,
    )
