"""监督考核统计 (LZ §6(2), §6(3); DZ art. 4, art. 16 ¶2): figures per department and
period from the stored history and stored dates, placed on their day in the legal time
zone; the arithmetic is in app.statistics.arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.service import load_working_calendar
from app.core.context import Context
from app.documents.schemas import DocumentKind
from app.documents.verification import Issue, issue_pdf
from app.rules.calendar import WorkingCalendar
from app.statistics.arithmetic import (
    handling_days,
    is_late,
    local_day,
    median,
    share,
    step_day,
    tally,
)
from app.statistics.errors import StatisticsDepartmentUnknown, StatisticsPeriodInvalid
from app.statistics.report import render_report
from app.statistics.repository import Period, StatisticsRepository
from app.statistics.schemas import (
    MEASURE_ZH,
    CommitmentFigures,
    CreditCheckFigures,
    DepartmentStatistics,
    ListingFigures,
    Measure,
    StatisticsRead,
    Timeliness,
    VerificationFigures,
)

MAX_PERIOD_DAYS = 366
# The states a commitment's history enters that are its outcome (tolerance ``completed``
# and notify-commit ``fulfilled`` both are a fulfilled commitment).
OUTCOMES = {
    "completed": "fulfilled",
    "fulfilled": "fulfilled",
    "terminated": "terminated",
    "revoked": "revoked",
    "withdrawn": "withdrawn",
}
UNSPECIFIED = "unspecified"


def withdrawal_category(details: dict[str, Any]) -> str:
    """Why an applicant withdrew (DZ art. 10 "有合理理由"): the category the withdrawal
    step's details carry as ``reason_category``, ``unspecified`` when none was recorded."""
    category = details.get("reason_category")
    return category if isinstance(category, str) and category else UNSPECIFIED


def stored_due(deadlines: dict[str, Any], rule: str) -> date | None:
    """A stored deadline's day (``deadlines[rule]["date"]``), when the case has one."""
    entry = deadlines.get(rule)
    if not isinstance(entry, dict) or not entry.get("date"):
        return None
    return date.fromisoformat(str(entry["date"]))


@dataclass
class _Clock:
    """The steps of one measure: lateness and handling time of each."""

    late: list[bool] = field(default_factory=list)
    days: list[int] = field(default_factory=list)

    def add(self, calendar: WorkingCalendar, started: date | None, done: date, due: date) -> None:
        self.late.append(is_late(done, due))
        if started is not None:
            self.days.append(handling_days(calendar, started, done))

    def read(self, measure: Measure) -> Timeliness:
        late = sum(self.late)
        return Timeliness(
            measure=measure,
            label=MEASURE_ZH[measure],
            due=len(self.late),
            late=late,
            late_share=share(late, len(self.late)),
            median_working_days=median(self.days),
        )


@dataclass
class _Department:
    checks: CreditCheckFigures = field(default_factory=CreditCheckFigures)
    reasons: list[str] = field(default_factory=list)
    facilitations: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    withdrawals: list[str] = field(default_factory=list)
    verifications: dict[str, VerificationFigures] = field(default_factory=dict)
    states: list[str] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)
    clocks: dict[Measure, _Clock] = field(
        default_factory=lambda: {measure: _Clock() for measure in Measure}
    )


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def check_period(start: date, end: date) -> Period:
    if not FIRST_DAY <= start <= LAST_DAY or not FIRST_DAY <= end <= LAST_DAY:
        raise StatisticsPeriodInvalid(
            "The period lies outside the years 2000 to 2100.", "from", "a day from 2000 to 2100"
        )
    if end < start:
        raise StatisticsPeriodInvalid("The period ends before it starts.", "to", "on or after from")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise StatisticsPeriodInvalid(
            "The period is longer than a year.", "to", f"within {MAX_PERIOD_DAYS} days of from"
        )
    return Period(start, end)


