"""Transition tables: every row, every guard (passing and refusing), every deadline rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.calendar import WorkingCalendar
from app.rules.commitments import TerminationGround
from app.rules.lifecycles import (
    ENTRY_DEADLINE_RULES,
    TABLES,
    AgencyPeriod,
    DeadlineBelowMinimum,
    DeadlineRule,
    Event,
    GuardContext,
    GuardFailed,
    Machine,
    MissingDeadlineInput,
    MissingGuardInput,
    NotifyCommitState,
    RestrictionState,
    ToleranceState,
    TransitionNotAllowed,
    allowed_events,
    apply,
    compute_rule_deadline,
    initial_state,
    is_terminal,
)
from app.rules.periods import Unit
from app.rules.profiles import ParameterNotInProfile, Profile, get_profile
from app.rules.restrictions import Situation

D = date
E = Event
T = ToleranceState
N = NotifyCommitState
RS = RestrictionState
TODAY = D(2026, 10, 9)
YESTERDAY = D(2026, 10, 8)
CTX = GuardContext(today=TODAY)
REASON = "申请人改按一般程序办理"
COMBINED = get_profile("shandong-combined")
LINZI = get_profile("linzi-2022")
DEZHOU = get_profile("dezhou-2023")

OPEN_RESTRICTION_STATES = (
    RS.PROPOSED,
    RS.COLLECTED,
    RS.VERIFIED,
    RS.NOTIFIED,
    RS.UNDER_REVIEW,
    RS.CONFIRMED,
    RS.EFFECTIVE,
)

# (machine, source, event, target, context that passes the guard, deadline rule, proposal)
ALLOWED = [
    # 容缺受理
    (Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_COMPLIANT, T.SUPPLEMENTED,
     replace(CTX, supplement_due=TODAY), None, None),
    (Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_NONCOMPLIANT, T.ACCEPTED, CTX, None, None),
    (Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_DEADLINE_PASSED, T.OVERDUE,
     replace(CTX, supplement_due=YESTERDAY), None, None),
    # a step dated on the supplement deadline's last day, entered after the lapse was recorded
    (Machine.TOLERANCE, T.OVERDUE, E.SUPPLEMENT_DEADLINE_REOPENED, T.ACCEPTED,
     replace(CTX, supplement_due=TODAY), None, None),
    (Machine.TOLERANCE, T.OVERDUE, E.REMIND, T.REMINDED, CTX, DeadlineRule.REMINDER_DUE, None),
    (Machine.TOLERANCE, T.REMINDED, E.SUPPLEMENT_COMPLIANT, T.SUPPLEMENTED,
     replace(CTX, reminder_due=TODAY), None, None),
    (Machine.TOLERANCE, T.REMINDED, E.SUPPLEMENT_NONCOMPLIANT, T.REMINDED, CTX, None, None),
    (Machine.TOLERANCE, T.REMINDED, E.RECORD_RECEIPT, T.REMINDED,
     replace(CTX, order_unserved=True), DeadlineRule.REMINDER_DUE, None),
    (Machine.TOLERANCE, T.REMINDED, E.TERMINATE, T.TERMINATED,
     replace(CTX, reminder_due=YESTERDAY, termination_ground=TerminationGround.NON_SUBMISSION),
     None, Situation.TOLERANCE_UNFULFILLED),
    (Machine.TOLERANCE, T.SUPPLEMENTED, E.DECIDE, T.COMPLETED, CTX, None, None),
    *(
        (Machine.TOLERANCE, source, E.WITHDRAW, T.WITHDRAWN,
         replace(CTX, withdrawal_reason=REASON), None, None)
        for source in (T.ACCEPTED, T.OVERDUE, T.REMINDED, T.SUPPLEMENTED)
    ),
    # 告知承诺
    (Machine.NOTIFY_COMMIT, N.COMMITTED, E.DECIDE, N.DECIDED, CTX,
     DeadlineRule.VERIFICATION_DUE, None),
    (Machine.NOTIFY_COMMIT, N.DECIDED, E.EXEMPT_FROM_VERIFICATION, N.FULFILLED,
     replace(CTX, exempt_from_verification=True), None, None),
    (Machine.NOTIFY_COMMIT, N.DECIDED, E.OPEN_VERIFICATION, N.VERIFYING, CTX, None, None),
    (Machine.NOTIFY_COMMIT, N.VERIFYING, E.VERIFICATION_CONFORMS, N.FULFILLED, CTX, None, None),
    (Machine.NOTIFY_COMMIT, N.VERIFYING, E.VERIFICATION_FAILS, N.RECTIFICATION_ORDERED, CTX,
     DeadlineRule.RECTIFICATION_DUE, None),
    # the regulator's nonconforming finding (DZ art. 12, 13 ¶2), also after an exempt
    # matter was fulfilled on its decision
    *(
        (Machine.NOTIFY_COMMIT, source, E.ORDER_RECTIFICATION, N.RECTIFICATION_ORDERED,
         replace(CTX, supervision_nonconforming=True), DeadlineRule.RECTIFICATION_DUE, None)
        for source in (N.DECIDED, N.VERIFYING, N.FULFILLED)
    ),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.RECORD_RECEIPT, N.RECTIFICATION_ORDERED,
     replace(CTX, order_unserved=True), DeadlineRule.RECTIFICATION_DUE, None),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.RECTIFIED, N.FULFILLED,
     replace(CTX, rectification_due=TODAY), None, None),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.REVOKE, N.REVOKED,
     replace(CTX, rectification_due=YESTERDAY), None, Situation.COMMITMENT_UNTRUE),
    (Machine.NOTIFY_COMMIT, N.COMMITTED, E.WITHDRAW, N.WITHDRAWN,
     replace(CTX, withdrawal_reason=REASON), None, None),
    # 失信制约名单
    (Machine.RESTRICTION, RS.PROPOSED, E.TAKE_UP, RS.COLLECTED, CTX, None, None),
    # DZ art. 15 ¶1: a profile without the listing procedure restricts a proposal at once
    (Machine.RESTRICTION, RS.PROPOSED, E.RESTRICT, RS.EFFECTIVE,
     replace(CTX, listing_procedure=False), None, None),
    (Machine.RESTRICTION, RS.PROPOSED, E.DISMISS, RS.WITHDRAWN, CTX, None, None),
    (Machine.RESTRICTION, RS.COLLECTED, E.VERIFY, RS.VERIFIED, CTX, DeadlineRule.NOTICE_DUE, None),
    (Machine.RESTRICTION, RS.VERIFIED, E.ISSUE_NOTICE, RS.NOTIFIED, CTX, None, None),
    (Machine.RESTRICTION, RS.NOTIFIED, E.RECORD_RECEIPT, RS.NOTIFIED, CTX,
     DeadlineRule.OBJECTION_DUE, None),
    (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECT, RS.UNDER_REVIEW,
     replace(CTX, objection_due=TODAY), DeadlineRule.REVIEW_DUE, None),
    (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECTION_WINDOW_LAPSED, RS.CONFIRMED,
     replace(CTX, objection_due=YESTERDAY), None, None),
    # an objection dated on the window's last day, entered after the lapse was recorded
    (Machine.RESTRICTION, RS.CONFIRMED, E.OBJECTION_WINDOW_REOPENED, RS.NOTIFIED,
     replace(CTX, objection_due=TODAY), None, None),
    (Machine.RESTRICTION, RS.UNDER_REVIEW, E.REVIEW_UPHELD, RS.CONFIRMED, CTX, None, None),
    (Machine.RESTRICTION, RS.UNDER_REVIEW, E.REVIEW_OVERTURNED, RS.WITHDRAWN, CTX, None, None),
    # the review amends what the hearing showed wrong and confirms (LZ §5(1)4)
    (Machine.RESTRICTION, RS.UNDER_REVIEW, E.REVIEW_AMENDED, RS.CONFIRMED, CTX, None, None),
    (Machine.RESTRICTION, RS.CONFIRMED, E.PUBLISH, RS.EFFECTIVE, CTX,
     DeadlineRule.PERIOD_END, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.RECORD_RECTIFICATION, RS.EFFECTIVE, CTX, None, None),
    # rectified within the period that ended yesterday: repaired today
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REPAIR, RS.REPAIRED,
     replace(CTX, rectified_on=D(2026, 9, 1), period_ends_on=YESTERDAY), None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REQUEST_LIFTING, RS.EFFECTIVE,
     replace(CTX, rectified_on=D(2026, 9, 1)), DeadlineRule.LIFTING_DECISION_DUE, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REJECT_LIFTING, RS.EFFECTIVE,
     replace(CTX, lifting_requested_on=D(2026, 10, 1)), None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.LIFT, RS.LIFTED,
     replace(CTX, rectified_on=D(2026, 9, 1), lifting_requested_on=D(2026, 10, 1)), None, None),
    # an unrectified period that ended yesterday: the repair notice; proof and decision
    (Machine.RESTRICTION, RS.EFFECTIVE, E.ISSUE_REPAIR_NOTICE, RS.EFFECTIVE,
     replace(CTX, period_ends_on=YESTERDAY), None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.RECORD_REPAIR_NOTICE_RECEIPT, RS.EFFECTIVE, CTX,
     None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.FILE_REPAIR_APPLICATION, RS.EFFECTIVE, CTX,
     DeadlineRule.REPAIR_DECISION_DUE, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.CONFIRM_RECTIFICATION, RS.EFFECTIVE, CTX, None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REFUSE_RECTIFICATION, RS.EFFECTIVE, CTX, None, None),
    # 信用修复申请 (national rules): granted repairs on the decision day
    (Machine.RESTRICTION, RS.EFFECTIVE, E.FILE_CREDIT_REPAIR, RS.EFFECTIVE, CTX, None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.SUPPLEMENT_CREDIT_REPAIR, RS.EFFECTIVE, CTX, None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.GRANT_CREDIT_REPAIR, RS.REPAIRED, CTX, None, None),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REFUSE_CREDIT_REPAIR, RS.EFFECTIVE, CTX, None, None),
    *(
        row
        for state in OPEN_RESTRICTION_STATES
        for row in (
            (Machine.RESTRICTION, state, E.DISCOVER_ERROR, state, CTX,
             DeadlineRule.CORRECTION_DUE, None),
            (Machine.RESTRICTION, state, E.CORRECT_FIX, state, CTX, None, None),
            (Machine.RESTRICTION, state, E.CORRECT_REMOVE, RS.WITHDRAWN, CTX, None, None),
        )
    ),
    # 申诉 after the window: a correction duty of 2 working days, or a rejection (LZ §2)
    *(
        row
        for state in (RS.CONFIRMED, RS.EFFECTIVE)
        for row in (
            (Machine.RESTRICTION, state, E.COMPLAIN, state, CTX,
             DeadlineRule.CORRECTION_DUE, None),
            (Machine.RESTRICTION, state, E.REJECT_COMPLAINT, state, CTX, None, None),
        )
    ),
    # a breach referred for a penalty (DZ art. 16 ¶1): not published, withdrawn (LZ
    # §5(1)2); published, a correction duty (LZ §5(1)4)
    *(
        (Machine.RESTRICTION, state, E.REFER, RS.WITHDRAWN, CTX, None, None)
        for state in OPEN_RESTRICTION_STATES
        if state is not RS.EFFECTIVE
    ),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REFER, RS.EFFECTIVE, CTX,
     DeadlineRule.CORRECTION_DUE, None),
]  # fmt: skip

# Rows that exist only to refuse with a cited reason (DZ art. 10).
REFUSAL_ROWS = [
    (Machine.TOLERANCE, T.COMPLETED, E.WITHDRAW, "withdrawal_after_completion"),
    (Machine.NOTIFY_COMMIT, N.DECIDED, E.WITHDRAW, "withdrawal_after_decision"),
    (Machine.NOTIFY_COMMIT, N.VERIFYING, E.WITHDRAW, "withdrawal_after_decision"),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.WITHDRAW, "withdrawal_after_decision"),
    (Machine.NOTIFY_COMMIT, N.FULFILLED, E.WITHDRAW, "withdrawal_after_decision"),
]


def test_tables_hold_exactly_the_listed_rows() -> None:
    expected = {(m, s, e, t) for m, s, e, t, *_ in ALLOWED} | {
        (m, s, e, s) for m, s, e, _ in REFUSAL_ROWS
    }
    actual = {
        (row.machine, row.source, row.event, row.target) for rows in TABLES.values() for row in rows
    }
    assert actual == expected


@pytest.mark.parametrize(
    ("machine", "source", "event", "target", "ctx", "rule", "proposes"),
    ALLOWED,
    ids=[f"{r[0]}:{r[1]}--{r[2]}" for r in ALLOWED],
)
def test_every_transition(
    machine: Machine,
    source: str,
    event: Event,
    target: str,
    ctx: GuardContext,
    rule: DeadlineRule | None,
    proposes: Situation | None,
) -> None:
    result = apply(machine, source, event, ctx)
    assert (result.source, result.event, result.target) == (source, event, target)
    assert result.deadline_rule == rule
    assert result.proposes == proposes
    assert result.changed is (source != target)
    assert result.citation.text_zh


@pytest.mark.parametrize(("machine", "source", "event", "code"), REFUSAL_ROWS)
def test_withdrawal_after_completion_or_decision_is_refused(
    machine: Machine, source: str, event: Event, code: str
) -> None:
    with pytest.raises(GuardFailed) as info:
        apply(machine, source, event, replace(CTX, withdrawal_reason=REASON))
    assert info.value.code == code
    assert info.value.citation.label == "DZ art. 10"


GUARD_REFUSALS = [
    (Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_COMPLIANT,
     replace(CTX, supplement_due=YESTERDAY), "supplement_deadline_passed", "DZ art. 13 ¶1"),
    # a step dated after the supplement deadline does not reopen it
    (Machine.TOLERANCE, T.OVERDUE, E.SUPPLEMENT_DEADLINE_REOPENED,
     replace(CTX, supplement_due=YESTERDAY), "supplement_deadline_passed", "DZ art. 13 ¶1"),
    (Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_DEADLINE_PASSED,
     replace(CTX, supplement_due=TODAY), "supplement_deadline_not_passed", "DZ art. 13 ¶1"),
    (Machine.TOLERANCE, T.REMINDED, E.SUPPLEMENT_COMPLIANT,
     replace(CTX, reminder_due=YESTERDAY), "reminder_deadline_passed", "DZ art. 13 ¶1"),
    (Machine.TOLERANCE, T.REMINDED, E.TERMINATE,
     replace(CTX, reminder_due=TODAY), "reminder_deadline_not_passed", "LZ §5(1)2"),
    (Machine.TOLERANCE, T.ACCEPTED, E.WITHDRAW, CTX, "withdrawal_reason_missing", "DZ art. 10"),
    (Machine.TOLERANCE, T.SUPPLEMENTED, E.WITHDRAW, replace(CTX, withdrawal_reason="  "),
     "withdrawal_reason_missing", "DZ art. 10"),
    (Machine.NOTIFY_COMMIT, N.COMMITTED, E.WITHDRAW, CTX, "withdrawal_reason_missing",
     "DZ art. 10"),
    (Machine.NOTIFY_COMMIT, N.DECIDED, E.EXEMPT_FROM_VERIFICATION, CTX,
     "verification_required", "DZ art. 11 ¶1"),
    (Machine.NOTIFY_COMMIT, N.DECIDED, E.OPEN_VERIFICATION,
     replace(CTX, exempt_from_verification=True), "exempt_from_verification", "DZ art. 12 ¶2"),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.RECTIFIED,
     replace(CTX, rectification_due=YESTERDAY), "rectification_deadline_passed", "DZ art. 13 ¶2"),
    (Machine.NOTIFY_COMMIT, N.RECTIFICATION_ORDERED, E.REVOKE,
     replace(CTX, rectification_due=TODAY), "rectification_deadline_not_passed", "DZ art. 13 ¶2"),
    (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECT, replace(CTX, objection_due=YESTERDAY),
     "objection_window_closed", "LZ §5(1)4"),
    (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECTION_WINDOW_LAPSED, CTX,
     "notice_receipt_missing", "LZ annex"),
    # an objection dated after the window's last day does not reopen it
    (Machine.RESTRICTION, RS.CONFIRMED, E.OBJECTION_WINDOW_REOPENED,
     replace(CTX, objection_due=YESTERDAY), "objection_window_closed", "LZ §5(1)4"),
    (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECTION_WINDOW_LAPSED,
     replace(CTX, objection_due=TODAY), "objection_window_open", "LZ annex"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REPAIR, replace(CTX, period_ends_on=D(2026, 9, 1)),
     "rectification_missing", "LZ §5(1)5"),
    # rectified in time, but the period ends today: repaired only tomorrow
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REPAIR,
     replace(CTX, rectified_on=D(2026, 9, 1), period_ends_on=TODAY),
     "management_period_running", "LZ §5(1)5"),
    # the repair notice: not on the period's last day, nor once rectification is recorded
    (Machine.RESTRICTION, RS.EFFECTIVE, E.ISSUE_REPAIR_NOTICE, replace(CTX, period_ends_on=TODAY),
     "management_period_running", "LZ §5(1)5"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.ISSUE_REPAIR_NOTICE,
     replace(CTX, period_ends_on=YESTERDAY, rectified_on=TODAY),
     "rectification_recorded", "LZ §5(1)5"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REQUEST_LIFTING, CTX, "rectification_missing",
     "DZ art. 15 ¶2"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REQUEST_LIFTING,
     replace(CTX, rectified_on=D(2026, 9, 1), early_lifting_enabled=False),
     "early_lifting_not_available", "DZ art. 15 ¶2"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.LIFT, replace(CTX, rectified_on=D(2026, 9, 1)),
     "lifting_not_requested", "DZ art. 15 ¶2"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.LIFT, replace(CTX, lifting_requested_on=TODAY),
     "rectification_missing", "DZ art. 15 ¶2"),
    (Machine.RESTRICTION, RS.EFFECTIVE, E.REJECT_LIFTING, CTX, "lifting_not_requested",
     "DZ art. 15 ¶2"),
    # each profile its own path: Linzi's procedure, or Dezhou's restriction (DZ art. 15 ¶1)
    (Machine.RESTRICTION, RS.PROPOSED, E.RESTRICT, CTX, "listing_procedure_required",
     "LZ §5(1)4"),
    (Machine.RESTRICTION, RS.PROPOSED, E.TAKE_UP, replace(CTX, listing_procedure=False),
     "listing_procedure_not_available", "DZ art. 15 ¶1"),
    # no nonconforming supervision feedback awaits an order
    (Machine.NOTIFY_COMMIT, N.FULFILLED, E.ORDER_RECTIFICATION, CTX,
     "no_nonconforming_supervision_feedback", "DZ art. 13 ¶2"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("machine", "source", "event", "ctx", "code", "label"),
    GUARD_REFUSALS,
    ids=[f"{r[1]}--{r[2]}:{r[4]}" for r in GUARD_REFUSALS],
)
def test_guard_refusals(
    machine: Machine, source: str, event: Event, ctx: GuardContext, code: str, label: str
) -> None:
    with pytest.raises(GuardFailed) as info:
        apply(machine, source, event, ctx)
    assert info.value.code == code
    assert info.value.citation.label == label
    assert code in str(info.value)


# A step time has ended: the state time led to answers with the guard the step had before
# (the same refusal as before the transition was recorded), else "not allowed".
FORECLOSED = [
    (Machine.TOLERANCE, T.ACCEPTED, T.OVERDUE, E.SUPPLEMENT_COMPLIANT,
     replace(CTX, supplement_due=YESTERDAY), "supplement_deadline_passed", "DZ art. 13 ¶1"),
    (Machine.RESTRICTION, RS.NOTIFIED, RS.CONFIRMED, E.OBJECT,
     replace(CTX, objection_due=YESTERDAY), "objection_window_closed", "LZ §5(1)4"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("machine", "before", "after", "event", "ctx", "code", "label"),
    FORECLOSED,
    ids=[f"{r[2]}--{r[3]}" for r in FORECLOSED],
)
def test_a_step_time_has_ended_gets_the_same_refusal_after_the_transition(
    machine: Machine,
    before: str,
    after: str,
    event: Event,
    ctx: GuardContext,
    code: str,
    label: str,
) -> None:
    refusals = []
    for state in (before, after):
        with pytest.raises(GuardFailed) as info:
            apply(machine, state, event, ctx)
        refusals.append((info.value.code, info.value.citation.label))
    assert refusals == [(code, label), (code, label)]


def test_an_objection_to_a_listing_confirmed_within_the_window_is_not_allowed() -> None:
    """Confirmed on review before the window's last day: no date refusal applies."""
    with pytest.raises(TransitionNotAllowed):
        apply(Machine.RESTRICTION, RS.CONFIRMED, E.OBJECT, replace(CTX, objection_due=TODAY))


