"""RFC 9457 problem+json for every error, with a machine ``code``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from app.core.problem_codes import ProblemCode

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:zwfw-credit:problem:"
# The members of every problem; extensions take names of their own.
STANDARD_MEMBERS = frozenset(
    {"type", "title", "status", "detail", "instance", "code", "request_id", "errors"}
)

logger = logging.getLogger("app.errors")


class FieldError(BaseModel):
    """One bad field of a request."""

    field: str = Field(description="Location of the field, e.g. `body.subject.id_number`.")
    message: str
    code: str = Field(description="Machine code of the field error.")


class Problem(BaseModel):
    """RFC 9457 problem details (问题详情), with a machine `code`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:zwfw-credit:problem:not_found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No such resource.",
                    "code": "not_found",
                    "request_id": "5f0c3d0e8a4b4f3c9d1e2f3a4b5c6d7e",
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str | None = None
    code: ProblemCode
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base of every business error: an HTTP status and a machine code."""

    status: int = 400
    code: str = "bad_request"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.code not in ProblemCode.__members__.values():
            raise ValueError(f"{cls.__name__}: {cls.code!r} is not a ProblemCode")

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.errors = list(errors) if errors else None
        self.headers = dict(headers) if headers else {}
        self.extra = dict(extra) if extra else {}


class NotAuthenticated(AppError):
    status = 401
    code = "not_authenticated"

    def __init__(self, detail: str, *, code: str = "not_authenticated") -> None:
        super().__init__(detail, code=code, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class PreconditionFailed(AppError):
    status = 412
    code = "precondition_failed"


class UnprocessableEntity(AppError):
    status = 422
    code = "validation_failed"


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"


class RequestAbandoned(Exception):
    """The client went away before its request body was received (客户端中途断开).

    Raised only before the handler has run or answered: nothing was written, and there
    is no one to answer. Not an :class:`AppError`, since no problem is rendered: the
    request is dropped with one warning line.
    """


# SQLSTATEs that mean "the server cannot serve now": connection exceptions (class 08),
# shutdown and start-up (57P01-57P03), too many connections (53300).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_DATABASE_MODULES = frozenset({"asyncpg", "aiosqlite", "sqlalchemy"})


def _raised_in_database_driver(exc: BaseException) -> bool:
    traceback = exc.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.partition(".")[0] in _DATABASE_MODULES:
            return True
        traceback = traceback.tb_next
    return False


def is_database_unavailable(exc: BaseException) -> bool:
    """Is this the database being unreachable (not a bug, not a constraint)?"""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if isinstance(sqlstate, str):
            return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
        return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    # asyncpg raises OSError (e.g. ConnectionRefusedError) when it cannot connect.
    return isinstance(exc, OSError) and _raised_in_database_driver(exc)


def problem_body(
    status: int,
    code: str,
    detail: str | None,
    *,
    request_id: str | None,
    errors: Sequence[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id,
    }
    if errors:
        body["errors"] = [error.model_dump() for error in errors]
    if extra:
        clash = STANDARD_MEMBERS.intersection(extra)
        if clash:  # an extension never overwrites a standard member (RFC 9457 section 3.2)
            raise ValueError(f"problem extensions may not be named {sorted(clash)}")
        body.update(extra)
    return body


def problem_response(
    status: int,
    code: str,
    detail: str | None,
    *,
    request_id: str | None,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, code, detail, request_id=request_id, errors=errors, extra=extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


_HTTP_CODES = {
    400: "malformed_body",  # FastAPI answers 400 to a body it cannot decode
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        exc.status,
        exc.code,
        exc.detail,
        request_id=_request_id(request),
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=_field_name(err.get("loc", ())), message=err["msg"], code=err["type"])
        for err in exc.errors()
    ]
    return problem_response(
        422,
        "validation_failed",
        f"{len(errors)} field(s) failed validation.",
        request_id=_request_id(request),
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    fallback = "bad_request" if exc.status_code < 500 else "internal_error"
    code = _HTTP_CODES.get(exc.status_code, fallback)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code,
        code,
        detail,
        request_id=_request_id(request),
        headers=exc.headers,
    )


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # A unique or foreign-key constraint caught a race the service's checks did not.
    logger.warning("integrity error", extra={"error": type(exc).__name__})
    return problem_response(
        409,
        "conflict",
        "The change conflicts with the current state; read it again and retry.",
        request_id=_request_id(request),
    )


def _is_transaction_rollback(exc: Exception) -> bool:
    """Serialisation failure or deadlock (SQLSTATE class 40): the database chose a loser."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, sa_exc.DBAPIError) and str(sqlstate or "").startswith("40")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if _is_transaction_rollback(exc):
        return await _stale_data(request, exc)
    if not is_database_unavailable(exc):
        raise exc  # a bug, not an outage: the last-resort handler answers 500
    logger.warning("database unavailable", extra={"error": type(exc).__name__})
    return problem_response(
        503,
        "database_unavailable",
        "The database cannot be reached; retry shortly.",
        request_id=_request_id(request),
        headers={"Retry-After": "5"},
    )


async def _stale_data(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        409,
        "concurrent_update",
        "Someone else changed this record at the same time; read it again and retry.",
        request_id=_request_id(request),
    )


class _NoAnswer(Response):
    """The answer to a client that has gone: nothing is sent."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


async def _request_abandoned(request: Request, exc: Exception) -> Response:
    route = request.scope.get("route")
    # The route's template, never the path itself: a path may carry an identifier.
    logger.warning(
        "request abandoned by the client before its body was received",
        extra={"method": request.method, "route": getattr(route, "path", None)},
    )
    return _NoAnswer()


async def _overflow(request: Request, exc: Exception) -> JSONResponse:
    # Arithmetic past what the types hold (a date after 9999) from an input a route did
    # not bound: the input's fault, never a server error.
    return problem_response(
        422,
        "value_out_of_range",
        "A value computed from the request falls outside the supported range.",
        request_id=_request_id(request),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OverflowError, _overflow)
    for error in (sa_exc.DBAPIError, sa_exc.TimeoutError, OSError):
        app.add_exception_handler(error, _database_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestAbandoned, _request_abandoned)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems a route may answer."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
