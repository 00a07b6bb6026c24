from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import ChainContent, ChainLink
from app.audit.models import AuditEntry
from app.core.direct import Direct

# pg_advisory_xact_lock key that serialises the chainers of the hash chain (a constant; any
# 64-bit value no other part of the service uses).
CHAIN_LOCK_KEY = 0x7A77_6677_4155_4454


_CONTENT_COLUMNS = (
    AuditEntry.id,
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
_AUDIT_LOG = cast(Table, AuditEntry.__table__)
_LINK = (
    update(_AUDIT_LOG)
    .where(_AUDIT_LOG.c.id == bindparam("entry_id"))
    .values(
        position=bindparam("new_position"),
        prev_hash=bindparam("new_prev"),
        hash=bindparam("new_hash"),
    )
)


# The columns a new entry is written with (the chain's are set when the chainer links it).
NEW_ENTRY_COLUMNS = [
    c for c in _AUDIT_LOG.columns if c.key not in ("id", "prev_hash", "hash", "position")
]
_INSERT_ENTRY = Direct(
    insert(_AUDIT_LOG).values({c.key: bindparam(c.key, type_=c.type) for c in NEW_ENTRY_COLUMNS})
)


_UNCHAINED = Direct(
    select(*_CONTENT_COLUMNS)
    .where(AuditEntry.position.is_(None))
    .order_by(AuditEntry.id)
    .limit(bindparam("limit"))
)


def _content(row: Any) -> ChainContent:
    return ChainContent(
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
    )


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_now(self, values: dict[str, Any]) -> None:
        """Write one new entry at once, in one statement (``values``: NEW_ENTRY_COLUMNS)."""
        await _INSERT_ENTRY.execute(await self.session.connection(), values)

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def lock_chain(self) -> None:
        """Hold the chainer's lock until this transaction ends.

        PostgreSQL: a transaction-scoped advisory lock, so two chainers never read the
        same head. SQLite needs none: it admits one writer at a time and refuses the
        write of a transaction whose snapshot another writer has since moved. On every
        database the unique ``prev_hash`` and ``position`` refuse a fork.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY}
            )

    async def head(self) -> tuple[int, str] | None:
        """The position and hash of the chain's newest link, or None for an empty chain."""
        query = (
            select(AuditEntry.position, AuditEntry.hash)
            .where(AuditEntry.position.is_not(None))
            .order_by(AuditEntry.position.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).one_or_none()
        if row is None:
            return None
        position, digest = row
        assert position is not None and digest is not None
        return position, digest

    async def unchained(self, limit: int) -> list[tuple[int, ChainContent]]:
        """Committed rows not yet in the chain, oldest id first."""
        rows = await _UNCHAINED.rows(await self.session.connection(), {"limit": limit})
        return [(row.id, _content(row)) for row in rows]

    async def count_unchained(self) -> int:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.position.is_(None))
        return int(await self.session.scalar(query) or 0)

    async def link(self, links: Sequence[tuple[int, int, str, str]]) -> None:
        """Store (id, position, prev_hash, hash) for each row, in one executemany."""
        await self.session.execute(
            _LINK,
            [
                {"entry_id": entry_id, "new_position": position, "new_prev": prev, "new_hash": h}
                for entry_id, position, prev, h in links
            ],
        )

    async def hash_before(self, position: int) -> str | None:
        """The hash of the link just before ``position`` in the chain, if any."""
        query = (
            select(AuditEntry.hash)
            .where(AuditEntry.position < position)
            .order_by(AuditEntry.position.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def chain_batch(
        self, *, after_position: int | None, to_position: int | None, limit: int
    ) -> list[ChainLink]:
        """The next ``limit`` links in chain order, as plain values (nothing kept in the
        session)."""
        query = (
            select(*_CONTENT_COLUMNS, AuditEntry.position, AuditEntry.prev_hash, AuditEntry.hash)
            .where(AuditEntry.position.is_not(None))
            .order_by(AuditEntry.position)
            .limit(limit)
        )
        if after_position is not None:
            query = query.where(AuditEntry.position > after_position)
        if to_position is not None:
            query = query.where(AuditEntry.position <= to_position)
        return [
            ChainLink(
                id=row.id,
                position=row.position,
                prev_hash=row.prev_hash,
                hash=row.hash,
                content=_content(row),
            )
            for row in await self.session.execute(query)
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
