"""A keyed create across a crash and an outage, in real server processes.

- The process is killed (``SIGKILL``) right after the create committed, before its answer
  went out: the retry, to a new process, gets the first resource back and nothing new.
- The process is killed while its create runs, before the commit: the key is free at once.
- PostgreSQL stops while the create runs: the request fails with 503 and, once the
  database is back, the retry runs at once (no key held past the outage).

The pause points are the service's fault hook (``ZWFW_FAULT_PAUSE``): the process writes a
marker file there and waits until the test removes it, or kills the process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import (
    DEFAULT_NOW,
    TokenFactory,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.factories import PERSON, setup_catalog
from tests.server_process import running_server, set_clock
from tests.test_database_faults import Cluster, cluster  # noqa: F401 - the fixture

RESTRICTIONS = "/api/v1/restrictions"
KEY = "listing-7f3a9c2e"


def listing_body() -> dict[str, Any]:
    return {
        "subject": {**PERSON, "address": "山东省德州市德城区新湖大街1号"},
        "situation": "false_materials",
        "source_channel": "investigation",
        "facts": "申请食品经营许可时提供虚假的经营场所证明",
        "legal_basis": "临政管办发〔2022〕3号 五(一)2",
        "legal_documents": ["德审批核〔2026〕12号"],
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with migrated_database(request.param, tmp_path) as url:
        yield url


async def _wait_for(marker: Path, request: asyncio.Task[httpx.Response]) -> None:
    deadline = time.monotonic() + 30
    while not await asyncio.to_thread(marker.exists):
        if request.done():
            raise AssertionError(f"the request ended before its pause: {request.result().text}")
        if time.monotonic() > deadline:
            raise AssertionError("the server never reached its pause point")
        await asyncio.sleep(0.05)


async def _listing_ids(url: str) -> list[str]:
    if url.startswith("sqlite"):
        import aiosqlite

        path = make_url(url).database
        assert path is not None
        async with aiosqlite.connect(path) as connection:
            cursor = await connection.execute("SELECT id FROM restrictions")
            return [str(row[0]) for row in await cursor.fetchall()]
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        return [str(row["id"]) for row in await connection.fetch("SELECT id FROM restrictions")]
    finally:
        await connection.close()


def _hex(identifier: str) -> str:
    return identifier.replace("-", "")


async def _killed_at(url: str, directory: Path, auth: TokenFactory, stage: str) -> None:
    """Send the keyed create to a server that pauses at ``stage``; kill it there."""
    marker = directory / f"paused-{stage}"
    clock = directory / "clock"
    set_clock(clock, DEFAULT_NOW)
    env = {"ZWFW_FAULT_PAUSE": f"{stage}:{marker}"}
    with running_server(url, directory, env=env, clock_file=clock, name=stage) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
            await setup_catalog(client, auth)  # no keys: nothing pauses
            headers = {**auth("clerk"), "Idempotency-Key": KEY}
            request = asyncio.create_task(
                client.post(RESTRICTIONS, json=listing_body(), headers=headers)
            )
            await _wait_for(marker, request)
            server.kill()
            with pytest.raises(httpx.TransportError):
                await request


async def _retry(url: str, directory: Path, auth: TokenFactory) -> httpx.Response:
    clock = directory / "clock"
    with running_server(url, directory, clock_file=clock, name="after") as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
            headers = {**auth("clerk"), "Idempotency-Key": KEY}
            return await client.post(RESTRICTIONS, json=listing_body(), headers=headers)


async def test_a_create_killed_after_its_commit_is_replayed_by_the_next_process(
    own_database: str, tmp_path: Path
) -> None:
    auth = token_factory(make_settings(own_database))
    await _killed_at(own_database, tmp_path, auth, "committed")
    committed = await _listing_ids(own_database)
    assert len(committed) == 1  # the create committed before the process died

    retry = await _retry(own_database, tmp_path, auth)
    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert _hex(retry.json()["id"]) == _hex(committed[0])
    assert await _listing_ids(own_database) == committed  # exactly one listing


async def test_a_create_killed_before_its_commit_leaves_its_key_free(
    own_database: str, tmp_path: Path
) -> None:
    auth = token_factory(make_settings(own_database))
    await _killed_at(own_database, tmp_path, auth, "began")
    assert await _listing_ids(own_database) == []  # nothing of it committed

    retry = await _retry(own_database, tmp_path, auth)
    assert retry.status_code == 201, retry.text  # not held: it runs at once
    assert "idempotent-replayed" not in retry.headers
    assert [_hex(i) for i in await _listing_ids(own_database)] == [_hex(retry.json()["id"])]


async def test_postgresql_stopped_mid_create_holds_no_key_past_the_outage(
    cluster: Cluster,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = cluster.url
    auth = token_factory(make_settings(url))
    marker = tmp_path / "paused"
    clock = tmp_path / "clock"
    set_clock(clock, DEFAULT_NOW)
    env = {"ZWFW_FAULT_PAUSE": f"began:{marker}"}
    with running_server(url, tmp_path, env=env, clock_file=clock, name="outage") as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as client:
            await setup_catalog(client, auth)
            headers = {**auth("clerk"), "Idempotency-Key": KEY}
            request = asyncio.create_task(
                client.post(RESTRICTIONS, json=listing_body(), headers=headers)
            )
            await _wait_for(marker, request)
            cluster.stop()  # the create's connection goes with the server
            marker.unlink()
            failed = await request
            assert failed.status_code == 503, failed.text
            assert failed.json()["code"] == "database_unavailable"
            cluster.start()
            # The same process, at once: the retry pauses at the same point and goes on.
            retrying = asyncio.create_task(
                client.post(RESTRICTIONS, json=listing_body(), headers=headers)
            )
            await _wait_for(marker, retrying)
            marker.unlink()
            retry = await retrying
            assert retry.status_code == 201, retry.text
            assert "idempotent-replayed" not in retry.headers
            again = await client.post(RESTRICTIONS, json=listing_body(), headers=headers)
            assert again.headers["idempotent-replayed"] == "true"
            assert again.json()["id"] == retry.json()["id"]
    assert [_hex(i) for i in await _listing_ids(url)] == [_hex(retry.json()["id"])]
