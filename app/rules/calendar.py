"""工作日历: working days, statutory holidays (法定节假日) and make-up working days (调休).

The calendar is data: one :class:`YearCalendar` per year, as published by the State
Council each December. :class:`WorkingCalendar` answers questions about working days
for any date; for a year without data it falls back to "Monday to Friday" and callers
mark the results that depend on such a year as provisional (:meth:`is_provisional`).

Counting follows 民法典 art. 201: the day an event happens is not counted, so
"N working days after D" is the N-th working day strictly after D.
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import SATURDAY, SUNDAY, isleap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """One year's holidays and make-up working days (调休上班日)."""

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]


class CalendarProblemCode(StrEnum):
    DATE_OUTSIDE_YEAR = "date_outside_year"
    HOLIDAY_AND_MAKEUP_DAY = "holiday_and_makeup_day"
    MAKEUP_DAY_NOT_WEEKEND = "makeup_day_not_weekend"


@dataclass(frozen=True, slots=True)
class CalendarProblem:
    code: CalendarProblemCode
    day: date
    message: str


class InvalidCalendar(ValueError):
    """Raised when a :class:`WorkingCalendar` is built from inconsistent data."""

    def __init__(self, year: int, problems: list[CalendarProblem]) -> None:
        self.year = year
        self.problems = problems
        details = "; ".join(f"{p.code} {p.day.isoformat()}" for p in problems)
        super().__init__(f"invalid calendar for {year}: {details}")


def _is_weekend(d: date) -> bool:
    return d.weekday() in (SATURDAY, SUNDAY)


def validate_year_calendar(
    year: int, holidays: Iterable[date], makeup_workdays: Iterable[date]
) -> list[CalendarProblem]:
    """Check one year's data; an empty list means it can be loaded.

    - every date lies inside ``year`` (``date_outside_year``);
    - no date is both a holiday and a make-up working day (``holiday_and_makeup_day``);
    - a make-up working day falls on a Saturday or Sunday (``makeup_day_not_weekend``):
      a weekday is a working day anyway, so listing it is a data error.
    """
    holiday_set = frozenset(holidays)
    makeup_set = frozenset(makeup_workdays)
    problems: list[CalendarProblem] = []
    for d in sorted(holiday_set | makeup_set):
        if d.year != year:
            problems.append(
                CalendarProblem(
                    CalendarProblemCode.DATE_OUTSIDE_YEAR,
                    d,
                    f"{d.isoformat()} is not in {year}",
                )
            )
        if d in holiday_set and d in makeup_set:
            problems.append(
                CalendarProblem(
                    CalendarProblemCode.HOLIDAY_AND_MAKEUP_DAY,
                    d,
                    f"{d.isoformat()} is listed both as a holiday and as a make-up working day",
                )
            )
        if d in makeup_set and not _is_weekend(d):
            problems.append(
                CalendarProblem(
                    CalendarProblemCode.MAKEUP_DAY_NOT_WEEKEND,
                    d,
                    f"make-up working day {d.isoformat()} is not a Saturday or Sunday",
                )
            )
    return problems


