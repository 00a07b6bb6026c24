"""Migration 0007 chains the entries written before it, in id order; 0011 keeps that
order as positions, and its downgrade chains everything again in id order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import cast

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.service import chain_pending, record, verify_chain
from app.core.db import Database, UTCDateTime
from app.ops.migrate import downgrade, upgrade
from app.web.auth import Principal

_pre_chain_audit_log = sa.table(
    "audit_log",
    sa.column("recorded_at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("roles", sa.JSON()),
    sa.column("department", sa.String()),
    sa.column("action", sa.String()),
    sa.column("target_type", sa.String()),
    sa.column("target_id", sa.String()),
    sa.column("purpose", sa.String()),
    sa.column("request_id", sa.String()),
    sa.column("details", sa.JSON()),
)


async def _write_pre_chain_entries(url: str, count: int) -> None:
    db = Database(url)
    start = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(
                sa.insert(_pre_chain_audit_log),
                [
                    {
                        "recorded_at": start + timedelta(microseconds=n * 1001),
                        "actor": f"clerk-{n}",
                        "roles": ["clerk"],
                        "department": "371400-SPJ" if n % 2 else None,
                        "action": "legacy.write",
                        "target_type": "t",
                        "target_id": str(n),
                        "purpose": "旧记录" if n % 3 else None,
                        "request_id": None,
                        "details": {"n": n, "list": [n, "x"]} if n % 2 else None,
                    }
                    for n in range(count)
                ],
            )
    finally:
        await db.dispose()


async def _verify(url: str) -> tuple[int, bool]:
    db = Database(url)
    try:
        async with db.sessionmaker() as session:
            result = await verify_chain(session, from_position=None, to_position=None)
            return result.checked, result.intact
    finally:
        await db.dispose()


async def _columns(url: str) -> set[str]:
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            return set(
                await conn.run_sync(
                    lambda c: {col["name"] for col in sa.inspect(c).get_columns("audit_log")}
                )
            )
    finally:
        await db.dispose()


def test_existing_entries_are_chained_and_the_downgrade_removes_the_chain(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0006")
    asyncio.run(_write_pre_chain_entries(empty_database, 1205))  # more than one batch
    upgrade(empty_database, "0007")
    # Verified by today's code, which needs 0011 (the chain in id order keeps its links).
    upgrade(empty_database, "0011")
    assert asyncio.run(_verify(empty_database)) == (1205, True)

    downgrade(empty_database, "0006")
    assert {"prev_hash", "hash", "position"}.isdisjoint(asyncio.run(_columns(empty_database)))
    upgrade(empty_database, "0011")
    assert asyncio.run(_verify(empty_database)) == (1205, True)


async def _chain_out_of_id_order(url: str) -> None:
    """Entries chained in another order than their ids, and one left unchained."""
    db = Database(url)
    principal = Principal(sub="clerk", roles=frozenset(), department=None)
    table = cast(sa.Table, AuditEntry.__table__)
    try:
        async with db.sessionmaker() as session:
            entries = [
                await record(session, principal, action="a", target_type="t", target_id=str(n))
                for n in range(4)
            ]
            await session.flush()
            first = entries[0].id
            # As if the first entry's transaction committed after the chainer's pass.
            held = (await session.execute(sa.select(table).where(table.c.id == first))).one()
            await session.execute(sa.delete(table).where(table.c.id == first))
            await chain_pending(session)
            await session.execute(sa.insert(table).values(**held._mapping))
            await chain_pending(session)
            await record(session, principal, action="a", target_type="t", target_id="late")
            await session.commit()  # the last one stays unchained
    finally:
        await db.dispose()


def test_the_downgrade_of_0011_chains_every_entry_again_in_id_order(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0011")
    asyncio.run(_write_pre_chain_entries(empty_database, 3))
    asyncio.run(_chain_out_of_id_order(empty_database))
    downgrade(empty_database, "0010")
    assert "position" not in asyncio.run(_columns(empty_database))
    # Back at 0011 every entry's position is its id: verified, the chain is in id order.
    upgrade(empty_database, "0011")
    checked, intact = asyncio.run(_verify(empty_database))
    assert intact and checked == asyncio.run(_count(empty_database))


async def _count(url: str) -> int:
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            return int(await conn.scalar(sa.text("SELECT count(*) FROM audit_log")) or 0)
    finally:
        await db.dispose()
