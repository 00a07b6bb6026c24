"""``Idempotency-Key`` on creates (docs/api.md): a retry with the same key returns the first result.

A pure ASGI middleware, inside the rate limit and the body-size cap. It acts only on a
``POST`` to a route that creates (answers 201) and carries the header, from a caller with
a valid token; the key belongs to that caller (the token's ``sub``). It checks the key,
starts the request's fingerprint (method, path, query, content type, then the body hashed
as it streams through: nothing is buffered) and hands the request an
:class:`~app.web.idempotency.transaction.IdempotentCreate`. What happens to the key happens in
the request's own transaction (:mod:`app.web.idempotency.transaction`):

- New key: the create runs; a success keeps its answer in the create's transaction, so a
  create that committed always has its answer kept. A request that fails, or whose
  process dies, commits nothing and leaves its key free at once.
- Known key, same request: the kept answer is sent again, with
  ``Idempotent-Replayed: true``; nothing runs.
- Known key, another request: ``422 idempotency_key_reused``.
- Key held by a request still running: ``409 idempotency_key_in_use`` with
  ``Retry-After`` (PostgreSQL; SQLite runs one transaction at a time, so the retry waits
  for the first and gets its answer).

Answers are replayed for ``KEEP_FOR`` (a day; the worker purges them after).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.clock import Clock
from app.core.config import Settings
from app.core.errors import problem_response
from app.web.auth import TokenVerifier
from app.web.idempotency.transaction import STATE_KEY, FaultPause, IdempotentCreate
from app.web.rate_limit import principal_key

HEADER = b"idempotency-key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")


def create_route_patterns(routes: Sequence[BaseRoute]) -> list[re.Pattern[str]]:
    """The paths of the routes that create: ``POST`` answering 201."""
    return [
        compile_path(context.path)[0]
        for context in iter_route_contexts(routes)
        if context.path is not None
        and "POST" in (context.methods or ())
        and getattr(context.route, "status_code", None) == 201
    ]


def caller_key(sub: str) -> str:
    """What a caller's keys are filed under: the SHA-256 of its token's subject."""
    return hashlib.sha256(sub.encode("utf-8", "surrogatepass")).hexdigest()


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _fingerprint_start(scope: Scope) -> Any:
    """The hash of the request without its body: method, path, query, content type."""
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape"),
        scope.get("query_string", b""),
        _header(scope, b"content-type") or b"",
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest


class IdempotencyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Callable[[], Sequence[BaseRoute]],
        clock: Callable[[], Clock],
        settings: Settings,
        verifier: TokenVerifier,
    ) -> None:
        self.app = app
        self._routes = routes
        self._clock = clock
        self.settings = settings
        self.verifier = verifier
        self._creates: list[re.Pattern[str]] | None = None
        self._pause = FaultPause.parse(settings.fault_pause)

    def _creates_at(self, path: str) -> bool:
        if self._creates is None:
            self._creates = create_route_patterns(self._routes())
        return any(pattern.match(path) for pattern in self._creates)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        raw_key = _header(scope, HEADER)
        if raw_key is None or not self._creates_at(scope["path"]):
            await self.app(scope, receive, send)
            return
        principal = await principal_key(scope, self.verifier)
        if not principal.startswith("sub:"):
            await self.app(scope, receive, send)  # no valid token: the route answers 401
            return
        key = raw_key.decode("latin-1")
        if not KEY_PATTERN.fullmatch(key):
            response = problem_response(
                422,
                "idempotency_key_invalid",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
                request_id=scope.get("state", {}).get("request_id"),
            )
            await response(scope, receive, send)
            return
        create = IdempotentCreate(
            caller_key(principal.removeprefix("sub:")),
            key,
            _fingerprint_start(scope),
            self._clock,
            self._pause,
        )
        scope.setdefault("state", {})[STATE_KEY] = create

        async def hashing_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                create.received(message.get("body", b""), message.get("more_body", False))
            return message

        create.reads_from(hashing_receive)
        await self.app(scope, hashing_receive, send)
