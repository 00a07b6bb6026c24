from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, or_, update
from sqlalchemy.exc import IntegrityError
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

    async def try_reserve(self, caller: str, key: str, owner: str, now: datetime) -> bool:
        """Insert a pending record owned by ``owner``; False when the key has a record.

        The insert runs in a savepoint, so a conflict leaves the transaction usable (on
        PostgreSQL it waits for a concurrent insert of the key to commit or roll back).
        """
        try:
            async with self.session.begin_nested():
                self.session.add(
                    IdempotencyRecord(
                        caller=caller,
                        key=key,
                        state=PENDING,
                        owner=owner,
                        created_at=now,
                        renewed_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def replace(self, record: IdempotencyRecord, owner: str, now: datetime) -> bool:
        """Replace an expired or abandoned ``record`` by a pending one of ``owner``, if it
        is still the record that was read (no other request replaced it meanwhile)."""
        result = await self.session.execute(
            delete(IdempotencyRecord).where(
                self._owned(record.caller, record.key, record.owner),
                IdempotencyRecord.state == record.state,
                IdempotencyRecord.renewed_at == record.renewed_at,
            )
        )
        self.session.expunge(record)
        if not getattr(result, "rowcount", 0):
            return False
        return await self.try_reserve(record.caller, record.key, owner, now)

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

    async def purge_expired(self, now: datetime) -> int:
        """Delete the answers no longer replayed (kept ``KEEP_FOR``) and the abandoned
        holds (not renewed for ``PENDING_FOR``)."""
        result = await self.session.execute(
            delete(IdempotencyRecord).where(
                or_(
                    and_(
                        IdempotencyRecord.state == DONE,
                        IdempotencyRecord.created_at <= now - KEEP_FOR,
                    ),
                    and_(
                        IdempotencyRecord.state == PENDING,
                        IdempotencyRecord.renewed_at <= now - PENDING_FOR,
                    ),
                )
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
