"""The subprocess harness itself: it serves, stops cleanly on SIGTERM, dies on SIGKILL and
keeps what the process wrote to stderr."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings, migrated_database, token_factory
from tests.factories import consent_body
from tests.server_process import ServerFailed, ServerProcess, running_server, set_clock


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database("sqlite", tmp_path_factory.mktemp("server")) as url:
        yield url


def test_serves_then_stops_on_sigterm(sqlite_url: str, tmp_path: Path) -> None:
    with running_server(sqlite_url, tmp_path) as server:
        ready = httpx.get(server.base_url + "/readyz", timeout=5)
        assert ready.status_code == 200
        assert ready.json()["database"] == "ok"
        missing = httpx.get(server.base_url + "/api/v1/no-such-route", timeout=5)
        assert missing.status_code == 404
    assert not server.running()
    # uvicorn shuts down cleanly, then re-raises the signal it caught.
    assert server.process.returncode in (0, -signal.SIGTERM)
    assert "Application startup complete" in server.stderr_text()
    assert "Application shutdown complete" in server.stderr_text()


def test_kill_ends_the_process_with_sigkill(sqlite_url: str, tmp_path: Path) -> None:
    with running_server(sqlite_url, tmp_path) as server:
        assert server.kill() == -signal.SIGKILL
        assert not server.running()
        with pytest.raises(httpx.TransportError):
            httpx.get(server.base_url + "/healthz", timeout=2)
    assert "Application shutdown complete" not in server.stderr_text()


def test_a_process_that_cannot_start_fails_with_its_stderr(tmp_path: Path) -> None:
    server = ServerProcess(
        "sqlite+aiosqlite:///" + str(tmp_path / "x.db"), tmp_path, env={"ZWFW_NO_SUCH": "1"}
    )
    with pytest.raises(ServerFailed, match="unknown setting"):
        server.wait_ready(timeout=20)
    assert server.stop() == 2


def test_a_clocked_process_reads_now_from_its_file(sqlite_url: str, tmp_path: Path) -> None:
    clock = tmp_path / "now"
    set_clock(clock, datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Mon 10:00 in Shanghai
    clerk = token_factory(make_settings(sqlite_url))("clerk")
    with running_server(sqlite_url, tmp_path, clock_file=clock) as server:
        first = httpx.post(
            server.base_url + "/api/v1/consents", json=consent_body(), headers=clerk, timeout=5
        )
        assert first.status_code == 201, first.text
        assert first.json()["granted_at"].startswith("2026-03-02T02:00:00")
        set_clock(clock, datetime(2026, 9, 30, 2, 0, tzinfo=UTC))
        second = httpx.post(
            server.base_url + "/api/v1/consents", json=consent_body(), headers=clerk, timeout=5
        )
        assert second.status_code == 201, second.text
        assert second.json()["granted_at"].startswith("2026-09-30T02:00:00")
