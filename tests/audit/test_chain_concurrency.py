"""Twenty transactions append at once: one chain, no fork (PostgreSQL, real commits)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.service import record, verify_chain
from app.auth import Principal, Role
from app.db import Database
from tests.conftest import create_postgres_database, drop_postgres_database, prepare_database

APPENDERS = 20


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[str]:
    """A database of its own: this test commits for real."""
    url = create_postgres_database()
    try:
        prepare_database(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
async def database(own_postgres: str) -> AsyncIterator[Database]:
    db = Database(own_postgres)
    yield db
    await db.dispose()


async def test_concurrent_appends_form_one_unbroken_chain(database: Database) -> None:
    start = asyncio.Event()

    async def append(n: int) -> None:
        principal = Principal(sub=f"clerk-{n}", roles=frozenset({Role.clerk}), department=None)
        async with database.sessionmaker() as session:
            await start.wait()
            await record(
                session, principal, action="chain.concurrent", target_type="t", target_id=str(n)
            )
            await asyncio.sleep(0.005)  # keep the transaction open while others queue
            await session.commit()

    tasks = [asyncio.create_task(append(n)) for n in range(APPENDERS)]
    await asyncio.sleep(0.05)
    start.set()
    await asyncio.gather(*tasks)

    async with database.sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(AuditEntry))
        appended = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "chain.concurrent")
        )
        hashes = await session.scalar(select(func.count(func.distinct(AuditEntry.prev_hash))))
        result = await verify_chain(session, from_id=None, to_id=None, batch_size=7)
    assert appended == APPENDERS
    assert hashes == total
    assert result.intact, result
    assert result.checked == total
