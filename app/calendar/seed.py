"""Seed the calendar from the `chinese-calendar` package for every year it knows."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from importlib.metadata import version

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.calendar.models import CalendarYear
from app.calendar.repository import CalendarRepository
from app.core.db import utcnow
from app.web.auth import Principal

logger = logging.getLogger("app.calendar")

SEED_ACTOR = "system:calendar-seed"
SEED_PRINCIPAL = Principal(sub=SEED_ACTOR, roles=frozenset(), department=None)


def package_years() -> dict[int, tuple[list[date], list[date]]]:
    """Holidays and make-up working days per year, as the package publishes them."""
    from chinese_calendar import constants

    holidays: dict[int, list[date]] = defaultdict(list)
    workdays: dict[int, list[date]] = defaultdict(list)
    for day in constants.holidays:
        holidays[day.year].append(day)
    for day in constants.workdays:
        workdays[day.year].append(day)
    return {
        year: (sorted(holidays[year]), sorted(workdays.get(year, []))) for year in sorted(holidays)
    }


def package_source() -> str:
    return f"chinese-calendar {version('chinesecalendar')}"


async def seed_missing_years(sessionmaker: async_sessionmaker[AsyncSession]) -> list[int]:
    """Insert each package year not yet in the database; never overwrite a loaded year."""
    async with sessionmaker() as session:
        calendar = CalendarRepository(session)
        present = set(await calendar.loaded_years())
        added: list[int] = []
        source = package_source()
        for year, (holidays, workdays) in package_years().items():
            if year in present:
                continue
            calendar.add(
                CalendarYear(
                    year=year,
                    holidays=[d.isoformat() for d in holidays],
                    makeup_workdays=[d.isoformat() for d in workdays],
                    source=source,
                    updated_at=utcnow(),
                    updated_by=SEED_ACTOR,
                )
            )
            added.append(year)
        if not added:
            return []
        await record(
            session,
            SEED_PRINCIPAL,
            action="calendar.seed",
            target_type="calendar_year",
            target_id=f"{added[0]}-{added[-1]}",
            purpose="load the working-day calendar at start",
            details={"source": source, "years": added},
        )
        try:
            await session.commit()
        except IntegrityError:
            # Another process seeded at the same moment; its rows are the same data.
            await session.rollback()
            return []
    logger.info("calendar seeded", extra={"years": added})
    return added
