"""``Idempotency-Key`` on creates (API.md): a retry with the same key returns the first result.

A pure ASGI middleware, inside the rate limit and the body-size cap. It acts only on a
``POST`` to a route that creates (answers 201) and carries the header, from a caller with
a valid token; the key belongs to that caller (the token's ``sub``).

- New key: a ``pending`` record is committed first, owned by this request and renewed
  while it runs; the request runs as usual, and its answer is kept when it succeeded
  (2xx, sent whole) with the fingerprint of the request (method, path, query, content
  type and body, the body hashed as it streams through: nothing is buffered). A request
  that fails leaves no record, so it may be retried with the same key.
- Known key, same request: the kept answer is sent again, with
  ``Idempotent-Replayed: true``; nothing runs.
- Known key, another request: ``422 idempotency_key_reused``.
- Key still pending (the first request is running): ``409 idempotency_key_in_use`` with
  ``Retry-After``.

Records are replayed for ``KEEP_FOR`` (a day; the worker purges them after). A pending
record not renewed for ``PENDING_FOR`` belongs to a request whose process died, and is
replaced; so does one whose create committed but whose answer could not be kept (the
connection broke while it was sent, or the database went away just then).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.clock import Clock
from app.config import Settings
from app.db import Database
from app.errors import is_database_unavailable, problem_response
from app.idempotency.models import IdempotencyRecord
from app.idempotency.repository import (
    DONE,
    KEEP_FOR,
    PENDING,
    PENDING_FOR,
    RENEW_EVERY,
    IdempotencyRepository,
)
from app.rate_limit import principal_key

HEADER = b"idempotency-key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Headers of the first answer that a replay repeats.
REPLAYED_HEADERS = frozenset({b"content-type", b"location", b"etag"})

logger = logging.getLogger("app.idempotency")


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


def _live(record: IdempotencyRecord, now: datetime) -> bool:
    """A kept answer younger than ``KEEP_FOR``, or a hold renewed within ``PENDING_FOR``."""
    if record.state == DONE:
        return now - record.created_at < KEEP_FOR
    return now - record.renewed_at < PENDING_FOR


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
        database: Callable[[], Database],
        clock: Callable[[], Clock],
        settings: Settings,
    ) -> None:
        self.app = app
        self._routes = routes
        self._database = database
        self._clock = clock
        self.settings = settings
        self._creates: list[re.Pattern[str]] | None = None

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
        principal = principal_key(scope, self.settings)
        if not principal.startswith("sub:"):
            await self.app(scope, receive, send)  # no valid token: the route answers 401
            return
        key = raw_key.decode("latin-1")
        if not KEY_PATTERN.fullmatch(key):
            await self._problem(
                scope,
                receive,
                send,
                422,
                "idempotency_key_invalid",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            )
            return
        caller = caller_key(principal.removeprefix("sub:"))
        digest = _fingerprint_start(scope)
        try:
            known, owner = await self._reserve(caller, key)
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            logger.warning("database unavailable", extra={"error": type(exc).__name__})
            await self._problem(
                scope,
                receive,
                send,
                503,
                "database_unavailable",
                "The database cannot be reached; retry shortly.",
                {"Retry-After": "5"},
            )
            return
        if known is not None:
            await self._answer_known(scope, receive, send, known, digest)
        else:
            await self._run_first(scope, receive, send, caller, key, owner, digest)

    async def _reserve(self, caller: str, key: str) -> tuple[IdempotencyRecord | None, str]:
        """Hold the key for this request (None and the owner token), or the record
        another request holds or made.

        The insert comes first, so on SQLite the transaction takes the write lock at once
        (a read first could not upgrade once another writer committed).
        """
        now = self._clock().now()
        owner = uuid.uuid4().hex
        async with self._database().sessionmaker() as session, session.begin():
            repository = IdempotencyRepository(session)
            if await repository.try_reserve(caller, key, owner, now):
                return None, owner
            record = await repository.get(caller, key)
            if record is None:  # released meanwhile by a request that failed
                if await repository.try_reserve(caller, key, owner, now):
                    return None, owner
            elif _live(record, now):
                return record, owner
            elif await repository.replace(record, owner, now):
                return None, owner
        # Another request took the key a moment ago: it is in use.
        return IdempotencyRecord(caller=caller, key=key, state=PENDING, owner=""), owner

    async def _run_first(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        caller: str,
        key: str,
        owner: str,
        digest: Any,
    ) -> None:
        status = 0
        headers: list[list[str]] = []
        body = bytearray()
        complete = False

        async def hashing_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                digest.update(message.get("body", b""))
            return message

        async def capturing_send(message: Message) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.extend(
                    [name.decode("latin-1"), value.decode("latin-1")]
                    for name, value in message.get("headers", ())
                    if name.lower() in REPLAYED_HEADERS
                )
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        try:
            async with self._renewing(caller, key, owner):
                await self.app(scope, hashing_receive, capturing_send)
        finally:
            # A success is kept only when its answer went out whole. A 2xx cut short
            # (the create may have committed) stays pending until it is abandoned;
            # anything else frees the key.
            # Shielded: a cancelled request (a server shutting down) still settles.
            success = 200 <= status < 300
            if success and complete:
                kept = (digest.hexdigest(), status, headers, bytes(body))
                await asyncio.shield(self._settle(caller, key, owner, kept))
            elif not success:
                await asyncio.shield(self._settle(caller, key, owner, None))

    @contextlib.asynccontextmanager
    async def _renewing(self, caller: str, key: str, owner: str) -> AsyncIterator[None]:
        """Renew this request's pending record while it runs (a long import, say)."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(RENEW_EVERY.total_seconds())
                try:
                    async with self._database().sessionmaker() as session, session.begin():
                        await IdempotencyRepository(session).renew(
                            caller, key, owner, self._clock().now()
                        )
                except Exception as exc:
                    logger.warning(
                        "idempotency record not renewed", extra={"error": type(exc).__name__}
                    )

        task = asyncio.create_task(renew())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.wait([task])

    async def _settle(
        self,
        caller: str,
        key: str,
        owner: str,
        kept: tuple[str, int, list[list[str]], bytes] | None,
    ) -> None:
        """Keep the answer of a success, or release the key of a failure, if the record
        is still this request's. When this cannot be written the record stays pending,
        and is replaced once ``PENDING_FOR`` has passed."""
        try:
            async with self._database().sessionmaker() as session, session.begin():
                repository = IdempotencyRepository(session)
                if kept is None:
                    await repository.release(caller, key, owner)
                    return
                fingerprint, status, headers, body = kept
                await repository.complete(
                    caller,
                    key,
                    owner,
                    fingerprint=fingerprint,
                    status_code=status,
                    headers=headers,
                    body=body,
                    now=self._clock().now(),
                )
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            logger.warning("idempotency record left pending", extra={"error": type(exc).__name__})

    async def _answer_known(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        record: IdempotencyRecord,
        digest: Any,
    ) -> None:
        if record.state != DONE:
            await self._problem(
                scope,
                receive,
                send,
                409,
                "idempotency_key_in_use",
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                {"Retry-After": "1"},
            )
            return
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # nobody to answer
            digest.update(message.get("body", b""))
            if not message.get("more_body", False):
                break
        if digest.hexdigest() != record.fingerprint:
            await self._problem(
                scope,
                receive,
                send,
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used for another request; use a new key.",
            )
            return
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in (record.headers or [])
        ]
        headers.append((b"idempotent-replayed", b"true"))
        await send(
            {"type": "http.response.start", "status": record.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": record.body or b""})

    async def _problem(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        response = problem_response(
            status,
            code,
            detail,
            request_id=scope.get("state", {}).get("request_id"),
            headers=headers,
        )
        await response(scope, receive, send)