@pytest.mark.parametrize(
    ("machine", "source", "event", "ctx", "target"),
    [
        # objection before the receipt is recorded: the window has not even started
        (Machine.RESTRICTION, RS.NOTIFIED, E.OBJECT, CTX, RS.UNDER_REVIEW),
        # re-check after rectification still non-conforming: revoke before the deadline
        (
            Machine.NOTIFY_COMMIT,
            N.RECTIFICATION_ORDERED,
            E.REVOKE,
            replace(CTX, rectification_due=D(2026, 10, 20), still_nonconforming=True),
            N.REVOKED,
        ),
        # rectified after the period end (Oct 1): repaired on the rectification day
        (
            Machine.RESTRICTION,
            RS.EFFECTIVE,
            E.REPAIR,
            replace(CTX, rectified_on=TODAY, period_ends_on=D(2026, 10, 1)),
            RS.REPAIRED,
        ),
    ],
)
def test_guards_passing_at_the_edges(
    machine: Machine, source: str, event: Event, ctx: GuardContext, target: str
) -> None:
    assert apply(machine, source, event, ctx).target == target


def test_missing_guard_input_is_a_programming_error() -> None:
    with pytest.raises(MissingGuardInput, match="supplement_due"):
        apply(Machine.TOLERANCE, T.ACCEPTED, E.SUPPLEMENT_COMPLIANT, CTX)


