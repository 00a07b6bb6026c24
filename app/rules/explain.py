"""期限说明: how a deadline was counted, day by day, with the rule and its citation.

:func:`explain_deadline` repeats the computation of :mod:`app.rules.periods` and says
why each day counts or not: the start day is never counted (民法典 art. 201); a working
day counts because it is a weekday, or a make-up working day (调休上班日) of the
State Council's holiday notice; a weekend or a statutory holiday (with its name) is
skipped (行政许可法 art. 82). Calendar days all count, and a last day that is a rest day
moves to the next working day (民法典 art. 203). Months end on the corresponding day, or
on the last day of a month without one (民法典 art. 202). :func:`summary_zh` renders
the whole in one Chinese line, printed on the notices next to the deadline.

Names are data, as the calendar is: :class:`DayNames` carries the holidays' names, the
holiday each make-up working day belongs to and the notice each year comes from.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.rules.calendar import WorkingCalendar
from app.rules.citations import CIVIL_CODE_201, CIVIL_CODE_202, Citation
from app.rules.periods import Deadline, Unit, compute_deadline

_ONE_DAY = dt.timedelta(days=1)
_SATURDAY = 5
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_UNITS_ZH = {Unit.WORKING_DAYS: "个工作日", Unit.DAYS: "日", Unit.MONTHS: "个月"}
GENERIC_HOLIDAY_ZH = "法定节假日"


@dataclass(frozen=True, slots=True)
class DayNames:
    """What the calendar's dates are called: ``holidays`` day -> name (国庆节),
    ``makeup`` make-up working day -> the holiday it belongs to, ``notices`` year ->
    the notice that year's calendar comes from."""

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    makeup: Mapping[dt.date, str] = field(default_factory=dict)
    notices: Mapping[int, str] = field(default_factory=dict)


class DayKind(StrEnum):
    WEEKDAY = "weekday"  # 工作日 (Monday to Friday): counted
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班日: counted
    WEEKEND = "weekend"  # 休息日: skipped
    HOLIDAY = "holiday"  # 法定节假日: skipped
    CALENDAR_DAY = "calendar_day"  # 日历日: counted whatever it is


@dataclass(frozen=True, slots=True)
class ExplainedDay:
    """One day after the start: counted (as the ``ordinal``-th) or skipped, and why."""

    day: dt.date
    kind: DayKind
    counted: bool
    ordinal: int | None
    reason_zh: str
    holiday: str | None = None
    notice: str | None = None
    provisional: bool = False  # the day's year has no loaded calendar


@dataclass(frozen=True, slots=True)
class MonthArithmetic:
    """民法典 art. 202: ``start`` plus ``months`` lands in ``year``-``month``; its
    corresponding day is ``start.day``, or the month's last day when it has none."""

    months: int
    year: int
    month: int
    corresponding_day: int
    last_day_of_month: int
    end: dt.date

    @property
    def month_end(self) -> bool:
        return self.corresponding_day > self.last_day_of_month


