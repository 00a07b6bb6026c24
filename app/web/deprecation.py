"""Routes kept for one release after a successor replaced them (弃用路由).

Every answer of such a route, problems included, says so: ``Deprecation`` (RFC 9745, the
date it was deprecated as a structured-field date) and ``Link: <successor>;
rel="successor-version"`` (RFC 8288, RFC 5829). The OpenAPI document marks the operation
``deprecated`` and declares both headers.

A route may instead be deprecated in one query parameter only (弃用参数: a list filter by
identifier, whose successor takes it in the body): then only the answers to a request that
gave the parameter carry both headers, and the document marks the parameter, not the
operation, ``deprecated`` and declares the headers as sent only then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from fastapi.routing import APIRoute
from starlette.types import Message, Receive, Scope, Send

from app.core.errors import problem_responses

# The release that added the POST forms of the lookups by identifier.
DEPRECATED_ON = datetime(2026, 12, 1, tzinfo=UTC)


def deprecation_value(when: datetime = DEPRECATED_ON) -> str:
    """RFC 9745 ``Deprecation``: ``@`` and the Unix seconds of the date (RFC 9651 sf-date)."""
    return f"@{int(when.timestamp())}"


def successor_link(successor: str) -> str:
    return f'<{successor}>; rel="successor-version"'


def gives_parameter(scope: Scope, parameter: str) -> bool:
    """Whether the request's query string names ``parameter`` (even with an empty value)."""
    query = scope.get("query_string", b"").decode("latin-1")
    return any(name == parameter for name, _ in parse_qsl(query, keep_blank_values=True))


def successor_route(
    successor: str, base: type[APIRoute] = APIRoute, *, parameter: str | None = None
) -> type[APIRoute]:
    """The route class (a ``base``) of a deprecated form replaced by ``successor``: the
    whole route, or with ``parameter`` only the requests giving that query parameter."""
    added = [
        (b"deprecation", deprecation_value().encode()),
        (b"link", successor_link(successor).encode()),
    ]

    class SucceededRoute(base):  # type: ignore[valid-type,misc]
        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            if parameter is not None and not gives_parameter(scope, parameter):
                await super().handle(scope, receive, send)
                return

            async def send_with_notice(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", ()), *added]}
                await send(message)

            await super().handle(scope, receive, send_with_notice)

    return SucceededRoute


def deprecated_responses(
    successor: str, *statuses: int, parameter: str | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` of a deprecated route: its problems, each with both headers
    (with ``parameter``: sent only when the request gives that query parameter)."""
    when = (
        f"仅当请求带有 `{parameter}` 参数时返回 (only when `{parameter}` is given). "
        if parameter
        else ""
    )
    headers = {
        "Deprecation": {
            "description": f"{when}弃用日期 (RFC 9745): the date this form was deprecated, "
            "as `@` and Unix seconds.",
            "required": parameter is None,
            "schema": {"type": "string", "example": deprecation_value()},
        },
        "Link": {
            "description": f"{when}替代接口 (RFC 8288): the form to call instead, "
            '`rel="successor-version"`.',
            "required": parameter is None,
            "schema": {"type": "string", "example": successor_link(successor)},
        },
    }
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": HTTPStatus.OK.phrase, "headers": headers}
    }
    for status, entry in problem_responses(*statuses).items():
        responses[status] = {**entry, "headers": headers}
    return responses