@pytest.mark.parametrize(
    ("machine", "state", "event"),
    [
        (Machine.TOLERANCE, "completed", "decide"),
        (Machine.TOLERANCE, "terminated", "withdraw"),
        (Machine.TOLERANCE, "overdue", "supplement_compliant"),
        (Machine.NOTIFY_COMMIT, "revoked", "withdraw"),
        (Machine.RESTRICTION, "repaired", "correct_remove"),
        (Machine.RESTRICTION, "effective", "publish"),
        (Machine.RESTRICTION, "collected", "fly"),
    ],
)
def test_illegal_transition_names_state_and_event(machine: Machine, state: str, event: str) -> None:
    with pytest.raises(TransitionNotAllowed) as info:
        apply(machine, state, event, CTX)
    message = str(info.value)
    assert repr(state) in message and repr(event) in message
    assert (info.value.state, info.value.event) == (state, event)


def test_unknown_state_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown state"):
        apply(Machine.TOLERANCE, "effective", "decide", CTX)


def test_apply_accepts_plain_strings() -> None:
    result = apply("restriction", "confirmed", "publish", CTX)
    assert result.target is RS.EFFECTIVE


def test_initial_states_and_entry_deadlines() -> None:
    assert initial_state(Machine.TOLERANCE) is T.ACCEPTED
    assert initial_state(Machine.NOTIFY_COMMIT) is N.COMMITTED
    assert initial_state(Machine.RESTRICTION) is RS.COLLECTED
    assert initial_state(Machine.RESTRICTION, proposed=True) is RS.PROPOSED
    with pytest.raises(ValueError, match="only restrictions"):
        initial_state(Machine.TOLERANCE, proposed=True)
    assert ENTRY_DEADLINE_RULES[Machine.TOLERANCE] is DeadlineRule.SUPPLEMENT_DUE
    assert ENTRY_DEADLINE_RULES[Machine.NOTIFY_COMMIT] is DeadlineRule.DECISION_DUE


