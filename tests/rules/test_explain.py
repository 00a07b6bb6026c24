"""期限说明: hand-computed explanations across the 2026 holidays (tests/rules/conftest.py
lists the calendar). Each case names every day counted and every day skipped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.rules.calendar import WorkingCalendar
from app.rules.explain import DayKind, DayNames, Explanation, explain_deadline, summary_zh
from app.rules.periods import Unit
from tests.rules.conftest import HOLIDAYS_2026, MAKEUP_2026, days

NOTICE = "国务院办公厅关于2026年部分节假日安排的通知"


def _name(day: date) -> str:
    return {
        1: "元旦",
        2: "春节",
        4: "清明节",
        5: "劳动节",
        6: "端午节",
        9: "中秋节",
        10: "国庆节",
    }[day.month]


NAMES = DayNames(
    holidays={d: _name(d) for d in HOLIDAYS_2026},
    makeup={
        date(2026, 1, 4): "元旦",
        date(2026, 2, 14): "春节",
        date(2026, 2, 28): "春节",
        date(2026, 5, 9): "劳动节",
        date(2026, 9, 20): "国庆节",
        date(2026, 10, 10): "国庆节",
    },
    notices={2026: NOTICE},
)
assert set(NAMES.makeup) == MAKEUP_2026


def D(m: int, d: int, y: int = 2026) -> date:  # noqa: N802 - reads like a date literal
    return date(y, m, d)


def _explain(cal: WorkingCalendar, start: date, amount: int, unit: Unit) -> Explanation:
    return explain_deadline(cal, start, amount, unit, names=NAMES)


def _kinds(explanation: Explanation) -> list[tuple[date, DayKind, int | None]]:
    return [(d.day, d.kind, d.ordinal) for d in explanation.days]


W, M, E, H = DayKind.WEEKDAY, DayKind.MAKEUP_WORKDAY, DayKind.WEEKEND, DayKind.HOLIDAY


@pytest.mark.parametrize(
    ("start", "amount", "expected_days", "deadline", "line"),
    [
        # National Day (the example): Oct 1-7 off, Thu 8 (1), Fri 9 (2), make-up Sat 10 (3).
        (
            D(9, 30),
            3,
            [(D(10, d), H, None) for d in range(1, 8)]
            + [(D(10, 8), W, 1), (D(10, 9), W, 2), (D(10, 10), M, 3)],
            D(10, 10),
            "自2026年9月30日起3个工作日：10月1日至7日国庆节假期不计，10月10日调休上班计入，"
            "至2026年10月10日",
        ),
        # Spring Festival: Fri 13 (1), make-up Sat 14 (2), 15-23 off, Tue 24 (3).
        (
            D(2, 12),
            3,
            [(D(2, 13), W, 1), (D(2, 14), M, 2)]
            + [(D(2, d), H, None) for d in range(15, 24)]
            + [(D(2, 24), W, 3)],
            D(2, 24),
            "自2026年2月12日起3个工作日：2月14日调休上班计入，2月15日至23日春节假期不计，"
            "至2026年2月24日",
        ),
        # Qingming: Fri Apr 3 (1), Sat 4 - Mon 6 off, Tue 7 (2).
        (
            D(4, 2),
            2,
            [(D(4, 3), W, 1), *((D(4, d), H, None) for d in range(4, 7)), (D(4, 7), W, 2)],
            D(4, 7),
            "自2026年4月2日起2个工作日：4月4日至6日清明节假期不计，至2026年4月7日",
        ),
        # Labour Day: May 1-5 off, Wed 6 (1), Thu 7 (2), Fri 8 (3), make-up Sat 9 (4).
        (
            D(4, 30),
            4,
            [(D(5, d), H, None) for d in range(1, 6)]
            + [(D(5, 6), W, 1), (D(5, 7), W, 2), (D(5, 8), W, 3), (D(5, 9), M, 4)],
            D(5, 9),
            "自2026年4月30日起4个工作日：5月1日至5日劳动节假期不计，5月9日调休上班计入，"
            "至2026年5月9日",
        ),
        # Dragon Boat: Thu Jun 18 (1), Fri 19 - Sun 21 off, Mon 22 (2), Tue 23 (3).
        (
            D(6, 17),
            3,
            [(D(6, 18), W, 1)]
            + [(D(6, d), H, None) for d in range(19, 22)]
            + [(D(6, 22), W, 2), (D(6, 23), W, 3)],
            D(6, 23),
            "自2026年6月17日起3个工作日：6月19日至21日端午节假期不计，至2026年6月23日",
        ),
        # Mid-Autumn and National Day: Sat Sep 19 off, make-up Sun 20 (1), Mon 21 - Thu 24
        # (2-5), 25-27 off, Mon 28 - Wed 30 (6-8), Oct 1-7 off, Thu 8 (9), Fri 9 (10).
        (
            D(9, 18),
            10,
            [(D(9, 19), E, None), (D(9, 20), M, 1)]
            + [(D(9, 21 + i), W, 2 + i) for i in range(4)]
            + [(D(9, d), H, None) for d in range(25, 28)]
            + [(D(9, 28 + i), W, 6 + i) for i in range(3)]
            + [(D(10, d), H, None) for d in range(1, 8)]
            + [(D(10, 8), W, 9), (D(10, 9), W, 10)],
            D(10, 9),
            "自2026年9月18日起10个工作日：9月20日调休上班计入，9月25日至27日中秋节假期不计，"
            "10月1日至7日国庆节假期不计，周末1日不计，至2026年10月9日",
        ),
        # New Year: Jan 1-3 off, make-up Sun Jan 4 (1), Mon 5 (2).
        (
            D(12, 31, 2025),
            2,
            [(D(1, d), H, None) for d in range(1, 4)] + [(D(1, 4), M, 1), (D(1, 5), W, 2)],
            D(1, 5),
            "自2025年12月31日起2个工作日：2026年1月1日至3日元旦假期不计，"
            "2026年1月4日调休上班计入，至2026年1月5日",
        ),
    ],
)
def test_working_days_across_the_2026_holidays(
    cal: WorkingCalendar,
    start: date,
    amount: int,
    expected_days: list[tuple[date, DayKind, int | None]],
    deadline: date,
    line: str,
) -> None:
    explanation = _explain(cal, start, amount, Unit.WORKING_DAYS)
    assert _kinds(explanation) == expected_days
    assert explanation.deadline.date == deadline
    assert [d.day for d in explanation.counted][-1] == deadline
    assert summary_zh(explanation) == line
    assert explanation.missing_years == ()


def test_reasons_name_the_holiday_and_the_notice(cal: WorkingCalendar) -> None:
    explanation = _explain(cal, D(9, 30), 3, Unit.WORKING_DAYS)
    first, *_, makeup = explanation.days
    assert first.reason_zh == f"星期四，国庆节假期（{NOTICE}）"
    assert (first.holiday, first.notice, first.counted) == ("国庆节", NOTICE, False)
    assert makeup.reason_zh == f"星期六，国庆节调休上班日（{NOTICE}）"
    assert (makeup.holiday, makeup.notice, makeup.counted) == ("国庆节", NOTICE, True)
    assert (
        explanation.start_note_zh == "起算日2026年9月30日不计入，自次日开始计算（民法典 art. 201）"
    )
    assert [c.label for c in explanation.citations] == ["民法典 art. 201", "行政许可法 art. 82"]


def test_a_weekend_is_skipped_as_such(cal: WorkingCalendar) -> None:
    # Fri Mar 6 + 1: Sat 7 and Sun 8 skipped, Mon 9 counted.
    explanation = _explain(cal, D(3, 6), 1, Unit.WORKING_DAYS)
    assert _kinds(explanation) == [(D(3, 7), E, None), (D(3, 8), E, None), (D(3, 9), W, 1)]
    assert [d.reason_zh for d in explanation.days] == [
        "星期六，休息日",
        "星期日，休息日",
        "星期一，工作日",
    ]
    assert summary_zh(explanation) == "自2026年3月6日起1个工作日：周末2日不计，至2026年3月9日"


@pytest.mark.parametrize(
    ("start", "months", "end", "month_end", "line"),
    [
        (
            D(1, 31),
            1,
            D(2, 28),
            True,
            "自2026年1月31日起1个月：2026年2月无31日，以月末日为最后一日，至2026年2月28日",
        ),
        (
            D(3, 31),
            1,
            D(4, 30),
            True,
            "自2026年3月31日起1个月：2026年4月无31日，以月末日为最后一日，至2026年4月30日",
        ),
        (
            D(8, 31),
            6,
            D(2, 28, 2027),
            True,
            "自2026年8月31日起6个月：2027年2月无31日，以月末日为最后一日，至2027年2月28日",
        ),
        # The corresponding day, a Spring Festival holiday, is not rolled (art. 202 alone).
        (D(1, 16), 1, D(2, 16), False, "自2026年1月16日起1个月，至2026年2月16日"),
    ],
)
def test_months_end_on_the_corresponding_day_or_the_last_of_the_month(
    cal: WorkingCalendar, start: date, months: int, end: date, month_end: bool, line: str
) -> None:
    explanation = _explain(cal, start, months, Unit.MONTHS)
    arithmetic = explanation.months
    assert arithmetic is not None
    assert (arithmetic.year, arithmetic.month) == (end.year, end.month)
    assert arithmetic.corresponding_day == start.day
    assert arithmetic.month_end is month_end
    assert arithmetic.end == end == explanation.deadline.date
    assert explanation.days == ()
    assert "民法典 art. 202" in explanation.rule_zh
    assert summary_zh(explanation) == line


def test_calendar_days_roll_over_national_day(cal: WorkingCalendar) -> None:
    # Sep 21 + 10 days = Thu Oct 1, a holiday: rolled to Thu Oct 8 (art. 203).
    explanation = _explain(cal, D(9, 21), 10, Unit.DAYS)
    assert [d.day for d in explanation.days] == [D(9, 22) + timedelta(days=i) for i in range(10)]
    assert all(d.kind is DayKind.CALENDAR_DAY and d.counted for d in explanation.days)
    assert [(d.day, d.kind, d.counted) for d in explanation.roll] == [
        *((D(10, d), H, False) for d in range(1, 8)),
        (D(10, 8), W, True),
    ]
    assert explanation.deadline.rolled_from == D(10, 1)
    assert (
        summary_zh(explanation)
        == "自2026年9月21日起10日：10月1日为国庆节假期，顺延，至2026年10月8日"
    )


def test_a_provisional_deadline_names_the_missing_year(cal: WorkingCalendar) -> None:
    # 2027 not loaded: Thu Dec 31 (1), Fri 2027-01-01 (2, weekday by default), Jan 2-3
    # weekend, Mon Jan 4 (3).
    explanation = _explain(cal, D(12, 30), 3, Unit.WORKING_DAYS)
    assert _kinds(explanation) == [
        (D(12, 31), W, 1),
        (D(1, 1, 2027), W, 2),
        (D(1, 2, 2027), E, None),
        (D(1, 3, 2027), E, None),
        (D(1, 4, 2027), W, 3),
    ]
    assert explanation.deadline.provisional
    assert explanation.missing_years == (2027,)
    assert [d.provisional for d in explanation.days] == [False, True, True, True, True]
    assert summary_zh(explanation) == (
        "自2026年12月30日起3个工作日：周末2日不计，至2027年1月4日"
        "（暂定：2027年节假日安排尚未载入，暂按周六、周日休息计算）"
    )


def test_the_counted_days_are_the_deadline_computation(cal: WorkingCalendar) -> None:
    """Every start of 2026 and 1-12 working days: n days counted, the n-th the deadline,
    no day between start and deadline left out."""
    for offset in range(365):
        start = D(1, 1) + timedelta(days=offset)
        for n in range(1, 13):
            explanation = _explain(cal, start, n, Unit.WORKING_DAYS)
            counted = explanation.counted
            assert len(counted) == n
            assert counted[-1].day == explanation.deadline.date
            assert [d.day for d in explanation.days] == sorted(
                days(start + timedelta(days=1), explanation.deadline.date)
            )
