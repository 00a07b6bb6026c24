"""Per-principal rate limits (限流): a fixed window per limit and principal.

The principal is the JWT ``sub`` when the request carries a valid bearer token, else
the client address. Counts are kept in memory (one process) or, when
``ZWFW_REDIS_URL`` is set, in Redis (the ``limits`` library's fixed window: one INCR
per limit), so every API replica counts the same requests. In memory every principal's
window of one limit starts and ends at the same instants (multiples of its length), so
the counts of a window are one dictionary, dropped whole when the next window begins:
counting a request costs one lookup, however many principals there are, and no pass
over the keys ever expires them. A
request over the limit is answered ``429 rate_limited`` with ``Retry-After`` (seconds)
before the application runs. Health and metrics paths are exempt. When Redis cannot be
reached the request is let through and a warning logged: an outage of the counter
store must not take the API down with it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

from limits import RateLimitItem, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import Settings
from app.core.errors import AppError, problem_response
from app.web.auth import TokenVerifier

EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
KEY_PREFIX = "zwfw-credit"
REDIS_TIMEOUT_SECONDS = 1.0

logger = logging.getLogger("app.rate_limit")


class FixedWindow:
    """One limit (``amount`` requests per ``seconds``) counted in memory for every key.

    The window in force is the one containing now, aligned on multiples of ``seconds``;
    ``counts`` holds this window's counts only. When a request arrives in a later window
    the dictionary is replaced by an empty one (lazy expiry): the keys of a window that
    has ended are never visited one by one.
    """

    __slots__ = ("amount", "counts", "seconds", "started")

    def __init__(self, amount: int, seconds: float) -> None:
        self.amount = amount
        self.seconds = seconds
        self.started = -math.inf
        self.counts: dict[str, int] = {}

    def hit(self, key: str, now: float) -> float | None:
        """Count one request of ``key`` at ``now``: None when allowed, else the seconds
        until the window ends (when the key may ask again)."""
        if now - self.started >= self.seconds:
            self.started = now - now % self.seconds
            self.counts = {}
        count = self.counts.get(key, 0)
        if count >= self.amount:
            return self.started + self.seconds - now
        self.counts[key] = count + 1
        return None


class RateLimiter:
    """The configured limits and where their counts live (``storage`` is Redis, else None:
    the counts are :class:`FixedWindow` s in this process)."""

    def __init__(
        self,
        spec: str,
        redis_url: str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.items: list[RateLimitItem] = parse_many(spec) if spec.strip() else []
        self.clock = clock
        self.windows = [FixedWindow(item.amount, item.get_expiry()) for item in self.items]
        self.storage: RedisStorage | None = None
        self.strategy: FixedWindowRateLimiter | None = None
        if redis_url:
            self.storage = RedisStorage(
                "async+" + redis_url,
                wrap_exceptions=True,
                key_prefix=KEY_PREFIX,
                connect_timeout=REDIS_TIMEOUT_SECONDS,
                stream_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self.strategy = FixedWindowRateLimiter(self.storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        return cls(settings.rate_limit, settings.redis_url)

    @property
    def enabled(self) -> bool:
        return bool(self.items)

    async def aclose(self) -> None:
        """Close the connections to Redis, if any (the memory store holds none)."""
        client = getattr(getattr(self.storage, "bridge", None), "storage", None)
        pool = getattr(client, "connection_pool", None)
        if pool is not None:
            pool.disconnect()
            await asyncio.sleep(0)  # let the transports finish closing

    async def acquire(self, key: str) -> int | None:
        """Count one request of ``key``: None when allowed, else seconds to wait."""
        if self.strategy is not None:
            for item in self.items:
                if not await self.strategy.hit(item, key):
                    stats = await self.strategy.get_window_stats(item, key)
                    return max(1, math.ceil(stats.reset_time - time.time()))
            return None
        now = self.clock()
        for window in self.windows:
            wait = window.hit(key, now)
            if wait is not None:
                return max(1, math.ceil(wait))
        return None


async def principal_key(scope: Scope, verifier: TokenVerifier) -> str:
    """``sub:<sub>`` for a valid bearer token, else ``ip:<client address>`` (an invalid
    token, or one the identity provider's keys cannot be read for, counts by address)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                try:
                    return "sub:" + (await verifier.principal(token.strip())).sub
                except AppError:
                    pass
            break
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """``limiter`` counts every request; each of ``scoped`` (path prefix, limiter) counts
    the requests under its prefix again, under a key of its own (a stricter limit for a
    public lookup, e.g. document verification)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        verifier: TokenVerifier,
        scoped: tuple[tuple[str, RateLimiter], ...] = (),
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.verifier = verifier
        self.scoped = scoped

    async def _acquire(self, path: str, key: str) -> int | None:
        retry_after = await self.limiter.acquire(key) if self.limiter.enabled else None
        for prefix, limiter in self.scoped:
            if retry_after is None and limiter.enabled and path.startswith(prefix):
                retry_after = await limiter.acquire(f"{prefix}|{key}")
        return retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        enabled = self.limiter.enabled or any(limiter.enabled for _, limiter in self.scoped)
        if scope["type"] != "http" or not enabled or path in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        try:
            retry_after = await self._acquire(path, await principal_key(scope, self.verifier))
        except (StorageError, OSError) as exc:
            logger.warning("rate limit store unavailable", extra={"error": type(exc).__name__})
            retry_after = None
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        response = problem_response(
            429,
            "rate_limited",
            f"Too many requests; retry in {retry_after} s.",
            request_id=scope.get("state", {}).get("request_id"),
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)
