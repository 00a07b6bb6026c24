"""405 Method Not Allowed (方法不允许) with the ``Allow`` a path really declares.

The router on its own answers a method a path does not declare with the ``Allow`` of the
first route it meets whose path matches (``PUT /api/v1/commitments`` → ``Allow: POST``
though ``GET`` is declared too), and sends a method a concrete path lacks to a templated
sibling that has it (``PUT /api/v1/calendar/deadline`` went to ``/calendar/{year}``, where
authentication answered 401). Here a request path is matched as OpenAPI matches it:
a concrete path before its templated counterparts, segment by segment from the left.
A method the matched path does not declare is answered ``405 method_not_allowed``
(problem+json) listing every method its routes accept, before the
request reaches authentication, validation or a handler. A path no route matches passes
through (404, or a mounted directory).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.errors import problem_response


@dataclass(frozen=True, slots=True)
class PathTemplate:
    """One path template and every method declared on it."""

    template: str
    pattern: re.Pattern[str]
    methods: frozenset[str]

    @property
    def specificity(self) -> tuple[int, ...]:
        """Sorts concrete segments before parameters, leftmost first (lower is more concrete)."""
        return tuple(int("{" in segment) for segment in self.template.split("/"))


def path_templates(routes: Sequence[BaseRoute]) -> list[PathTemplate]:
    """The templates of ``routes`` (included routers' routes too) with their methods."""
    declared: dict[str, set[str]] = {}
    for context in iter_route_contexts(routes):
        if context.path is None or not context.methods:
            continue  # a mount: the directory answers for itself
        declared.setdefault(context.path, set()).update(context.methods)
    return [
        PathTemplate(template, compile_path(template)[0], frozenset(methods))
        for template, methods in declared.items()
    ]


def allowed_methods(templates: Sequence[PathTemplate], path: str) -> frozenset[str] | None:
    """The methods declared on the most concrete template matching ``path``; ``None`` when
    no template matches. Templates of the same shape (parameters named differently) add up.
    """
    matching = [template for template in templates if template.pattern.match(path)]
    if not matching:
        return None
    best = min(template.specificity for template in matching)
    return frozenset().union(
        *(template.methods for template in matching if template.specificity == best)
    )


class MethodIndex:
    """:func:`allowed_methods` without a scan of every template on each request.

    A concrete template is the most concrete match of the one path it matches, so an
    exact hit answers alone. Otherwise only templated paths of the request's number of
    segments are tried (a parameter never spans a ``/``), with those whose ``:path``
    parameter may span any number.
    """

    def __init__(self, templates: Sequence[PathTemplate]) -> None:
        self._concrete = {t.template: t.methods for t in templates if "{" not in t.template}
        self._by_depth: dict[int, list[PathTemplate]] = {}
        self._any_depth: list[PathTemplate] = []
        for template in templates:
            if "{" not in template.template:
                continue
            if ":path}" in template.template:
                self._any_depth.append(template)
            else:
                self._by_depth.setdefault(template.template.count("/"), []).append(template)

    def allowed(self, path: str) -> frozenset[str] | None:
        """As :func:`allowed_methods` over every template."""
        methods = self._concrete.get(path)
        if methods is not None:
            return methods
        candidates = self._by_depth.get(path.count("/"), [])
        return allowed_methods([*candidates, *self._any_depth], path)


def _route_path(scope: Scope) -> str:
    """The path the routes see: without the ``root_path`` a proxy mounts the service at."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class MethodNotAllowedMiddleware:
    """Answers 405 for a method the request's path does not declare."""

    def __init__(self, app: ASGIApp, *, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        self.app = app
        self._routes = routes
        self._index: MethodIndex | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._index is None:
            self._index = MethodIndex(path_templates(self._routes()))
        allowed = self._index.allowed(_route_path(scope))
        if allowed is None or scope["method"] in allowed:
            await self.app(scope, receive, send)
            return
        allow = ", ".join(sorted(allowed))
        response = problem_response(
            405,
            "method_not_allowed",
            f"{scope['method']} is not allowed here; allowed: {allow}.",
            request_id=scope.get("state", {}).get("request_id"),
            headers={"Allow": allow},
        )
        await response(scope, receive, send)
