"""The OpenAPI document: what every operation shares, declared in one place.

FastAPI documents what each route declares. Some answers come from layers every route
shares — the body parser, the body size cap, the rate limit, the database error
handler — and are added here, so the document lists every status an operation can
answer. Links tie each create to the reads of what it created (stateful testing and
client generators follow them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from app.core.errors import PROBLEM_MEDIA_TYPE
from app.web.contract import complete_contract
from app.web.rate_limit import EXEMPT_PATHS

Document = dict[str, Any]

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_METHODS = frozenset({"get", "put", "post", "patch", "delete"})
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
# Answers that do not depend on the route: the body parser (400), the body size cap (413),
# the rate limit (429, except on the exempt paths) and the database being unreachable (503,
# on every route that reads it: all but liveness).
_BODY_STATUSES = (400, 413)
_NO_DATABASE = frozenset({"/healthz"})


@dataclass(frozen=True, slots=True)
class Link:
    """After a ``201`` of ``source``, the created resource can be read at ``target``."""

    name: str
    source: tuple[str, str]
    target: tuple[str, str]
    parameter: str
    pointer: str
    description: str


LINKS: tuple[Link, ...] = (
    Link(
        "ReadConsent",
        ("post", "/api/v1/consents"),
        ("get", "/api/v1/consents/{consent_id}"),
        "consent_id",
        "/id",
        "Read the consent just recorded.",
    ),
    Link(
        "RevokeConsent",
        ("post", "/api/v1/consents"),
        ("post", "/api/v1/consents/{consent_id}/revocation"),
        "consent_id",
        "/id",
        "Revoke the consent just recorded.",
    ),
    Link(
        "ReadCreditCheck",
        ("post", "/api/v1/credit-checks"),
        ("get", "/api/v1/credit-checks/{check_id}"),
        "check_id",
        "/id",
        "Read the credit check just run.",
    ),
    Link(
        "ReadMatter",
        ("post", "/api/v1/matters"),
        ("get", "/api/v1/matters/{code}"),
        "code",
        "/code",
        "Read the matter just added to the catalog.",
    ),
    Link(
        "ReadMatterVersions",
        ("post", "/api/v1/matters"),
        ("get", "/api/v1/matters/{code}/versions"),
        "code",
        "/code",
        "List the versions of the matter just added.",
    ),
    Link(
        "ReadDepartment",
        ("post", "/api/v1/departments"),
        ("get", "/api/v1/departments/{code}"),
        "code",
        "/code",
        "Read the department just added.",
    ),
    Link(
        "ReadCommitment",
        ("post", "/api/v1/commitments"),
        ("get", "/api/v1/commitments/{commitment_id}"),
        "commitment_id",
        "/id",
        "Read the commitment just made.",
    ),
    Link(
        "ReadRestriction",
        ("post", "/api/v1/restrictions"),
        ("get", "/api/v1/restrictions/{restriction_id}"),
        "restriction_id",
        "/id",
        "Read the listing just collected.",
    ),
    Link(
        "ReadRepair",
        ("post", "/api/v1/restrictions/{restriction_id}/repair-applications"),
        ("get", "/api/v1/restrictions/{restriction_id}/repair"),
        "restriction_id",
        "/listing_id",
        "Read where the listing stands, the proof just filed included.",
    ),
    Link(
        "ReadImport",
        ("post", "/api/v1/joint-punishment/imports"),
        ("get", "/api/v1/joint-punishment/imports/{import_id}"),
        "import_id",
        "/import_id",
        "Read the counts of the import just made.",
    ),
    Link(
        "Unsubscribe",
        ("post", "/api/v1/webhooks"),
        ("delete", "/api/v1/webhooks/{subscription_id}"),
        "subscription_id",
        "/id",
        "Remove the subscription just made.",
    ),
)


def _problem(status: int, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": dict(_PROBLEM_REF)}},
    }
    if headers:
        response["headers"] = headers
    return response


def _common_statuses(path: str, operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    statuses: dict[int, dict[str, Any]] = {}
    if "requestBody" in operation:
        statuses.update({status: _problem(status) for status in _BODY_STATUSES})
    if operation.get("security"):
        statuses[401] = _problem(401)
    if operation.get("parameters") or "requestBody" in operation:
        statuses[422] = _problem(422)
    if path not in EXEMPT_PATHS:
        statuses[429] = _problem(429, _RETRY_AFTER)
    if path not in _NO_DATABASE:
        statuses[503] = _problem(503, _RETRY_AFTER)
    return statuses


def _is_fastapi_validation_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))


def add_common_responses(document: Document) -> None:
    """Declare on each operation the problems the shared layers answer.

    FastAPI's own ``422`` (``HTTPValidationError`` as ``application/json``) is replaced
    by the problem the validation handler really sends.
    """
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses: dict[str, Any] = operation["responses"]
            if "422" in responses and _is_fastapi_validation_error(responses["422"]):
                del responses["422"]
            for status, response in _common_statuses(path, operation).items():
                responses.setdefault(str(status), response)
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        if name in schemas and f'"#/components/schemas/{name}"' not in json.dumps(document):
            del schemas[name]


IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: a request with a key this caller used before, for the same "
        "request (method, path, query, content type and body), is not run again; the first "
        "successful "
        "answer is sent again with `Idempotent-Replayed: true`. The same key for another "
        "request is `422 idempotency_key_reused`; while the first request runs, `409 "
        "idempotency_key_in_use`. A failed request keeps nothing. Kept for 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "example": "b1f4c2de-7a39-4d5e-9c61-0e2f8a7d3b45",
}
_REPLAYED = {
    "Idempotent-Replayed": {
        "description": "`true` when this is the kept answer to an earlier request.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


def add_idempotency_keys(document: Document) -> None:
    """Declare ``Idempotency-Key`` on every create (``POST`` answering 201), as served by
    :mod:`app.web.idempotency.middleware`."""
    for item in document["paths"].values():
        operation = item.get("post")
        if operation is None or "201" not in operation["responses"]:
            continue
        operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY_PARAMETER))
        operation["responses"]["201"].setdefault("headers", {}).update(_REPLAYED)
        operation["responses"].setdefault("409", _problem(409, _RETRY_AFTER))


def add_links(document: Document, links: tuple[Link, ...] = LINKS) -> None:
    """Add the OpenAPI links of ``links``; a link to a missing operation is an error."""
    paths = document["paths"]
    for link in links:
        source_method, source_path = link.source
        target_method, target_path = link.target
        source = paths[source_path][source_method]
        target = paths[target_path][target_method]
        created = source["responses"]["201"]
        ref = created["content"]["application/json"]["schema"]["$ref"]
        body = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        if link.pointer.lstrip("/") not in body.get("required", ()):
            raise ValueError(f"link {link.name}: {ref} has no required {link.pointer}")
        created.setdefault("links", {})[link.name] = {
            "operationId": target["operationId"],
            "parameters": {link.parameter: f"$response.body#{link.pointer}"},
            "description": link.description,
        }


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once, then cached)."""
    generate: Callable[[], Document] = app.openapi

    def openapi() -> Document:
        if app.openapi_schema is None:
            document = generate()
            add_idempotency_keys(document)
            add_common_responses(document)
            add_links(document)
            complete_contract(document)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