@pytest.mark.parametrize(
    ("machine", "state", "terminal"),
    [
        (Machine.TOLERANCE, T.COMPLETED, True),
        (Machine.TOLERANCE, T.REMINDED, False),
        (Machine.NOTIFY_COMMIT, N.REVOKED, True),
        (Machine.NOTIFY_COMMIT, N.VERIFYING, False),
        (Machine.RESTRICTION, RS.LIFTED, True),
        (Machine.RESTRICTION, RS.EFFECTIVE, False),
    ],
)
def test_is_terminal(machine: Machine, state: str, terminal: bool) -> None:
    assert is_terminal(machine, state) is terminal


def test_terminal_restriction_states_have_no_transitions() -> None:
    for state in (RS.REPAIRED, RS.LIFTED, RS.WITHDRAWN):
        assert allowed_events(Machine.RESTRICTION, state) == ()


def test_allowed_events_of_notified() -> None:
    assert set(allowed_events(Machine.RESTRICTION, RS.NOTIFIED)) == {
        E.RECORD_RECEIPT,
        E.OBJECT,
        E.OBJECTION_WINDOW_LAPSED,
        E.DISCOVER_ERROR,
        E.CORRECT_FIX,
        E.CORRECT_REMOVE,
        E.REFER,
    }


# --- deadlines, counted by hand on the 2026 calendar -----------------------------------

