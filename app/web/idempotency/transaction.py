"""The answer of a keyed create, kept in the transaction of the resource it answers for.

:class:`IdempotentCreate` travels with a request (the middleware puts it in the request's
state); the session dependency calls it when the request's transaction begins and after
it commits, and :class:`KeepingRoute` when the create has answered:

1. **Begin**: the key is held for this transaction (:meth:`IdempotencyRepository.try_hold`);
   held by another running request, the answer is ``409 idempotency_key_in_use``. A kept
   answer of the key is replayed when the request is the same (its fingerprint),
   ``422 idempotency_key_reused`` when it is another; nothing runs.
2. **Answered**: a success (2xx) is added to the session as the kept answer, body
   encrypted, before the transaction commits.
3. The create and its kept answer commit together. A request that did not commit leaves
   nothing, so its key is free at once: no hold outlives its transaction.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import BaseRoute
from starlette.types import Receive

from app.core.clock import Clock
from app.core.db import TRANSACTION_PARTICIPANT
from app.core.errors import Conflict, UnprocessableEntity
from app.web.idempotency.models import IdempotencyRecord
from app.web.idempotency.repository import KEEP_FOR, IdempotencyRepository

STATE_KEY = TRANSACTION_PARTICIPANT
# Headers of the first answer that a replay repeats.
REPLAYED_HEADERS = ("content-type", "location", "etag")

logger = logging.getLogger("app.idempotency")


class KeptAnswer(Exception):
    """The key has a kept answer for this very request: send it again (its values are
    read here, before the transaction that read them rolls back)."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__("replay")
        self.status_code = record.status_code
        self.headers = [(name, value) for name, value in record.headers]
        self.body = base64.b64decode(record.body)

    def response(self) -> Response:
        response = Response(content=self.body, status_code=self.status_code)
        # The kept headers replace the defaults (content-length is the body's own).
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Idempotent-Replayed"] = "true"
        return response


@dataclass(frozen=True, slots=True)
class FaultPause:
    """Where a keyed create pauses for a crash or outage test (``ZWFW_FAULT_PAUSE``): at
    ``stage`` it writes ``marker`` and waits until the test removes it (or kills it)."""

    stage: Literal["began", "committed"]
    marker: Path

    @classmethod
    def parse(cls, setting: str | None) -> FaultPause | None:
        if not setting:
            return None
        stage, _, marker = setting.partition(":")
        if stage not in ("began", "committed"):
            raise ValueError(f"no fault stage {stage!r}")
        return cls(stage, Path(marker))  # type: ignore[arg-type]

    async def at(self, stage: str, key: str) -> None:
        if stage != self.stage:
            return
        self.marker.write_text(key, encoding="utf-8")
        logger.warning("paused for a fault test", extra={"stage": stage})
        while self.marker.exists():  # noqa: ASYNC110 - the test's file is the signal
            await asyncio.sleep(0.05)


class IdempotentCreate:
    """One create sent with an ``Idempotency-Key``: the caller's key and the running hash
    of the request (method, path, query, content type, then the body as it arrives)."""

    def __init__(
        self,
        caller: str,
        key: str,
        digest: Any,
        clock: Callable[[], Clock],
        pause: FaultPause | None = None,
    ) -> None:
        self.caller = caller
        self.key = key
        self.digest = digest
        self.body_received = False
        self._clock = clock
        self._pause = pause
        self._session: AsyncSession | None = None
        self._receive: Receive | None = None

    def reads_from(self, receive: Receive) -> None:
        """Where the rest of the body comes from, should the kept answer need it."""
        self._receive = receive

    async def _read_body(self) -> bool:
        """Hash what is left of a body still to come (a streamed upload, when the key has
        an answer: the route will not run, so nobody else reads it); False when the client
        went away first."""
        while not self.body_received:
            if self._receive is None or (await self._receive())["type"] == "http.disconnect":
                return False
        return True

    def received(self, chunk: bytes, more: bool) -> None:
        self.digest.update(chunk)
        if not more:
            self.body_received = True

    def fingerprint(self) -> str:
        if not self.body_received:
            raise RuntimeError("the request's body was not read before its answer")
        return str(self.digest.hexdigest())

    async def began(self, session: AsyncSession) -> None:
        """The request's transaction began: hold the key, or answer from what it holds."""
        repository = IdempotencyRepository(session)
        if not await repository.try_hold(self.caller, self.key):
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                code="idempotency_key_in_use",
                headers={"Retry-After": "1"},
            )
        record = await repository.get(self.caller, self.key)
        if record is not None:
            if self._clock().now() - record.created_at >= KEEP_FOR:
                await repository.forget(record)  # expired, not yet purged
            elif not await self._read_body():
                raise Conflict(  # the client went away before its body was sent
                    "The request's body did not arrive whole.",
                    code="idempotency_key_in_use",
                    headers={"Retry-After": "1"},
                )
            elif record.fingerprint == self.fingerprint():
                raise KeptAnswer(record)
            else:
                raise UnprocessableEntity(
                    "This Idempotency-Key was used for another request; use a new key.",
                    code="idempotency_key_reused",
                )
        self._session = session
        if self._pause is not None:
            await self._pause.at("began", self.key)

    async def answered(self, response: Response) -> None:
        """Keep a success in the session of the create, to commit with it (the fingerprint
        needs the whole body: a route that did not read it has it read now)."""
        if self._session is None or not 200 <= response.status_code < 300:
            return
        if not await self._read_body():
            raise RuntimeError("the client went away before its body was sent")
        IdempotencyRepository(self._session).add(
            IdempotencyRecord(
                caller=self.caller,
                key=self.key,
                fingerprint=self.fingerprint(),
                status_code=response.status_code,
                headers=[
                    [name, response.headers[name]]
                    for name in REPLAYED_HEADERS
                    if name in response.headers
                ],
                body=base64.b64encode(bytes(response.body)).decode("ascii"),
                created_at=self._clock().now(),
            )
        )

    async def committed(self) -> None:
        """After the commit, before the answer is sent (a fault point of the crash tests)."""
        if self._pause is not None:
            await self._pause.at("committed", self.key)


def _creates(route: APIRoute) -> bool:
    return "POST" in (route.methods or ()) and route.status_code == 201


class KeepingRoute(APIRoute):
    """A route whose creates (``POST`` answering 201) keep their answer for the key.

    Its handler runs inside the request's function-scoped dependencies, so the answer is
    added to the session before the session dependency commits."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not _creates(self):
            return handler

        async def keeping(request: Request) -> Response:
            create: IdempotentCreate | None = getattr(request.state, STATE_KEY, None)
            try:
                response = await handler(request)
            except KeptAnswer as kept:
                return kept.response()
            if create is not None:
                await create.answered(response)
            return response

        return keeping


def require_kept_creates(routes: Sequence[BaseRoute]) -> None:
    """Refuse to start with a create whose answer would not be kept for its key."""
    for context in iter_route_contexts(routes):
        route = context.route
        if isinstance(route, APIRoute) and _creates(route) and not isinstance(route, KeepingRoute):
            raise RuntimeError(f"POST {context.path} creates but is not a KeepingRoute")