class WorkingCalendar:
    """Working-day arithmetic over loaded years, weekends-only for the others.

    A working day (工作日) is a Monday to Friday that is not a holiday, or a make-up
    working day. Per-year cumulative counts are built once per year and kept, so
    counting across a year-long span is a few list look-ups.
    """

    __slots__ = ("_counts", "_holidays", "_loaded", "_makeup")

    def __init__(self, years: Iterable[YearCalendar] = ()) -> None:
        loaded: dict[int, YearCalendar] = {}
        for year_calendar in years:
            if year_calendar.year in loaded:
                raise ValueError(f"year {year_calendar.year} given twice")
            problems = validate_year_calendar(
                year_calendar.year, year_calendar.holidays, year_calendar.makeup_workdays
            )
            if problems:
                raise InvalidCalendar(year_calendar.year, problems)
            loaded[year_calendar.year] = year_calendar
        self._loaded: dict[int, YearCalendar] = loaded
        self._holidays: frozenset[date] = frozenset().union(*(y.holidays for y in loaded.values()))
        self._makeup: frozenset[date] = frozenset().union(
            *(y.makeup_workdays for y in loaded.values())
        )
        # year -> counts[i] = working days among the first i days of the year
        self._counts: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar(loaded_years={sorted(self._loaded)})"

    @property
    def loaded_years(self) -> frozenset[int]:
        return frozenset(self._loaded)

    def year(self, year: int) -> YearCalendar | None:
        return self._loaded.get(year)

    def with_year(self, year_calendar: YearCalendar) -> WorkingCalendar:
        """A new calendar with ``year_calendar`` added (or replacing the same year)."""
        others = [y for y in self._loaded.values() if y.year != year_calendar.year]
        return WorkingCalendar([*others, year_calendar])

    def covers(self, year: int) -> bool:
        return year in self._loaded

    def is_provisional(self, a: date, b: date) -> bool:
        """True when any year between ``a`` and ``b`` (inclusive, either order) has no data."""
        low, high = (a, b) if a <= b else (b, a)
        return any(y not in self._loaded for y in range(low.year, high.year + 1))

    def is_working_day(self, d: date) -> bool:
        if d in self._makeup:
            return True
        if d in self._holidays:
            return False
        return not _is_weekend(d)

    def next_working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def _year_counts(self, year: int) -> list[int]:
        counts = self._counts.get(year)
        if counts is None:
            days = 366 if isleap(year) else 365
            first = date(year, 1, 1)
            counts = [0] * (days + 1)
            running = 0
            for i in range(days):
                if self.is_working_day(first + timedelta(days=i)):
                    running += 1
                counts[i + 1] = running
            self._counts[year] = counts
        return counts

    def _count_through(self, d: date) -> int:
        """Working days from 1 January of ``d.year`` up to and including ``d``."""
        return self._year_counts(d.year)[d.timetuple().tm_yday]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open span (a, b]: ``a`` is not counted, ``b`` is.

        ``working_days_between(d, add_working_days(d, n)) == n``. Requires a <= b.
        """
        if b < a:
            raise ValueError(f"end {b.isoformat()} is before start {a.isoformat()}")
        if a.year == b.year:
            return self._count_through(b) - self._count_through(a)
        total = self._year_counts(a.year)[-1] - self._count_through(a)
        for year in range(a.year + 1, b.year):
            total += self._year_counts(year)[-1]
        return total + self._count_through(b)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (民法典 art. 201: ``d`` is not counted).

        ``n == 0`` returns ``d`` itself, whatever kind of day it is.
        """
        if n < 0:
            raise ValueError(f"number of working days must not be negative: {n}")
        if n == 0:
            return d
        year = d.year
        base = self._count_through(d)
        remaining = n
        while True:
            counts = self._year_counts(year)
            available = counts[-1] - base
            if remaining <= available:
                day_of_year = bisect_left(counts, base + remaining)
                return date(year, 1, 1) + timedelta(days=day_of_year - 1)
            remaining -= available
            year += 1
            base = 0


# The State Council publishes next year's holidays in November or December (docs/domain.md
# section 6: /readyz warns while next year is missing); warn from 1 December.
NEXT_YEAR_WARNING_MONTH: Final = 12


def coverage_warnings(loaded_years: Iterable[int], today: date) -> list[str]:
    """Readiness warnings: this year missing, or next year missing from 1 December."""
    loaded = set(loaded_years)
    warnings = []
    if today.year not in loaded:
        warnings.append(
            f"calendar_missing: no working-day calendar for {today.year}; "
            "deadlines are computed on weekends alone and marked provisional"
        )
    if today.month >= NEXT_YEAR_WARNING_MONTH and today.year + 1 not in loaded:
        warnings.append(
            f"calendar_missing: no working-day calendar for {today.year + 1}; load it with "
            f"PUT /api/v1/calendar/{today.year + 1} once the State Council publishes it"
        )
    return warnings
