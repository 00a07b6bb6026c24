"""A commitment's state derived by date: a tolerance case past its supplement deadline is
overdue (DZ art. 13 ¶1) whether or not anybody has recorded it yet, and has no due day."""

from __future__ import annotations

from datetime import date

from app.commitments.models import Commitment
from app.commitments.schemas import DeadlinesRead
from app.lifecycle.deadlines import StoredDeadline, due_date
from app.rules.due import due_by_state
from app.rules.lifecycles import DeadlineRule, Machine, ToleranceState

# The deadline that governs each state of either machine (app.rules.due).
DUE_BY_STATE = due_by_state(Machine.TOLERANCE, Machine.NOTIFY_COMMIT)


def deadlines_read(commitment: Commitment) -> DeadlinesRead:
    details = [StoredDeadline.model_validate(v) for v in commitment.deadlines.values()]
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


def due_on(commitment: Commitment, name: str | None) -> date | None:
    return due_date(commitment.deadlines, name)


def derived_status(commitment: Commitment, today: date) -> str:
    """The status on ``today``, counting transitions time has made but nobody recorded."""
    if commitment.status == ToleranceState.ACCEPTED:
        due = due_on(commitment, DeadlineRule.SUPPLEMENT_DUE)
        if due is not None and today > due:
            return ToleranceState.OVERDUE.value
    return commitment.status


def current_due_on(commitment: Commitment, today: date) -> date | None:
    """The deadline that governs the status on ``today``: once the supplement deadline
    has passed, none, whether or not the worker has recorded the case overdue."""
    status = derived_status(commitment, today)
    if status == commitment.status:
        return commitment.current_due_on
    rule = DUE_BY_STATE.get(status)
    return due_on(commitment, rule.value if rule else None)
