"""The task table: each waiting state declares its task, its due deadline and when."""

from __future__ import annotations

from app.rules.lifecycles import (
    STATE_ENUMS,
    TERMINAL_STATES,
    TOLERANCE_TRANSITIONS,
    DeadlineRule,
    Machine,
    ToleranceState,
)
from app.rules.tasks import STATE_TASKS, TaskKind, Timing


def test_every_task_state_is_an_open_state_of_its_machine() -> None:
    for task in STATE_TASKS:
        assert isinstance(task.state, STATE_ENUMS[task.machine]), task
        assert task.state not in TERMINAL_STATES[task.machine], task


def test_a_state_split_by_its_due_day_is_split_in_two_halves() -> None:
    """A state listed in time and late has one task for each, with the same deadline,
    and no task from entry besides; one whose deadline waits on a receipt has a third
    while it is not counted: every day of the state has exactly one task."""
    by_state: dict[tuple[Machine, str], list[Timing]] = {}
    for task in STATE_TASKS:
        by_state.setdefault((task.machine, task.state), []).append(task.timing)
    split = [Timing.IN_TIME, Timing.LATE]
    for timings in by_state.values():
        assert sorted(timings) in (
            [Timing.FROM_ENTRY],
            sorted(split),
            sorted([*split, Timing.UNCOUNTED]),
        )


def test_a_tolerance_case_is_work_from_acceptance_to_its_decision() -> None:
    tasks = {
        (t.state, t.timing): (t.kind, t.due) for t in STATE_TASKS if t.machine is Machine.TOLERANCE
    }
    assert tasks == {
        (ToleranceState.ACCEPTED, Timing.IN_TIME): (
            TaskKind.await_supplement,
            DeadlineRule.SUPPLEMENT_DUE,
        ),
        (ToleranceState.ACCEPTED, Timing.LATE): (
            TaskKind.send_reminder,
            DeadlineRule.SUPPLEMENT_DUE,
        ),
        (ToleranceState.OVERDUE, Timing.FROM_ENTRY): (
            TaskKind.send_reminder,
            DeadlineRule.SUPPLEMENT_DUE,
        ),
        (ToleranceState.REMINDED, Timing.IN_TIME): (
            TaskKind.await_supplement,
            DeadlineRule.REMINDER_DUE,
        ),
        (ToleranceState.REMINDED, Timing.LATE): (
            TaskKind.terminate_or_accept,
            DeadlineRule.REMINDER_DUE,
        ),
        # a reminder by post: its receipt, before the reminder period can run
        (ToleranceState.REMINDED, Timing.UNCOUNTED): (TaskKind.record_order_receipt, None),
        (ToleranceState.SUPPLEMENTED, Timing.FROM_ENTRY): (TaskKind.decide_commitment, None),
    }
    # Every open tolerance state is some department's work.
    open_states = {t.source for t in TOLERANCE_TRANSITIONS} - TERMINAL_STATES[Machine.TOLERANCE]
    assert open_states == {state for state, _ in tasks}


def test_only_a_task_from_entry_or_awaiting_a_receipt_lists_cases_without_a_due_day() -> None:
    assert {t.timing for t in STATE_TASKS if t.undated} == {Timing.FROM_ENTRY, Timing.UNCOUNTED}
