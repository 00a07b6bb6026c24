"""Calendar orchestration: rows <-> rule-module calendar, admin loads, deadlines."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.explain import load_explainer
from app.calendar.hooks import recompute_provisional
from app.calendar.models import CalendarYear
from app.calendar.repository import CalendarRepository
from app.calendar.schemas import CalendarYearRead, CalendarYearWrite, DeadlineRead
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.db import utcnow
from app.core.errors import FieldError, UnprocessableEntity
from app.rules.calendar import WorkingCalendar, YearCalendar, validate_year_calendar
from app.rules.periods import Unit, compute_deadline

WEEKENDS_ONLY = "weekends_only"


def _to_year_calendar(row: CalendarYear) -> YearCalendar:
    return YearCalendar(
        year=row.year,
        holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
        makeup_workdays=frozenset(date.fromisoformat(d) for d in row.makeup_workdays),
    )


async def load_working_calendar(session: AsyncSession) -> WorkingCalendar:
    rows = await CalendarRepository(session).list_all()
    return WorkingCalendar(_to_year_calendar(row) for row in rows)


def _read(row: CalendarYear) -> CalendarYearRead:
    return CalendarYearRead(
        year=row.year,
        holidays=sorted(date.fromisoformat(d) for d in row.holidays),
        makeup_workdays=sorted(date.fromisoformat(d) for d in row.makeup_workdays),
        source=row.source,
        provisional=False,
        version=row.version,
        updated_at=row.updated_at,
    )


async def get_year(session: AsyncSession, year: int) -> CalendarYearRead:
    row = await CalendarRepository(session).get(year)
    if row is None:
        return CalendarYearRead(
            year=year, holidays=[], makeup_workdays=[], source=WEEKENDS_ONLY, provisional=True
        )
    return _read(row)


async def load_year(
    session: AsyncSession,
    ctx: Context,
    year: int,
    data: CalendarYearWrite,
    if_match: str | None,
) -> tuple[CalendarYearRead, bool]:
    """Create or replace a year's calendar; returns the year and whether it was created.

    Every domain's provisional deadlines are then counted again on the loaded calendar,
    through the hooks the domains registered (``app.calendar.hooks``)."""
    principal = ctx.principal
    problems = validate_year_calendar(year, set(data.holidays), set(data.makeup_workdays))
    if problems:
        raise UnprocessableEntity(
            f"The calendar for {year} is not valid.",
            code="calendar_invalid",
            errors=[
                FieldError(
                    field="body.makeup_workdays"
                    if p.day in data.makeup_workdays
                    else "body.holidays",
                    message=p.message,
                    code=p.code.value,
                )
                for p in problems
            ],
        )
    repository = CalendarRepository(session)
    row = await repository.get(year)
    before = _read(row).model_dump(mode="json") if row is not None else None
    check_version(row.version if row is not None else None, if_match, f"The calendar for {year}")
    holidays = sorted({d.isoformat() for d in data.holidays})
    workdays = sorted({d.isoformat() for d in data.makeup_workdays})
    created = row is None
    if row is None:
        row = CalendarYear(year=year, version=1)
        repository.add(row)
    row.holidays = holidays
    row.makeup_workdays = workdays
    row.source = data.source
    row.updated_at = utcnow()
    row.updated_by = principal.sub
    await session.flush()
    after = _read(row)
    recomputed = await recompute_provisional(session, ctx, await load_working_calendar(session))
    await record(
        session,
        principal,
        action="calendar.load",
        target_type="calendar_year",
        target_id=str(year),
        purpose="load the working-day calendar",
        details={
            "before": before,
            "after": after.model_dump(mode="json"),
            "recomputed": recomputed,
        },
    )
    return after, created


async def deadline(
    session: AsyncSession,
    start: date,
    amount: int,
    unit: Unit,
    *,
    roll_forward: bool,
    explain: bool = False,
) -> DeadlineRead:
    """The deadline; with ``explain`` its computation day by day (app.rules.explain)."""
    explainer = await load_explainer(session)
    result = compute_deadline(explainer.calendar, start, amount, unit, roll_forward=roll_forward)
    return DeadlineRead(
        start=start,
        amount=amount,
        unit=unit,
        deadline=result.date,
        provisional=result.provisional,
        citation=result.citation_label,
        explanation=explainer.read(start, amount, unit, roll_forward=roll_forward)
        if explain
        else None,
    )
