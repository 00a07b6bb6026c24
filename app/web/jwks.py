"""The signing keys of the platform's identity provider (统一身份认证), read from its JWKS.

A provincial unified identity service (often Keycloak or another OIDC provider) publishes
the public keys its tokens are signed with at a JWKS URL (``ZWFW_JWT_JWKS_URL``) and
rotates them. The keys are fetched once and kept for ``ZWFW_JWT_JWKS_CACHE_SECONDS``; a
token naming a key id (``kid``) not among them makes the set be fetched again — the
provider has rotated — but at most once per ``ZWFW_JWT_JWKS_MIN_REFETCH_SECONDS``, so
tokens with made-up key ids cannot turn the service into a flood of requests to the
provider. Between two fetches an unknown key id is simply an invalid token.

When the key endpoint cannot be reached, answers an error or something that is not a key
set, no token that needs it is let through: the request is ``503 jwks_unavailable`` with
``Retry-After``, never a pass and never a 401 that would send users to log in again.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from app.core.errors import NotAuthenticated, ServiceUnavailable

logger = logging.getLogger("app.auth")

# What the provider's tokens may be signed with; each key verifies with its own algorithm
# only (from its "alg", else its key type: RSA → RS256, EC P-256 → ES256).
JWKS_ALGORITHMS = ("RS256", "ES256")


class JwksUnavailable(ServiceUnavailable):
    code = "jwks_unavailable"


class KeySet:
    """The provider's current public keys by key id, fetched and refreshed as needed."""

    def __init__(
        self,
        url: str,
        *,
        cache_seconds: float,
        min_refetch_seconds: float,
        timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.cache_seconds = cache_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self._clock = clock
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._lock = asyncio.Lock()
        self._keys: dict[str | None, jwt.PyJWK] | None = None
        self._fetched_at = -math.inf  # the last successful fetch
        self._attempted_at = -math.inf  # the last fetch, successful or not
        self._failed = False

    async def aclose(self) -> None:
        await self._client.aclose()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key that verifies a token naming ``kid``: 401 when the provider does not
        publish it, 503 when its key endpoint cannot say."""
        if self._fresh():
            found = self._find(kid)
            if found is not None:
                return found
        async with self._lock:
            # Another request may have fetched while this one waited.
            found = self._find(kid) if self._fresh() else None
            if found is not None:
                return found
            if self._clock() - self._attempted_at < self.min_refetch_seconds:
                if self._failed:
                    raise self._unavailable()
                if self._fresh():
                    raise _unknown_key()
            await self._fetch()
        found = self._find(kid)
        if found is None:
            raise _unknown_key()
        return found

    def _fresh(self) -> bool:
        return self._keys is not None and self._clock() - self._fetched_at < self.cache_seconds

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        keys = self._keys or {}
        if kid is None and len(keys) == 1:
            return next(iter(keys.values()))  # a provider with one key may name none
        return keys.get(kid) if kid is not None else None

    async def _fetch(self) -> None:
        self._attempted_at = self._clock()
        try:
            response = await self._client.get(self.url, headers={"Accept": "application/json"})
            response.raise_for_status()
            keys = _signing_keys(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            self._failed = True
            logger.warning(
                "identity provider keys unavailable", extra={"error": type(exc).__name__}
            )
            raise self._unavailable() from None
        self._failed = False
        self._keys = keys
        self._fetched_at = self._attempted_at
        logger.info("identity provider keys fetched", extra={"keys": len(keys)})

    def _unavailable(self) -> JwksUnavailable:
        retry_after = max(1, math.ceil(self.min_refetch_seconds))
        return JwksUnavailable(
            "The identity provider's signing keys cannot be read; retry shortly.",
            headers={"Retry-After": str(retry_after)},
        )


def _unknown_key() -> NotAuthenticated:
    return NotAuthenticated(
        "The token is signed with a key the identity provider does not publish.",
        code="token_invalid",
    )


def _signing_keys(document: Any) -> dict[str | None, jwt.PyJWK]:
    """The signature keys of a JWKS document usable with :data:`JWKS_ALGORITHMS`."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWK set")
    keys: dict[str | None, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(entry)
        except (jwt.PyJWTError, ValueError):
            continue  # a key type or algorithm this service does not verify with
        if key.algorithm_name in JWKS_ALGORITHMS:
            keys[key.key_id] = key
    if not keys:
        raise ValueError("no RS256 or ES256 signature key in the JWK set")
    return keys
