"""A commitment's state derived by date: a tolerance case past its supplement deadline is
overdue (DZ art. 13 ¶1) whether or not anybody has recorded it yet, and has no due day.

A reminder or an order to rectify counts its period from its service (DZ art. 13; LZ
§5(1)2 "经催告后"): sent by post or electronically, from the recorded day of receipt. Until
then the case (reminded, rectification ordered) has no due day and time does nothing to
it: no deadline can pass while the order is in transit.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from app.commitments.models import Commitment
from app.commitments.schemas import DeadlinesRead, OrderServiceRead
from app.lifecycle.deadlines import StoredDeadline, due_date
from app.rules.commitments import ServiceMethod, served_on
from app.rules.due import due_by_state
from app.rules.lifecycles import DeadlineRule, Machine, ToleranceState

# The deadline that governs each state of either machine (app.rules.due).
DUE_BY_STATE = due_by_state(Machine.TOLERANCE, Machine.NOTIFY_COMMIT)
# The deadlines an order sets, counted from its service.
ORDER_DEADLINES: Final = frozenset({DeadlineRule.REMINDER_DUE, DeadlineRule.RECTIFICATION_DUE})


def order_service_read(commitment: Commitment) -> OrderServiceRead | None:
    """How the reminder or the order to rectify was served (None: no order, or one
    recorded before services were, which counted from its day)."""
    if commitment.order_service is None:
        return None
    service = commitment.order_service
    method = ServiceMethod(service["method"])
    issued = date.fromisoformat(service["issued_on"])
    received = date.fromisoformat(service["received_on"]) if service["received_on"] else None
    return OrderServiceRead(
        method=method,
        issued_on=issued,
        received_on=received,
        served_on=served_on(method, issued, received),
        period=service["period"],
    )


def order_served_on(commitment: Commitment, order_day: date) -> date | None:
    """The day the order's period counts from: its service; ``order_day`` for an order
    recorded without one (in person, as before services were recorded)."""
    service = order_service_read(commitment)
    return order_day if service is None else service.served_on


def order_unserved(commitment: Commitment) -> bool:
    """Whether an order sent by post or electronically awaits its recorded receipt."""
    service = order_service_read(commitment)
    return service is not None and service.served_on is None


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
