"""The step engine's writes: a history row joins the caller's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class HistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)
