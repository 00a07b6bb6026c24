"""Stored deadlines: a JSON map name -> the rule module's Deadline, as computed."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from app.rules.periods import Deadline, Unit


class DeadlineRead(BaseModel):
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


def deadline_json(name: str, deadline: Deadline) -> dict[str, Any]:
    return {"name": name, **deadline.to_dict()}


def due_date(deadlines: dict[str, Any], name: str | None) -> date | None:
    entry = deadlines.get(name) if name else None
    return date.fromisoformat(entry["date"]) if entry else None
