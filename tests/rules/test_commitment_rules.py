"""The commitment rules beside the tables (app.rules.commitments), by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.calendar import WorkingCalendar
from app.rules.commitments import (
    ServiceMethod,
    TerminationGround,
    checked_too_early,
    latest_meet_by,
    matter_conditions,
    meet_by_refusal,
    proposes_situation_3,
    served_on,
    termination_ground,
    verification_start,
)
from app.rules.lifecycles import (
    Event,
    GuardContext,
    GuardFailed,
    Machine,
    NotifyCommitState,
    ToleranceState,
    apply,
)
from app.rules.periods import Unit
from app.rules.restrictions import Situation

D = date
CTX = GuardContext(today=D(2026, 10, 27), reminder_due=D(2026, 10, 26))


@pytest.mark.parametrize(
    ("submitted", "ground", "proposes"),
    [
        (False, TerminationGround.NON_SUBMISSION, Situation.TOLERANCE_UNFULFILLED),
        (True, TerminationGround.DEFICIENT_SUBMISSION, None),
    ],
)
def test_only_non_submission_proposes_situation_3(
    submitted: bool, ground: TerminationGround, proposes: Situation | None
) -> None:
    assert termination_ground(submitted=submitted) is ground
    result = apply(
        Machine.TOLERANCE,
        ToleranceState.REMINDED,
        Event.TERMINATE,
        replace(CTX, termination_ground=ground),
    )
    assert (result.target, result.proposes) == (ToleranceState.TERMINATED, proposes)
    assert result.citation.label == "DZ art. 13 ¶1"


def test_a_termination_without_a_ground_proposes_nothing() -> None:
    assert proposes_situation_3(None) is False
    result = apply(Machine.TOLERANCE, ToleranceState.REMINDED, Event.TERMINATE, CTX)
    assert result.proposes is None


@pytest.mark.parametrize(
    ("method", "received", "served"),
    [
        (ServiceMethod.IN_PERSON, None, D(2026, 10, 21)),
        (ServiceMethod.POST, None, None),
        (ServiceMethod.POST, D(2026, 10, 26), D(2026, 10, 26)),
        (ServiceMethod.ELECTRONIC, D(2026, 10, 21), D(2026, 10, 21)),
    ],
)
def test_an_order_is_served_in_person_that_day_else_on_receipt(
    method: ServiceMethod, received: date | None, served: date | None
) -> None:
    assert served_on(method, D(2026, 10, 21), received) == served


UNSERVED = replace(CTX, reminder_due=None, order_unserved=True)


@pytest.mark.parametrize(
    ("machine", "state", "event", "ctx", "code", "label"),
    [
        (Machine.TOLERANCE, ToleranceState.REMINDED, Event.TERMINATE, UNSERVED,
         "reminder_not_served", "LZ §5(1)2"),
        (Machine.NOTIFY_COMMIT, NotifyCommitState.RECTIFICATION_ORDERED, Event.REVOKE,
         UNSERVED, "rectification_order_not_served", "DZ art. 13 ¶2"),
        (Machine.TOLERANCE, ToleranceState.REMINDED, Event.RECORD_RECEIPT, CTX,
         "order_receipt_not_awaited", "DZ art. 13 ¶1"),
        (Machine.NOTIFY_COMMIT, NotifyCommitState.RECTIFICATION_ORDERED, Event.RECORD_RECEIPT,
         CTX, "order_receipt_not_awaited", "DZ art. 13 ¶1"),
    ],
)  # fmt: skip
def test_nothing_rests_on_an_order_not_yet_served(
    machine: Machine, state: str, event: Event, ctx: GuardContext, code: str, label: str
) -> None:
    with pytest.raises(GuardFailed) as info:
        apply(machine, state, event, ctx)
    assert (info.value.code, info.value.citation.label) == (code, label)


@pytest.mark.parametrize(
    ("machine", "state", "event", "target"),
    [
        (Machine.TOLERANCE, ToleranceState.REMINDED, Event.SUPPLEMENT_COMPLIANT,
         ToleranceState.SUPPLEMENTED),
        (Machine.NOTIFY_COMMIT, NotifyCommitState.RECTIFICATION_ORDERED, Event.RECTIFIED,
         NotifyCommitState.FULFILLED),
    ],
)  # fmt: skip
def test_a_supplement_or_rectification_before_the_service_is_in_time(
    machine: Machine, state: str, event: Event, target: str
) -> None:
    assert apply(machine, state, event, UNSERVED).target == target


def test_still_nonconforming_after_rectification_revokes_even_in_transit() -> None:
    ctx = replace(UNSERVED, still_nonconforming=True)
    result = apply(
        Machine.NOTIFY_COMMIT, NotifyCommitState.RECTIFICATION_ORDERED, Event.REVOKE, ctx
    )
    assert result.target == NotifyCommitState.REVOKED


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("具有相适应的经营场所。", ("具有相适应的经营场所",)),
        ("有经营场所；\n有专职人员。", ("有经营场所", "有专职人员")),
        ("有经营场所; 有专职人员;", ("有经营场所", "有专职人员")),
    ],
)  # fmt: skip
def test_a_matters_conditions_are_its_items(text: str, conditions: tuple[str, ...]) -> None:
    assert matter_conditions(text) == conditions


def test_the_day_to_meet_conditions_by(cal: WorkingCalendar) -> None:
    # 20 working days from Wed Sep 30 (Oct 1-7 off, Sat Oct 10 worked): Oct 8 (1), 9 (2),
    # 10 (3), 12-16 (4-8), 19-23 (9-13), 26-30 (14-18), Nov 2 (19), Tue Nov 3 (20).
    latest = latest_meet_by(cal, D(2026, 9, 30), 20, Unit.WORKING_DAYS)
    assert latest.date == D(2026, 11, 3)
    signed = D(2026, 9, 30)
    assert meet_by_refusal(D(2026, 9, 30), signed, latest.date) is not None
    assert meet_by_refusal(D(2026, 10, 1), signed, latest.date) is None
    assert meet_by_refusal(D(2026, 11, 3), signed, latest.date) is None
    assert meet_by_refusal(D(2026, 11, 4), signed, latest.date) is not None


def test_the_verification_counts_from_the_later_of_decision_and_meet_by() -> None:
    assert verification_start(D(2026, 9, 30), None) == D(2026, 9, 30)
    assert verification_start(D(2026, 9, 30), D(2026, 10, 20)) == D(2026, 10, 20)
    assert verification_start(D(2026, 10, 22), D(2026, 10, 20)) == D(2026, 10, 22)


@pytest.mark.parametrize("event", [Event.VERIFICATION_CONFORMS, Event.VERIFICATION_FAILS])
def test_a_check_before_the_day_finds_nothing(event: Event) -> None:
    meet_by = D(2026, 10, 20)
    assert checked_too_early(meet_by, D(2026, 10, 19))
    assert not checked_too_early(meet_by, meet_by)
    assert not checked_too_early(None, D(2026, 10, 19))
    early = GuardContext(today=D(2026, 10, 21), meet_by=meet_by, checked_on=D(2026, 10, 19))
    with pytest.raises(GuardFailed) as info:
        apply(Machine.NOTIFY_COMMIT, NotifyCommitState.VERIFYING, event, early)
    assert (info.value.code, info.value.citation.label) == (
        "conditions_not_yet_due",
        "DZ art. 9 ¶2",
    )
    on_the_day = replace(early, checked_on=meet_by)
    assert apply(Machine.NOTIFY_COMMIT, NotifyCommitState.VERIFYING, event, on_the_day).changed
