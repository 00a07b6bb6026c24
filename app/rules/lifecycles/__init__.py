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

- ``states``: the machines, their states and events, and the deadline rules.
- ``guards``: the guard context, the refusals and the guards.
- ``tables``: the transition tables, the steps time ends, and :func:`apply`.
- ``deadlines``: :func:`compute_rule_deadline` and the periods it takes.
"""

from __future__ import annotations

from app.rules.lifecycles.deadlines import (
    AgencyPeriod,
    DeadlineBelowMinimum,
    MissingDeadlineInput,
    compute_rule_deadline,
)
from app.rules.lifecycles.guards import (
    Guard,
    GuardContext,
    GuardFailed,
    MissingGuardInput,
    Refusal,
    TransitionNotAllowed,
    conditions_due,
    exempt_from_verification,
    lifting_allowed,
    lifting_request_allowed,
    lifting_requested,
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
from app.rules.lifecycles.tables import (
    ENTRY_DEADLINE_RULES,
    FORECLOSED_BY_TIME,
    INITIAL_STATES,
    NOTIFY_COMMIT_TRANSITIONS,
    RESTRICTION_TRANSITIONS,
    TABLES,
    TIME_EVENTS,
    TOLERANCE_TRANSITIONS,
    Foreclosure,
    Transition,
    TransitionResult,
    allowed_events,
    apply,
    initial_state,
    is_terminal,
)

__all__ = [
    "ENTRY_DEADLINE_RULES",
    "FORECLOSED_BY_TIME",
    "INITIAL_STATES",
    "NOTIFY_COMMIT_TRANSITIONS",
    "RESTRICTION_TRANSITIONS",
    "STATE_ENUMS",
    "TABLES",
    "TERMINAL_STATES",
    "TIME_EVENTS",
    "TOLERANCE_TRANSITIONS",
    "AgencyPeriod",
    "DeadlineBelowMinimum",
    "DeadlineRule",
    "Event",
    "Foreclosure",
    "Guard",
    "GuardContext",
    "GuardFailed",
    "Machine",
    "MissingDeadlineInput",
    "MissingGuardInput",
    "NotifyCommitState",
    "Refusal",
    "RestrictionState",
    "State",
    "ToleranceState",
    "Transition",
    "TransitionNotAllowed",
    "TransitionResult",
    "allowed_events",
    "apply",
    "compute_rule_deadline",
    "conditions_due",
    "exempt_from_verification",
    "initial_state",
    "is_terminal",
    "lifting_allowed",
    "lifting_request_allowed",
    "lifting_requested",
    "non_submission",
    "objection_in_window",
    "objection_window_lapsed",
    "order_receipt_awaited",
    "period_ended_unrectified",
    "rectified_in_time",
    "refuse_withdrawal_after_completion",
    "refuse_withdrawal_after_decision",
    "reminder_deadline_passed",
    "reminder_open",
    "repair_due",
    "revocation_allowed",
    "supervision_found_nonconforming",
    "supplement_deadline_passed",
    "supplement_in_time",
    "verification_not_exempt",
    "withdrawal_reason_given",
]