async def department_statistics(
    session: AsyncSession, zone: ZoneInfo, period: Period, department: str | None
) -> StatisticsRead:
    """The figures of every department (or the one named) over ``period``."""
    repo = StatisticsRepository(session)
    calendar = await load_working_calendar(session)
    known = await repo.list_departments(department)
    figures: dict[str, _Department] = defaultdict(_Department)

    for dep, mode, result, reasons, _ in await repo.list_credit_checks(period, department):
        if dep is None:
            continue
        entry = figures[dep]
        if result == "pass":
            entry.checks.passed += 1
            if mode == "green_channel":
                entry.facilitations.append(mode)
        elif result == "fail":
            entry.checks.failed += 1
            entry.reasons.extend(str(r.get("code")) for r in reasons or [])
        else:
            entry.checks.not_performed += 1

    for dep, mode, created_at in await repo.list_commitments_opened(period, department):
        if period.start <= local_day(created_at, zone) <= period.end:
            figures[dep].facilitations.append(mode)

    for step in await repo.list_commitment_steps(period, department):
        day = step_day(step.details, step.occurred_at, zone)
        if not period.start <= day <= period.end:
            continue
        entry = figures[step.department]
        outcome = OUTCOMES.get(step.to_status)
        if outcome is not None and step.from_status != step.to_status:
            entry.outcomes.append(outcome)
            if outcome == "withdrawn":
                entry.withdrawals.append(withdrawal_category(step.details))
        if step.event == "decide":
            due = stored_due(step.deadlines, "decision_due")
            if due is not None:
                signed = local_day(step.signed_at, zone)
                entry.clocks[Measure.decisions].add(calendar, signed, day, due)

    for dep, method, fulfilled, checked_at in await repo.list_verifications(period, department):
        if not period.start <= local_day(checked_at, zone) <= period.end:
            continue
        tallied = figures[dep].verifications.setdefault(method, VerificationFigures())
        if fulfilled:
            tallied.conforming += 1
        else:
            tallied.nonconforming += 1

    _listings(figures, await repo.list_listing_steps_until(period, department), zone, period)

    for dep, verified_on, issued_on, deadlines in await repo.list_notices(period, department):
        due = stored_due(deadlines or {}, "notice_due")
        if due is not None:
            figures[dep].clocks[Measure.notices].add(calendar, verified_on, issued_on, due)
    timed = (
        (Measure.reviews, repo.list_reviews),
        (Measure.corrections, repo.list_corrections),
        (Measure.lifting_decisions, repo.list_lifting_decisions),
    )
    for measure, rows in timed:
        for dep, started, done, due in await rows(period, department):
            figures[dep].clocks[measure].add(calendar, started, done, due)

    return StatisticsRead(
        starts_on=period.start,
        ends_on=period.end,
        time_zone=zone.key,
        departments=[_read(d.code, d.name, figures.get(d.code, _Department())) for d in known],
    )


def _listings(
    figures: dict[str, _Department], steps: Iterable[Any], zone: ZoneInfo, period: Period
) -> None:
    """Each listing's state at the period's end: the last history row on or before it."""
    last: dict[Any, Any] = {}
    for step in steps:
        if step_day(step.details, step.occurred_at, zone) <= period.end:
            last[step.restriction_id] = step
    for step in last.values():
        figures[step.department].states.append(step.to_status)
        figures[step.department].situations.append(step.situation)


def _read(code: str, name: str, entry: _Department) -> DepartmentStatistics:
    entry.checks.failed_by_reason = tally(entry.reasons)
    outcomes = tally(entry.outcomes)
    return DepartmentStatistics(
        department=code,
        name=name,
        credit_checks=entry.checks,
        facilitations=tally(entry.facilitations),
        commitments=CommitmentFigures(
            fulfilled=outcomes.get("fulfilled", 0),
            terminated=outcomes.get("terminated", 0),
            revoked=outcomes.get("revoked", 0),
            withdrawn=outcomes.get("withdrawn", 0),
            withdrawal_reasons=tally(entry.withdrawals),
        ),
        verifications=dict(sorted(entry.verifications.items())),
        listings=ListingFigures(by_state=tally(entry.states), by_situation=tally(entry.situations)),
        timeliness=[entry.clocks[measure].read(measure) for measure in Measure],
    )


async def annual_report(session: AsyncSession, ctx: Context, department: str, year: int) -> bytes:
    """年度考核报告: the department's figures from 1 January to 31 December of ``year``,
    with its verification code (app.documents.verification)."""
    settings = ctx.settings
    period = check_period(date(year, 1, 1), date(year, 12, 31))
    statistics = await department_statistics(session, settings.tz, period, department)
    if not statistics.departments:
        raise StatisticsDepartmentUnknown(f"No department {department!r}.")
    figures = statistics.departments[0]
    issue = Issue(
        DocumentKind.STATISTICS_REPORT,
        f"{department}:{year}",
        f"{department}-{year}",
        department,
        figures.name,
        f"{figures.name} {year}年度信用信息应用考核报告",
        statistics.model_dump_json(),
    )
    return await issue_pdf(
        session,
        ctx,
        issue,
        lambda verification: render_report(statistics, year, settings.report_font, verification),
    )
