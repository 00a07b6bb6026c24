"""期限说明 in the API: the rule module's explanation (app.rules.explain) as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app.rules.explain import DayKind, ExplainedDay, Explanation, summary_zh

EXPLANATION_EXAMPLE: dict[str, Any] = {
    "start": "2026-09-30",
    "start_not_counted": "起算日2026年9月30日不计入，自次日开始计算（民法典 art. 201）",
    "rule": "按工作日计算：周六、周日和法定节假日不计，调休上班日计入（行政许可法 art. 82）",
    "citations": [
        {
            "label": "民法典 art. 201",
            "text_zh": "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。",
        },
        {
            "label": "行政许可法 art. 82",
            "text_zh": "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日。",
        },
    ],
    "days": [
        {
            "day": "2026-10-01",
            "kind": "holiday",
            "counted": False,
            "ordinal": None,
            "reason": "星期四，国庆节假期（国务院办公厅关于2026年部分节假日安排的通知）",
            "holiday": "国庆节",
            "notice": "国务院办公厅关于2026年部分节假日安排的通知",
            "provisional": False,
        },
        {
            "day": "2026-10-08",
            "kind": "weekday",
            "counted": True,
            "ordinal": 1,
            "reason": "星期四，工作日",
            "holiday": None,
            "notice": None,
            "provisional": False,
        },
        {
            "day": "2026-10-10",
            "kind": "makeup_workday",
            "counted": True,
            "ordinal": 3,
            "reason": "星期六，国庆节调休上班日（国务院办公厅关于2026年部分节假日安排的通知）",
            "holiday": "国庆节",
            "notice": "国务院办公厅关于2026年部分节假日安排的通知",
            "provisional": False,
        },
    ],
    "roll": [],
    "months": None,
    "deadline": "2026-10-10",
    "rolled_from": None,
    "provisional": False,
    "missing_years": [],
    "summary": (
        "自2026年9月30日起3个工作日：10月1日至7日国庆节假期不计，10月10日调休上班计入，"
        "至2026年10月10日"
    ),
}


ExplainQuery = Annotated[
    bool,
    Query(
        description="期限说明: each stored deadline with `explanation`, its computation day "
        "by day on the calendar loaded now."
    ),
]


class CitationText(BaseModel):
    label: str
    text_zh: str


class ExplainedDayRead(BaseModel):
    """One day after the start day, counted or skipped, and why."""

    day: date
    kind: DayKind = Field(
        description="`weekday` and `makeup_workday` (调休上班日) count as working days; "
        "`weekend` and `holiday` are skipped; `calendar_day` counts in a period of days."
    )
    counted: bool
    ordinal: int | None = Field(description="The n-th day counted; null when skipped.")
    reason: str = Field(description="Why, in Chinese: weekday, holiday with its name, ...")
    holiday: str | None = Field(
        description="The holiday's name, or the holiday a make-up working day belongs to."
    )
    notice: str | None = Field(description="The holiday notice the year's calendar comes from.")
    provisional: bool = Field(description="The day's year has no loaded calendar.")


class MonthArithmeticRead(BaseModel):
    """民法典 art. 202: the corresponding day of the month reached, or its last day."""

    months: int
    year: int
    month: int
    corresponding_day: int
    last_day_of_month: int
    month_end: bool = Field(description="The month has no corresponding day: its last day.")
    end: date


class DeadlineExplanation(BaseModel):
    """期限说明: the computation of one deadline, day by day, with rule and citations."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXPLANATION_EXAMPLE]})

    start: date
    start_not_counted: str = Field(description="Why the start day is not counted (art. 201).")
    rule: str
    citations: list[CitationText]
    days: list[ExplainedDayRead] = Field(
        description="Every day from the day after the start to the last day, in order "
        "(working and calendar days; empty for months)."
    )
    roll: list[ExplainedDayRead] = Field(
        description="For days: the rest days the last day moved over (民法典 art. 203), "
        "then the day it moved to."
    )
    months: MonthArithmeticRead | None
    deadline: date
    rolled_from: date | None
    provisional: bool
    missing_years: list[int] = Field(
        description="Years whose holiday calendar is not loaded: the reason it is provisional."
    )
    summary: str = Field(description="One line in Chinese, as printed on the notices.")


def _day(d: ExplainedDay) -> ExplainedDayRead:
    return ExplainedDayRead(
        day=d.day,
        kind=d.kind,
        counted=d.counted,
        ordinal=d.ordinal,
        reason=d.reason_zh,
        holiday=d.holiday,
        notice=d.notice,
        provisional=d.provisional,
    )


def explanation_read(explanation: Explanation) -> DeadlineExplanation:
    deadline = explanation.deadline
    months = explanation.months
    return DeadlineExplanation(
        start=deadline.start,
        start_not_counted=explanation.start_note_zh,
        rule=explanation.rule_zh,
        citations=[CitationText(label=c.label, text_zh=c.text_zh) for c in explanation.citations],
        days=[_day(d) for d in explanation.days],
        roll=[_day(d) for d in explanation.roll],
        months=None
        if months is None
        else MonthArithmeticRead(
            months=months.months,
            year=months.year,
            month=months.month,
            corresponding_day=months.corresponding_day,
            last_day_of_month=months.last_day_of_month,
            month_end=months.month_end,
            end=months.end,
        ),
        deadline=deadline.date,
        rolled_from=deadline.rolled_from,
        provisional=deadline.provisional,
        missing_years=list(explanation.missing_years),
        summary=summary_zh(explanation),
    )
