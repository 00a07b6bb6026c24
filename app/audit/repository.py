from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def list_after(
        self,
        *,
        after_id: int | None,
        limit: int,
        target_type: str | None = None,
        target_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> Sequence[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id).limit(limit)
        if after_id is not None:
            query = query.where(AuditEntry.id > after_id)
        if target_type is not None:
            query = query.where(AuditEntry.target_type == target_type)
        if target_id is not None:
            query = query.where(AuditEntry.target_id == target_id)
        if actor is not None:
            query = query.where(AuditEntry.actor == actor)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return (await self.session.scalars(query)).all()
