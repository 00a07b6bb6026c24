"""The end of an unrectified period (LZ §5(1)5), as pure rules; days counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.calendar import WorkingCalendar
from app.rules.lifecycles import (
    DeadlineRule,
    Event,
    GuardContext,
    GuardFailed,
    Machine,
    RestrictionState,
    apply,
    compute_rule_deadline,
)
from app.rules.profiles import Basis, get_profile
from app.rules.repair import RectificationProof, rectification_rule, repair_parameters

_R = RestrictionState
PERIOD_END = date(2026, 9, 10)  # Thu


@pytest.mark.parametrize(
    ("today", "rectified_on", "code"),
    [
        (date(2026, 9, 10), None, "management_period_running"),  # the last day itself
        (date(2026, 9, 11), None, None),  # the day after
        (date(2026, 9, 11), date(2026, 9, 1), "rectification_recorded"),
    ],
)
def test_the_repair_notice_is_due_only_after_an_unrectified_end(
    today: date, rectified_on: date | None, code: str | None
) -> None:
    ctx = GuardContext(today=today, period_ends_on=PERIOD_END, rectified_on=rectified_on)
    if code is None:
        result = apply(Machine.RESTRICTION, _R.EFFECTIVE, Event.ISSUE_REPAIR_NOTICE, ctx)
        assert result.target is _R.EFFECTIVE
    else:
        with pytest.raises(GuardFailed) as refused:
            apply(Machine.RESTRICTION, _R.EFFECTIVE, Event.ISSUE_REPAIR_NOTICE, ctx)
        assert refused.value.code == code


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        # Thu 09-10 + 3 working days: Fri 11, Mon 14, Tue 15.
        (DeadlineRule.REPAIR_NOTICE_DUE, date(2026, 9, 10), date(2026, 9, 15)),
        # Wed 09-16 + 5 working days: Thu 17, Fri 18, Sun 20 (make-up), Mon 21, Tue 22.
        (DeadlineRule.REPAIR_DECISION_DUE, date(2026, 9, 16), date(2026, 9, 22)),
        # Tue 09-22 + 5: Wed 23, Thu 24, (25-27 off) Mon 28, Tue 29, Wed 30.
        (DeadlineRule.REPAIR_DECISION_DUE, date(2026, 9, 22), date(2026, 9, 30)),
    ],
)
def test_repair_deadlines(cal: WorkingCalendar, rule: DeadlineRule, start: date, due: date) -> None:
    profile = get_profile("linzi-2022")
    assert compute_rule_deadline(rule, calendar=cal, profile=profile, start=start).date == due


def test_proof_is_filed_and_decided_only_while_effective() -> None:
    ctx = GuardContext(today=date(2026, 9, 16))
    for event in (
        Event.FILE_REPAIR_APPLICATION,
        Event.CONFIRM_RECTIFICATION,
        Event.REFUSE_RECTIFICATION,
    ):
        assert apply(Machine.RESTRICTION, _R.EFFECTIVE, event, ctx).target is _R.EFFECTIVE
    filed = apply(Machine.RESTRICTION, _R.EFFECTIVE, Event.FILE_REPAIR_APPLICATION, ctx)
    assert filed.deadline_rule is DeadlineRule.REPAIR_DECISION_DUE


def test_repair_rules_come_with_the_listing_procedure() -> None:
    for name in ("linzi-2022", "shandong-combined"):
        profile = get_profile(name)
        assert [p.basis for p in repair_parameters(profile)] == [Basis.DEPLOYMENT_CHOICE] * 2
        fraud = rectification_rule(profile, "identity_fraud")
        assert fraud is not None
        assert fraud.proof is RectificationProof.CLOSURE_AND_COMMITMENT
        assert fraud.citation.label == "LZ §5(1)5"
    dezhou = get_profile("dezhou-2023")
    assert repair_parameters(dezhou) == ()
    assert rectification_rule(dezhou, "identity_fraud") is None
