"""An import's body is received whole, into a temporary file, before the database is used.

A slow upload holds a file, not a pooled connection (nor, on SQLite, the write lock); a
client that goes away mid-body gets nothing written, and the server logs no error.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.core.db import Database
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.main import create_app
from tests.conftest import DEFAULT_NOW, committing_client, make_settings, migrated_database
from tests.conftest import token_factory as make_token_factory
from tests.joint_punishment.support import CSV, IMPORTS, csv_body, valid_resident_id, valid_uscc
from tests.server_process import running_server

NAMES = ("王小明", "某某科技有限公司")
PERSON = valid_resident_id(424_242)
ORG = valid_uscc(424_242)
ROWS = [
    ["person", PERSON, NAMES[0], "失信被执行人", "最高人民法院", "2026-01-01", ""],
    ["organization", ORG, NAMES[1], "失信联合惩戒对象", "国家发展改革委", "2026-01-01", ""],
]
BODY = csv_body(ROWS)
# The header line and the first row arrive; the second row never does.
FIRST_PART = BODY[: BODY.index(b"\n", BODY.index(b"\n") + 1) + 1]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fresh_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of this module's own: its tests commit, and count every row."""
    with migrated_database(request.param, tmp_path_factory.mktemp("upload")) as url:
        yield url


async def _counts(url: str) -> tuple[int | None, ...]:
    """Imports, entries and import audit entries in the database at ``url``."""
    database = Database(url)
    try:
        async with database.sessionmaker() as session:
            audited = select(func.count()).where(AuditEntry.action == "joint_punishment.import")
            return (
                await session.scalar(select(func.count()).select_from(JointPunishmentImport)),
                await session.scalar(select(func.count()).select_from(JointPunishmentEntry)),
                await session.scalar(audited),
            )
    finally:
        await database.dispose()


def _admin(url: str) -> dict[str, str]:
    return make_token_factory(make_settings(url))("admin")


