"""Routes kept for one release after a successor replaced them (弃用路由).

Every answer of such a route, problems included, says so: ``Deprecation`` (RFC 9745, the
date it was deprecated as a structured-field date) and ``Link: <successor>;
rel="successor-version"`` (RFC 8288, RFC 5829). The OpenAPI document marks the operation
``deprecated`` and declares both headers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from fastapi.routing import APIRoute
from starlette.types import Message, Receive, Scope, Send

from app.errors import problem_responses

# The release that added the POST forms of the lookups by identifier (issue 14).
DEPRECATED_ON = datetime(2026, 12, 1, tzinfo=UTC)


def deprecation_value(when: datetime = DEPRECATED_ON) -> str:
    """RFC 9745 ``Deprecation``: ``@`` and the Unix seconds of the date (RFC 9651 sf-date)."""
    return f"@{int(when.timestamp())}"


def successor_link(successor: str) -> str:
    return f'<{successor}>; rel="successor-version"'


def successor_route(successor: str, base: type[APIRoute] = APIRoute) -> type[APIRoute]:
    """The route class (a ``base``) of a deprecated form replaced by ``successor``."""
    added = [
        (b"deprecation", deprecation_value().encode()),
        (b"link", successor_link(successor).encode()),
    ]

    class SucceededRoute(base):  # type: ignore[valid-type,misc]
        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def send_with_notice(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", ()), *added]}
                await send(message)

            await super().handle(scope, receive, send_with_notice)

    return SucceededRoute


def deprecated_responses(successor: str, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` of a deprecated route: its problems, each with both headers."""
    headers = {
        "Deprecation": {
            "description": "弃用日期 (RFC 9745): the date this form was deprecated, "
            "as `@` and Unix seconds.",
            "required": True,
            "schema": {"type": "string", "example": deprecation_value()},
        },
        "Link": {
            "description": "替代接口 (RFC 8288): the form to call instead, "
            '`rel="successor-version"`.',
            "required": True,
            "schema": {"type": "string", "example": successor_link(successor)},
        },
    }
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": HTTPStatus.OK.phrase, "headers": headers}
    }
    for status, entry in problem_responses(*statuses).items():
        responses[status] = {**entry, "headers": headers}
    return responses
