"""The deadline that governs each state of a commitment (what "due" means in lists and tasks)."""

from __future__ import annotations

DUE_BY_STATE = {
    "accepted": "supplement_due",
    "reminded": "reminder_due",
    "committed": "decision_due",
    "decided": "verification_due",
    "verifying": "verification_due",
    "rectification_ordered": "rectification_due",
}
