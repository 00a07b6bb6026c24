"""Life cycles as transition tables: 容缺受理, 告知承诺 and the 失信制约名单.

Each row of a table is a :class:`Transition`: from ``source`` on ``event`` to
``target``, allowed when its ``guard`` (if any) does not refuse, naming the deadline
to compute on entering the target (``deadline_rule``) and the sentence it rests on.
:func:`apply` looks a row up and runs its guard; it raises
:class:`TransitionNotAllowed` when no row exists and :class:`GuardFailed` when the
guard refuses. Guards compare ``today`` with deadlines: a deadline day itself is still
in time (see :mod:`app.rules.periods`).

A few rows exist only to refuse with a precise, cited reason (withdrawal after the
decision, DZ art. 10) instead of a bare "not allowed".

Some transitions are made by time alone (:data:`TIME_EVENTS`: a supplement deadline
passed, an objection window lapsed, a management period ended); the worker records them
later, and a step recorded before it catches up first. A step such a transition ends
(:data:`FORECLOSED_BY_TIME`) is refused in the state time led to by the guard it had
before, with that guard's code and citation: the answer is the same whether or not
the transition has been recorded yet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from app.rules.calendar import WorkingCalendar
from app.rules.citations import (
    DZ_7_2,
    DZ_7_3,
    DZ_9_2,
    DZ_10,
    DZ_11_1,
    DZ_12_2,
    DZ_13_1,
    DZ_13_2,
    DZ_15_2,
    DZ_15_2_LIFT,
    LZ_5_1_2,
    LZ_5_1_3,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    LZ_5_1_4_VERIFY,
    LZ_5_1_5_PERIOD,
    LZ_5_1_5_REPAIR,
    LZ_ANNEX,
    Citation,
)
from app.rules.periods import Deadline, Unit, add_months, compute_deadline
from app.rules.profiles import Basis, Parameter, Profile
from app.rules.restrictions import Situation

_ONE_DAY = timedelta(days=1)


class Machine(StrEnum):
    TOLERANCE = "tolerance"  # 容缺受理
    NOTIFY_COMMIT = "notify_commit"  # 告知承诺
    RESTRICTION = "restriction"  # 失信制约名单


class ToleranceState(StrEnum):
    ACCEPTED = "accepted"  # 先行受理
    SUPPLEMENTED = "supplemented"  # 已补齐补正
    COMPLETED = "completed"  # 办结
    OVERDUE = "overdue"  # 逾期未补齐补正
    REMINDED = "reminded"  # 已催告 / 责令限期整改
    TERMINATED = "terminated"  # 终止办理
    WITHDRAWN = "withdrawn"  # 撤回承诺书


class NotifyCommitState(StrEnum):
    COMMITTED = "committed"  # 已签订告知承诺书
    DECIDED = "decided"  # 已作出办理决定
    VERIFYING = "verifying"  # 核查中
    RECTIFICATION_ORDERED = "rectification_ordered"  # 责令限期整改
    FULFILLED = "fulfilled"  # 履行承诺
    REVOKED = "revoked"  # 撤销办理结果
    WITHDRAWN = "withdrawn"  # 撤回承诺书


class RestrictionState(StrEnum):
    PROPOSED = "proposed"  # proposed from a breached commitment; a clerk must take it up
    COLLECTED = "collected"  # 信息采集
    VERIFIED = "verified"  # 信息核实
    NOTIFIED = "notified"  # 已告知
    UNDER_REVIEW = "under_review"  # 陈述申辩, 复核中
    CONFIRMED = "confirmed"  # 确定列入
    EFFECTIVE = "effective"  # 已公布, 管理期内
    REPAIRED = "repaired"  # 信用修复
    LIFTED = "lifted"  # 取消限制 (DZ art. 15 ¶2)
    WITHDRAWN = "withdrawn"  # 撤销 / 移除


State = ToleranceState | NotifyCommitState | RestrictionState

STATE_ENUMS: Final[Mapping[Machine, type[StrEnum]]] = MappingProxyType(
    {
        Machine.TOLERANCE: ToleranceState,
        Machine.NOTIFY_COMMIT: NotifyCommitState,
        Machine.RESTRICTION: RestrictionState,
    }
)

TERMINAL_STATES: Final[Mapping[Machine, frozenset[str]]] = MappingProxyType(
    {
        Machine.TOLERANCE: frozenset(
            {ToleranceState.COMPLETED, ToleranceState.TERMINATED, ToleranceState.WITHDRAWN}
        ),
        Machine.NOTIFY_COMMIT: frozenset(
            {NotifyCommitState.FULFILLED, NotifyCommitState.REVOKED, NotifyCommitState.WITHDRAWN}
        ),
        Machine.RESTRICTION: frozenset(
            {RestrictionState.REPAIRED, RestrictionState.LIFTED, RestrictionState.WITHDRAWN}
        ),
    }
)


class Event(StrEnum):
    # commitments
    SUPPLEMENT_COMPLIANT = "supplement_compliant"
    SUPPLEMENT_NONCOMPLIANT = "supplement_noncompliant"
    SUPPLEMENT_DEADLINE_PASSED = "supplement_deadline_passed"
    REMIND = "remind"
    TERMINATE = "terminate"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    EXEMPT_FROM_VERIFICATION = "exempt_from_verification"
    OPEN_VERIFICATION = "open_verification"
    VERIFICATION_CONFORMS = "verification_conforms"
    VERIFICATION_FAILS = "verification_fails"
    RECTIFIED = "rectified"
    REVOKE = "revoke"
    # restriction list
    TAKE_UP = "take_up"
    DISMISS = "dismiss"
    VERIFY = "verify"
    ISSUE_NOTICE = "issue_notice"
    RECORD_RECEIPT = "record_receipt"
    OBJECT = "object"
    REVIEW_UPHELD = "review_upheld"
    REVIEW_OVERTURNED = "review_overturned"
    OBJECTION_WINDOW_LAPSED = "objection_window_lapsed"
    PUBLISH = "publish"
    RECORD_RECTIFICATION = "record_rectification"
    REPAIR = "repair"
    REQUEST_LIFTING = "request_lifting"
    REJECT_LIFTING = "reject_lifting"
    LIFT = "lift"
    DISCOVER_ERROR = "discover_error"
    CORRECT_FIX = "correct_fix"
    CORRECT_REMOVE = "correct_remove"


class DeadlineRule(StrEnum):
    """What to compute on entering a state, and from which day (the event's day)."""

    SUPPLEMENT_DUE = "supplement_due"  # from acceptance; catalog period (DZ art. 7 ¶2)
    DECISION_DUE = "decision_due"  # from commitment; catalog limit (DZ art. 7 ¶3)
    REMINDER_DUE = "reminder_due"  # from the reminder; profile reminder grace
    VERIFICATION_DUE = "verification_due"  # from the decision; catalog limit (DZ art. 11)
    RECTIFICATION_DUE = "rectification_due"  # from the order; agency-set (DZ art. 13 ¶2)
    NOTICE_DUE = "notice_due"  # from verification; 3 working days (LZ §5(1)4)
    OBJECTION_DUE = "objection_due"  # from receipt of the notice; 3 working days
    REVIEW_DUE = "review_due"  # from the objection; 15 working days
    CORRECTION_DUE = "correction_due"  # from discovery of the error; 2 working days
    LIFTING_DECISION_DUE = "lifting_decision_due"  # from the request; 5 days (DZ art. 15)
    PERIOD_END = "period_end"  # from publication; 6 months (LZ §5(1)5)


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What guards may look at: today and the recorded deadlines and facts."""

    today: date
    supplement_due: date | None = None
    reminder_due: date | None = None
    rectification_due: date | None = None
    objection_due: date | None = None
    period_ends_on: date | None = None
    rectified_on: date | None = None
    lifting_requested_on: date | None = None
    withdrawal_reason: str | None = None
    exempt_from_verification: bool = False
    still_nonconforming: bool = False
    early_lifting_enabled: bool = True


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    citation: Citation


Guard = Callable[[GuardContext], Refusal | None]


class TransitionNotAllowed(Exception):
    def __init__(self, machine: str, state: str, event: str) -> None:
        self.machine = machine
        self.state = state
        self.event = event
        super().__init__(f"{machine}: event {event!r} is not allowed in state {state!r}")


class GuardFailed(Exception):
    def __init__(self, code: str, message: str, citation: Citation) -> None:
        self.code = code
        self.message = message
        self.citation = citation
        super().__init__(f"{code}: {message} ({citation.label})")


class MissingGuardInput(ValueError):
    """A guard needs a value the caller did not put in the context."""


def _require(value: date | None, name: str) -> date:
    if value is None:
        raise MissingGuardInput(f"guard context needs {name}")
    return value


# --- guards ----------------------------------------------------------------------------


def supplement_in_time(ctx: GuardContext) -> Refusal | None:
    """A compliant supplement before the supplement deadline passes (DZ art. 9 ¶2)."""
    if ctx.today > _require(ctx.supplement_due, "supplement_due"):
        return Refusal(
            "supplement_deadline_passed",
            "the supplement deadline has passed: the agency must order rectification first",
            DZ_13_1,
        )
    return None


def supplement_deadline_passed(ctx: GuardContext) -> Refusal | None:
    """Overdue only from the day after the supplement deadline (DZ art. 13 ¶1)."""
    if ctx.today <= _require(ctx.supplement_due, "supplement_due"):
        return Refusal(
            "supplement_deadline_not_passed",
            "the supplement deadline has not passed yet",
            DZ_13_1,
        )
    return None


def reminder_open(ctx: GuardContext) -> Refusal | None:
    """Supplement after a reminder, up to and including its deadline."""
    if ctx.today > _require(ctx.reminder_due, "reminder_due"):
        return Refusal(
            "reminder_deadline_passed",
            "the deadline set by the reminder has passed",
            DZ_13_1,
        )
    return None


def reminder_deadline_passed(ctx: GuardContext) -> Refusal | None:
    """Terminate only after the reminder deadline (DZ art. 13 ¶1; LZ §5(1)2)."""
    if ctx.today <= _require(ctx.reminder_due, "reminder_due"):
        return Refusal(
            "reminder_deadline_not_passed",
            "the case cannot be terminated before the reminder deadline has passed",
            LZ_5_1_2,
        )
    return None


def withdrawal_reason_given(ctx: GuardContext) -> Refusal | None:
    """Withdrawal before completion needs a reason (有合理理由的, DZ art. 10)."""
    if not (ctx.withdrawal_reason or "").strip():
        return Refusal("withdrawal_reason_missing", "a withdrawal needs a reason", DZ_10)
    return None


def refuse_withdrawal_after_completion(ctx: GuardContext) -> Refusal | None:
    """Withdrawal is possible only before the matter is completed (办结前, DZ art. 10)."""
    return Refusal(
        "withdrawal_after_completion",
        "the matter is completed: the commitment can no longer be withdrawn",
        DZ_10,
    )


def refuse_withdrawal_after_decision(ctx: GuardContext) -> Refusal | None:
    """告知承诺 is completed by the decision: no withdrawal afterwards (DZ art. 10)."""
    return Refusal(
        "withdrawal_after_decision",
        "the decision has been made: the commitment can no longer be withdrawn",
        DZ_10,
    )


def exempt_from_verification(ctx: GuardContext) -> Refusal | None:
    """Skip verification only for a matter exempt from it (免于核查, DZ art. 12 ¶2)."""
    if not ctx.exempt_from_verification:
        return Refusal(
            "verification_required",
            "the matter is not exempt from verification",
            DZ_11_1,
        )
    return None


def verification_not_exempt(ctx: GuardContext) -> Refusal | None:
    """An exempt matter is left to the regulator's routine supervision (DZ art. 12 ¶2)."""
    if ctx.exempt_from_verification:
        return Refusal(
            "exempt_from_verification",
            "the matter is exempt from verification",
            DZ_12_2,
        )
    return None


def rectified_in_time(ctx: GuardContext) -> Refusal | None:
    """Rectification counts up to and including its deadline (DZ art. 13 ¶2)."""
    if ctx.today > _require(ctx.rectification_due, "rectification_due"):
        return Refusal(
            "rectification_deadline_passed",
            "the rectification deadline has passed",
            DZ_13_2,
        )
    return None


def revocation_allowed(ctx: GuardContext) -> Refusal | None:
    """Revoke after the rectification deadline, or when still non-conforming after
    rectification (逾期不整改或者整改后仍不符合条件的, DZ art. 13 ¶2)."""
    due = _require(ctx.rectification_due, "rectification_due")
    if ctx.today <= due and not ctx.still_nonconforming:
        return Refusal(
            "rectification_deadline_not_passed",
            "the decision cannot be revoked before the rectification deadline has passed",
            DZ_13_2,
        )
    return None


def objection_in_window(ctx: GuardContext) -> Refusal | None:
    """Objection up to and including the 3rd working day after receipt (LZ §5(1)4).

    Before the receipt is recorded the window has not started, so it is open.
    """
    if ctx.objection_due is not None and ctx.today > ctx.objection_due:
        return Refusal(
            "objection_window_closed",
            "the objection window (3 working days after receipt of the notice) has closed",
            LZ_5_1_4_OBJECTION,
        )
    return None


def objection_window_lapsed(ctx: GuardContext) -> Refusal | None:
    """No objection in time: the right is deemed waived (视为放弃, LZ annex)."""
    if ctx.objection_due is None:
        return Refusal(
            "notice_receipt_missing",
            "the date the subject received the notice is not recorded",
            LZ_ANNEX,
        )
    if ctx.today <= ctx.objection_due:
        return Refusal(
            "objection_window_open",
            "the objection window is still open",
            LZ_ANNEX,
        )
    return None


def repair_due(ctx: GuardContext) -> Refusal | None:
    """Repair the day after the period end when rectified by then, else on the
    rectification day (LZ §5(1)5)."""
    if ctx.rectified_on is None:
        return Refusal(
            "rectification_missing",
            "no rectification is recorded: the listing stays effective",
            LZ_5_1_5_REPAIR,
        )
    period_end = _require(ctx.period_ends_on, "period_ends_on")
    repaired_on = max(period_end + _ONE_DAY, ctx.rectified_on)
    if ctx.today < repaired_on:
        return Refusal(
            "management_period_running",
            f"the management period runs until {period_end.isoformat()}",
            LZ_5_1_5_REPAIR,
        )
    return None


def _lifting_preconditions(ctx: GuardContext) -> Refusal | None:
    if not ctx.early_lifting_enabled:
        return Refusal(
            "early_lifting_not_available",
            "the rule profile has no early lifting",
            DZ_15_2,
        )
    if ctx.rectified_on is None:
        return Refusal(
            "rectification_missing",
            "lifting may be requested only after rectification",
            DZ_15_2,
        )
    return None


def lifting_request_allowed(ctx: GuardContext) -> Refusal | None:
    """Request to lift after rectification (完成整改的，可以申请取消限制, DZ art. 15 ¶2)."""
    return _lifting_preconditions(ctx)


def lifting_allowed(ctx: GuardContext) -> Refusal | None:
    """Lift on a request, after rectification (DZ art. 15 ¶2)."""
    refusal = _lifting_preconditions(ctx)
    if refusal is None and ctx.lifting_requested_on is None:
        refusal = Refusal("lifting_not_requested", "no lifting request is recorded", DZ_15_2)
    return refusal


def lifting_requested(ctx: GuardContext) -> Refusal | None:
    """A lifting request can only be rejected when there is one."""
    if ctx.lifting_requested_on is None:
        return Refusal("lifting_not_requested", "no lifting request is recorded", DZ_15_2)
    return None


# --- tables ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transition:
    machine: Machine
    source: State
    event: Event
    target: State
    guard: Guard | None
    deadline_rule: DeadlineRule | None
    citation: Citation
    proposes: Situation | None = None


def _tol(
    source: ToleranceState,
    event: Event,
    target: ToleranceState,
    citation: Citation,
    *,
    guard: Guard | None = None,
    deadline_rule: DeadlineRule | None = None,
    proposes: Situation | None = None,
) -> Transition:
    return Transition(
        Machine.TOLERANCE, source, event, target, guard, deadline_rule, citation, proposes
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
    _tol(_T.OVERDUE, Event.REMIND, _T.REMINDED, DZ_13_1,
         deadline_rule=DeadlineRule.REMINDER_DUE),
    _tol(_T.REMINDED, Event.SUPPLEMENT_COMPLIANT, _T.SUPPLEMENTED, DZ_13_1,
         guard=reminder_open),
    _tol(_T.REMINDED, Event.SUPPLEMENT_NONCOMPLIANT, _T.REMINDED, DZ_13_1),
    _tol(_T.REMINDED, Event.TERMINATE, _T.TERMINATED, DZ_13_1,
         guard=reminder_deadline_passed, proposes=Situation.TOLERANCE_UNFULFILLED),
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
    _nc(_N.VERIFYING, Event.VERIFICATION_CONFORMS, _N.FULFILLED, DZ_11_1),
    _nc(_N.VERIFYING, Event.VERIFICATION_FAILS, _N.RECTIFICATION_ORDERED, DZ_13_2,
        deadline_rule=DeadlineRule.RECTIFICATION_DUE),
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
    _rs(_R.PROPOSED, Event.TAKE_UP, _R.COLLECTED, LZ_5_1_3),
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
    _rs(_R.UNDER_REVIEW, Event.REVIEW_UPHELD, _R.CONFIRMED, LZ_5_1_4_OBJECTION),
    _rs(_R.UNDER_REVIEW, Event.REVIEW_OVERTURNED, _R.WITHDRAWN, LZ_5_1_4_OBJECTION),
    _rs(_R.CONFIRMED, Event.PUBLISH, _R.EFFECTIVE, LZ_5_1_5_PERIOD,
        deadline_rule=DeadlineRule.PERIOD_END),
    _rs(_R.EFFECTIVE, Event.RECORD_RECTIFICATION, _R.EFFECTIVE, LZ_5_1_5_REPAIR),
    _rs(_R.EFFECTIVE, Event.REPAIR, _R.REPAIRED, LZ_5_1_5_REPAIR, guard=repair_due),
    _rs(_R.EFFECTIVE, Event.REQUEST_LIFTING, _R.EFFECTIVE, DZ_15_2,
        guard=lifting_request_allowed, deadline_rule=DeadlineRule.LIFTING_DECISION_DUE),
    _rs(_R.EFFECTIVE, Event.REJECT_LIFTING, _R.EFFECTIVE, DZ_15_2, guard=lifting_requested),
    _rs(_R.EFFECTIVE, Event.LIFT, _R.LIFTED, DZ_15_2_LIFT, guard=lifting_allowed),
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
        proposes=row.proposes,
    )


# --- deadlines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyPeriod:
    """A period given by the catalog entry or set by the agency for one case."""

    amount: int
    unit: Unit


class MissingDeadlineInput(ValueError):
    """The rule needs a period from the catalog or the agency and none was given."""


class DeadlineBelowMinimum(ValueError):
    def __init__(self, rule: DeadlineRule, given: date, minimum: Deadline) -> None:
        self.rule = rule
        self.given = given
        self.minimum = minimum
        super().__init__(
            f"{rule}: {given.isoformat()} is earlier than the minimum "
            f"{minimum.date.isoformat()} ({minimum.citation_label})"
        )


_CASE_PERIOD_CITATIONS: Final[Mapping[DeadlineRule, Citation]] = MappingProxyType(
    {
        DeadlineRule.SUPPLEMENT_DUE: DZ_7_2,
        DeadlineRule.DECISION_DUE: DZ_7_3,
        DeadlineRule.VERIFICATION_DUE: DZ_11_1,
        DeadlineRule.RECTIFICATION_DUE: DZ_13_2,
    }
)


def _with_citations(deadline: Deadline, *citations: Citation) -> Deadline:
    extra = tuple(c for c in citations if c not in deadline.citation)
    return dataclasses.replace(deadline, citation=deadline.citation + extra)


def _from_parameter(cal: WorkingCalendar, start: date, parameter: Parameter) -> Deadline:
    if parameter.value is None or parameter.unit is None:
        raise MissingDeadlineInput(f"{parameter.name} is set by the agency; give the period")
    deadline = compute_deadline(cal, start, parameter.value, parameter.unit, roll_forward=True)
    return _with_citations(deadline, parameter.citation, *parameter.also_cites)


def _from_period(cal: WorkingCalendar, start: date, period: AgencyPeriod) -> Deadline:
    return compute_deadline(cal, start, period.amount, period.unit, roll_forward=True)


def _reminder_due(
    cal: WorkingCalendar, profile: Profile, start: date, period: AgencyPeriod | None
) -> Deadline:
    grace = profile.reminder_grace
    if grace.basis is not Basis.AGENCY_SET:
        if period is not None:
            raise ValueError(
                f"{profile.name}: the reminder grace is fixed by {grace.citation.label}"
            )
        return _from_parameter(cal, start, grace)
    if period is None:
        return _from_parameter(cal, start, grace)
    deadline = _with_citations(_from_period(cal, start, period), grace.citation)
    if grace.value is not None:
        minimum = _from_parameter(cal, start, grace)
        if deadline.date < minimum.date:
            raise DeadlineBelowMinimum(DeadlineRule.REMINDER_DUE, deadline.date, minimum)
        deadline = dataclasses.replace(
            deadline, provisional=deadline.provisional or minimum.provisional
        )
    return deadline


def compute_rule_deadline(
    rule: DeadlineRule,
    *,
    calendar: WorkingCalendar,
    profile: Profile,
    start: date,
    period: AgencyPeriod | None = None,
) -> Deadline:
    """Compute the deadline named by ``rule``, counted from ``start`` (the event's day).

    Catalog or agency periods (supplement, decision, verification, rectification) come
    in ``period``; the reminder grace comes from the profile, or from ``period`` when
    the agency sets it (not shorter than the profile's minimum, if any); the other rules
    come from the profile. Periods for an act roll forward over rest days
    (民法典 art. 203); the management period never does.
    """
    match rule:
        case (
            DeadlineRule.SUPPLEMENT_DUE
            | DeadlineRule.DECISION_DUE
            | DeadlineRule.VERIFICATION_DUE
            | DeadlineRule.RECTIFICATION_DUE
        ):
            if period is None:
                raise MissingDeadlineInput(f"{rule}: give the period from the catalog or agency")
            return _with_citations(
                _from_period(calendar, start, period), _CASE_PERIOD_CITATIONS[rule]
            )
        case DeadlineRule.REMINDER_DUE:
            return _reminder_due(calendar, profile, start, period)
        case DeadlineRule.NOTICE_DUE:
            return _from_parameter(calendar, start, profile.listing_notice)
        case DeadlineRule.OBJECTION_DUE:
            return _from_parameter(calendar, start, profile.objection_window)
        case DeadlineRule.REVIEW_DUE:
            return _from_parameter(calendar, start, profile.objection_review)
        case DeadlineRule.CORRECTION_DUE:
            return _from_parameter(calendar, start, profile.correction)
        case DeadlineRule.LIFTING_DECISION_DUE:
            return _from_parameter(calendar, start, profile.early_lifting_verification)
        case DeadlineRule.PERIOD_END:
            parameter = profile.management_period
            if parameter.value is None:
                raise MissingDeadlineInput(f"{profile.name}: no management period")
            return _with_citations(add_months(start, parameter.value), parameter.citation)
