"""The arithmetic of the statistics, pure: shares, medians, lateness, local days.

Values in, a number out; no database, no clock. Each function is small enough to check
by hand (tests/statistics/test_arithmetic.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.rules.calendar import WorkingCalendar

SHARE_PLACES = Decimal("0.0001")


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day a stored instant falls on where legal dates are counted (Asia/Shanghai)."""
    return moment.astimezone(zone).date()


def step_day(details: dict[str, Any], occurred_at: datetime, zone: tzinfo) -> date:
    """The day a history step happened: the day entered with it (``details["on"]``,
    发生日, when entered late), else the legal day of the instant it was recorded."""
    entered = details.get("on")
    if isinstance(entered, str):
        try:
            return date.fromisoformat(entered)
        except ValueError:
            pass
    return local_day(occurred_at, zone)


def within(day: date, start: date, end: date) -> bool:
    """``day`` in the period, both ends included."""
    return start <= day <= end


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded half up to four places; ``None`` when nothing was due."""
    if whole == 0:
        return None
    ratio = (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)
    return float(ratio)


def median(values: Sequence[int]) -> float | None:
    """The middle value; the mean of the two middle values for an even count."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def is_late(done_on: date, due_on: date) -> bool:
    """A step is late when it is taken after the last day allowed for it."""
    return done_on > due_on


def handling_days(calendar: WorkingCalendar, started_on: date, done_on: date) -> int:
    """Working days from the start (not counted) to the step's day (counted)."""
    if done_on <= started_on:
        return 0
    return calendar.working_days_between(started_on, done_on)


def tally(keys: Iterable[str]) -> dict[str, int]:
    """How often each key occurs, keys sorted."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
