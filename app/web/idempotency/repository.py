from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.web.idempotency.models import IdempotencyRecord

# How long a kept answer is replayed; the worker purges older records.
KEEP_FOR = timedelta(hours=24)


def lock_number(caller: str, key: str) -> int:
    """The PostgreSQL advisory lock of one caller's key: a signed 64-bit number."""
    digest = hashlib.sha256(f"idempotency:{caller}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, caller: str, key: str) -> IdempotencyRecord | None:
        return await self.session.get(IdempotencyRecord, (caller, key))

    async def try_hold(self, caller: str, key: str) -> bool:
        """Hold the key for the rest of this transaction; False while another holds it.

        On PostgreSQL a transaction-level advisory lock: it ends with the transaction,
        committed or rolled back, and with the connection of a process that died, so a
        crashed request frees its key at once. SQLite transactions take the write lock
        when they begin (``app.core.db``), so one request at a time runs there and there is
        nothing to take.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        held = await self.session.scalar(
            select(func.pg_try_advisory_xact_lock(lock_number(caller, key)))
        )
        return bool(held)

    def add(self, record: IdempotencyRecord) -> None:
        self.session.add(record)

    async def forget(self, record: IdempotencyRecord) -> None:
        await self.session.delete(record)
        await self.session.flush()

    async def purge_expired(self, now: datetime) -> int:
        """Delete the answers no longer replayed (kept ``KEEP_FOR``)."""
        result = await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at <= now - KEEP_FOR)
        )
        return int(getattr(result, "rowcount", 0) or 0)
