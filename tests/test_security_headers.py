"""Security headers on every response, and CORS for the configured origins only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from app.core.config import SettingsError, load_settings
from app.main import create_app
from app.web.security_headers import API_CSP, DOCS_CSP
from tests.conftest import make_settings

ORIGIN = "https://portal.example.gov.cn"


@asynccontextmanager
async def _client(**overrides: object) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:", **overrides))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


@pytest.mark.parametrize(
    ("path", "status"),
    [("/healthz", 200), ("/api/v1/profiles", 200), ("/api/v1/audit-log", 401), ("/nope", 404)],
)
async def test_every_response_carries_the_security_headers(path: str, status: int) -> None:
    async with _client() as client:
        response = await client.get(path)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == API_CSP
    if path.startswith("/api/"):
        assert response.headers["cache-control"] == "no-store"
    else:
        assert "cache-control" not in response.headers


async def test_a_413_and_a_429_carry_them_too() -> None:
    async with _client(rate_limit="1/minute") as client:
        too_big = await client.post("/api/v1/consents", content=b"x" * (2 * 1024 * 1024))
        refused = await client.get("/api/v1/profiles")
    for response, status in ((too_big, 413), (refused, 429)):
        assert response.status_code == status
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-request-id"]


async def test_the_docs_load_swagger_ui_and_redoc_from_the_service_itself() -> None:
    async with _client() as client:
        docs = await client.get("/docs")
        redoc = await client.get("/redoc")
    assert docs.status_code == 200
    csp = docs.headers["content-security-policy"]
    assert csp == DOCS_CSP
    assert "https:" not in csp
    assert "frame-ancestors 'none'" in csp
    # Every script the page loads comes from the service (tests/test_api_docs.py).
    assert '<script src="/docs/static/swagger-ui-bundle.js">' in docs.text
    assert '<script src="/docs/static/redoc.standalone.js">' in redoc.text
    assert redoc.headers["content-security-policy"] == csp


async def test_no_cors_headers_without_configured_origins() -> None:
    async with _client() as client:
        response = await client.get("/api/v1/profiles", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_the_configured_origins_and_exposes_the_headers() -> None:
    async with _client(cors_origins=f"{ORIGIN}, https://other.example.cn") as client:
        response = await client.get("/api/v1/profiles", headers={"Origin": ORIGIN})
        preflight = await client.options(
            "/api/v1/consents",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
            },
        )
        stranger = await client.get(
            "/api/v1/profiles", headers={"Origin": "https://evil.example.com"}
        )
    assert response.headers["access-control-allow-origin"] == ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    # Deprecation and Link tell a browser client a form is deprecated and its successor.
    assert exposed == {"x-request-id", "etag", "retry-after", "deprecation", "link"}
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in stranger.headers


@pytest.mark.parametrize("value", ["portal.example.cn", "https://a.cn/path", "ftp://a.cn"])
def test_a_malformed_origin_is_refused_at_start(value: str) -> None:
    with pytest.raises(SettingsError, match="ZWFW_CORS_ORIGINS"):
        load_settings(
            database_url="sqlite+aiosqlite:///:memory:", jwt_secret="x" * 32, cors_origins=value
        )
