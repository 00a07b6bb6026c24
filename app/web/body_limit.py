"""Request body size caps (请求体大小限制), counted as the body streams in.

A pure ASGI middleware: a declared ``Content-Length`` over the cap is refused before the
application runs; a body without one (chunked) is counted message by message, and the
first byte over the cap stops the read. Either way the answer is ``413
payload_too_large`` and nothing is written: the request's transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

# (method, path) of routes that stream large uploads and have a cap of their own.
JOINT_PUNISHMENT_IMPORT = ("POST", "/api/v1/joint-punishment/imports")


class PayloadTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=_detail(limit))


def _detail(limit: int) -> str:
    return f"The request body is larger than the {limit} bytes this route accepts."


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        route_limits: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.route_limits = dict(route_limits or {})

    def limit_for(self, scope: Scope) -> int:
        key = (scope.get("method", ""), scope.get("path", "").rstrip("/"))
        return self.route_limits.get(key, self.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            if received > limit:
                raise PayloadTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLarge:
            # Normally the application's handler has answered already; this is for a
            # body read outside it.
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        request_id = scope.get("state", {}).get("request_id")
        response = problem_response(
            413,
            "payload_too_large",
            _detail(limit),
            request_id=request_id,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
