"""Tokens of the platform's identity provider, verified with the keys it publishes (JWKS).

A real JWKS endpoint on loopback (an HTTP server in a thread) publishes the keys and
rotates them; the service fetches them over HTTP as it would from Keycloak.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from app.core.config import SettingsError, load_settings
from app.core.errors import NotAuthenticated
from app.main import create_app
from app.ops.cli import main
from app.web.auth import decode_token, mint_token
from app.web.jwks import JwksUnavailable, KeySet
from tests.conftest import TEST_SECRET, Harness, check_problem, make_settings

ISSUER = "https://sso.example.gov.cn/realms/zwfw"
AUDIENCE = "zwfw-credit"
DEPARTMENTS = "/api/v1/departments"


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    private: Any

    @classmethod
    def rsa(cls, kid: str) -> SigningKey:
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> SigningKey:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        to_jwk = RSAAlgorithm.to_jwk if self.algorithm == "RS256" else ECAlgorithm.to_jwk
        public: dict[str, Any] = to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def token(self, **claims: Any) -> str:
        now = datetime.now(UTC)
        body: dict[str, Any] = {
            "sub": "sso-admin",
            "roles": ["admin"],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + timedelta(minutes=10),
        }
        body.update(claims)
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode(body, self.private, algorithm=self.algorithm, headers={"kid": self.kid})


@dataclass
class JwksServer:
    """What the loopback endpoint publishes, how it answers, and how often it was asked."""

    keys: list[dict[str, Any]]
    status: int = 200
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


@pytest.fixture
def jwks() -> Iterator[tuple[JwksServer, ThreadingHTTPServer]]:
    state = JwksServer(keys=[])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests += 1
                status, body = state.status, json.dumps({"keys": state.keys}).encode()
            if status != 200:
                body = b"<html>Bad Gateway</html>"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/realms/zwfw/certs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@asynccontextmanager
async def _client(
    harness: Harness, url: str, **overrides: object
) -> AsyncIterator[httpx.AsyncClient]:
    values: dict[str, object] = {
        "jwt_secret": None,
        "jwt_jwks_url": url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwt_jwks_min_refetch_seconds": 0,
    }
    values.update(overrides)
    settings = make_settings(harness.settings.database_url, **values)
    app = create_app(settings, database=harness.database)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", event_hooks={"response": [check_problem]}
        ) as client:
            yield client
    finally:
        await app.state.token_verifier.aclose()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_token_by_the_rotated_key_verifies_after_the_rotation(
    app_harness: Harness, jwks: tuple[JwksServer, ThreadingHTTPServer]
) -> None:
    state, _ = jwks
    old, new = SigningKey.rsa("2026-a"), SigningKey.ec("2026-b")
    state.keys = [old.jwk()]
    async with _client(app_harness, state.url) as client:
        assert (await client.get(DEPARTMENTS, headers=_bearer(old.token()))).status_code == 200
        assert (
            await client.get(DEPARTMENTS, headers=_bearer(old.token(sub="b")))
        ).status_code == 200
        assert state.requests == 1  # the keys are kept, not fetched per request
        # The provider rotates: the new key replaces the old one.
        state.keys = [new.jwk()]
        response = await client.get(DEPARTMENTS, headers=_bearer(new.token()))
        assert response.status_code == 200
        assert state.requests == 2  # its unknown key id made the set be fetched again
        # A token newly signed by the retired key no longer verifies.
        retired = await client.get(DEPARTMENTS, headers=_bearer(old.token(sub="late")))
        assert retired.status_code == 401
        assert retired.json()["code"] == "token_invalid"


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://sso.example.gov.cn/realms/other"},
        {"aud": "another-service"},
        {"iss": None},
        {"aud": None},
    ],
    ids=["wrong issuer", "wrong audience", "no issuer", "no audience"],
)
async def test_a_token_for_another_issuer_or_audience_is_401(
    app_harness: Harness, jwks: tuple[JwksServer, ThreadingHTTPServer], claims: dict[str, Any]
) -> None:
    state, _ = jwks
    key = SigningKey.rsa("k1")
    state.keys = [key.jwk()]
    async with _client(app_harness, state.url) as client:
        response = await client.get(DEPARTMENTS, headers=_bearer(key.token(**claims)))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


async def test_tokens_the_keys_do_not_verify_are_401(
    app_harness: Harness, jwks: tuple[JwksServer, ThreadingHTTPServer]
) -> None:
    state, _ = jwks
    published, stranger = SigningKey.rsa("k1"), SigningKey.rsa("k1")
    state.keys = [published.jwk()]
    now = datetime.now(UTC)
    claims = {"sub": "x", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE}
    # An HS256 token naming a published key id: a symmetric algorithm is never accepted.
    confused = jwt.encode(
        {**claims, "exp": now + timedelta(minutes=5)},
        TEST_SECRET,
        algorithm="HS256",
        headers={"kid": "k1"},
    )
    async with _client(app_harness, state.url) as client:
        for token in (
            stranger.token(),  # the published key id, another key
            confused,
            published.token(exp=now - timedelta(minutes=1)),
            "not-a-token",
        ):
            response = await client.get(DEPARTMENTS, headers=_bearer(token))
            assert response.status_code == 401, token


@pytest.mark.parametrize("outage", ["refused", "error status"])
async def test_an_outage_of_the_key_endpoint_is_503_never_a_pass(
    app_harness: Harness, jwks: tuple[JwksServer, ThreadingHTTPServer], outage: str
) -> None:
    state, server = jwks
    key = SigningKey.rsa("k1")
    state.keys = [key.jwk()]
    if outage == "refused":
        server.shutdown()
        server.server_close()
    else:
        state.status = 502
    async with _client(app_harness, state.url, jwt_jwks_min_refetch_seconds=5) as client:
        response = await client.get(DEPARTMENTS, headers=_bearer(key.token()))
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "jwks_unavailable"
        assert response.headers["retry-after"] == "5"
        # Without a token it is still 401: only a token that needs the keys waits for them.
        assert (await client.get(DEPARTMENTS)).status_code == 401


async def test_an_unknown_key_during_an_outage_is_503(
    app_harness: Harness, jwks: tuple[JwksServer, ThreadingHTTPServer]
) -> None:
    state, _ = jwks
    known, rotated = SigningKey.rsa("k1"), SigningKey.rsa("k2")
    state.keys = [known.jwk()]
    async with _client(app_harness, state.url) as client:
        assert (await client.get(DEPARTMENTS, headers=_bearer(known.token()))).status_code == 200
        state.status = 500
        response = await client.get(DEPARTMENTS, headers=_bearer(rotated.token()))
        assert response.status_code == 503
        assert response.json()["code"] == "jwks_unavailable"
        # The keys already read still verify their tokens.
        again = await client.get(DEPARTMENTS, headers=_bearer(known.token(sub="again")))
        assert again.status_code == 200


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_unknown_key_ids_refetch_at_most_once_per_floor(
    jwks: tuple[JwksServer, ThreadingHTTPServer],
) -> None:
    state, _ = jwks
    state.keys = [SigningKey.rsa("k1").jwk()]
    clock = FakeMonotonic()
    keys = KeySet(state.url, cache_seconds=300, min_refetch_seconds=30, timeout=2, clock=clock)
    try:
        assert (await keys.key("k1")).key_id == "k1"
        for made_up in ("x1", "x2", "x3"):
            with pytest.raises(NotAuthenticated):
                await keys.key(made_up)
        assert state.requests == 1  # within 30 s of the fetch: no request at all
        state.keys = [SigningKey.rsa("k2").jwk()]
        clock.now += 29
        with pytest.raises(NotAuthenticated):
            await keys.key("k2")
        assert state.requests == 1
        clock.now += 2  # 31 s after the fetch
        assert (await keys.key("k2")).key_id == "k2"
        assert state.requests == 2
        # The cache ages out after 300 s: the set is read again though the key is known.
        clock.now += 301
        assert (await keys.key("k2")).key_id == "k2"
        assert state.requests == 3
        # An outage is not asked again within the floor either.
        state.status = 503
        clock.now += 301
        for _ in range(3):
            with pytest.raises(JwksUnavailable):
                await keys.key("k2")
        assert state.requests == 4
    finally:
        await keys.aclose()


async def test_a_set_without_usable_keys_is_unavailable(
    jwks: tuple[JwksServer, ThreadingHTTPServer],
) -> None:
    state, _ = jwks
    state.keys = [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
        {**SigningKey.rsa("enc").jwk(), "use": "enc"},
    ]
    keys = KeySet(state.url, cache_seconds=300, min_refetch_seconds=0, timeout=2)
    try:
        with pytest.raises(JwksUnavailable):
            await keys.key("hmac")
    finally:
        await keys.aclose()


def test_a_jwks_url_needs_an_issuer_and_an_audience(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.upper().startswith("ZWFW_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ZWFW_JWT_JWKS_URL", "https://sso.example.gov.cn/certs")
    with pytest.raises(SettingsError, match="ZWFW_JWT_ISSUER and ZWFW_JWT_AUDIENCE"):
        load_settings()
    monkeypatch.setenv("ZWFW_JWT_ISSUER", ISSUER)
    monkeypatch.setenv("ZWFW_JWT_AUDIENCE", AUDIENCE)
    assert load_settings().jwt_jwks_url == "https://sso.example.gov.cn/certs"
    monkeypatch.setenv("ZWFW_JWT_SECRET", TEST_SECRET)
    with pytest.raises(SettingsError, match="unset ZWFW_JWT_SECRET"):
        load_settings()
    monkeypatch.delenv("ZWFW_JWT_SECRET")
    monkeypatch.setenv("ZWFW_JWT_JWKS_URL", "sso.example.gov.cn/certs")
    with pytest.raises(SettingsError, match="ZWFW_JWT_JWKS_URL"):
        load_settings()


def test_the_cli_mints_no_token_when_the_provider_issues_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in os.environ if name.upper().startswith("ZWFW_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ZWFW_JWT_JWKS_URL", "https://sso.example.gov.cn/certs")
    monkeypatch.setenv("ZWFW_JWT_ISSUER", ISSUER)
    monkeypatch.setenv("ZWFW_JWT_AUDIENCE", AUDIENCE)
    assert main(["token", "--role", "admin", "--sub", "alice"]) == 2
    assert "identity provider" in capsys.readouterr().err


def test_a_fixed_key_checks_issuer_and_audience_when_they_are_set() -> None:
    memory = "sqlite+aiosqlite:///:memory:"
    settings = make_settings(memory, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    minted = mint_token(settings, sub="a", roles=["admin"], department=None, ttl_seconds=60)
    assert decode_token(minted, settings).sub == "a"
    now = datetime.now(UTC)
    bare = jwt.encode(
        {"sub": "a", "roles": ["admin"], "exp": now + timedelta(minutes=1)},
        TEST_SECRET,
        algorithm="HS256",
    )
    assert decode_token(bare, make_settings(memory)).sub == "a"
    with pytest.raises(NotAuthenticated):
        decode_token(bare, settings)
