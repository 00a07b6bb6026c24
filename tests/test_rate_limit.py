"""Per-principal rate limits: in memory, and shared between replicas through Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from app.web.auth import mint_token
from app.web.rate_limit import RateLimiter
from tests.conftest import IN_CI, make_settings
from tests.test_app import assert_problem

PROFILES = "/api/v1/profiles"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def _settings(**overrides: object) -> Settings:
    return make_settings("sqlite+aiosqlite:///:memory:", **overrides)


def _bearer(settings: Settings, sub: str) -> dict[str, str]:
    token = mint_token(settings, sub=sub, roles=["clerk"], department="371400-SPJ", ttl_seconds=600)
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def _client(
    app: FastAPI, client_address: str = "127.0.0.1"
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(
        app=app, raise_app_exceptions=False, client=(client_address, 40000)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


async def test_the_fourth_request_in_a_minute_is_a_429_with_retry_after() -> None:
    settings = _settings(rate_limit="3/minute")
    app = create_app(settings)
    alice = _bearer(settings, "alice")
    async with _client(app) as client:
        for _ in range(3):
            assert (await client.get(PROFILES, headers=alice)).status_code == 200
        refused = await client.get(PROFILES, headers=alice)
        assert_problem(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another principal has a count of its own, even from the same address.
        assert (await client.get(PROFILES, headers=_bearer(settings, "bob"))).status_code == 200


async def test_health_and_metrics_are_exempt() -> None:
    app = create_app(_settings(rate_limit="1/minute"))
    async with _client(app) as client:
        for _ in range(3):
            assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/openapi.json")).status_code == 200
        assert_problem(await client.get("/openapi.json"), 429, "rate_limited")


async def test_without_a_valid_token_the_client_address_is_counted() -> None:
    settings = _settings(rate_limit="2/minute")
    app = create_app(settings)
    forged = {"Authorization": "Bearer not-a-jwt"}
    async with _client(app, "10.0.0.1") as first, _client(app, "10.0.0.2") as second:
        assert (await first.get(PROFILES)).status_code == 200
        # An invalid token does not buy a fresh count: it is the same address.
        assert (await first.get(PROFILES, headers=forged)).status_code == 200
        assert_problem(await first.get(PROFILES), 429, "rate_limited")
        assert (await second.get(PROFILES)).status_code == 200
        # A valid token is counted by its subject, not by the address.
        assert (await first.get(PROFILES, headers=_bearer(settings, "carol"))).status_code == 200


async def test_an_empty_setting_turns_rate_limiting_off() -> None:
    app = create_app(_settings(rate_limit=""))
    async with _client(app) as client:
        statuses = {(await client.get(PROFILES)).status_code for _ in range(5)}
    assert statuses == {200}


class _Clock:
    """Seconds that move only when the test moves them."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_the_window_resets_at_its_end_and_says_when_in_retry_after() -> None:
    # 5/minute; the windows are the minutes since the clock's zero: 120 s starts one.
    clock = _Clock(125.0)
    limiter = RateLimiter("5/minute", clock=clock)
    assert [await limiter.acquire("sub:a") for _ in range(5)] == [None] * 5
    # Refused until 180 s, the end of the window: 55 s from 125 s.
    assert await limiter.acquire("sub:a") == 55
    clock.now = 179.5
    assert await limiter.acquire("sub:a") == 1  # half a second, rounded up
    clock.now = 180.0
    assert await limiter.acquire("sub:a") is None


async def test_every_limit_of_the_setting_is_counted() -> None:
    clock = _Clock(0.0)
    limiter = RateLimiter("2/second;3/minute", clock=clock)
    assert await limiter.acquire("sub:a") is None
    assert await limiter.acquire("sub:a") is None
    assert await limiter.acquire("sub:a") == 1  # the second's limit
    clock.now = 1.0
    assert await limiter.acquire("sub:a") is None
    clock.now = 2.0
    assert await limiter.acquire("sub:a") == 58  # the minute's limit: 3 counted by 2 s


async def test_the_counts_of_ended_windows_are_dropped_without_visiting_their_keys() -> None:
    """Many principals: a request counts in the current window's dictionary only, and the
    window that ended goes whole, so no request walks the keys of others."""
    clock = _Clock(0.0)
    limiter = RateLimiter("3/minute", clock=clock)
    (window,) = limiter.windows
    for n in range(10_000):
        assert await limiter.acquire(f"ip:10.0.{n // 256}.{n % 256}") is None
    assert len(window.counts) == 10_000
    ended = window.counts
    clock.now = 60.0
    assert await limiter.acquire("sub:late") is None
    assert window.counts == {"sub:late": 1}
    assert len(ended) == 10_000  # left as it was: replaced, not emptied key by key


@pytest.mark.parametrize("value", ["lots", "3/fortnight", "three per minute"])
def test_a_malformed_rate_limit_is_refused_at_start(value: str) -> None:
    from app.core.config import SettingsError, load_settings

    with pytest.raises(SettingsError, match="ZWFW_RATE_LIMIT"):
        load_settings(
            database_url="sqlite+aiosqlite:///:memory:",
            jwt_secret="x" * 32,
            rate_limit=value,
        )


def _redis_url() -> str:
    return os.environ.get("ZWFW_TEST_REDIS_URL", DEFAULT_REDIS_URL)


async def _redis_reachable(url: str) -> str | None:
    """None when Redis answers PING, else why not."""
    limiter = RateLimiter("1/second", url)
    assert limiter.storage is not None
    try:
        if await asyncio.wait_for(limiter.storage.check(), timeout=3):
            return None
        return "PING failed"
    except Exception as exc:
        return repr(exc)
    finally:
        await limiter.aclose()


@pytest.fixture
async def redis_url() -> str:
    url = _redis_url()
    problem = await _redis_reachable(url)
    if problem is not None:
        reason = f"Redis unreachable at {url}: {problem}"
        if IN_CI:
            pytest.fail(reason + " (CI=true: the Redis tests may not be skipped)")
        pytest.skip(reason)
    return url


async def test_replicas_share_their_counts_through_redis(redis_url: str) -> None:
    settings = _settings(rate_limit="3/minute", redis_url=redis_url)
    one, two = create_app(settings), create_app(settings)
    # A subject of its own, so earlier runs against the same Redis do not count.
    principal = _bearer(settings, f"replica-test-{uuid.uuid4().hex}")
    async with _client(one) as first, _client(two) as second:
        assert (await first.get(PROFILES, headers=principal)).status_code == 200
        assert (await second.get(PROFILES, headers=principal)).status_code == 200
        assert (await first.get(PROFILES, headers=principal)).status_code == 200
        refused = await second.get(PROFILES, headers=principal)
        assert_problem(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
    await one.state.rate_limiter.aclose()
    await two.state.rate_limiter.aclose()


async def test_an_unreachable_redis_lets_requests_through() -> None:
    """The counter store being down must not take the API down."""
    app = create_app(_settings(rate_limit="1/minute", redis_url="redis://127.0.0.1:1/0"))
    async with _client(app) as client:
        statuses = {(await client.get(PROFILES)).status_code for _ in range(3)}
    await app.state.rate_limiter.aclose()
    assert statuses == {200}
