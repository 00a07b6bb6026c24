"""A calendar load calls every domain's recompute hook; calendar code imports no domain."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

import app.main  # noqa: F401  (the application's modules, as the server imports them)
from app.audit.models import AuditEntry
from app.calendar import hooks
from app.calendar.models import CalendarYear
from app.core.context import Context
from app.rules.calendar import WorkingCalendar
from tests.conftest import TokenFactory

CALENDAR = Path(__file__).parents[2] / "app" / "calendar"
DOMAINS = ("app.commitments", "app.restrictions")


def test_both_life_cycles_register_a_hook() -> None:
    assert {"commitment", "restriction"} <= set(hooks.registered())


@pytest.mark.parametrize("module", sorted(CALENDAR.glob("*.py")), ids=lambda p: p.name)
def test_calendar_code_imports_no_domain(module: Path) -> None:
    imported = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not [m for m in imported if m.startswith(DOMAINS)]


async def test_a_load_calls_each_hook_with_the_loaded_calendar(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
    await session.commit()
    seen: list[tuple[str, bool]] = []

    async def hook(_session: AsyncSession, ctx: Context, calendar: WorkingCalendar) -> int:
        # Jan 1 2027 is a day off only in the calendar just loaded.
        seen.append((ctx.principal.sub, calendar.is_working_day(date(2027, 1, 1))))
        return 3

    monkeypatch.setattr(hooks, "_HOOKS", {"probe": hook})
    load = {"holidays": ["2027-01-01"], "makeup_workdays": []}
    put = await client.put("/api/v1/calendar/2027", json=load, headers=auth("admin"))
    assert put.status_code == 201
    assert len(seen) == 1
    assert seen[0][1] is False
    audit = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "calendar.load", AuditEntry.target_id == "2027"
            )
        )
    ).one()
    assert audit.details is not None
    assert audit.details["recomputed"] == {"probe": 3}
    assert audit.actor == seen[0][0]


def test_registering_twice_under_one_name_keeps_one_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hooks, "_HOOKS", {})

    async def first(_s: AsyncSession, _c: Context, _w: WorkingCalendar) -> int:
        return 1

    async def second(_s: AsyncSession, _c: Context, _w: WorkingCalendar) -> int:
        return 2

    hooks.register("probe", first)
    hooks.register("probe", second)
    assert dict(hooks.registered()) == {"probe": second}
