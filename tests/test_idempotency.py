"""Idempotency-Key on creates (API.md): a retry with the same key returns the first result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from fastapi import FastAPI, Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clock import FixedClock
from app.consents.models import Consent
from app.idempotency.middleware import IdempotencyMiddleware, caller_key
from app.idempotency.models import IdempotencyRecord
from app.idempotency.repository import IdempotencyRepository
from app.main import create_app
from app.worker import Worker
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


async def test_a_key_in_use_is_answered_409_until_it_is_abandoned(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, clock: FixedClock
) -> None:
    # The first request with the key is still running (its pending record is committed).
    session.add(
        IdempotencyRecord(
            caller=caller_key("alice"),
            key=KEY,
            state="pending",
            owner="0" * 32,
            created_at=clock.now(),
            renewed_at=clock.now(),
        )
    )
    await session.commit()
    headers = keyed(auth("clerk"))
    busy = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert_problem(busy, 409, "idempotency_key_in_use")
    assert busy.headers["retry-after"] == "1"
    assert await consents(session) == 0

    # Not renewed for ten minutes, the request that held it is taken to be dead: this one
    # runs. A second earlier it still counts as running.
    clock.at += timedelta(minutes=9, seconds=59)
    assert_problem(
        await client.post(CONSENTS, json=consent_body(), headers=headers),
        409,
        "idempotency_key_in_use",
    )
    clock.at += timedelta(seconds=1)
    taken = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert taken.status_code == 201, taken.text
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

    # A hold nobody renewed for ten minutes is forgotten too; one still renewed is not.
    for key, renewed in (("abandoned", timedelta(minutes=10)), ("held", timedelta(minutes=9))):
        session.add(
            IdempotencyRecord(
                caller=caller_key("bob"),
                key=key,
                state="pending",
                owner=key.ljust(32, "0"),
                created_at=clock.now() - renewed,
                renewed_at=clock.now() - renewed,
            )
        )
    await session.commit()
    assert (await worker.run_once()).idempotency_keys_expired == 1
    assert {key for key, _ in await records(session)} == {KEY, "held"}

    # A minute on, the answer is a day old and the hold ten minutes stale.
    clock.at += timedelta(minutes=1)
    assert (await worker.run_once()).idempotency_keys_expired == 2
    assert await records(session) == []
    anew = await client.post(CONSENTS, json=consent_body(), headers=headers)
    assert anew.status_code == 201
    assert "idempotent-replayed" not in anew.headers
    assert await consents(session) == 2


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
    """A create route behind the middleware alone: it fails ``fail_first`` times, and
    answers the size and the count of the chunks of the body it streams."""
    app = FastAPI()
    calls = {"n": 0}

    @app.post("/things", status_code=201)
    async def create_thing(request: Request) -> dict[str, int]:
        calls["n"] += 1
        if calls["n"] <= fail_first:
            raise RuntimeError("the create failed")
        size = chunks = 0
        async for chunk in request.stream():
            size += len(chunk)
            chunks += bool(chunk)
        return {"call": calls["n"], "size": size, "chunks": chunks}

    app.add_middleware(
        IdempotencyMiddleware,
        routes=lambda: app.routes,
        database=lambda: harness.database,
        clock=lambda: clock,
        settings=harness.settings,
    )
    return app


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def records(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(select(IdempotencyRecord.key, IdempotencyRecord.state))
    return [(key, state) for key, state in rows]


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
        assert await records(session) == [(KEY, "done")]

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


async def test_only_the_request_that_holds_a_record_may_settle_it(
    session: AsyncSession, clock: FixedClock
) -> None:
    repository = IdempotencyRepository(session)
    caller = caller_key("alice")
    assert await repository.try_reserve(caller, KEY, "a" * 32, clock.now())
    assert not await repository.try_reserve(caller, KEY, "b" * 32, clock.now())
    # A request whose record was taken over (its owner is gone) changes nothing.
    await repository.release(caller, KEY, "b" * 32)
    await repository.complete(
        caller,
        KEY,
        "b" * 32,
        fingerprint="f" * 64,
        status_code=201,
        headers=[],
        body=b"{}",
        now=clock.now(),
    )
    await repository.renew(caller, KEY, "b" * 32, clock.now() + timedelta(minutes=5))
    session.expunge_all()
    record = await repository.get(caller, KEY)
    assert record is not None
    assert (record.state, record.owner, record.renewed_at) == ("pending", "a" * 32, clock.now())
    await repository.release(caller, KEY, "a" * 32)
    session.expunge_all()
    assert await repository.get(caller, KEY) is None
