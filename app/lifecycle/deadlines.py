"""Stored deadlines: a JSON map name -> the rule module's Deadline, as computed."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from app.calendar.explain_schemas import DeadlineExplanation
from app.rules.calendar import WorkingCalendar
from app.rules.periods import Deadline, Unit, compute_deadline


class StoredDeadline(BaseModel):
    """A deadline with its unit, start day, citation and whether the calendar was loaded."""

    name: str
    date: dt.date
    provisional: bool = Field(description="True when a year it touches has no calendar.")
    unit: Unit
    amount: int
    start: dt.date = Field(description="Day D, not counted (民法典 art. 201).")
    citation: str
    rolled_from: dt.date | None = Field(
        default=None, description="The last day before 民法典 art. 203 moved it off a rest day."
    )
    explanation: DeadlineExplanation | None = Field(
        default=None,
        description="期限说明, on request (`?explain=true`): the computation day by day on the "
        "calendar loaded now.",
    )


def deadline_json(name: str, deadline: Deadline) -> dict[str, Any]:
    return {"name": name, **deadline.to_dict()}


def due_date(deadlines: dict[str, Any], name: str | None) -> date | None:
    entry = deadlines.get(name) if name else None
    return date.fromisoformat(entry["date"]) if entry else None


def recount_provisional(
    deadlines: dict[str, Any], calendar: WorkingCalendar
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Provisional entries counted again from their start on ``calendar``.

    Returns the new map and, per entry that changed, ``{"before": day, "after": day}``
    (the same day when only the provisional mark goes). Every stored deadline is one for
    an act, so a last day off moves forward (民法典 art. 203), as when it was first counted.
    """
    updated = dict(deadlines)
    changes: dict[str, Any] = {}
    for name, entry in deadlines.items():
        if not entry["provisional"]:
            continue
        again = compute_deadline(
            calendar,
            date.fromisoformat(entry["start"]),
            entry["amount"],
            Unit(entry["unit"]),
            roll_forward=True,
        )
        new = {
            **entry,
            "date": again.date.isoformat(),
            "provisional": again.provisional,
            "rolled_from": again.rolled_from.isoformat() if again.rolled_from else None,
        }
        if new != entry:
            updated[name] = new
            changes[name] = {"before": entry["date"], "after": new["date"]}
    return updated, changes
