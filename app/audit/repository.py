from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import ChainContent, ChainLink
from app.audit.models import AuditEntry

# pg_advisory_xact_lock key that serialises appends to the hash chain (a constant; any
# 64-bit value no other part of the service uses).
CHAIN_LOCK_KEY = 0x7A77_6677_4155_4454


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def lock_chain(self) -> None:
        """Hold the chain's append lock until this transaction ends.

        PostgreSQL: a transaction-scoped advisory lock, so two transactions never read
        the same head. SQLite needs none: it admits one writer at a time and refuses the
        write of a transaction whose snapshot another writer has since moved. On every
        database the unique ``prev_hash`` refuses a second entry on the same head.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY}
            )

    async def last_hash(self) -> str | None:
        """The hash of the newest entry (the chain's head), or None for an empty log."""
        query = select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def hash_before(self, entry_id: int) -> str | None:
        """The hash of the entry just before ``entry_id`` in id order, if any."""
        newest = select(func.max(AuditEntry.id)).where(AuditEntry.id < entry_id)
        query = select(AuditEntry.hash).where(AuditEntry.id == newest.scalar_subquery())
        return (await self.session.execute(query)).scalar_one_or_none()

    async def chain_batch(
        self, *, after_id: int | None, to_id: int | None, limit: int
    ) -> list[ChainLink]:
        """The next ``limit`` entries in id order, as plain values (nothing kept in the session)."""
        query = (
            select(
                AuditEntry.id,
                AuditEntry.prev_hash,
                AuditEntry.hash,
                AuditEntry.recorded_at,
                AuditEntry.actor,
                AuditEntry.roles,
                AuditEntry.department,
                AuditEntry.action,
                AuditEntry.target_type,
                AuditEntry.target_id,
                AuditEntry.purpose,
                AuditEntry.request_id,
                AuditEntry.details,
            )
            .order_by(AuditEntry.id)
            .limit(limit)
        )
        if after_id is not None:
            query = query.where(AuditEntry.id > after_id)
        if to_id is not None:
            query = query.where(AuditEntry.id <= to_id)
        rows = (await self.session.execute(query)).all()
        return [
            ChainLink(
                id=row.id,
                prev_hash=row.prev_hash,
                hash=row.hash,
                content=ChainContent(
                    recorded_at=row.recorded_at,
                    actor=row.actor,
                    roles=row.roles,
                    department=row.department,
                    action=row.action,
                    target_type=row.target_type,
                    target_id=row.target_id,
                    purpose=row.purpose,
                    request_id=row.request_id,
                    details=row.details,
                ),
            )
            for row in rows
        ]

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
