"""Reads sent without BEGIN and COMMIT (app.core.db.statements_alone), on a PostgreSQL
database of this module's own that commits for real: each statement is its own
transaction, a read's audit entry is still written, and a session already in a
transaction (or a caller's, as in the other tests) is left in it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select, text

from app.audit.models import AuditEntry
from app.core.db import Database, statements_alone
from tests.conftest import (
    TokenFactory,
    committing_client,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.factories import AGENCY, resident_id, setup_catalog

pytestmark = pytest.mark.postgres_only


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database("postgresql", tmp_path_factory.mktemp("unused")) as url:
        yield url


@pytest.fixture
async def database(own_postgres: str) -> AsyncIterator[Database]:
    db = Database(own_postgres)
    yield db
    await db.dispose()


async def _own_transaction_per_statement(db: Database, *, alone: bool, begun: bool) -> bool:
    """Whether two statements in a row ran in transactions of their own."""
    async with db.sessionmaker() as session:
        if begun:
            await session.execute(text("SELECT 1"))
        if alone:
            await statements_alone(session)
        first = (await session.execute(text("SELECT txid_current()"))).scalar_one()
        second = (await session.execute(text("SELECT txid_current()"))).scalar_one()
        return bool(first != second)


async def test_each_statement_is_its_own_transaction(database: Database) -> None:
    assert await _own_transaction_per_statement(database, alone=True, begun=False)
    assert not await _own_transaction_per_statement(database, alone=False, begun=False)
    # Already in a transaction: left in it.
    assert not await _own_transaction_per_statement(database, alone=True, begun=True)


async def test_the_pool_gets_its_connections_back_transactional(database: Database) -> None:
    for _ in range(3):
        async with database.sessionmaker() as session:
            await statements_alone(session)
            await session.execute(text("SELECT 1"))
    # Every pooled connection is in its default mode again.
    for _ in range(3):
        assert not await _own_transaction_per_statement(database, alone=False, begun=False)


async def test_a_credit_profile_and_the_public_list_read_alone_and_audit(own_postgres: str) -> None:
    auth: TokenFactory = token_factory(make_settings(own_postgres), department=AGENCY)
    async with committing_client(own_postgres) as (client, database):
        await setup_catalog(client, auth)
        body = {"subject_type": "person", "id_number": resident_id("37140219900101123")}
        answer = await client.post(
            "/api/v1/credit-profiles/lookup", json=body, headers=auth("clerk")
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["restricted"] is False
        search = await client.post(
            "/api/v1/public/restrictions/search", json={"id_number": body["id_number"]}
        )
        assert search.status_code == 200, search.text
        assert search.json()["items"] == []
        async with database.sessionmaker() as session:
            audited = await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "credit_profile.read")
            )
        assert audited == 1
