"""Twenty transactions append at once while three chainers run: one chain, no fork, no
gap (PostgreSQL, real commits)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.service import chain_pending, record, verify_chain
from app.core.db import Database
from app.web.auth import Principal, Role
from tests.conftest import migrated_database

APPENDERS = 20
CHAINERS = 3


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: this test commits for real."""
    with migrated_database("postgresql", tmp_path_factory.mktemp("unused")) as url:
        yield url


@pytest.fixture
async def database(own_postgres: str) -> AsyncIterator[Database]:
    db = Database(own_postgres)
    yield db
    await db.dispose()


async def test_concurrent_appends_and_chainers_form_one_unbroken_chain(
    database: Database,
) -> None:
    """Writers append without waiting for each other; chainers run among them."""
    start = asyncio.Event()

    async def append(n: int) -> None:
        principal = Principal(sub=f"clerk-{n}", roles=frozenset({Role.clerk}), department=None)
        async with database.sessionmaker() as session:
            await start.wait()
            await record(
                session, principal, action="chain.concurrent", target_type="t", target_id=str(n)
            )
            await asyncio.sleep(0.005 * (n % 4))  # commits in another order than the ids
            await session.commit()

    async def chain() -> int:
        async with database.sessionmaker() as session:
            await start.wait()
            linked = 0
            for _ in range(5):
                linked += await chain_pending(session)
                await session.commit()
                await asyncio.sleep(0.003)
            return linked

    appenders = [asyncio.create_task(append(n)) for n in range(APPENDERS)]
    chainers = [asyncio.create_task(chain()) for _ in range(CHAINERS)]
    await asyncio.sleep(0.05)
    start.set()
    await asyncio.gather(*appenders)
    linked = sum(await asyncio.gather(*chainers))
    async with database.sessionmaker() as session:
        linked += await chain_pending(session)
        await session.commit()

    async with database.sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(AuditEntry))
        appended = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "chain.concurrent")
        )
        links = await session.scalar(select(func.count(func.distinct(AuditEntry.prev_hash))))
        positions = (
            await session.execute(
                select(
                    func.min(AuditEntry.position),
                    func.max(AuditEntry.position),
                    func.count(AuditEntry.position),
                )
            )
        ).one()
        result = await verify_chain(session, from_position=None, to_position=None, batch_size=7)
    assert appended == APPENDERS
    assert linked == total  # each entry linked once, by one chainer (the seed wrote some)
    assert links == total
    assert tuple(positions) == (1, total, total)  # no gap, no repeat
    assert result.intact, result
    assert (result.checked, result.unchained) == (total, 0)
