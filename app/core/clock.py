"""The service's one source of "now"; tests replace it with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from fastapi import Depends, Request


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved (for tests)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at


def legal_today(clock: Clock, tz: ZoneInfo) -> date:
    """Today's date where legal dates are counted (Asia/Shanghai by default)."""
    return clock.now().astimezone(tz).date()


async def get_clock(request: Request) -> Clock:
    """Async, so FastAPI calls it in the event loop rather than on a worker thread."""
    clock: Clock = request.app.state.clock
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]
