from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.models import CalendarYear


class CalendarRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, year: int) -> CalendarYear | None:
        return await self.session.get(CalendarYear, year)

    async def list_all(self) -> Sequence[CalendarYear]:
        return (await self.session.scalars(select(CalendarYear).order_by(CalendarYear.year))).all()

    async def loaded_years(self) -> list[int]:
        return list((await self.session.scalars(select(CalendarYear.year))).all())

    def add(self, row: CalendarYear) -> None:
        self.session.add(row)