# (rule, profile, start, agency period, expected date, citation label contains)
DEADLINES = [
    # verified Wed Sep 30: Oct 8 (1), Oct 9 (2), make-up Sat Oct 10 (3)
    (DeadlineRule.NOTICE_DUE, COMBINED, D(2026, 9, 30), None, D(2026, 10, 10), "LZ §5(1)4"),
    # notice received Thu Feb 12: Feb 13 (1), make-up Sat Feb 14 (2), Feb 24 (3)
    (DeadlineRule.OBJECTION_DUE, COMBINED, D(2026, 2, 12), None, D(2026, 2, 24), "LZ §5(1)4"),
    # objection Mon Sep 21: 15 working days end Mon Oct 19
    (DeadlineRule.REVIEW_DUE, COMBINED, D(2026, 9, 21), None, D(2026, 10, 19), "LZ §5(1)4"),
    # error found Thu Apr 30: May 1-5 off, May 6 (1), May 7 (2)
    (DeadlineRule.CORRECTION_DUE, COMBINED, D(2026, 4, 30), None, D(2026, 5, 7), "LZ §5(1)4"),
    # lifting requested Thu Apr 2: five days (not working days), Apr 3 (1), 4-6 (2-4, the
    # 清明 holiday counts), Tue Apr 7 (5), a working day
    (DeadlineRule.LIFTING_DECISION_DUE, COMBINED, D(2026, 4, 2), None, D(2026, 4, 7),
     "DZ art. 15 ¶2"),
    # unrectified period ended Thu Sep 10: Sep 11 (1), 14 (2), 15 (3)
    (DeadlineRule.REPAIR_NOTICE_DUE, LINZI, D(2026, 9, 10), None, D(2026, 9, 15), "LZ §5(1)5"),
    # proof filed Wed Sep 16: 17, 18, make-up Sun 20, 21, 22
    (DeadlineRule.REPAIR_DECISION_DUE, COMBINED, D(2026, 9, 16), None, D(2026, 9, 22),
     "LZ §5(1)5"),
    # lifting requested Sat Sep 26: Sep 27 (1) ... Thu Oct 1 (5), in the National Day
    # holiday Oct 1-7: moved to Thu Oct 8, the next working day (民法典 art. 203)
    (DeadlineRule.LIFTING_DECISION_DUE, DEZHOU, D(2026, 9, 26), None, D(2026, 10, 8),
     "民法典 art. 203"),
    (DeadlineRule.PERIOD_END, COMBINED, D(2026, 8, 31), None, D(2027, 2, 28), "LZ §5(1)5"),
    # period end on a holiday is not moved
    (DeadlineRule.PERIOD_END, LINZI, D(2026, 4, 4), None, D(2026, 10, 4), "民法典 art. 202"),
    # reminder Thu Jun 18: Jun 19-21 off, Jun 22 (1), 23 (2), 24 (3)
    (DeadlineRule.REMINDER_DUE, LINZI, D(2026, 6, 18), None, D(2026, 6, 24), "LZ §5(1)2"),
    # combined: agency-set, default to the 3-working-day minimum
    (DeadlineRule.REMINDER_DUE, COMBINED, D(2026, 6, 18), None, D(2026, 6, 24), "DZ art. 13 ¶1"),
    # combined: the agency gives 5 working days: Jun 22-26
    (DeadlineRule.REMINDER_DUE, COMBINED, D(2026, 6, 18), AgencyPeriod(5, Unit.WORKING_DAYS),
     D(2026, 6, 26), "DZ art. 13 ¶1"),
    # Dezhou: the agency gives 10 calendar days from Sun Sep 20: Wed Sep 30, a working day
    (DeadlineRule.REMINDER_DUE, DEZHOU, D(2026, 9, 20), AgencyPeriod(10, Unit.DAYS),
     D(2026, 9, 30), "DZ art. 13 ¶1"),
    # catalog: supplement within 5 working days of Thu Feb 12: Feb 13, 14, 24, 25, 26
    (DeadlineRule.SUPPLEMENT_DUE, COMBINED, D(2026, 2, 12), AgencyPeriod(5, Unit.WORKING_DAYS),
     D(2026, 2, 26), "DZ art. 7 ¶2"),
    # decision on the spot
    (DeadlineRule.DECISION_DUE, COMBINED, D(2026, 3, 3), AgencyPeriod(0, Unit.WORKING_DAYS),
     D(2026, 3, 3), "DZ art. 7 ¶3"),
    # verification within 30 days of Sep 1: Oct 1 is National Day, rolled to Oct 8
    (DeadlineRule.VERIFICATION_DUE, COMBINED, D(2026, 9, 1), AgencyPeriod(30, Unit.DAYS),
     D(2026, 10, 8), "民法典 art. 203"),
    # the order on a nonconforming feedback of Thu Apr 30: May 1-5 off, May 6 (1), 7 (2), 8 (3)
    (DeadlineRule.RECTIFICATION_ORDER_DUE, DEZHOU, D(2026, 4, 30), None, D(2026, 5, 8),
     "DZ art. 13 ¶2"),
    # rectification within 10 working days of Apr 30: May 6, 7, 8, 9 (make-up), 11-15, 18
    (DeadlineRule.RECTIFICATION_DUE, COMBINED, D(2026, 4, 30),
     AgencyPeriod(10, Unit.WORKING_DAYS), D(2026, 5, 18), "DZ art. 13 ¶2"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "profile", "start", "period", "expected", "label"),
    DEADLINES,
    ids=[f"{r[0]}:{r[1].name}:{r[2]}" for r in DEADLINES],
)
def test_compute_rule_deadline(
    cal: WorkingCalendar,
    rule: DeadlineRule,
    profile: Profile,
    start: date,
    period: AgencyPeriod | None,
    expected: date,
    label: str,
) -> None:
    deadline = compute_rule_deadline(
        rule, calendar=cal, profile=profile, start=start, period=period
    )
    assert deadline.date == expected
    assert deadline.provisional is False
    assert deadline.start == start
    assert label in deadline.citation_label


