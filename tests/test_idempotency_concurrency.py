"""Twenty retries of one create at once, with one Idempotency-Key: one consent, one answer
(real commits, on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import func, select

from app.consents.models import Consent
from app.core.clock import FixedClock
from app.core.db import Database, SessionDep
from app.core.errors import install_error_handlers
from app.web.auth import TokenVerifier
from app.web.idempotency.middleware import IdempotencyMiddleware
from app.web.idempotency.transaction import KeepingRoute
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


async def test_a_running_request_holds_its_key_however_long_it_runs(
    own_database: str, auth: TokenFactory
) -> None:
    clock = FixedClock(DEFAULT_NOW)
    database = Database(own_database)
    settings = make_settings(own_database)
    started, finish = asyncio.Event(), asyncio.Event()
    app = FastAPI()
    app.state.database = database
    app.state.clock = clock
    router = APIRouter(route_class=KeepingRoute)

    @router.post("/imports", status_code=201)
    async def slow_import(session: SessionDep) -> dict[str, bool]:
        started.set()
        await finish.wait()
        return {"imported": True}

    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(
        IdempotencyMiddleware,
        routes=lambda: app.routes,
        clock=lambda: clock,
        settings=settings,
        verifier=TokenVerifier(settings),
    )
    headers = {**auth("clerk"), "Idempotency-Key": "slow-import-1"}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = asyncio.create_task(client.post("/imports", headers=headers))
            await asyncio.wait_for(started.wait(), 5)
            # Eleven minutes into the first request, it still holds the key: no time
            # limit takes a key from a request that is running.
            clock.at += timedelta(minutes=11)
            retry = asyncio.create_task(client.post("/imports", headers=headers))
            if own_database.startswith("postgresql"):
                busy = await asyncio.wait_for(retry, 5)
                assert (busy.status_code, busy.json()["code"]) == (409, "idempotency_key_in_use")
            else:
                # SQLite runs one transaction at a time: the retry waits for the first.
                await asyncio.sleep(0.2)
                assert not retry.done()
            finish.set()
            assert (await first).status_code == 201
            if not own_database.startswith("postgresql"):
                waited = await asyncio.wait_for(retry, 10)
                assert waited.headers["idempotent-replayed"] == "true"
            replayed = await client.post("/imports", headers=headers)
            assert replayed.headers["idempotent-replayed"] == "true"
            assert replayed.json() == {"imported": True}
    finally:
        finish.set()
        await database.dispose()
