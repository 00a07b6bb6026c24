"""Statements sent straight to the driver (app/core/direct.py): the same values as through
SQLAlchemy, the same errors, the transaction semantics its docstring states."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    column,
    event,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy import exc as sa_exc

from app.core.db import Database, UTCDateTime
from app.core.direct import Direct
from app.core.errors import UnprocessableEntity, is_database_unavailable
from app.privacy.crypto import EncryptedText

metadata = MetaData()
probe = Table(
    "direct_probe",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime),
    Column("secret", EncryptedText),
    Column("doc", JSON),
    Column("uid", Uuid),
    Column("note", String(40)),
)
ROW = {
    "id": 1,
    "at": datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=8))),
    "secret": "张三 370102199001011234",
    "doc": {"modes": ["容缺受理"], "n": 2},
    "uid": uuid.UUID("00000000-0000-4000-8000-000000000001"),
    "note": "plain",
}
INSERT = Direct(insert(probe).values({c.key: bindparam(c.key, type_=c.type) for c in probe.c}))
READ = Direct(
    select(probe, literal("probe").label("kind")).where(probe.c.id == bindparam("wanted"))
)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The backend's database with the probe table, committed for real; dropped after."""
    db = Database(database_url)
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield db
    finally:
        async with db.engine.begin() as connection:
            await connection.run_sync(metadata.drop_all)
        await db.dispose()


async def _count(db: Database) -> int:
    async with db.engine.connect() as connection:
        return int(
            (await connection.execute(text("SELECT count(*) FROM direct_probe"))).scalar_one()
        )


async def test_values_are_those_sqlalchemy_gives(database: Database) -> None:
    async with database.sessionmaker() as session:
        connection = await session.connection()
        await INSERT.execute(connection, ROW)
        await session.commit()
    async with database.sessionmaker() as session:
        connection = await session.connection()
        direct = await READ.rows(connection, {"wanted": 1})
        through = list(
            await connection.execute(
                select(probe, literal("probe").label("kind")).where(probe.c.id == 1)
            )
        )
        stored = (await connection.execute(text("SELECT secret FROM direct_probe"))).scalar_one()
    assert len(direct) == len(through) == 1
    assert tuple(direct[0]) == tuple(through[0])
    row = direct[0]
    assert row.kind == "probe"
    assert row.secret == ROW["secret"] and ROW["secret"] not in stored  # encrypted at rest
    assert row.at == ROW["at"] and row.at.utcoffset() == timedelta(0)
    assert row.doc == ROW["doc"]
    assert row.uid == ROW["uid"]


async def test_alone_it_commits_in_an_open_transaction_it_rolls_back(
    database: Database,
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite a direct statement runs through SQLAlchemy, in the transaction")
    async with database.sessionmaker() as session:
        await INSERT.execute(await session.connection(), ROW)
        await session.rollback()
    assert await _count(database) == 1  # no transaction was open: the INSERT stood alone
    async with database.sessionmaker() as session:
        connection = await session.connection()
        await connection.execute(text("DELETE FROM direct_probe"))  # opens the transaction
        await INSERT.execute(connection, {**ROW, "id": 2})
        await session.rollback()
    assert await _count(database) == 1  # both undone together


async def test_the_engine_listeners_see_it_and_nul_is_refused(database: Database) -> None:
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", listen)
    try:
        async with database.sessionmaker() as session:
            connection = await session.connection()
            await INSERT.execute(connection, ROW)
            with pytest.raises(UnprocessableEntity, match="NUL"):
                await INSERT.execute(connection, {**ROW, "id": 2, "note": "a\x00b"})
            with pytest.raises(UnprocessableEntity, match="64-bit"):
                await READ.rows(connection, {"wanted": 2**63})
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", listen)
    assert any(s.lstrip().upper().startswith("INSERT INTO DIRECT_PROBE") for s in seen)


async def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(database: Database) -> None:
    async with database.sessionmaker() as session:
        connection = await session.connection()
        await INSERT.execute(connection, ROW)
        with pytest.raises(sa_exc.IntegrityError):
            await INSERT.execute(connection, ROW)  # the same key again


async def test_a_lost_connection_is_503_and_invalidated(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("the connection is the driver's only on PostgreSQL")
    async with database.sessionmaker() as session:
        connection = await session.connection()
        pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with database.engine.connect() as other:
            await other.execute(text(f"SELECT pg_terminate_backend({int(pid)})"))
        with pytest.raises(sa_exc.DBAPIError) as raised:
            await READ.rows(connection, {"wanted": 1})
        assert raised.value.connection_invalidated
        assert is_database_unavailable(raised.value)
    assert await _count(database) == 0  # the pool hands out a working connection again


def test_a_list_parameter_is_refused() -> None:
    listed = Direct(select(column("a")).where(column("a").in_([1, 2])))
    dialect = Database("postgresql+asyncpg://u@127.0.0.1/x").engine.dialect
    with pytest.raises(ValueError, match="list"):
        listed.compiled_for(dialect)


def test_the_statement_compiles_once_per_dialect() -> None:
    dialect = Database("postgresql+asyncpg://u@127.0.0.1/x").engine.dialect
    first = READ.compiled_for(dialect)
    assert READ.compiled_for(dialect) is first
    assert first.sql.count("$") == len(first.names) == 2
