"""Idempotency-Key on creates (docs/api.md): a retry with the same key returns the first result."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.consents.models import Consent
from app.core.clock import FixedClock
from app.core.db import SessionDep
from app.core.errors import install_error_handlers
from app.main import create_app
from app.ops.worker import Worker
from app.web.auth import TokenVerifier
from app.web.idempotency.middleware import IdempotencyMiddleware, caller_key
from app.web.idempotency.models import IdempotencyRecord
from app.web.idempotency.repository import lock_number
from app.web.idempotency.transaction import KeepingRoute, require_kept_creates
from tests.conftest import Harness, TokenFactory
from tests.factories import PERSON, consent_body
from tests.test_app import assert_problem

CONSENTS = "/api/v1/consents"
KEY = "3f1c6a2e-0b7d-4c59-8e21-6d4a9b0c7e15"


def keyed(headers: dict[str, str], key: str = KEY) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def consents(session: AsyncSession) -> int:
    return int((await session.scalar(select(func.count()).select_from(Consent))) or 0)


async def test_a_retry_with_the_same_key_returns_the_first_result_and_creates_nothing(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    headers = keyed(auth("clerk"))
    first = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers

    again = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await consents(session) == 1

    # Without the key, the same body is a new consent.
    other = await client.post(CONSENTS, json=consent_body(), headers=auth("clerk"))
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert await consents(session) == 2


async def test_the_same_key_for_another_request_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    headers = keyed(auth("clerk"))
    assert (await client.post(CONSENTS, json=consent_body(), headers=headers)).status_code == 201
    changed = await client.post(
        CONSENTS, json=consent_body(evidence_ref="SQ-2026-000999"), headers=headers
    )
    assert_problem(changed, 422, "idempotency_key_reused")
    # Another path with the same key and body is another request too.
    elsewhere = await client.post(CONSENTS + "?x=1", json=consent_body(), headers=headers)
    assert_problem(elsewhere, 422, "idempotency_key_reused")
    assert await consents(session) == 1


async def test_keys_belong_to_their_caller(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    alice = await client.post(CONSENTS, json=consent_body(), headers=keyed(auth("clerk")))
    bob = await client.post(CONSENTS, json=consent_body(), headers=keyed(auth("clerk", sub="bob")))
    assert alice.status_code == bob.status_code == 201
    assert "idempotent-replayed" not in bob.headers
    assert alice.json()["id"] != bob.json()["id"]
    assert await consents(session) == 2


async def test_a_failed_request_keeps_nothing_and_may_be_retried_with_its_key(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    headers = keyed(auth("clerk"))
    bad = await client.post(CONSENTS, json=consent_body(expires_on="not a date"), headers=headers)
    assert bad.status_code == 422
    assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0

    fixed = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert fixed.status_code == 201, fixed.text
    assert "idempotent-replayed" not in fixed.headers
    assert await consents(session) == 1


async def test_a_key_in_use_is_answered_409_while_its_request_runs_and_is_free_after(
    app_harness: Harness, client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    if app_harness.settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one transaction at a time: a retry waits for the first")
    # The first request with the key is running: its transaction holds the key's lock.
    async with app_harness.database.engine.connect() as running:
        holding = await running.begin()
        await running.execute(
            select(func.pg_advisory_xact_lock(lock_number(caller_key("alice"), KEY)))
        )
        headers = keyed(auth("clerk"))
        busy = await client.post(CONSENTS, json=consent_body(), headers=headers)
        assert_problem(busy, 409, "idempotency_key_in_use")
        assert busy.headers["retry-after"] == "1"
        assert await consents(session) == 0
        # It ends without committing (it failed, or its process died and the server
        # ended its connection): nothing is held any more, at once.
        await holding.rollback()
    taken = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert taken.status_code == 201, taken.text
    assert "idempotent-replayed" not in taken.headers
    assert await consents(session) == 1


async def test_a_kept_answer_is_replayed_for_a_day_then_forgotten(
    app_harness: Harness,
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    clock: FixedClock,
) -> None:
    headers = keyed(auth("clerk"))
    first = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert first.status_code == 201

    clock.at += timedelta(hours=23, minutes=59)
    replayed = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert replayed.headers["idempotent-replayed"] == "true"
    worker = Worker(app_harness.database, app_harness.settings, clock)
    assert (await worker.run_once()).idempotency_keys_expired == 0
    assert await records(session) == [KEY]

    # A minute on, the answer is a day old: forgotten, and the key is new again.
    clock.at += timedelta(minutes=1)
    assert (await worker.run_once()).idempotency_keys_expired == 1
    assert await records(session) == []
    anew = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert anew.status_code == 201
    assert "idempotent-replayed" not in anew.headers
    assert await consents(session) == 2


async def test_an_answer_past_its_day_is_not_replayed_before_the_purge(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, clock: FixedClock
) -> None:
    headers = keyed(auth("clerk"))
    first = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert first.status_code == 201
    clock.at += timedelta(hours=24)
    anew = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert anew.status_code == 201, anew.text
    assert "idempotent-replayed" not in anew.headers
    assert anew.json()["id"] != first.json()["id"]
    assert await consents(session) == 2
    assert await records(session) == [KEY]


async def test_the_kept_answer_is_encrypted_at_rest(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    body = consent_body(PERSON)
    first = await client.post(CONSENTS, json=body, headers=keyed(auth("clerk")))
    assert first.status_code == 201, first.text
    assert PERSON["id_number"] in first.text  # the clerk's answer names the person
    stored = (await session.execute(text("SELECT body, headers FROM idempotency_keys"))).one()
    assert stored.body.startswith("zw1:t1:")
    for clear in (PERSON["id_number"], PERSON["name"], first.json()["id"]):
        assert clear not in stored.body
    assert base64.b64encode(first.content).decode() not in stored.body


async def test_a_malformed_key_is_refused_before_anything_runs(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    for key in ("x" * 256, "with space", "键"):
        response = await client.post(
            CONSENTS,
            json=consent_body(),
            headers=[
                *((name.encode(), value.encode()) for name, value in auth("clerk").items()),
                (b"Idempotency-Key", key.encode("utf-8")),
            ],
        )
        assert_problem(response, 422, "idempotency_key_invalid")
    assert await consents(session) == 0


async def test_only_creates_of_an_authenticated_caller_use_the_key(
    app_harness: Harness,
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    clock: FixedClock,
) -> None:
    # Without a valid token the route answers as ever: 401.
    anonymous = await client.post(CONSENTS, json=consent_body(), headers={"Idempotency-Key": KEY})
    assert_problem(anonymous, 401, "not_authenticated")
    # A POST that does not create (a revocation answers 200) ignores the header.
    consent = (await client.post(CONSENTS, json=consent_body(PERSON), headers=auth("clerk"))).json()
    revoked = await client.post(
        f"{CONSENTS}/{consent['id']}/revocation",
        json={"reason": "申请人撤回授权"},
        headers=keyed(auth("clerk")),
    )
    assert revoked.status_code == 200, revoked.text
    assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


def test_every_create_declares_the_header_and_nothing_else_does(
    app_harness: Harness, clock: FixedClock
) -> None:
    app = create_app(app_harness.settings, database=app_harness.database, clock=clock)
    paths = app.openapi()["paths"]
    declared = set()
    for path, item in paths.items():
        for method, operation in item.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "Idempotency-Key" in names:
                declared.add((method, path))
    creates = {
        ("post", path)
        for path, item in paths.items()
        if "post" in item and "201" in item["post"]["responses"]
    }
    assert ("post", CONSENTS) in declared
    assert ("post", "/api/v1/joint-punishment/imports") in declared
    assert ("post", CONSENTS + "/{consent_id}/revocation") not in declared
    assert declared == creates
    assert "409" in paths[CONSENTS]["post"]["responses"]


def _bare_app(harness: Harness, clock: FixedClock, fail_first: int = 0) -> FastAPI:
    """A create route behind the middleware alone, in a transaction of its own: it fails
    ``fail_first`` times, and answers the size and the count of the chunks of the body it
    streams (read after its session began)."""
    app = FastAPI()
    install_error_handlers(app)
    app.state.database = harness.database
    app.state.clock = clock
    router = APIRouter(route_class=KeepingRoute)
    calls = {"n": 0}

    @router.post("/things", status_code=201)
    async def create_thing(request: Request, session: SessionDep) -> dict[str, int]:
        calls["n"] += 1
        if calls["n"] <= fail_first:
            raise RuntimeError("the create failed")
        size = chunks = 0
        async for chunk in request.stream():
            size += len(chunk)
            chunks += bool(chunk)
        return {"call": calls["n"], "size": size, "chunks": chunks}

    app.include_router(router)
    app.add_middleware(
        IdempotencyMiddleware,
        routes=lambda: app.routes,
        clock=lambda: clock,
        settings=harness.settings,
        verifier=TokenVerifier(harness.settings),
    )
    return app


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def records(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(IdempotencyRecord.key)))


async def test_a_create_that_raises_frees_its_key(
    app_harness: Harness, auth: TokenFactory, session: AsyncSession, clock: FixedClock
) -> None:
    app = _bare_app(app_harness, clock, fail_first=1)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = keyed(auth("clerk"))
        failed = await client.post("/things", content=b"{}", headers=headers)
        assert failed.status_code == 500
        assert await records(session) == []
        retried = await client.post("/things", content=b"{}", headers=headers)
        assert retried.status_code == 201
        assert retried.json()["call"] == 2


async def test_a_streamed_body_is_fingerprinted_chunk_by_chunk(
    app_harness: Harness, auth: TokenFactory, session: AsyncSession, clock: FixedClock
) -> None:
    app = _bare_app(app_harness, clock)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    parts = (b"subject_type,id_number\n", b"organization,1\n", b"person,2\n")
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = keyed(auth("clerk"))
        first = await client.post("/things", content=_chunks(*parts), headers=headers)
        assert first.status_code == 201, first.text
        assert first.json() == {"call": 1, "size": sum(map(len, parts)), "chunks": 3}
        assert await records(session) == [KEY]

        # The same bytes in other chunks are the same request: replayed, not run.
        again = await client.post("/things", content=_chunks(b"".join(parts)), headers=headers)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        # One byte changed in the last chunk is another request.
        changed = await client.post(
            "/things", content=_chunks(*parts[:2], b"person,3\n"), headers=headers
        )
        assert (changed.status_code, changed.json()["code"]) == (422, "idempotency_key_reused")
        # So is the same body under another content type.
        typed = await client.post(
            "/things",
            content=_chunks(*parts),
            headers={**headers, "Content-Type": "application/x-ndjson"},
        )
        assert (typed.status_code, typed.json()["code"]) == (422, "idempotency_key_reused")


def test_an_app_with_a_create_that_would_not_keep_its_answer_does_not_start(
    app_harness: Harness,
) -> None:
    app = FastAPI()
    plain = APIRouter()

    @plain.post("/things", status_code=201)
    async def create_thing() -> dict[str, int]:
        return {}

    app.include_router(plain)
    with pytest.raises(RuntimeError, match="POST /things creates but is not a KeepingRoute"):
        require_kept_creates(app.routes)
    require_kept_creates(create_app(app_harness.settings, app_harness.database).routes)