def test_every_deadline_rule_is_covered() -> None:
    assert {row[0] for row in DEADLINES} == set(DeadlineRule)


@pytest.mark.parametrize("profile", [DEZHOU, COMBINED], ids=lambda p: p.name)
def test_lifting_decision_counts_five_days_rolled_off_a_holiday(
    cal: WorkingCalendar, profile: Profile
) -> None:
    """DZ art. 15 ¶2 "五日": calendar days, the start day not counted (民法典 art. 201), a
    last day on a rest day moved to the next working day (民法典 art. 203)."""
    plain = compute_rule_deadline(
        DeadlineRule.LIFTING_DECISION_DUE, calendar=cal, profile=profile, start=D(2026, 4, 2)
    )
    assert (plain.unit, plain.amount, plain.date, plain.rolled_from) == (
        Unit.DAYS,
        5,
        D(2026, 4, 7),
        None,
    )
    # Sat Sep 26 + 5 = Thu Oct 1 (National Day, off to Oct 7): Thu Oct 8
    rolled = compute_rule_deadline(
        DeadlineRule.LIFTING_DECISION_DUE, calendar=cal, profile=profile, start=D(2026, 9, 26)
    )
    assert (rolled.date, rolled.rolled_from) == (D(2026, 10, 8), D(2026, 10, 1))
    labels = [c.label for c in rolled.citation]
    assert {"DZ art. 15 ¶2", "民法典 art. 201", "民法典 art. 203"} <= set(labels)
    assert "行政许可法 art. 82" not in labels


