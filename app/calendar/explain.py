"""Explaining deadlines on the loaded calendar: its years, their names and notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.explain_schemas import DeadlineExplanation, explanation_read
from app.calendar.models import CalendarYear
from app.calendar.repository import CalendarRepository
from app.calendar.seed import package_day_names, package_source
from app.lifecycle.deadlines import StoredDeadline
from app.rules.calendar import WorkingCalendar, YearCalendar
from app.rules.explain import (
    GENERIC_HOLIDAY_ZH,
    DayNames,
    Explanation,
    explain_deadline,
    summary_zh,
)
from app.rules.periods import Unit


def notice_of(year: int, source: str) -> str:
    """The notice a year's calendar comes from: as loaded, or for a year seeded from the
    package the State Council's yearly notice it transcribes."""
    if source.startswith(package_source().split(" ")[0]):
        return f"国务院办公厅关于{year}年部分节假日安排的通知"
    return source


def day_names(rows: list[CalendarYear]) -> DayNames:
    """Holiday names where the package names the same day a holiday; otherwise 法定节假日."""
    holiday_names, makeup_names = package_day_names()
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    for row in rows:
        for text in row.holidays:
            day = date.fromisoformat(text)
            holidays[day] = holiday_names.get(day, GENERIC_HOLIDAY_ZH)
        for text in row.makeup_workdays:
            day = date.fromisoformat(text)
            if day in makeup_names:
                makeup[day] = makeup_names[day]
    return DayNames(
        holidays=holidays,
        makeup=makeup,
        notices={row.year: notice_of(row.year, row.source) for row in rows},
    )


@dataclass(frozen=True, slots=True)
class Explainer:
    calendar: WorkingCalendar
    names: DayNames

    def explain(
        self, start: date, amount: int, unit: Unit, *, roll_forward: bool = True
    ) -> Explanation:
        return explain_deadline(
            self.calendar, start, amount, unit, roll_forward=roll_forward, names=self.names
        )

    def read(
        self, start: date, amount: int, unit: Unit, *, roll_forward: bool = True
    ) -> DeadlineExplanation:
        return explanation_read(self.explain(start, amount, unit, roll_forward=roll_forward))

    def stored(self, deadline: StoredDeadline) -> StoredDeadline:
        """The stored deadline with its explanation (every stored deadline is one for an
        act: a last day off moves forward, as when it was counted)."""
        explained = self.read(deadline.start, deadline.amount, deadline.unit)
        return deadline.model_copy(update={"explanation": explained})

    def line(self, deadline: StoredDeadline) -> str:
        """The one-line rendering printed on a notice."""
        return summary_zh(self.explain(deadline.start, deadline.amount, deadline.unit))


async def load_explainer(session: AsyncSession) -> Explainer:
    rows = list(await CalendarRepository(session).list_all())
    calendar = WorkingCalendar(
        YearCalendar(
            year=row.year,
            holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
            makeup_workdays=frozenset(date.fromisoformat(d) for d in row.makeup_workdays),
        )
        for row in rows
    )
    return Explainer(calendar, day_names(rows))


async def explain_stored(
    session: AsyncSession, deadlines: list[StoredDeadline]
) -> list[StoredDeadline]:
    """Each stored deadline with its explanation on the loaded calendar."""
    if not deadlines:
        return deadlines
    explainer = await load_explainer(session)
    return [explainer.stored(d) for d in deadlines]