@dataclass(frozen=True, slots=True)
class Explanation:
    deadline: Deadline
    start_note_zh: str
    rule_zh: str
    days: tuple[ExplainedDay, ...] = ()
    roll: tuple[ExplainedDay, ...] = ()
    months: MonthArithmetic | None = None
    missing_years: tuple[int, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.deadline.citation

    @property
    def counted(self) -> tuple[ExplainedDay, ...]:
        return tuple(d for d in self.days if d.counted)

    @property
    def skipped(self) -> tuple[ExplainedDay, ...]:
        return tuple(d for d in self.days if not d.counted)


def day_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def holiday_zh(name: str) -> str:
    """国庆节 -> 国庆节假期; the generic name stands alone."""
    return name if name == GENERIC_HOLIDAY_ZH else f"{name}假期"


def _weekday(day: dt.date) -> str:
    return _WEEKDAYS_ZH[day.weekday()]


def _classify(
    cal: WorkingCalendar, names: DayNames, day: dt.date
) -> tuple[DayKind, str, str | None, str | None]:
    provisional = not cal.covers(day.year)
    if cal.is_working_day(day):
        if day.weekday() < _SATURDAY:
            suffix = "（该年节假日安排未载入，暂按周一至周五计）" if provisional else ""
            return DayKind.WEEKDAY, f"{_weekday(day)}，工作日{suffix}", None, None
        holiday = names.makeup.get(day)
        notice = names.notices.get(day.year)
        reason = f"{_weekday(day)}，{holiday or ''}调休上班日" + (f"（{notice}）" if notice else "")
        return DayKind.MAKEUP_WORKDAY, reason, holiday, notice
    loaded = cal.year(day.year)
    if loaded is not None and day in loaded.holidays:
        name = names.holidays.get(day, GENERIC_HOLIDAY_ZH)
        notice = names.notices.get(day.year)
        reason = f"{_weekday(day)}，{holiday_zh(name)}" + (f"（{notice}）" if notice else "")
        return DayKind.HOLIDAY, reason, name, notice
    return DayKind.WEEKEND, f"{_weekday(day)}，休息日", None, None


def _day(
    cal: WorkingCalendar, names: DayNames, day: dt.date, ordinal: int | None, *, working: bool
) -> ExplainedDay:
    kind, reason, holiday, notice = _classify(cal, names, day)
    counted = ordinal is not None
    if not working:
        kind, reason = DayKind.CALENDAR_DAY, f"{_weekday(day)}，日历日（不论是否工作日）"
    return ExplainedDay(
        day, kind, counted, ordinal, reason, holiday, notice, not cal.covers(day.year)
    )


def _working_days(
    cal: WorkingCalendar, names: DayNames, start: dt.date, end: dt.date
) -> tuple[ExplainedDay, ...]:
    days: list[ExplainedDay] = []
    ordinal = 0
    day = start + _ONE_DAY
    while day <= end:
        if cal.is_working_day(day):
            ordinal += 1
            days.append(_day(cal, names, day, ordinal, working=True))
        else:
            days.append(_day(cal, names, day, None, working=True))
        day += _ONE_DAY
    return tuple(days)


def _month_arithmetic(deadline: Deadline) -> MonthArithmetic:
    index = deadline.start.month - 1 + deadline.amount
    year, month = deadline.start.year + index // 12, index % 12 + 1
    return MonthArithmetic(
        deadline.amount, year, month, deadline.start.day, monthrange(year, month)[1], deadline.date
    )


def explain_deadline(
    cal: WorkingCalendar,
    start: dt.date,
    amount: int,
    unit: Unit,
    *,
    roll_forward: bool = True,
    names: DayNames | None = None,
) -> Explanation:
    """The deadline of :func:`app.rules.periods.compute_deadline`, day by day."""
    names = names or DayNames()
    deadline = compute_deadline(cal, start, amount, unit, roll_forward=roll_forward)
    note = f"起算日{day_zh(start)}不计入，自次日开始计算（{CIVIL_CODE_201.label}）"
    last = deadline.date
    if unit is Unit.MONTHS:
        arithmetic = _month_arithmetic(deadline)
        return Explanation(
            deadline,
            note,
            f"按月计算：到期月的对应日为最后一日，没有对应日的为月末日，不因节假日顺延"
            f"（{CIVIL_CODE_202.label}）",
            months=arithmetic,
        )
    if unit is Unit.WORKING_DAYS:
        days = _working_days(cal, names, start, last)
        rule = "按工作日计算：周六、周日和法定节假日不计，调休上班日计入（行政许可法 art. 82）"
        roll: tuple[ExplainedDay, ...] = ()
    else:
        raw = deadline.rolled_from or last
        days = tuple(
            _day(cal, names, start + dt.timedelta(days=i), i, working=False)
            for i in range(1, amount + 1)
        )
        roll = tuple(
            _day(cal, names, raw + dt.timedelta(days=i), None, working=True)
            for i in range((last - raw).days)
        )
        if deadline.rolled_from is not None:
            roll = (*roll, _day(cal, names, last, amount, working=True))
        rule = "按日计算：每日均计入" + (
            "；最后一日是休息日或法定节假日的，顺延至其后第一个工作日（民法典 art. 203）"
            if roll_forward
            else "，不顺延"
        )
    low = deadline.rolled_from or last if unit is Unit.DAYS else start + _ONE_DAY
    missing = tuple(y for y in range(low.year, last.year + 1) if not cal.covers(y))
    return Explanation(
        deadline,
        note,
        rule,
        days=days,
        roll=roll,
        missing_years=missing if deadline.provisional else (),
    )


def _span(first: dt.date, last: dt.date, year: int) -> str:
    head = f"{first.month}月{first.day}日" if first.year == year else day_zh(first)
    if first == last:
        return head
    if last.year != first.year:
        return f"{head}至{day_zh(last)}"
    if last.month != first.month:
        return f"{head}至{last.month}月{last.day}日"
    return f"{head}至{last.day}日"


def _runs(days: list[ExplainedDay]) -> list[list[ExplainedDay]]:
    """Consecutive days of the same kind and holiday name."""
    runs: list[list[ExplainedDay]] = []
    for d in days:
        if (
            runs
            and runs[-1][-1].day + _ONE_DAY == d.day
            and (runs[-1][-1].kind, runs[-1][-1].holiday) == (d.kind, d.holiday)
        ):
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _notes(explanation: Explanation, year: int) -> list[str]:
    """The days that are not plain: holidays and weekends skipped, make-up days counted."""
    notes: list[str] = []
    weekend = 0
    special = [d for d in explanation.days if d.kind is not DayKind.WEEKDAY]
    for run in _runs(special):
        first, last = run[0].day, run[-1].day
        match run[0].kind:
            case DayKind.HOLIDAY:
                notes.append(f"{_span(first, last, year)}{holiday_zh(run[0].holiday or '')}不计")
            case DayKind.MAKEUP_WORKDAY:
                notes.append(f"{_span(first, last, year)}调休上班计入")
            case DayKind.WEEKEND:
                weekend += len(run)
            case _:
                pass
    if weekend:
        notes.append(f"周末{weekend}日不计")
    return notes


def summary_zh(explanation: Explanation) -> str:
    """One line, e.g. "自2026年9月30日起3个工作日：10月1日至7日国庆节假期不计，
    10月10日调休上班计入，至2026年10月10日"."""
    deadline = explanation.deadline
    start = deadline.start
    head = f"自{day_zh(start)}起{deadline.amount}{_UNITS_ZH[deadline.unit]}"
    notes: list[str] = []
    months = explanation.months
    if months is not None and months.month_end:
        notes.append(
            f"{months.year}年{months.month}月无{months.corresponding_day}日，以月末日为最后一日"
        )
    notes += _notes(explanation, start.year)
    if deadline.rolled_from is not None:
        rolled = deadline.rolled_from
        why = explanation.roll[0].holiday if explanation.roll else None
        notes.append(
            f"{_span(rolled, rolled, start.year)}为{holiday_zh(why) if why else '休息日'}，顺延"
        )
    line = head + ("：" + "，".join(notes) + "，" if notes else "，") + f"至{day_zh(deadline.date)}"
    if explanation.missing_years:
        years = "、".join(f"{y}年" for y in explanation.missing_years)
        line += f"（暂定：{years}节假日安排尚未载入，暂按周六、周日休息计算）"
    return line
