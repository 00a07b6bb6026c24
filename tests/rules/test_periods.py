"""Deadlines in working days, calendar days and months; expected dates counted by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.calendar import WorkingCalendar
from app.rules.periods import (
    Unit,
    add_days,
    add_months,
    add_working_days,
    compute_deadline,
)

D = date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # National Day, make-up Sat Oct 10 counts
        (D(2026, 2, 12), 5, D(2026, 2, 26)),  # Spring Festival, make-up Sat Feb 14 counts
        (D(2026, 2, 13), 12, D(2026, 3, 9)),  # both make-up Saturdays Feb 14 and Feb 28
        (D(2026, 10, 9), 0, D(2026, 10, 9)),
    ],
)
def test_add_working_days(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    deadline = add_working_days(cal, start, n)
    assert deadline.date == expected
    assert deadline.provisional is False
    assert deadline.unit is Unit.WORKING_DAYS
    assert (deadline.amount, deadline.start) == (n, start)
    assert deadline.citation_label == "民法典 art. 201; 行政许可法 art. 82"


def test_working_day_deadline_into_unloaded_year_is_provisional(
    cal: WorkingCalendar, cal_with_2027: WorkingCalendar
) -> None:
    # without 2027: Dec 31 (1), Fri Jan 1 (2), Mon Jan 4 (3)
    provisional = add_working_days(cal, D(2026, 12, 30), 3)
    assert (provisional.date, provisional.provisional) == (D(2027, 1, 4), True)
    # with 2027 (Jan 1 off): Dec 31 (1), Jan 4 (2), Jan 5 (3)
    exact = add_working_days(cal_with_2027, D(2026, 12, 30), 3)
    assert (exact.date, exact.provisional) == (D(2027, 1, 5), False)


def test_working_day_deadline_ending_in_loaded_year_is_exact(cal: WorkingCalendar) -> None:
    # the start day (2025) is not counted, so an unloaded start year does not matter
    deadline = add_working_days(cal, D(2025, 12, 31), 1)
    assert (deadline.date, deadline.provisional) == (D(2026, 1, 4), False)


@pytest.mark.parametrize(
    ("start", "n", "expected", "rolled_from"),
    [
        (D(2026, 9, 24), 7, D(2026, 10, 8), D(2026, 10, 1)),  # National Day rolls to Oct 8
        (D(2026, 10, 3), 7, D(2026, 10, 10), None),  # make-up Saturday: no roll
        (D(2026, 3, 2), 5, D(2026, 3, 9), D(2026, 3, 7)),  # plain Saturday rolls to Monday
        (D(2026, 3, 3), 5, D(2026, 3, 9), D(2026, 3, 8)),  # plain Sunday rolls to Monday
        (D(2026, 2, 9), 5, D(2026, 2, 14), None),  # make-up Saturday Feb 14: no roll
        (D(2026, 2, 10), 5, D(2026, 2, 24), D(2026, 2, 15)),  # Spring Festival rolls
        (D(2026, 4, 30), 3, D(2026, 5, 6), D(2026, 5, 3)),  # Labour Day rolls to May 6
        (D(2026, 12, 26), 5, D(2026, 12, 31), None),  # Thursday: stays
    ],
)
def test_add_days_rolls_forward_over_rest_days(
    cal: WorkingCalendar, start: date, n: int, expected: date, rolled_from: date | None
) -> None:
    deadline = add_days(cal, start, n, roll_forward=True)
    assert deadline.date == expected
    assert deadline.rolled_from == rolled_from
    assert deadline.provisional is False
    assert deadline.unit is Unit.DAYS
    assert deadline.citation_label == "民法典 art. 201; 民法典 art. 203"


def test_add_days_without_roll(cal: WorkingCalendar) -> None:
    deadline = add_days(cal, D(2026, 9, 24), 7, roll_forward=False)
    assert (deadline.date, deadline.rolled_from, deadline.provisional) == (
        D(2026, 10, 1),
        None,
        False,
    )
    assert deadline.citation_label == "民法典 art. 201"


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        # last day Sat 2027-01-02 in an unloaded year: rolls to Mon Jan 4, provisional
        (D(2026, 12, 28), 5, D(2027, 1, 4), True),
        # last day Fri 2027-01-01, unloaded: might be a holiday, so provisional
        (D(2026, 12, 27), 5, D(2027, 1, 1), True),
    ],
)
def test_add_days_touching_unloaded_year_is_provisional(
    cal: WorkingCalendar, start: date, n: int, expected: date, provisional: bool
) -> None:
    deadline = add_days(cal, start, n, roll_forward=True)
    assert (deadline.date, deadline.provisional) == (expected, provisional)


def test_add_days_exact_once_next_year_is_loaded(cal_with_2027: WorkingCalendar) -> None:
    # 2027-01-01 is a holiday in the loaded 2027: Sat 2, Sun 3, so Mon Jan 4
    deadline = add_days(cal_with_2027, D(2026, 12, 27), 5, roll_forward=True)
    assert (deadline.date, deadline.provisional, deadline.rolled_from) == (
        D(2027, 1, 4),
        False,
        D(2027, 1, 1),
    )


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # no Feb 31: last day of February
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 5, 15), 6, D(2026, 11, 15)),
        (D(2026, 10, 1), 6, D(2027, 4, 1)),
        (D(2026, 4, 4), 6, D(2026, 10, 4)),  # a holiday (Oct 4): never rolled
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 7, 15), 12, D(2027, 7, 15)),
        (D(2026, 7, 15), 0, D(2026, 7, 15)),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    deadline = add_months(start, n)
    assert deadline.date == expected
    assert deadline.provisional is False
    assert deadline.rolled_from is None
    assert deadline.unit is Unit.MONTHS
    assert deadline.citation_label == "民法典 art. 201; 民法典 art. 202"


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (3, Unit.WORKING_DAYS, D(2026, 10, 10)),
        (1, Unit.DAYS, D(2026, 10, 8)),  # Oct 1 is a holiday: rolled
        (6, Unit.MONTHS, D(2027, 3, 30)),
    ],
)
def test_compute_deadline_dispatches(
    cal: WorkingCalendar, amount: int, unit: Unit, expected: date
) -> None:
    deadline = compute_deadline(cal, D(2026, 9, 30), amount, unit)
    assert (deadline.date, deadline.unit) == (expected, unit)


def test_compute_deadline_days_without_roll(cal: WorkingCalendar) -> None:
    deadline = compute_deadline(cal, D(2026, 9, 30), 1, Unit.DAYS, roll_forward=False)
    assert deadline.date == D(2026, 10, 1)


@pytest.mark.parametrize("unit", list(Unit))
def test_negative_amounts_raise(cal: WorkingCalendar, unit: Unit) -> None:
    with pytest.raises(ValueError, match="negative"):
        compute_deadline(cal, D(2026, 9, 30), -1, unit)


def test_deadline_to_dict(cal: WorkingCalendar) -> None:
    deadline = add_days(cal, D(2026, 9, 24), 7, roll_forward=True)
    assert deadline.to_dict() == {
        "date": "2026-10-08",
        "provisional": False,
        "unit": "days",
        "amount": 7,
        "start": "2026-09-24",
        "rolled_from": "2026-10-01",
        "citation": "民法典 art. 201; 民法典 art. 203",
    }


DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=200, deadline=None)
@given(d=DAYS, n=st.integers(min_value=0, max_value=400))
def test_property_rolled_day_deadline_is_a_working_day_not_before_raw_end(
    cal: WorkingCalendar, d: date, n: int
) -> None:
    deadline = add_days(cal, d, n, roll_forward=True)
    assert cal.is_working_day(deadline.date)
    assert (deadline.date - d).days >= n


@settings(max_examples=200, deadline=None)
@given(d=DAYS, n=st.integers(min_value=0, max_value=60))
def test_property_months_keep_the_day_or_end_of_month(d: date, n: int) -> None:
    end = add_months(d, n).date
    assert (end.year - d.year) * 12 + end.month - d.month == n
    is_month_end = (end + timedelta(days=1)).day == 1
    assert end.day == d.day or (end.day < d.day and is_month_end)