def test_notice_deadline_into_2027(cal: WorkingCalendar, cal_with_2027: WorkingCalendar) -> None:
    provisional = compute_rule_deadline(
        DeadlineRule.NOTICE_DUE, calendar=cal, profile=COMBINED, start=D(2026, 12, 30)
    )
    assert (provisional.date, provisional.provisional) == (D(2027, 1, 4), True)
    exact = compute_rule_deadline(
        DeadlineRule.NOTICE_DUE, calendar=cal_with_2027, profile=COMBINED, start=D(2026, 12, 30)
    )
    assert (exact.date, exact.provisional) == (D(2027, 1, 5), False)


def test_reminder_shorter_than_the_minimum_is_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(DeadlineBelowMinimum, match="2026-06-24"):
        compute_rule_deadline(
            DeadlineRule.REMINDER_DUE,
            calendar=cal,
            profile=COMBINED,
            start=D(2026, 6, 18),
            period=AgencyPeriod(1, Unit.WORKING_DAYS),
        )


def test_reminder_fixed_by_regulation_refuses_an_agency_period(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="fixed"):
        compute_rule_deadline(
            DeadlineRule.REMINDER_DUE,
            calendar=cal,
            profile=LINZI,
            start=D(2026, 6, 18),
            period=AgencyPeriod(5, Unit.WORKING_DAYS),
        )


