"""Database: async engine, one session (one transaction) per request, declarative base.

PostgreSQL runs through asyncpg and SQLite through aiosqlite on one code path. The
session dependency commits when the handler succeeds and rolls back on any error;
services may ``flush()`` but never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Integer,
    MetaData,
    String,
    cast,
    event,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from app.core.errors import UnprocessableEntity

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The largest integer a column holds (BIGINT; SQLite's INTEGER is 64-bit too).
MAX_BIGINT = 2**63 - 1
# An auto-incrementing 64-bit key on PostgreSQL; SQLite only auto-increments INTEGER.
BigIntKey = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC on every database (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _StoredDeadline(FunctionElement[str]):
    """``deadlines[rule][part]`` as text, the path written into the statement."""

    type = String()
    inherit_cache = True


@compiles(_StoredDeadline)
def _stored_deadline_sqlite(element: _StoredDeadline, compiler: Any, **kw: Any) -> str:
    deadlines, rule, part = element.clauses
    path = f'$."{rule.name}"."{part.name}"'
    return f"CAST(JSON_EXTRACT({compiler.process(deadlines, **kw)}, '{path}') AS VARCHAR)"


@compiles(_StoredDeadline, "postgresql")
def _stored_deadline_postgresql(element: _StoredDeadline, compiler: Any, **kw: Any) -> str:
    deadlines, rule, part = element.clauses
    path = f"{{{rule.name}, {part.name}}}"
    return f"CAST({compiler.process(deadlines, **kw)} #>> '{path}' AS VARCHAR)"


def stored_deadline(deadlines: Any, rule: str, part: str = "date") -> ColumnElement[str]:
    """A deadline stored in a case's ``deadlines`` (its day, or with ``part="start"`` the
    day it is counted from) as the ISO text stored: it sorts as the days do, and an index
    can hold it, where a cast of text to a date is not immutable in PostgreSQL. The path
    is written into the statement, not bound: a prepared statement's plan made once for
    every call matches the index only with the path it names."""
    for name in (rule, part):
        assert name.isidentifier(), name  # a deadline rule's name, nothing to quote
    return _StoredDeadline(deadlines, literal_column(rule), literal_column(part))


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> datetime:
    return datetime.now(UTC)


def _prepare_sqlite(engine: AsyncEngine, url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so SAVEPOINT works
        # (SQLAlchemy's documented recipe for pysqlite/aiosqlite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE: take the write lock at the start, waiting for it (busy_timeout). A
        # deferred transaction that read first cannot take it once another writer has
        # committed, and fails at once ("database is locked"): most requests write
        # (audited reads too), so with a few at the same time most answered 503. A
        # connection may ask for DEFERRED (execution option ``sqlite_begin``).
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode not in ("IMMEDIATE", "DEFERRED"):
            raise ValueError(f"sqlite_begin must be IMMEDIATE or DEFERRED, not {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _refuse_unstorable(value: Any) -> None:
    """Refuse what no column can hold, the same on both databases, as a 422.

    PostgreSQL rejects text with NUL (U+0000) and SQLite keeps it; an integer past 64 bits
    overflows either driver. Whatever the request field it came from, it is the
    client's value, not a fault of the service.
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise UnprocessableEntity(
                "Text may not contain the NUL character (U+0000).", code="nul_character"
            )
    elif isinstance(value, int):
        if not -MAX_BIGINT - 1 <= value <= MAX_BIGINT:
            raise UnprocessableEntity(
                "A number is outside the 64-bit integer range.", code="number_out_of_range"
            )
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_unstorable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_unstorable(item)


def _check_parameters(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    _refuse_unstorable(parameters)


POOL_SIZE = 30
POOL_OVERFLOW = 10


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _prepare_sqlite(engine, url)
    else:
        # Thirty kept open: one process serving a few dozen requests at once reuses them
        # rather than opening and closing a connection (a server process) per request
        # beyond the pool; ten more for bursts.
        engine = create_async_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    event.listen(engine.sync_engine, "before_cursor_execute", _check_parameters)
    return engine


def _replace_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Hand out no pooled connection the server has closed (restart, failover, idle kill).

    asyncpg marks a connection closed as soon as the server ends it, so this costs no
    round trip, unlike a ping on every checkout. The pool replaces the connection (and,
    when the server is down, the request fails with 503 ``database_unavailable``). A
    connection that breaks while in use is invalidated by the error it raises.
    """
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


class Database:
    """The engine and the session factory of one application instance."""

    def __init__(
        self,
        url: str,
        *,
        engine: AsyncEngine | None = None,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.url = url
        self.engine = engine or create_engine(url)
        self.sessionmaker: async_sessionmaker[AsyncSession] = sessionmaker or async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    def with_sessionmaker(self, sessionmaker: async_sessionmaker[AsyncSession]) -> Database:
        """The same engine, sessions from another factory (tests join their transaction)."""
        return Database(self.url, engine=self.engine, sessionmaker=sessionmaker)

    async def dispose(self) -> None:
        await self.engine.dispose()


class TransactionParticipant(Protocol):
    """Something a request brings into its transaction (the answer of a keyed create,
    ``app.web.idempotency``): told when the transaction begins and once it has committed."""

    async def began(self, session: AsyncSession) -> None: ...

    async def committed(self) -> None: ...


# The request-state attribute under which a request's participant travels.
TRANSACTION_PARTICIPANT = "idempotent_create"


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    participant: TransactionParticipant | None = getattr(
        request.state, TRANSACTION_PARTICIPANT, None
    )
    async with database.sessionmaker() as session:
        try:
            if participant is not None:
                await participant.began(session)
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
    if participant is not None:
        await participant.committed()


async def statements_alone(session: AsyncSession) -> None:
    """Send the session's statements each on its own, without ``BEGIN`` before the first and
    ``COMMIT`` after the last: two round trips fewer on PostgreSQL.

    Only for a request that reads, or whose one write is a single statement (a read's
    audit entry): under READ COMMITTED every statement takes its own snapshot inside a
    transaction too, so reads lose nothing, and one statement is atomic on its own. Call
    it before the session's first statement. A session already in a transaction, or
    bound to a caller's connection (the tests' outer transaction), or on SQLite, is left
    as it is.
    """
    bind = session.bind
    if (
        isinstance(bind, AsyncEngine)
        and bind.dialect.name == "postgresql"
        and not session.in_transaction()
    ):
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


# scope="function": commit before the response is sent, so a failed commit is never
# answered with a success.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def branch(slots: Mapping[str, Any], kind: str, **values: Any) -> Any:
    """One branch of a wide ``UNION ALL``: ``kind``, then every slot in order (name to
    type), those not given a typed NULL, so the branches agree on each column's type."""
    columns = [literal(kind, String()).label("kind")]
    for slot, type_ in slots.items():
        value = values.get(slot)
        columns.append((cast(null(), type_) if value is None else value).label(slot))
    return select(*columns)
