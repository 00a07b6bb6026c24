"""Recompute hooks: what a calendar load asks of every domain that stores deadlines.

A deadline counted into a year without a loaded calendar is stored provisional (weekends
alone are days off). Each domain that stores such deadlines registers one hook here when
its service module is imported; ``app.calendar.service.load_year`` calls every hook with
the calendar just loaded, so the calendar code never imports a domain. A hook counts its
provisional deadlines again, records each change the way its other deadline changes are
recorded (history, audit, outbox event), and returns how many cases changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.rules.calendar import WorkingCalendar

RecomputeHook = Callable[[AsyncSession, Context, WorkingCalendar], Awaitable[int]]

_HOOKS: dict[str, RecomputeHook] = {}


def register(domain: str, hook: RecomputeHook) -> None:
    """Register ``domain``'s hook; registering the name again replaces it (re-imports)."""
    _HOOKS[domain] = hook


def registered() -> Mapping[str, RecomputeHook]:
    return MappingProxyType(_HOOKS)


async def recompute_provisional(
    session: AsyncSession, ctx: Context, calendar: WorkingCalendar
) -> dict[str, int]:
    """Run every hook, in registration order; per domain, the cases it changed."""
    return {domain: await hook(session, ctx, calendar) for domain, hook in list(_HOOKS.items())}