@pytest.mark.parametrize(
    ("rule", "profile"),
    [
        (DeadlineRule.REMINDER_DUE, DEZHOU),  # agency-set, no value, no period given
        (DeadlineRule.SUPPLEMENT_DUE, COMBINED),
        (DeadlineRule.DECISION_DUE, COMBINED),
        (DeadlineRule.VERIFICATION_DUE, COMBINED),
        (DeadlineRule.RECTIFICATION_DUE, COMBINED),
    ],
)
def test_missing_agency_period(cal: WorkingCalendar, rule: DeadlineRule, profile: Profile) -> None:
    with pytest.raises(MissingDeadlineInput):
        compute_rule_deadline(rule, calendar=cal, profile=profile, start=D(2026, 6, 18))


@pytest.mark.parametrize(
    ("rule", "profile"),
    [
        (DeadlineRule.LIFTING_DECISION_DUE, LINZI),
        (DeadlineRule.OBJECTION_DUE, DEZHOU),
        (DeadlineRule.PERIOD_END, DEZHOU),
        (DeadlineRule.REPAIR_DECISION_DUE, DEZHOU),
        (DeadlineRule.RECTIFICATION_ORDER_DUE, LINZI),  # Dezhou measures only
    ],
)
def test_rule_not_in_profile(cal: WorkingCalendar, rule: DeadlineRule, profile: Profile) -> None:
    with pytest.raises(ParameterNotInProfile):
        compute_rule_deadline(rule, calendar=cal, profile=profile, start=D(2026, 6, 18))
