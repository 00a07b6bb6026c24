"""Seed the calendar from the `chinese-calendar` package for every year it knows."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from functools import lru_cache
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


# The package names its holidays in English; the notices name them so.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@lru_cache(maxsize=1)
def package_day_names() -> tuple[dict[date, str], dict[date, str]]:
    """Each holiday's name and the holiday each make-up working day belongs to, in
    Chinese, as the package knows them."""
    from chinese_calendar import constants

    def zh(table: dict[date, str]) -> dict[date, str]:
        return {day: HOLIDAY_NAMES_ZH.get(str(name), str(name)) for day, name in table.items()}

    return zh(constants.holidays), zh(constants.workdays)


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
