"""Test harness: every HTTP test runs against SQLite and against PostgreSQL.

Each backend gets a throwaway database built by the migrations. Each test runs inside an
outer transaction that is rolled back at teardown; the application's sessions join it
through SAVEPOINTs (SQLAlchemy's documented recipe), so every test starts clean.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.calendar.seed import seed_missing_years
from app.core.clock import FixedClock
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, Problem
from app.core.logs import JsonFormatter
from app.main import create_app
from app.ops.migrate import upgrade
from app.privacy import crypto
from app.web.auth import mint_token

TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef"
TEST_DATA_KEY = "t1:" + base64.b64encode(b"test-data-key-of-exactly-32-byte").decode()
TEST_INDEX_KEY = base64.b64encode(b"test-blind-index-key-32-bytes-long").decode()
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_admin_url() -> str:
    return os.environ.get("ZWFW_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _postgres_admin(sql: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(postgres_admin_url()), timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def create_postgres_database() -> str:
    """Create an empty database on the test server; skip (or fail under CI) if unreachable."""
    name = f"zwfw_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        reason = f"PostgreSQL unreachable at {postgres_admin_url()}: {exc!r}"
        if IN_CI:
            pytest.fail(reason + " (CI=true: PostgreSQL tests may not be skipped)")
        pytest.skip(reason)
    return make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def create_sqlite_database(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / f'zwfw-{uuid.uuid4().hex[:8]}.db'}"


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "jwt_secret": TEST_SECRET,
        "data_key": TEST_DATA_KEY,
        "blind_index_key": TEST_INDEX_KEY,
        # Tests send hundreds of requests a minute as one principal; the rate-limit
        # tests set their own small limit.
        "rate_limit": "100000/minute",
        # The suite was written for one service applying both texts: chosen explicitly, as
        # a deployment must (ZWFW_PROFILE); tests of each city's own rules name theirs.
        "profile": "shandong-combined",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def prepare_database(url: str) -> None:
    """Migrate to head and load the calendar, as `zwfw-credit serve` does at start."""
    crypto.configure(make_settings(url).keyring())
    upgrade(url)

    async def seed() -> None:
        db = Database(url)
        try:
            await seed_missing_years(db.sessionmaker)
        finally:
            await db.dispose()

    asyncio.run(seed())


@contextmanager
def migrated_database(backend: str, directory: Path) -> Iterator[str]:
    """A throwaway database of ``backend`` (a file in ``directory`` for SQLite), migrated
    and with its calendar; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        url = create_sqlite_database(directory)
        prepare_database(url)
        yield url
        return
    url = create_postgres_database()
    try:
        prepare_database(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty throwaway database of each backend, not migrated (migration tests)."""
    if request.param == "sqlite":
        yield create_sqlite_database(tmp_path)
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated throwaway database, once per backend for the whole run."""
    with migrated_database(request.param, tmp_path_factory.mktemp("sqlite")) as url:
        yield url


@asynccontextmanager
async def committing_client(url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    """A client of an app on ``url`` that commits for real (no outer test transaction)."""
    database = Database(url)
    app = create_app(make_settings(url), database, clock=FixedClock(DEFAULT_NOW))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", event_hooks={"response": [check_problem]}
        ) as client:
            yield client, database
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
async def connection(database: Database) -> AsyncIterator[AsyncConnection]:
    """One connection with an outer transaction, rolled back after the test.

    On SQLite it is deferred: it takes the write lock only once the test writes, so a
    test may first open another connection to the same file (another app's start-up).
    """
    async with database.engine.connect() as conn:
        await conn.execution_options(sqlite_begin="DEFERRED")
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as s:
        yield s


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@dataclass
class Harness:
    """The app of one test, with its database joined to the test's transaction."""

    settings: Settings
    database: Database


@pytest.fixture
def app_harness(
    settings: Settings, database: Database, sessionmaker: async_sessionmaker[AsyncSession]
) -> Harness:
    return Harness(settings=settings, database=database.with_sessionmaker(sessionmaker))


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the service's loggers write, as the JSON lines on stderr read."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield output
    root.removeHandler(handler)
    root.setLevel(level)


# Tests count dates by hand from the 2026 calendar: "now" is fixed unless a test moves it.
DEFAULT_NOW = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # 10:00 on Wed 2026-09-30 in Shanghai


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


async def check_problem(response: httpx.Response) -> None:
    """Every error answer is an RFC 9457 problem whose standard members keep their meaning:
    ``status`` is the HTTP status, ``title`` its phrase, ``type`` the code's URI."""
    if response.status_code < 400:
        return
    await response.aread()
    assert response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE), (
        f"{response.status_code} answered as {response.headers.get('content-type')}"
    )
    problem = Problem.model_validate_json(response.content)
    assert problem.status == response.status_code, response.text
    assert problem.title == HTTPStatus(response.status_code).phrase, response.text
    assert problem.type == PROBLEM_TYPE_BASE + problem.code, response.text


@pytest.fixture
async def client(app_harness: Harness, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_harness.settings, database=app_harness.database, clock=clock)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        event_hooks={"response": [check_problem]},
    ) as c:
        yield c


TokenFactory = Callable[..., dict[str, str]]


def token_factory(settings: Settings, department: str | None = "371400-SPJ") -> TokenFactory:
    """``make("clerk", department=…, sub=…)`` -> an Authorization header signed for
    ``settings``."""

    def make(
        *roles: str, department: str | None = department, sub: str = "alice", ttl: int = 600
    ) -> dict[str, str]:
        token = mint_token(
            settings, sub=sub, roles=list(roles), department=department, ttl_seconds=ttl
        )
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def auth(settings: Settings) -> TokenFactory:
    """``auth("clerk", department="371400-SPJ")`` -> an Authorization header."""
    return token_factory(settings)
