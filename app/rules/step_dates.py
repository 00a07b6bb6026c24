"""步骤日期 (the day a step happened): one rule for every step of every life cycle.

A step is dated the day it happened, which may be before the day it is entered (a
statement mailed on the window's last day, entered the next working day; the postmark
shows when it was made). Its deadlines count from that day. Two dates are refused:

- a day after today (``step_date_in_future``): nothing is recorded before it happens;
- a day before the step it follows in the same case (``step_date_before_previous_step``):
  a signature before the credit check that backs it, a result before the verification
  was opened, a receipt before the notice, a discovery before the collection.

Today is a parameter, as everywhere in the rule module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class StepDateRefusal:
    """Why a step's date is refused, naming both dates: the step's and the bound's.

    ``bound`` is ``"today"`` for a future date, else the name of the earlier step."""

    code: str
    step_date: date
    bound: str
    bound_date: date


def check_step_date(
    on: date, today: date, previous: Mapping[str, date | None] | None = None
) -> StepDateRefusal | None:
    """``None`` when ``on`` lies between every recorded previous step and today.

    ``previous`` maps the name of each step the dated one follows to its day (``None``
    when it is not recorded, and then it bounds nothing). The same day is allowed."""
    if on > today:
        return StepDateRefusal("step_date_in_future", on, "today", today)
    for name, day in (previous or {}).items():
        if day is not None and on < day:
            return StepDateRefusal("step_date_before_previous_step", on, name, day)
    return None


def entered_late(on: date, today: date) -> bool:
    """Entered after the day it happened: who entered it and why are recorded."""
    return on < today
