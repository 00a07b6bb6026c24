"""Request context: X-Request-ID on every response, access log, last-resort 500 problem.

The access log writes the path and the query with every ID number and USCC masked
(``app.privacy.masking.mask_identifiers``) and a ``name`` value masked as a name: a log line is
kept outside the encrypted store and needs no identity.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.core.logs import request_id_var
from app.privacy.masking import mask_identifiers, mask_name
from app.web.auth import ANONYMOUS, viewer_var

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

logger = logging.getLogger("app.request")


def logged_path(scope: Scope) -> str:
    return mask_identifiers(str(scope.get("path", "")))


def logged_query(scope: Scope) -> str | None:
    """The query as the log writes it: decoded, identifiers and names masked."""
    raw = bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
    if not raw:
        return None
    pairs = parse_qsl(raw, keep_blank_values=True, errors="replace")
    return "&".join(
        f"{mask_identifiers(key)}={mask_name(value) if key == 'name' else mask_identifiers(value)}"
        for key, value in pairs
    )


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _VALID_REQUEST_ID.match(text) else None
    return None


class RequestContextMiddleware:
    """Pure ASGI middleware, outside every handler, so even a crash carries the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        viewer_token = viewer_var.set(ANONYMOUS)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": None}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error", extra={"path": logged_path(scope)})
            if status_holder["status"] is None:
                response = problem_response(
                    500,
                    "internal_error",
                    "An internal error occurred; quote the request id when reporting it.",
                    request_id=request_id,
                )
                await response(scope, receive, send_with_id)
        finally:
            if logger.isEnabledFor(logging.INFO):
                # The record made directly: the same line as logger.info(...) writes,
                # without looking up the caller's frame on every request.
                fields = {
                    "method": scope.get("method"),
                    "path": logged_path(scope),
                    "query": logged_query(scope),
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                }
                logger.handle(
                    logger.makeRecord(
                        logger.name, logging.INFO, __file__, 0, "request", (), None, extra=fields
                    )
                )
            request_id_var.reset(token)
            viewer_var.reset(viewer_token)
