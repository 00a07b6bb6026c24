"""Working-day arithmetic against the 2026 calendar; expected dates counted by hand."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.calendar import (
    CalendarProblemCode,
    InvalidCalendar,
    WorkingCalendar,
    YearCalendar,
    validate_year_calendar,
)

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # New Year's Day (Thu)
        (D(2026, 1, 3), False),  # holiday on a Saturday
        (D(2026, 1, 4), True),  # make-up Sunday
        (D(2026, 1, 5), True),  # ordinary Monday
        (D(2026, 2, 14), True),  # make-up Saturday before the Spring Festival
        (D(2026, 2, 16), False),  # Spring Festival Monday
        (D(2026, 2, 23), False),  # last Spring Festival day (Mon)
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # make-up Saturday after the Spring Festival
        (D(2026, 3, 7), False),  # ordinary Saturday
        (D(2026, 3, 8), False),  # ordinary Sunday
        (D(2026, 5, 9), True),  # make-up Saturday
        (D(2026, 9, 20), True),  # make-up Sunday
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # make-up Saturday
        (D(2026, 10, 11), False),
        (D(2027, 1, 1), True),  # 2027 not loaded: a Friday is a working day
        (D(2027, 1, 2), False),  # 2027 not loaded: Saturday
    ],
)
def test_is_working_day(cal: WorkingCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Oct 1-7 off; Oct 8 Thu (1), Oct 9 Fri (2), make-up Sat Oct 10 (3)
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        # Feb 13 Fri (1), make-up Sat Feb 14 (2), Feb 15-23 off, Feb 24 (3), 25 (4), 26 (5)
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        # both make-up Saturdays: Feb 14 (1), 24-27 (2-5), Feb 28 (6), Mar 2-6 (7-11), Mar 9 (12)
        (D(2026, 2, 13), 12, D(2026, 3, 9)),
        # Jan 1-3 off, make-up Sun Jan 4 is the first working day
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        # May 1-5 off: May 6 (1), May 7 (2)
        (D(2026, 4, 30), 2, D(2026, 5, 7)),
        # ... May 8 (3), make-up Sat May 9 (4)
        (D(2026, 4, 30), 4, D(2026, 5, 9)),
        (D(2026, 4, 3), 1, D(2026, 4, 7)),  # Qingming Apr 4-6 off
        (D(2026, 6, 18), 1, D(2026, 6, 22)),  # Dragon Boat Jun 19-21 off
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Sat off, make-up Sun Sep 20
        # Sep 22-24 (1-3), Sep 28-30 (4-6), Oct 8-10 (7-9), Oct 12-16 (10-14), Oct 19 (15)
        (D(2026, 9, 21), 15, D(2026, 10, 19)),
        (D(2026, 10, 1), 1, D(2026, 10, 8)),  # counting from a holiday
        (D(2026, 3, 6), 3, D(2026, 3, 11)),  # Fri + weekend
        (D(2026, 10, 3), 0, D(2026, 10, 3)),  # n == 0 returns the day itself
        (D(2025, 12, 31), 248, D(2026, 12, 31)),  # every working day of 2026
        # 2027 not loaded: Dec 31 (1), Fri Jan 1 (2), Mon Jan 4 (3)
        (D(2026, 12, 30), 3, D(2027, 1, 4)),
    ],
)
def test_add_working_days(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_working_days(start, n) == expected


def test_add_working_days_uses_a_loaded_2027(cal_with_2027: WorkingCalendar) -> None:
    # Dec 31 (1), Jan 1 2027 off, Jan 4 (2), Jan 5 (3)
    assert cal_with_2027.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 9, 30), D(2026, 10, 10), 3),
        (D(2026, 2, 13), D(2026, 3, 9), 12),
        (D(2026, 10, 1), D(2026, 10, 7), 0),
        (D(2026, 5, 6), D(2026, 5, 6), 0),
        (D(2026, 5, 5), D(2026, 5, 6), 1),  # the end day counts, the start day not
        (D(2026, 1, 1), D(2026, 12, 31), 248),
        (D(2025, 12, 31), D(2026, 12, 31), 248),
        # 2027 weekends-only: Jan 1, 4, 5, 6, 7, 8
        (D(2026, 12, 31), D(2027, 1, 8), 6),
    ],
)
def test_working_days_between(cal: WorkingCalendar, a: date, b: date, expected: int) -> None:
    assert cal.working_days_between(a, b) == expected


def test_working_days_between_rejects_reversed_span(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="before start"):
        cal.working_days_between(D(2026, 5, 6), D(2026, 5, 5))


def test_add_working_days_rejects_negative(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(D(2026, 5, 6), -1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 10, 1), D(2026, 10, 8)),
        (D(2026, 10, 10), D(2026, 10, 10)),
        (D(2026, 2, 15), D(2026, 2, 24)),
        (D(2026, 3, 7), D(2026, 3, 9)),
        (D(2026, 1, 3), D(2026, 1, 4)),
    ],
)
def test_next_working_day_on_or_after(cal: WorkingCalendar, day: date, expected: date) -> None:
    assert cal.next_working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("a", "b", "provisional"),
    [
        (D(2026, 1, 1), D(2026, 12, 31), False),
        (D(2026, 12, 1), D(2027, 1, 5), True),
        (D(2025, 12, 31), D(2026, 1, 2), True),
        (D(2027, 1, 5), D(2026, 12, 1), True),  # either order
    ],
)
def test_is_provisional(cal: WorkingCalendar, a: date, b: date, provisional: bool) -> None:
    assert cal.is_provisional(a, b) is provisional


def test_loaded_years_and_covers(
    cal: WorkingCalendar, cal_with_2027: WorkingCalendar, year_2026: YearCalendar
) -> None:
    assert cal.loaded_years == frozenset({2026})
    assert cal.covers(2026) and not cal.covers(2027)
    assert cal_with_2027.loaded_years == frozenset({2026, 2027})
    assert not cal_with_2027.is_provisional(D(2026, 12, 1), D(2027, 1, 5))
    assert cal.year(2026) == year_2026
    assert cal.year(2027) is None
    assert WorkingCalendar().loaded_years == frozenset()


def test_validate_year_calendar_accepts_2026(year_2026: YearCalendar) -> None:
    assert validate_year_calendar(2026, year_2026.holidays, year_2026.makeup_workdays) == []


@pytest.mark.parametrize(
    ("holidays", "makeup", "expected"),
    [
        ({D(2025, 12, 31)}, set(), [(CalendarProblemCode.DATE_OUTSIDE_YEAR, D(2025, 12, 31))]),
        (set(), {D(2027, 1, 2)}, [(CalendarProblemCode.DATE_OUTSIDE_YEAR, D(2027, 1, 2))]),
        (
            {D(2026, 2, 14)},
            {D(2026, 2, 14)},
            [(CalendarProblemCode.HOLIDAY_AND_MAKEUP_DAY, D(2026, 2, 14))],
        ),
        # 2026-03-09 is a Monday: a make-up working day must be a Saturday or Sunday
        (set(), {D(2026, 3, 9)}, [(CalendarProblemCode.MAKEUP_DAY_NOT_WEEKEND, D(2026, 3, 9))]),
    ],
)
def test_validate_year_calendar_problems(
    holidays: set[date], makeup: set[date], expected: list[tuple[CalendarProblemCode, date]]
) -> None:
    problems = validate_year_calendar(2026, holidays, makeup)
    assert [(p.code, p.day) for p in problems] == expected
    assert all(p.message for p in problems)


def test_working_calendar_refuses_invalid_year() -> None:
    bad = YearCalendar(2026, frozenset(), frozenset({D(2026, 3, 9)}))
    with pytest.raises(InvalidCalendar) as info:
        WorkingCalendar([bad])
    assert info.value.problems[0].code is CalendarProblemCode.MAKEUP_DAY_NOT_WEEKEND
    assert "2026-03-09" in str(info.value)


def test_working_calendar_refuses_duplicate_year(year_2026: YearCalendar) -> None:
    with pytest.raises(ValueError, match="twice"):
        WorkingCalendar([year_2026, year_2026])


def test_year_long_spans_are_fast(cal: WorkingCalendar) -> None:
    start = time.perf_counter()
    for i in range(2000):
        d = D(2026, 1, 1) + timedelta(days=i % 300)
        end = cal.add_working_days(d, 250)
        cal.working_days_between(d, end)
    assert time.perf_counter() - start < 1.0


DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
COUNTS = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None)
@given(d=DAYS, n=st.integers(min_value=1, max_value=400))
def test_property_result_is_a_working_day(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(d, n))


@settings(max_examples=300, deadline=None)
@given(d=DAYS, n=COUNTS)
def test_property_strictly_monotone(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.add_working_days(d, n + 1) > cal.add_working_days(d, n)


@settings(max_examples=300, deadline=None)
@given(d=DAYS, n=COUNTS)
def test_property_between_inverts_add(cal: WorkingCalendar, d: date, n: int) -> None:
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@settings(max_examples=200, deadline=None)
@given(d=DAYS, n=st.integers(min_value=1, max_value=400))
def test_property_no_working_day_skipped(cal: WorkingCalendar, d: date, n: int) -> None:
    """Between the (n-1)-th and the n-th working day there are only rest days."""
    previous = cal.add_working_days(d, n - 1)
    current = cal.add_working_days(d, n)
    gap = (current - previous).days
    assert not any(cal.is_working_day(previous + timedelta(days=i)) for i in range(1, gap))
