"""The service skeleton: health, problem+json, request ids, auth, audit log, OpenAPI."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from pydantic import SecretStr
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.audit.service import record
from app.core.db import Database, SessionDep
from app.core.errors import problem_body
from app.main import create_app
from app.web.auth import Principal, Role
from tests.conftest import TEST_SECRET, Harness, TokenFactory
from tests.factories import PERSON, setup_catalog

PROBLEM = "application/problem+json"
AUDIT = "/api/v1/audit-log"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert isinstance(body["title"], str) and body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return dict(body)


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "alive"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


async def test_readyz_is_503_when_the_database_is_unreachable(settings: object) -> None:
    from tests.conftest import make_settings

    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    app = create_app(make_settings(url), database=Database(url))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/readyz")
    problem = assert_problem(response, 503, "database_unavailable")
    assert problem["database"] == "unreachable"
    assert response.headers["retry-after"] == "5"


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/healthz", headers={"X-Request-ID": "req-123.abc"})
    assert echoed.headers["x-request-id"] == "req-123.abc"
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    # A header that could inject into logs is replaced, not echoed.
    unsafe = await client.get("/healthz", headers={"X-Request-ID": "a b\tc"})
    assert unsafe.headers["x-request-id"] != "a b\tc"


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/nothing-here"), 404, "not_found")


async def test_validation_error_lists_each_bad_field(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.get(
        AUDIT, params={"limit": 0, "cursor": "x" * 600}, headers=auth("auditor")
    )
    body = assert_problem(response, 422, "validation_failed")
    fields = {error["field"] for error in body["errors"]}  # type: ignore[attr-defined]
    assert fields == {"query.limit", "query.cursor"}


async def test_bad_cursor_is_a_422_problem(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    response = await client.get(AUDIT, params={"cursor": "!!notbase64"}, headers=auth("auditor"))
    assert_problem(response, 422, "invalid_cursor")


async def test_an_undecodable_body_is_a_400_problem(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.post(
        "/api/v1/consents",
        content=b'{"purpose": "\xff\xfe"}',
        headers={**auth("clerk"), "Content-Type": "application/json"},
    )
    assert_problem(response, 400, "malformed_body")


async def test_text_with_a_nul_character_is_a_422_problem(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    # PostgreSQL cannot store U+0000 and SQLite can: both answer the same.
    response = await client.get(AUDIT, params={"actor": "a\x00b"}, headers=auth("auditor"))
    assert_problem(response, 422, "nul_character")


async def test_a_number_past_64_bits_is_a_422_problem(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    raw = json.dumps({"after": 2**64}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = await client.get(AUDIT, params={"cursor": cursor}, headers=auth("auditor"))
    assert_problem(response, 422, "number_out_of_range")
    # Where the number is a parameter, its bound is declared and checked first.
    feed = await client.get("/api/v1/events", params={"after": 2**63}, headers=auth("platform"))
    assert_problem(feed, 422, "validation_failed")
    chain = await client.get(
        f"{AUDIT}/verification", params={"from_position": 2**63}, headers=auth("auditor")
    )
    assert_problem(chain, 422, "validation_failed")


async def test_unhandled_error_is_a_500_problem_without_internals(
    app_harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(app_harness.settings, database=app_harness.database)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/boom", headers={"X-Request-ID": "boom-1"})
    body = assert_problem(response, 500, "internal_error")
    assert "secret internal detail" not in response.text
    assert body["request_id"] == "boom-1"
    logged = [r for r in caplog.records if r.exc_info and r.name == "app.request"]
    assert logged, "the error is logged"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "not_authenticated"),
        ({"Authorization": "Basic YWxpY2U6c2VjcmV0"}, "not_authenticated"),
        ({"Authorization": "Bearer not-a-jwt"}, "token_invalid"),
    ],
)
async def test_missing_or_malformed_token_is_401(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> None:
    response = await client.get(AUDIT, headers=headers)
    assert_problem(response, 401, code)
    assert response.headers["www-authenticate"] == "Bearer"


def _token(secret: str, **claims: object) -> dict[str, str]:
    now = datetime.now(UTC)
    payload = {"sub": "alice", "roles": ["auditor"], "iat": now, "exp": now + timedelta(minutes=5)}
    payload.update(claims)
    return {"Authorization": "Bearer " + jwt.encode(payload, secret, algorithm="HS256")}


async def test_expired_token_is_401(client: httpx.AsyncClient) -> None:
    expired = _token(TEST_SECRET, exp=datetime.now(UTC) - timedelta(seconds=5))
    assert_problem(await client.get(AUDIT, headers=expired), 401, "token_expired")


async def test_a_token_accepted_before_is_refused_once_it_expires(
    client: httpx.AsyncClient,
) -> None:
    # Expires at the next whole second (JWT times are whole seconds) and a second later.
    expires = int(time.time()) + 2
    token = _token(TEST_SECRET, exp=expires)
    assert (await client.get(AUDIT, headers=token)).status_code == 200
    assert (await client.get(AUDIT, headers=token)).status_code == 200
    await asyncio.sleep(max(0.0, expires - time.time()) + 0.05)
    assert_problem(await client.get(AUDIT, headers=token), 401, "token_expired")


async def test_a_token_accepted_under_one_secret_is_refused_under_another(
    client: httpx.AsyncClient, app_harness: Harness
) -> None:
    token = _token(TEST_SECRET)
    assert (await client.get(AUDIT, headers=token)).status_code == 200
    other = app_harness.settings.model_copy(
        update={"jwt_secret": SecretStr("another-secret-of-enough-length-0123456789")}
    )
    app = create_app(other, database=app_harness.database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as elsewhere:
        assert_problem(await elsewhere.get(AUDIT, headers=token), 401, "token_invalid")
    await app.state.rate_limiter.aclose()


async def test_wrongly_signed_token_is_401(client: httpx.AsyncClient) -> None:
    forged = _token("another-secret-of-enough-length-0123456789")
    assert_problem(await client.get(AUDIT, headers=forged), 401, "token_invalid")


@pytest.mark.parametrize(
    "claims",
    [{"sub": "a" * 201}, {"sub": ""}, {"department": "3" * 33}, {"department": ""}],
    ids=["sub-201", "sub-empty", "department-33", "department-empty"],
)
async def test_a_token_whose_claims_cannot_be_recorded_is_401(
    client: httpx.AsyncClient, claims: dict[str, str]
) -> None:
    # Who acts is recorded with what they do: a claim no column holds is no identity.
    body = {"code": "371400-XYZ", "name": "某部门", "region_code": "371400"}
    token = _token(TEST_SECRET, roles=["admin"], **claims)
    response = await client.post("/api/v1/departments", json=body, headers=token)
    assert_problem(response, 401, "token_invalid")


async def test_the_longest_recordable_claims_are_accepted(client: httpx.AsyncClient) -> None:
    body = {"code": "371400-XYZ", "name": "某部门", "region_code": "371400"}
    token = _token(TEST_SECRET, roles=["admin"], sub="a" * 200, department="3" * 32)
    response = await client.post("/api/v1/departments", json=body, headers=token)
    assert response.status_code == 201, response.text


async def test_token_without_expiry_is_401(client: httpx.AsyncClient) -> None:
    token = jwt.encode({"sub": "alice", "roles": ["auditor"]}, TEST_SECRET, algorithm="HS256")
    response = await client.get(AUDIT, headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "token_invalid")


async def test_token_with_alg_none_is_401(client: httpx.AsyncClient) -> None:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims = {"sub": "x", "roles": ["auditor"], "exp": 4102444800}
    token = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
    response = await client.get(AUDIT, headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "token_invalid")


@pytest.mark.parametrize("role", ["clerk", "admin", "verifier", "regulator", "platform"])
async def test_wrong_role_is_403(client: httpx.AsyncClient, auth: TokenFactory, role: str) -> None:
    assert_problem(await client.get(AUDIT, headers=auth(role)), 403, "role_forbidden")


async def test_audit_log_pages_with_a_cursor(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    clerk = Principal(sub="bob", roles=frozenset({Role.clerk}), department="371400-SPJ")
    for n in range(5):
        await record(
            session,
            clerk,
            action="example.write",
            target_type="example",
            target_id=f"t{n}",
            purpose="testing",
        )
    await session.commit()

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2, "action": "example.write"}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(AUDIT, params=params, headers=auth("auditor"))
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [item["target_id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["t0", "t1", "t2", "t3", "t4"]
    assert pages == 3
    params = {"limit": 1, "action": "example.write"}
    first = (await client.get(AUDIT, params=params, headers=auth("auditor"))).json()
    entry = first["items"][0]
    assert entry["actor"] == "bob"
    assert entry["roles"] == ["clerk"]
    assert entry["department"] == "371400-SPJ"
    assert entry["purpose"] == "testing"
    assert entry["recorded_at"].endswith(("Z", "+00:00"))


async def test_request_transaction_commits_on_success_and_rolls_back_on_error(
    settings: object, database: Database
) -> None:
    """The real commit path: no test transaction around it."""
    from tests.conftest import make_settings

    app = create_app(make_settings(database.url), database=Database(database.url))
    marker = "commit-path-" + datetime.now(UTC).strftime("%H%M%S%f")
    actor = Principal(sub=marker, roles=frozenset(), department=None)

    @app.post("/write")
    async def write(session: SessionDep, fail: bool = False) -> dict[str, bool]:
        await record(session, actor, action="write", target_type="t", target_id="1")
        if fail:
            raise RuntimeError("after the write")
        return {"ok": True}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.post("/write")).status_code == 200
            assert (await c.post("/write", params={"fail": True})).status_code == 500
        async with database.sessionmaker() as s:
            rows = (await s.scalars(select(AuditEntry).where(AuditEntry.actor == marker))).all()
            assert len(rows) == 1
    finally:
        async with database.sessionmaker() as s:
            await s.execute(delete(AuditEntry).where(AuditEntry.actor == marker))
            await s.commit()
        await app.state.database.dispose()


def test_openapi_file_matches_the_app() -> None:
    from tests.conftest import make_settings

    committed = json.loads(Path("openapi/openapi.json").read_text(encoding="utf-8"))
    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    assert committed == json.loads(json.dumps(spec)), (
        "openapi/openapi.json is stale: run `zwfw-credit openapi > openapi/openapi.json`"
    )


def test_openapi_declares_bearer_security_and_problem_schema() -> None:
    from tests.conftest import make_settings

    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "Problem" in spec["components"]["schemas"]
    assert "政务服务" in spec["info"]["description"]
    audit = spec["paths"][AUDIT]["get"]
    assert audit["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(audit["responses"])


def test_a_problem_extension_never_overwrites_a_standard_member() -> None:
    body = problem_body(409, "transition_not_allowed", "no", request_id=None, extra={"state": "x"})
    assert (body["status"], body["state"]) == (409, "x")
    for member in ("status", "type", "title", "detail", "instance", "code"):
        with pytest.raises(ValueError, match="may not be named"):
            problem_body(409, "transition_not_allowed", "no", request_id=None, extra={member: 1})


async def test_a_refused_step_names_its_state_apart_from_the_http_status(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    listing = (
        await client.post(
            "/api/v1/restrictions",
            json={
                "subject": {**PERSON, "address": "山东省德州市德城区新湖大街1号"},
                "situation": "false_materials",
                "source_channel": "investigation",
                "facts": "申请食品经营许可时提供虚假的经营场所证明",
                "legal_basis": "临政管办发〔2022〕3号 五(一)2",
                "legal_documents": ["德审批核〔2026〕12号"],
            },
            headers=auth("clerk"),
        )
    ).json()
    # Publication before verification and notice: the state has no such step.
    refused = await client.post(
        f"/api/v1/restrictions/{listing['id']}/publication", json={}, headers=auth("clerk")
    )
    body = assert_problem(refused, 409, "transition_not_allowed")
    assert body["state"] == listing["status"] == "collected"
    assert body["event"] == "publish"
