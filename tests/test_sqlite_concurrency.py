"""The embedded SQLite database under requests at the same time: they wait their turn for
the write lock instead of failing (real commits on a database file of its own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.auth import mint_token
from app.clock import FixedClock
from app.db import Database
from app.main import create_app
from tests.conftest import (
    DEFAULT_NOW,
    TokenFactory,
    create_sqlite_database,
    make_settings,
    prepare_database,
)
from tests.factories import FOOD, ORG, record_consent, setup_catalog


@pytest.fixture
def database_file(tmp_path: Path) -> str:
    url = create_sqlite_database(tmp_path)
    prepare_database(url)
    return url


@pytest.fixture
async def client(database_file: str) -> AsyncIterator[httpx.AsyncClient]:
    database = Database(database_file)
    app = create_app(make_settings(database_file), database, clock=FixedClock(DEFAULT_NOW))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c
    await database.dispose()


@pytest.fixture
def auth(database_file: str) -> TokenFactory:
    settings = make_settings(database_file)

    def make(
        *roles: str, department: str | None = "371400-SPJ", sub: str = "alice"
    ) -> dict[str, str]:
        token = mint_token(
            settings, sub=sub, roles=list(roles), department=department, ttl_seconds=600
        )
        return {"Authorization": f"Bearer {token}"}

    return make


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
