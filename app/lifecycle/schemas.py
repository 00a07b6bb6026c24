"""What a case's history shows of each step, for every life cycle alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field


class HistoryStep(BaseModel):
    """一步: one step of a case's history, as the engine recorded it."""

    event: str = Field(description="The step (or the transition time made).")
    from_status: str
    to_status: str
    occurred_at: datetime = Field(description="When it was recorded.")
    actor: str
    department: str | None
    citation: str | None = Field(description="The provision the step applies.")
    details: dict[str, Any] = Field(
        description="What the step recorded: its day (`on`), a late entry, a new deadline, ..."
    )


class _HistoryRow(Protocol):
    @property
    def event(self) -> str: ...
    @property
    def from_status(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def department(self) -> str | None: ...
    @property
    def citation(self) -> str | None: ...
    @property
    def details(self) -> dict[str, Any]: ...


def history_read(rows: Iterable[_HistoryRow]) -> list[HistoryStep]:
    """The history rows of a case, as read."""
    return [
        HistoryStep(
            event=row.event,
            from_status=row.from_status,
            to_status=row.to_status,
            occurred_at=row.occurred_at,
            actor=row.actor,
            department=row.department,
            citation=row.citation,
            details=row.details,
        )
        for row in rows
    ]
