"""The database goes away and comes back: 503 database_unavailable meanwhile, then 200.

The test owns a PostgreSQL cluster (initdb into a temporary directory, on a free port)
so it can stop and start it; the shared server is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.audit.service import record
from app.core.db import Database, SessionDep
from app.core.errors import is_database_unavailable
from app.main import create_app
from app.web.auth import Principal, mint_token
from tests.conftest import IN_CI, make_settings, prepare_database
from tests.test_app import assert_problem

DATABASE = "zwfw"
OPS = Principal(sub="ops", roles=frozenset(), department=None)


def _bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: pg_config --bindir, /usr/lib/postgresql/*/bin, PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(  # noqa: S603
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster, run as the ``postgres`` user when we are root."""

    bin_dir: Path
    root: Path
    port: int
    run_as: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, tool: str, *args: str) -> None:
        command = [*self.run_as, str(self.bin_dir / tool), *args]
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stderr or result.stdout}\n{tail}")

    def init(self) -> None:
        options = ["--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]
        self._run("initdb", "-D", str(self.data), *options)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self) -> None:
        async def create() -> None:
            dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
            connection = await asyncpg.connect(dsn, timeout=10)
            try:
                await connection.execute(f'CREATE DATABASE "{DATABASE}"')
            finally:
                await connection.close()

        asyncio.run(create())


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason + " (CI=true: initdb and pg_ctl exist, so this test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("initdb/pg_ctl not found (pg_config --bindir, /usr/lib/postgresql/*/bin)")
    run_as: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        runuser = shutil.which("runuser")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run initdb as")
        if runuser is None:
            _unavailable("running as root and runuser is not installed")
        assert runuser is not None
        run_as = [runuser, "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="zwfw-pg-"))
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    instance = Cluster(bin_dir=bin_dir, root=root, port=_free_port(), run_as=run_as)
    try:
        instance.init()
        instance.start()
        instance.create_database()
        prepare_database(instance.url)
        yield instance
    finally:
        with contextlib.suppress(RuntimeError):  # not running
            instance.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Service:
    client: httpx.AsyncClient
    database: Database
    admin: dict[str, str]
    auditor: dict[str, str]


@pytest.fixture
async def service(cluster: Cluster) -> AsyncIterator[Service]:
    settings = make_settings(cluster.url)
    database = Database(cluster.url)
    app = create_app(settings, database=database)

    @app.post("/test/write-then-lose-the-connection")
    async def write_then_lose_the_connection(session: SessionDep) -> dict[str, bool]:
        await record(session, OPS, action="test.lost", target_type="t", target_id="1")
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(
            f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres", timeout=10
        )
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        return {"ok": True}  # the commit after this finds the connection gone

    def token(role: str) -> dict[str, str]:
        minted = mint_token(settings, sub="ops", roles=[role], department=None, ttl_seconds=600)
        return {"Authorization": f"Bearer {minted}"}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield Service(client, database, token("admin"), token("auditor"))
    await database.dispose()
    await app.state.rate_limiter.aclose()


async def _requests(service: Service, suffix: str) -> list[httpx.Response]:
    client = service.client
    department = {"code": f"371400-D{suffix}", "name": "测试部门", "region_code": "371400"}
    return [
        await client.get("/api/v1/audit-log", headers=service.auditor),
        await client.get("/api/v1/public/matters"),
        await client.get("/api/v1/calendar/2026"),
        await client.post("/api/v1/departments", json=department, headers=service.admin),
    ]


async def test_the_service_answers_503_while_the_database_is_down_and_recovers(
    cluster: Cluster, service: Service
) -> None:
    up = await _requests(service, "A")
    assert [r.status_code for r in up] == [200, 200, 200, 201], [r.text for r in up]
    assert (await service.client.get("/readyz")).status_code == 200

    await asyncio.to_thread(cluster.stop)
    try:
        for response in await _requests(service, "B"):
            problem = assert_problem(response, 503, "database_unavailable")
            assert "Traceback" not in response.text and "asyncpg" not in response.text
            assert problem["detail"]
            assert response.headers["retry-after"] == "5"
        ready = await service.client.get("/readyz")
        assert assert_problem(ready, 503, "database_unavailable")["database"] == "unreachable"
    finally:
        await asyncio.to_thread(cluster.start)

    # Back by itself: same app, same engine, no restart.
    again = await _requests(service, "C")
    assert [r.status_code for r in again] == [200, 200, 200, 201], [r.text for r in again]
    assert (await service.client.get("/readyz")).status_code == 200
    # The write attempted while the database was down left nothing behind.
    listed = await service.client.get("/api/v1/departments/371400-DB", headers=service.admin)
    assert listed.status_code == 404


async def test_pooled_connections_the_server_ended_are_replaced_without_a_failed_request(
    cluster: Cluster, service: Service
) -> None:
    # Several requests at once, so the pool holds more than one idle connection.
    warm = await asyncio.gather(*(service.client.get("/api/v1/public/matters") for _ in range(4)))
    assert [r.status_code for r in warm] == [200] * 4
    pooled = service.database.engine.pool.checkedin()  # type: ignore[attr-defined]
    assert pooled >= 1
    admin = await asyncpg.connect(
        f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres", timeout=10
    )
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            DATABASE,
        )
    finally:
        await admin.close()
    assert ended >= pooled
    await asyncio.sleep(0.2)  # the server's goodbye reaches the idle sockets

    after = [await service.client.get("/api/v1/public/matters") for _ in range(pooled + 1)]
    assert [r.status_code for r in after] == [200] * (pooled + 1), [r.text for r in after]


async def test_a_connection_lost_before_the_commit_is_a_503_and_nothing_is_kept(
    service: Service,
) -> None:
    response = await service.client.post("/test/write-then-lose-the-connection")
    assert_problem(response, 503, "database_unavailable")
    lost = await service.client.get(
        "/api/v1/audit-log", params={"action": "test.lost"}, headers=service.auditor
    )
    assert lost.status_code == 200
    assert lost.json()["items"] == []
    # The pool replaced the dead connection.
    assert (await service.client.get("/readyz")).status_code == 200


class _DriverError(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("driver error")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (sa_exc.OperationalError("SELECT 1", {}, _DriverError(None)), True),
        (sa_exc.InterfaceError("SELECT 1", {}, _DriverError(None)), True),
        (sa_exc.DBAPIError("SELECT 1", {}, _DriverError("57P03")), True),  # starting up
        (sa_exc.DBAPIError("SELECT 1", {}, _DriverError("08006")), True),  # connection failure
        (
            sa_exc.DBAPIError("SELECT 1", {}, _DriverError(None), connection_invalidated=True),
            True,
        ),
        (sa_exc.TimeoutError("QueuePool limit reached"), True),
        (sa_exc.DBAPIError("SELECT 1", {}, _DriverError("42P01")), False),  # undefined table
        (sa_exc.ProgrammingError("SELECT 1", {}, _DriverError("42601")), False),
        (ConnectionRefusedError("not from a database driver"), False),
        (FileNotFoundError("font.ttf"), False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(
    error: BaseException, unavailable: bool
) -> None:
    assert is_database_unavailable(error) is unavailable


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError("font.ttf"),
        sa_exc.ProgrammingError("SELECT secret", {}, _DriverError("42601")),
    ],
)
async def test_other_errors_stay_500s_without_internals(error: Exception) -> None:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))

    @app.get("/boom")
    async def boom() -> None:
        raise error

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/boom")
    assert_problem(response, 500, "internal_error")
    assert "secret" not in response.text and "font" not in response.text


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
async def test_a_deadlock_or_serialisation_failure_is_a_409(sqlstate: str) -> None:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))

    @app.get("/loser")
    async def loser() -> None:
        raise sa_exc.DBAPIError("UPDATE …", {}, _DriverError(sqlstate))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert_problem(await client.get("/loser"), 409, "concurrent_update")
