from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.idempotency.models import IdempotencyRecord

PENDING = "pending"
DONE = "done"
# How long a kept answer is replayed; the worker purges older records.
KEEP_FOR = timedelta(hours=24)
# A pending record not renewed for this long belongs to a request whose process died:
# it is replaced. A running request renews its record every RENEW_EVERY.
PENDING_FOR = timedelta(minutes=10)
RENEW_EVERY = timedelta(minutes=2)


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, caller: str, key: str) -> IdempotencyRecord | None:
        return await self.session.get(IdempotencyRecord, (caller, key))

    async def reserve(self, caller: str, key: str, owner: str, now: datetime) -> None:
        """Insert a pending record; IntegrityError when another request holds the key."""
        self.session.add(
            IdempotencyRecord(
                caller=caller, key=key, state=PENDING, owner=owner, created_at=now, renewed_at=now
            )
        )
        await self.session.flush()

    def _owned(self, caller: str, key: str, owner: str) -> ColumnElement[bool]:
        return and_(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
            IdempotencyRecord.owner == owner,
        )

    async def renew(self, caller: str, key: str, owner: str, now: datetime) -> None:
        await self.session.execute(
            update(IdempotencyRecord)
            .where(self._owned(caller, key, owner), IdempotencyRecord.state == PENDING)
            .values(renewed_at=now)
        )

    async def complete(
        self,
        caller: str,
        key: str,
        owner: str,
        *,
        fingerprint: str,
        status_code: int,
        headers: list[list[str]],
        body: bytes,
        now: datetime,
    ) -> None:
        await self.session.execute(
            update(IdempotencyRecord)
            .where(self._owned(caller, key, owner))
            .values(
                state=DONE,
                fingerprint=fingerprint,
                status_code=status_code,
                headers=headers,
                body=body,
                completed_at=now,
            )
        )

    async def release(self, caller: str, key: str, owner: str) -> None:
        """Delete the record, if it is still this request's."""
        await self.session.execute(delete(IdempotencyRecord).where(self._owned(caller, key, owner)))

    async def remove(self, record: IdempotencyRecord) -> None:
        await self.session.delete(record)
        await self.session.flush()

    async def purge_expired(self, now: datetime) -> int:
        """Delete the records no longer replayed (created ``KEEP_FOR`` ago or earlier)."""
        result = await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at <= now - KEEP_FOR)
        )
        return int(getattr(result, "rowcount", 0) or 0)
