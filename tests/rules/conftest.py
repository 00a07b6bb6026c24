"""Calendars for the rule tests, built by hand from the State Council notices.

2026 (国务院办公厅关于2026年部分节假日安排的通知, as in the chinese-calendar package):
holidays 01-01..03, 02-15..23, 04-04..06, 05-01..05, 06-19..21, 09-25..27, 10-01..07;
make-up working days 01-04 (Sun), 02-14 (Sat), 02-28 (Sat), 05-09 (Sat), 09-20 (Sun),
10-10 (Sat).

2027 is not published yet; ``year_2027`` is an illustrative calendar with only
New Year's Day (Friday 2027-01-01) off, used to show that loading a year turns
provisional deadlines into exact ones.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.rules.calendar import WorkingCalendar, YearCalendar


def days(first: date, last: date) -> frozenset[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


HOLIDAYS_2026 = (
    days(date(2026, 1, 1), date(2026, 1, 3))
    | days(date(2026, 2, 15), date(2026, 2, 23))
    | days(date(2026, 4, 4), date(2026, 4, 6))
    | days(date(2026, 5, 1), date(2026, 5, 5))
    | days(date(2026, 6, 19), date(2026, 6, 21))
    | days(date(2026, 9, 25), date(2026, 9, 27))
    | days(date(2026, 10, 1), date(2026, 10, 7))
)
MAKEUP_2026 = frozenset(
    {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
)


@pytest.fixture(scope="session")
def year_2026() -> YearCalendar:
    return YearCalendar(2026, HOLIDAYS_2026, MAKEUP_2026)


@pytest.fixture(scope="session")
def year_2027() -> YearCalendar:
    return YearCalendar(2027, frozenset({date(2027, 1, 1)}), frozenset())


@pytest.fixture(scope="session")
def cal(year_2026: YearCalendar) -> WorkingCalendar:
    """2026 loaded, every other year weekends-only (provisional)."""
    return WorkingCalendar([year_2026])


@pytest.fixture(scope="session")
def cal_with_2027(cal: WorkingCalendar, year_2027: YearCalendar) -> WorkingCalendar:
    return cal.with_year(year_2027)
