"""Concurrent signings get distinct serials: the serial counter of a region and day is
taken in one upsert that holds its row until the transaction ends (real commits, on a
database of this module's own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.commitments.register_models import CommitmentSerial, CreditCommitment
from app.core.db import Database
from tests.commitments.conftest import ALL_TRUE, passed_check
from tests.conftest import TokenFactory, make_settings, migrated_database, token_factory
from tests.conftest import committing_client as committing
from tests.factories import setup_catalog

CONCURRENT = 10


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with migrated_database(request.param, tmp_path_factory.mktemp("register")) as url:
        yield url


@pytest.fixture
def auth(own_database: str) -> TokenFactory:
    return token_factory(make_settings(own_database))


@pytest.fixture
async def committing_client(
    own_database: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    async with committing(own_database) as (client, database):
        yield client, database


@pytest.fixture(autouse=True)
async def catalog() -> None:
    """Override: the catalog goes into this module's own database below."""


async def test_concurrent_signings_get_distinct_serials(
    committing_client: tuple[httpx.AsyncClient, Database], auth: TokenFactory
) -> None:
    client, database = committing_client
    await setup_catalog(client, auth)
    checks = [await passed_check(client, auth) for _ in range(CONCURRENT)]

    def body(check: dict[str, Any]) -> dict[str, Any]:
        return {
            "credit_check_id": check["id"],
            "mode": "tolerance",
            "missing_materials": ["食品安全管理制度文本"],
            "affirmations": ALL_TRUE,
            "signed_by": "张三（法定代表人）",
            "signed_at": "2026-09-30T10:00:00+08:00",
        }

    responses = await asyncio.gather(
        *(client.post("/api/v1/commitments", json=body(c), headers=auth("clerk")) for c in checks)
    )
    assert [r.status_code for r in responses] == [201] * CONCURRENT, [r.text for r in responses]
    numbers = [r.json()["record"]["number"] for r in responses]
    assert len(set(numbers)) == CONCURRENT
    assert sorted(numbers) == [f"371400-20260930-{n:06d}" for n in range(1, CONCURRENT + 1)]

    async with database.sessionmaker() as session:
        stored = (await session.scalars(select(CreditCommitment.number))).all()
        serial = (await session.scalars(select(CommitmentSerial.last))).one()
    assert sorted(stored) == sorted(numbers)
    assert serial == CONCURRENT
