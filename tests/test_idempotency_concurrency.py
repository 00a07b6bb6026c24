"""Twenty retries of one create at once, with one Idempotency-Key: one consent, one answer
(real commits, on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.clock import FixedClock
from app.consents.models import Consent
from app.db import Database
from app.idempotency import middleware
from tests.conftest import (
    DEFAULT_NOW,
    TokenFactory,
    committing_client,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.factories import consent_body, setup_catalog
from tests.test_idempotency import CONSENTS, KEY


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own: this test commits for real."""
    with migrated_database(request.param, tmp_path_factory.mktemp("idempotency")) as url:
        yield url


@pytest.fixture
def auth(own_database: str) -> TokenFactory:
    return token_factory(make_settings(own_database))


@pytest.fixture
async def committing(own_database: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    async with committing_client(own_database) as (client, database):
        yield client, database


async def test_concurrent_retries_with_one_key_create_once(
    committing: tuple[httpx.AsyncClient, Database], auth: TokenFactory
) -> None:
    client, database = committing
    await setup_catalog(client, auth)
    headers = {**auth("clerk"), "Idempotency-Key": KEY}

    responses = await asyncio.gather(
        *(client.post(CONSENTS, json=consent_body(), headers=headers) for _ in range(20))
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
        "idempotency_key_in_use"
    }
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1

    # Once the first is done, every retry gets its answer.
    again = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] in created
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Consent)) == 1


async def test_a_running_request_keeps_its_hold_on_the_key(
    own_database: str, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Renewed every 20 ms instead of every 2 minutes, so the test need not wait.
    monkeypatch.setattr(middleware, "RENEW_EVERY", timedelta(milliseconds=20))
    clock = FixedClock(DEFAULT_NOW)
    database = Database(own_database)
    settings = make_settings(own_database)
    started, finish = asyncio.Event(), asyncio.Event()
    app = FastAPI()

    @app.post("/imports", status_code=201)
    async def slow_import() -> dict[str, bool]:
        started.set()
        await finish.wait()
        return {"imported": True}

    app.add_middleware(
        middleware.IdempotencyMiddleware,
        routes=lambda: app.routes,
        database=lambda: database,
        clock=lambda: clock,
        settings=settings,
    )
    headers = {**auth("clerk"), "Idempotency-Key": "slow-import-1"}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = asyncio.create_task(client.post("/imports", headers=headers))
            await asyncio.wait_for(started.wait(), 5)
            # Eleven minutes into the first request: past the ten after which a hold
            # nobody renews is abandoned. The running request renews it meanwhile.
            clock.at += timedelta(minutes=11)
            await asyncio.sleep(0.2)
            retry = await asyncio.wait_for(client.post("/imports", headers=headers), 5)
            assert (retry.status_code, retry.json()["code"]) == (409, "idempotency_key_in_use")
            finish.set()
            assert (await first).status_code == 201
            replayed = await client.post("/imports", headers=headers)
            assert replayed.headers["idempotent-replayed"] == "true"
    finally:
        finish.set()
        await database.dispose()
