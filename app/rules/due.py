"""The deadline that governs each state of a life cycle: the state's due day.

A case's ``current_due_on`` is the day of the deadline its state names here (what "due"
means in lists, the work queue and the worker's scans); a state not named has none. A
deadline that counts from an event not yet recorded has no day either: a reminder or an
order to rectify sent by post counts from its receipt (app.rules.commitments), so until the
receipt is recorded the reminded or rectification-ordered case has no due day, and no
deadline of it can pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from app.rules.lifecycles import (
    DeadlineRule,
    Machine,
    NotifyCommitState,
    RestrictionState,
    ToleranceState,
)

_T, _N, _R = ToleranceState, NotifyCommitState, RestrictionState

DUE_BY_STATE: Final[Mapping[Machine, Mapping[str, DeadlineRule]]] = MappingProxyType(
    {
        Machine.TOLERANCE: MappingProxyType(
            {
                _T.ACCEPTED: DeadlineRule.SUPPLEMENT_DUE,  # DZ art. 7 ¶2
                _T.REMINDED: DeadlineRule.REMINDER_DUE,  # DZ art. 13 ¶1
            }
        ),
        Machine.NOTIFY_COMMIT: MappingProxyType(
            {
                _N.COMMITTED: DeadlineRule.DECISION_DUE,  # DZ art. 7 ¶3
                _N.DECIDED: DeadlineRule.VERIFICATION_DUE,  # DZ art. 11
                _N.VERIFYING: DeadlineRule.VERIFICATION_DUE,
                _N.RECTIFICATION_ORDERED: DeadlineRule.RECTIFICATION_DUE,  # DZ art. 13 ¶2
            }
        ),
        Machine.RESTRICTION: MappingProxyType(
            {
                _R.VERIFIED: DeadlineRule.NOTICE_DUE,  # LZ §5(1)4
                _R.NOTIFIED: DeadlineRule.OBJECTION_DUE,
                _R.UNDER_REVIEW: DeadlineRule.REVIEW_DUE,
            }
        ),
    }
)


def due_by_state(*machines: Machine) -> Mapping[str, DeadlineRule]:
    """One state -> deadline map over ``machines`` (a domain that runs more than one)."""
    merged: dict[str, DeadlineRule] = {}
    for machine in machines:
        merged.update(DUE_BY_STATE[machine])
    return MappingProxyType(merged)
