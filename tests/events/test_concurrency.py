"""Real commits on PostgreSQL: concurrent writers and readers of the feed, two workers."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select

from app.audit.models import AuditEntry
from app.core.db import Database
from app.restrictions.models import Restriction
from app.subjects.models import Subject, subject_row
from tests.conftest import (
    TEST_DATA_KEY,
    TEST_INDEX_KEY,
    TEST_SECRET,
    TokenFactory,
    committing_client,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.factories import AGENCY, resident_id, setup_catalog


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_database("postgresql", tmp_path_factory.mktemp("unused")) as url:
        yield url


@pytest.fixture
def auth(own_postgres: str) -> TokenFactory:
    return token_factory(make_settings(own_postgres), department=AGENCY)


@pytest.fixture
async def live(own_postgres: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    async with committing_client(own_postgres) as (client, database):
        yield client, database


async def _catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    """This module's database is shared by its tests: set the catalog up once."""
    known = await client.get(f"/api/v1/departments/{AGENCY}", headers=auth("clerk"))
    if known.status_code == 404:
        await setup_catalog(client, auth)


def _person(n: int) -> dict[str, str]:
    return {
        "subject_type": "person",
        "id_number": resident_id(f"37140219900101{n:03d}"),
        "name": f"测试{n}",
    }


async def test_the_feed_has_no_gap_or_repeat_under_concurrent_writes(
    live: tuple[httpx.AsyncClient, Database], auth: TokenFactory
) -> None:
    client, _ = live
    await _catalog(client, auth)
    done = asyncio.Event()
    seen: list[dict[str, Any]] = []

    async def read_feed() -> None:
        after = 0
        while True:
            finished = done.is_set()
            page = (
                await client.get(
                    "/api/v1/events", params={"after": after}, headers=auth("platform")
                )
            ).json()
            seen.extend(page["items"])
            after = page["next_after"]
            if finished and not page["items"]:
                return
            await asyncio.sleep(0)

    async def write(n: int) -> int:
        body = {
            "subject": _person(n),
            "situation": "other",
            "source_channel": "other",
            "facts": f"事实{n}",
            "legal_basis": "依据",
        }
        response = await client.post("/api/v1/restrictions", json=body, headers=auth("clerk"))
        return response.status_code

    reader = asyncio.create_task(read_feed())
    statuses = await asyncio.gather(*(write(n) for n in range(10)))
    done.set()
    await reader
    assert statuses == [201] * 10
    positions = [e["position"] for e in seen]
    assert positions == list(range(1, len(positions) + 1))  # no gap, no repeat, in order
    assert len({e["event_id"] for e in seen}) == len(seen)
    assert len([e for e in seen if e["type"] == "restriction.collect"]) == 10


async def test_two_workers_over_a_thousand_due_items_do_each_once(
    live: tuple[httpx.AsyncClient, Database], auth: TokenFactory, own_postgres: str
) -> None:
    client, database = live
    await _catalog(client, auth)
    now = datetime.now(UTC)
    subjects = [
        subject_row("organization", f"W{n:017d}", f"企业{n}", None, now) for n in range(1000)
    ]
    due = {
        "date": "2026-01-09",
        "provisional": False,
        "unit": "working_days",
        "amount": 3,
        "start": "2026-01-06",
        "citation": "LZ §5(1)4",
        "name": "objection_due",
    }
    listings: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4(),
            "subject_id": s["id"],
            "status": "notified",
            "situation": "other",
            "source_channel": "other",
            "facts": "事实",
            "legal_basis": "依据",
            "legal_documents": [],
            "collecting_department": AGENCY,
            "profile": "shandong-combined",
            "notice_issued_on": date(2026, 1, 5),
            "notice_received_on": date(2026, 1, 6),
            "deadlines": {"objection_due": due},
            "current_due_on": date(2026, 1, 9),
            "created_by": "test",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for s in subjects
    ]
    async with database.sessionmaker() as session:
        await session.execute(insert(Subject), subjects)
        await session.execute(insert(Restriction), listings)
        await session.commit()

    env = {
        **os.environ,
        "ZWFW_DATABASE_URL": own_postgres,
        "ZWFW_JWT_SECRET": TEST_SECRET,
        "ZWFW_DATA_KEY": TEST_DATA_KEY,
        "ZWFW_BLIND_INDEX_KEY": TEST_INDEX_KEY,
    }
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.ops.cli",
            "worker",
            "--once",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = await asyncio.gather(*(w.communicate() for w in workers))
    assert [w.returncode for w in workers] == [0, 0], [r[1][-2000:] for r in results]

    async with database.sessionmaker() as session:
        recorded = await session.scalar(
            select(func.count(), func.count(func.distinct(AuditEntry.target_id))).where(
                AuditEntry.action == "restriction.objection_window_lapsed"
            )
        )
        pairs = (
            await session.execute(
                select(func.count(), func.count(func.distinct(AuditEntry.target_id))).where(
                    AuditEntry.action == "restriction.objection_window_lapsed"
                )
            )
        ).one()
        confirmed = await session.scalar(
            select(func.count()).select_from(Restriction).where(Restriction.status == "confirmed")
        )
    assert recorded == 1000
    assert tuple(pairs) == (1000, 1000)
    assert confirmed == 1000
