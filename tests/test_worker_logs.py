"""The worker's log: JSON lines, a summary of each pass that did work, and failures with
their time, level, type and message."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import chain_pending, record
from app.core.clock import FixedClock
from app.core.db import Database
from app.ops import worker as worker_module
from app.ops.worker import Worker
from app.web.auth import Principal, Role
from tests.conftest import Harness, make_settings, migrated_database
from tests.factories import PERSON_ID
from tests.server_process import run_worker_once

CLERK = Principal(sub="bob", roles=frozenset({Role.clerk}), department="371400-SPJ")


def worker_lines(text: str) -> list[dict[str, Any]]:
    """Every line parsed as JSON (a line that is not JSON fails the test)."""
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [line for line in lines if line["logger"] == "app.worker"]


def assert_timestamped(line: dict[str, Any]) -> None:
    assert datetime.fromisoformat(line["time"]).utcoffset() is not None


def lost_connection(*_args: object, **_kwargs: object) -> Any:
    """What asyncpg's error looks like through SQLAlchemy: statement and parameters."""
    raise OperationalError(
        "SELECT * FROM subjects WHERE id_number = $1",
        (PERSON_ID,),
        ConnectionResetError(f"connection to the server was lost (looking up {PERSON_ID})"),
    )


async def test_a_failing_job_is_one_line_with_time_level_type_and_message(
    app_harness: Harness,
    clock: FixedClock,
    log_output: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_module, "deliver_due", lost_connection)
    worker = Worker(app_harness.database, app_harness.settings, clock)
    try:
        with pytest.raises(OperationalError):
            await worker.run_once()
    finally:
        await worker.aclose()
    written = log_output.getvalue()
    assert PERSON_ID not in written
    assert "SELECT" not in written  # the statement stays out, and its parameters
    (line,) = worker_lines(written)
    assert_timestamped(line)
    assert (line["level"], line["message"], line["job"]) == (
        "error",
        "worker job failed",
        "webhooks",
    )
    assert line["error_type"] == "OperationalError"
    masked = PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    assert line["error"] == f"connection to the server was lost (looking up {masked})"
    assert line["error_at"].endswith(".py:" + line["error_at"].rsplit(":", 1)[1])


async def test_a_pass_that_did_work_writes_one_summary_line_with_its_counts(
    session: AsyncSession, app_harness: Harness, clock: FixedClock, log_output: io.StringIO
) -> None:
    await chain_pending(session)
    await session.commit()
    for n in range(3):
        await record(session, CLERK, action="t", target_type="t", target_id=str(n))
    await session.commit()
    worker = Worker(app_harness.database, app_harness.settings, clock)
    try:
        first = await worker.run_once()
        await worker.run_once()  # nothing left: no line
    finally:
        await worker.aclose()
    (line,) = worker_lines(log_output.getvalue())
    assert_timestamped(line)
    assert (line["level"], line["message"]) == ("info", "worker pass")
    assert line["counts"]["audit_chained"] == first.audit_chained >= 3
    assert set(line["counts"]) == {
        "commitments_overdue",
        "restrictions_changed",
        "events_sequenced",
        "deliveries_created",
        "deliveries",
        "audit_chained",
        "idempotency_keys_expired",
    }
    assert line["duration_ms"] >= 0


async def test_the_running_worker_logs_each_failed_pass_and_goes_on(
    app_harness: Harness,
    database_url: str,
    clock: FixedClock,
    log_output: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_module, "chain_pending", lost_connection)
    settings = make_settings(database_url, worker_interval_seconds=0.01)
    worker = Worker(app_harness.database, settings, clock)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    try:
        for _ in range(500):
            failures = [
                line
                for line in worker_lines(log_output.getvalue())
                if line["message"] == "worker job failed"
            ]
            if len(failures) >= 3 or task.done():
                break
            await asyncio.sleep(0.01)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await worker.aclose()
    assert len(failures) >= 3
    assert {(f["job"], f["error_type"]) for f in failures} == {("audit_chain", "OperationalError")}


def test_worker_once_writes_json_lines_on_stderr(tmp_path: Path) -> None:
    with migrated_database("sqlite", tmp_path) as url:

        async def audit_three() -> None:
            database = Database(url)
            try:
                async with database.sessionmaker() as session, session.begin():
                    for n in range(3):
                        await record(session, CLERK, action="t", target_type="t", target_id=str(n))
            finally:
                await database.dispose()

        asyncio.run(audit_three())
        done = run_worker_once(url)
    assert done.returncode == 0, done.stderr
    lines = worker_lines(done.stderr)  # every line on stderr is JSON
    passes = [line for line in lines if line["message"] == "worker pass"]
    assert len(passes) == 1, done.stderr
    assert passes[0]["counts"]["audit_chained"] >= 3
    assert_timestamped(passes[0])
    assert json.loads(done.stdout) == {"passes": 2}


def test_worker_once_against_an_unreachable_database_logs_the_failure(tmp_path: Path) -> None:
    done = run_worker_once("postgresql+asyncpg://postgres@127.0.0.1:9/zwfw_unreachable")
    assert done.returncode == 1
    (line,) = worker_lines(done.stderr)
    assert_timestamped(line)
    assert (line["level"], line["message"], line["job"]) == (
        "error",
        "worker job failed",
        "commitments",
    )
    assert line["error_type"] and line["error"]
    assert "Traceback" not in done.stderr
