"""HTTP semantics every route shares: ``405`` with the ``Allow`` its path really declares,
before authentication; date query parameters that take ISO dates only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.routing import Route

from app.main import create_app
from app.web.authz import MATRIX
from app.web.methods import MethodIndex, allowed_methods, path_templates
from tests.conftest import TokenFactory, make_settings

METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE")
_ANY_ID = "00000000-0000-4000-8000-000000000000"


def _document() -> dict[str, Any]:
    document: dict[str, Any] = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    return document


DOCUMENT = _document()


def _concrete(path: str) -> str:
    """The path with each parameter replaced by a value of its kind."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{"):
            part = "2026" if part == "{year}" else _ANY_ID
        parts.append(part)
    return "/".join(parts)


def _undeclared() -> list[tuple[str, str, str]]:
    cases: list[tuple[str, str, str]] = []
    for path, item in DOCUMENT["paths"].items():
        declared = {method.upper() for method in item if method.upper() in METHODS}
        allow = ", ".join(sorted(declared))
        cases.extend((path, method, allow) for method in METHODS if method not in declared)
    return cases


async def test_every_undeclared_method_is_405_with_the_methods_of_its_path() -> None:
    cases = _undeclared()
    assert len(cases) > 100
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for path, method, allow in cases:
            # No token: the 405 comes before authentication, validation and the handler.
            response = await client.request(method, _concrete(path), json={})
            assert response.status_code == 405, (method, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == "method_not_allowed"
            assert response.headers["allow"] == allow, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        # Reported: Allow named another route's method (POST, DELETE), or the method went
        # to a templated sibling and authentication answered first (401).
        ("PUT", "/api/v1/commitments", "GET, POST"),
        ("PUT", "/api/v1/webhooks/deliveries", "GET"),
        ("PUT", "/api/v1/calendar/deadline", "GET"),
        ("DELETE", "/api/v1/calendar/2026", "GET, PUT"),
        ("PATCH", "/docs", "GET"),
        ("POST", "/healthz", "GET"),
        # The document is served by a plain route, which answers HEAD as well.
        ("POST", "/openapi.json", "GET, HEAD"),
    ],
)
async def test_the_reported_405s(
    client: httpx.AsyncClient, auth: TokenFactory, method: str, path: str, allow: str
) -> None:
    for headers in ({}, auth("admin"), auth("clerk")):
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 405
        assert response.headers["allow"] == allow
        assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_declared_method_still_reaches_its_route(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    deadline = "/api/v1/calendar/deadline?start=2026-09-30&amount=3&unit=working_days"
    assert (await client.get(deadline)).status_code == 200
    assert (await client.head("/openapi.json")).status_code == 200
    # PUT on the templated sibling is declared there: it answers as that route does.
    assert (await client.put("/api/v1/calendar/2026", json={})).status_code == 401
    assert (await client.get("/api/v1/no-such-route")).status_code == 404
    assert (await client.put("/api/v1/no-such-route")).status_code == 404


async def test_every_operation_reaches_its_own_route() -> None:
    """Whatever order the routers are included in, each operation of the document is
    answered by the route declared for its path and method (the route is known before
    authentication, validation or the handler run)."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    reached: list[Any] = []

    async def probe(scope: Any, receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        reached.append(scope.get("route"))

    transport = httpx.ASGITransport(app=probe, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for path, item in DOCUMENT["paths"].items():
            for method in (m.upper() for m in item if m.upper() in METHODS):
                reached.clear()
                await http.request(method, _concrete(path))
                route = reached[0]
                assert route is not None, (method, path)
                assert (route.path, method in route.methods) == (path, True), (method, path)


def test_the_index_answers_as_a_scan_of_every_template() -> None:
    """The per-request lookup (exact path, then the templates of its depth) finds the
    methods a scan of every template finds, for every path of the document, a path
    with a ``:path`` parameter, and paths no route has."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    templates = path_templates(app.routes)
    index = MethodIndex(templates)
    paths = [_concrete(path) for path in DOCUMENT["paths"]]
    paths += [
        "/docs/static/swagger-ui.css",
        "/docs/static/a/b/c.js",
        "/api/v1/no-such-route",
        "/api/v1/calendar/2026/extra",
        "/",
        "",
    ]
    assert any("{" in t.template for t in templates)
    for path in paths:
        assert index.allowed(path) == allowed_methods(templates, path), path
    assert index.allowed("/api/v1/calendar/deadline") == frozenset({"GET"})
    assert index.allowed("/api/v1/calendar/2026") == allowed_methods(
        [t for t in templates if t.template == "/api/v1/calendar/{year}"], "/api/v1/calendar/2026"
    )


def test_a_path_parameter_spans_any_depth_in_the_index() -> None:
    def endpoint() -> None: ...

    routes = [
        Route("/files/{rest:path}", endpoint, methods=["GET"]),
        Route("/files/{name}", endpoint, methods=["DELETE"]),
        Route("/files/readme", endpoint, methods=["PUT"]),
    ]
    templates = path_templates(routes)
    index = MethodIndex(templates)
    for path, expected in (
        ("/files/a/b/c", {"GET", "HEAD"}),
        ("/files/a", {"GET", "HEAD", "DELETE"}),
        ("/files/readme", {"PUT"}),
        ("/other", None),
    ):
        assert index.allowed(path) == allowed_methods(templates, path)
        assert index.allowed(path) == (frozenset(expected) if expected else None), path


# --- date query parameters ---------------------------------------------------------------


def _is_date(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("format") == "date" for option in options)


def _date_parameters() -> list[tuple[str, str]]:
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _is_date(parameter["schema"]):
                    assert method == "get", (method, path)
                    found.append((path, parameter["name"]))
    return found


DATE_PARAMETERS = _date_parameters()
VALID_DATE = "2026-03-02"  # a Monday, a working day


def test_the_date_parameters_are_found() -> None:
    paths = {path for path, _ in DATE_PARAMETERS}
    assert {"/api/v1/calendar/deadline", "/api/v1/commitments", "/api/v1/tasks"} <= paths
    assert ("/api/v1/commitments", "due_before") in DATE_PARAMETERS


def _valid_query(path: str) -> dict[str, str]:
    """Every query parameter of ``GET path`` that is required or a date, with a good value."""
    query = {}
    for parameter in DOCUMENT["paths"][path]["get"].get("parameters", []):
        if parameter["in"] != "query":
            continue
        schema = parameter["schema"]
        if _is_date(schema):
            query[parameter["name"]] = VALID_DATE
        elif parameter.get("required"):
            examples = schema.get("examples") or schema.get("enum") or [parameter.get("example")]
            query[parameter["name"]] = str(examples[0])
    return query


def _headers(path: str, auth: TokenFactory) -> dict[str, str]:
    roles = MATRIX[("GET", path)].roles
    return auth(sorted(roles)[0]) if roles else {}


@pytest.mark.parametrize(("path", "name"), DATE_PARAMETERS)
async def test_a_date_query_parameter_takes_an_iso_date_only(
    client: httpx.AsyncClient, auth: TokenFactory, path: str, name: str
) -> None:
    headers = _headers(path, auth)
    good = await client.get(path, params=_valid_query(path), headers=headers)
    assert good.status_code == 200, good.text
    # Read as seconds since 1970, a year, a basic-format or a timestamp before: all refused.
    for bad in ("0", "1772409600", "20260302", "2026-3-2", "2026-03-02T00:00:00", "2026"):
        query = {**_valid_query(path), name: bad}
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 422, (bad, response.text)
        problem = response.json()
        assert problem["code"] == "validation_failed"
        assert {error["field"] for error in problem["errors"]} == {f"query.{name}"}
        assert problem["errors"][0]["code"] == "date_not_iso"