def _open_files_under(directory: Path) -> int:
    """How many of this process's file descriptors are open on a file in ``directory``
    (an anonymous temporary file included: it shows as ``<dir>/#<inode> (deleted)``)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{directory}/"):
            count += 1
    return count


def _names_in(directory: Path) -> list[str]:
    return os.listdir(directory)


async def test_no_pooled_connection_is_taken_while_the_body_arrives(fresh_url: str) -> None:
    async with committing_client(fresh_url) as (client, database):
        pool = database.engine.pool
        assert isinstance(pool, QueuePool)
        asked_for_more = asyncio.Event()
        go_on = asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            yield FIRST_PART
            # Runs when the application asks for the next part: it has the first.
            asked_for_more.set()
            await go_on.wait()
            yield BODY[len(FIRST_PART) :]

        upload = asyncio.create_task(
            client.post(IMPORTS, content=slow_body(), headers={**CSV, **_admin(fresh_url)})
        )
        await asyncio.wait_for(asked_for_more.wait(), timeout=30)
        checked_out_mid_body = pool.checkedout()
        go_on.set()
        response = await upload
        assert checked_out_mid_body == 0
        assert response.status_code == 201, response.text
        assert (response.json()["accepted"], response.json()["rejected"]) == (2, 0)
        assert pool.checkedout() == 0


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("imported", 201), ("bad_header", 422), ("too_large", 413), ("broken_off", 500)],
)
async def test_the_body_is_spooled_to_a_temporary_file_that_is_always_removed(
    fresh_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    outcome: str,
    status: int,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    body = BODY
    if outcome == "bad_header":
        body = b"type,number\n" + body.split(b"\n", 1)[1]
    elif outcome == "too_large":
        body = csv_body(ROWS * 40)  # about 4.6 KB, over the 2 KiB cap below
    settings = make_settings(fresh_url, max_import_bytes=2048)
    database = Database(fresh_url)
    app = create_app(settings, database=database, clock=FixedClock(DEFAULT_NOW))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    open_mid_body: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1024):
            yield body[start : start + 1024]
            open_mid_body.append(_open_files_under(tmp_path))
        if outcome == "broken_off":
            raise RuntimeError("the upload broke off")

    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.post(
                IMPORTS, content=chunks(), headers={**CSV, **_admin(fresh_url)}
            )
    finally:
        await database.dispose()
    assert response.status_code == status, response.text
    # While the body arrived it was in a file of the temporary directory, not in memory.
    assert open_mid_body and open_mid_body[0] == 1
    assert _open_files_under(tmp_path) == 0
    assert _names_in(tmp_path) == []


def _stderr_lines(text_: str) -> list[dict[str, Any]]:
    lines = []
    for line in text_.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            lines.append(entry)
    return lines


def _database_held(url: str) -> bool:
    """Does another session hold the database: an open transaction (PostgreSQL), or the
    write lock (SQLite)?"""
    if url.startswith("sqlite"):
        path = make_url(url).database
        assert path is not None
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return True
        else:
            connection.execute("ROLLBACK")
            return False
        finally:
            connection.close()

    async def busy_sessions() -> int:
        database = Database(url)
        try:
            async with database.engine.connect() as connection:
                found = await connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid() AND state <> 'idle'"
                    )
                )
                return int(found or 0)
        finally:
            await database.dispose()

    return asyncio.run(busy_sessions()) > 0


def _wait_for_access_line(server: Any, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        for entry in _stderr_lines(server.stderr_text()):
            if entry.get("message") == "request" and entry.get("path") == IMPORTS:
                return entry
        if time.monotonic() > deadline:
            raise AssertionError("no access line for the import:\n" + server.stderr_text())
        time.sleep(0.05)


def test_a_client_that_goes_away_mid_body_gets_nothing_written_and_no_error_logged(
    fresh_url: str, tmp_path: Path
) -> None:
    """A real server on loopback and a raw socket: the request head, then (once the
    server asks for the body: ``100 Continue``) part of the body, then the socket closes."""
    before = asyncio.run(_counts(fresh_url))
    token = _admin(fresh_url)["Authorization"]
    with running_server(fresh_url, tmp_path) as server:
        head = (
            f"POST {IMPORTS} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            f"Authorization: {token}\r\n"
            "Content-Type: text/csv\r\n"
            f"Content-Length: {len(BODY)}\r\n"
            "Expect: 100-continue\r\n"
            "\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as client:
            client.sendall(head)
            answer = b""
            while b"\r\n\r\n" not in answer:
                received = client.recv(1024)
                assert received, "the server closed the connection"
                answer += received
            # The application has asked for the body: whatever it opens first is open.
            assert answer.startswith(b"HTTP/1.1 100 Continue\r\n"), answer
            held_before_body = _database_held(fresh_url)
            client.sendall(FIRST_PART)
            held_mid_body = _database_held(fresh_url)
        access = _wait_for_access_line(server)
        stderr = server.stderr_text()
        after_abandoned = asyncio.run(_counts(fresh_url))

        # The same upload sent whole is imported: the counts below could change.
        whole = httpx.post(
            server.base_url + IMPORTS,
            content=BODY,
            headers={**CSV, "Authorization": token},
            timeout=30,
        )

    assert (held_before_body, held_mid_body) == (False, False)
    assert access["status"] is None  # nothing was answered: there was no one to answer
    entries = _stderr_lines(stderr)
    assert [e for e in entries if e["level"] in ("error", "critical")] == []
    assert "Traceback" not in stderr and "ClientDisconnect" not in stderr
    assert not any("exception" in e for e in entries)
    warnings = [e for e in entries if e["level"] == "warning"]
    assert len(warnings) <= 1, warnings
    for secret in (PERSON, ORG, *NAMES):
        assert secret not in stderr
    assert after_abandoned == before

    assert whole.status_code == 201, whole.text
    imports, entries_count, audited = before
    assert asyncio.run(_counts(fresh_url)) == (
        (imports or 0) + 1,
        (entries_count or 0) + 2,
        (audited or 0) + 1,
    )
