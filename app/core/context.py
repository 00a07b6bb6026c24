"""What every domain step needs: who acts, when, and the service settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request

from app.core.clock import ClockDep
from app.core.config import Settings
from app.web.auth import ANONYMOUS, CurrentPrincipal, Principal


@dataclass(frozen=True, slots=True)
class Context:
    principal: Principal
    now: datetime
    settings: Settings

    @property
    def today(self) -> date:
        """Today where legal dates are counted (Asia/Shanghai by default)."""
        return self.now.astimezone(self.settings.tz).date()


async def current_context(
    request: Request, principal: CurrentPrincipal, clock: ClockDep
) -> Context:
    return Context(principal, clock.now(), request.app.state.settings)


ContextDep = Annotated[Context, Depends(current_context)]


async def public_context(request: Request, clock: ClockDep) -> Context:
    """For public routes: no token, no roles."""
    return Context(ANONYMOUS, clock.now(), request.app.state.settings)


PublicContextDep = Annotated[Context, Depends(public_context)]
