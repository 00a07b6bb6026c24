"""The embedded SQLite database under requests at the same time: they wait their turn for
the write lock instead of failing (real commits on a database file of its own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    TokenFactory,
    committing_client,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.factories import FOOD, ORG, record_consent, setup_catalog


@pytest.fixture
def database_file(tmp_path: Path) -> Iterator[str]:
    with migrated_database("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
async def client(database_file: str) -> AsyncIterator[httpx.AsyncClient]:
    async with committing_client(database_file) as (client, _):
        yield client


@pytest.fixture
def auth(database_file: str) -> TokenFactory:
    return token_factory(make_settings(database_file))


async def test_concurrent_writes_all_succeed(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)
    consent = await record_consent(client, auth)
    clerk = auth("clerk")
    check = {
        "subject": ORG,
        "matter_code": FOOD,
        "mode": "notify_commit",
        "purpose": "credit_facilitation",
        "consent_id": consent["id"],
    }
    responses = await asyncio.gather(
        *(client.post("/api/v1/credit-checks", json=check, headers=clerk) for _ in range(20)),
        *(client.get(f"/api/v1/consents/{consent['id']}", headers=clerk) for _ in range(10)),
    )
    assert [r.status_code for r in responses] == [201] * 20 + [200] * 10, [
        r.text for r in responses if r.status_code >= 400
    ]
    ids = {r.json()["id"] for r in responses[:20]}
    assert len(ids) == 20
