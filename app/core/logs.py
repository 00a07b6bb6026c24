"""Structured JSON logs, one object per line, carrying the request id.

A failure is logged with :func:`error_fields`: its type, its message (identifiers
masked, a database error's statement and parameters left out) and where it was raised.
"""

from __future__ import annotations

import json
import logging
import math
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from app.privacy.masking import mask_identifiers

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        # The time up to the second, kept while it is the same second (every line of it).
        self._second = -1
        self._stamp = ""

    def _time(self, created: float) -> str:
        """``created`` as ``datetime.isoformat(timespec="milliseconds")`` writes it in UTC."""
        fraction, whole = math.modf(created)  # as datetime.fromtimestamp rounds
        second, micros = int(whole), round(fraction * 1_000_000)
        if micros >= 1_000_000:
            second, micros = second + 1, micros - 1_000_000
        if second != self._second:
            text = datetime.fromtimestamp(second, UTC).isoformat()
            self._second, self._stamp = second, text[:-6]  # without "+00:00"
        return f"{self._stamp}.{micros // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and key[0] != "_":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


ERROR_MESSAGE_CHARS = 500


def error_fields(exc: BaseException) -> dict[str, str]:
    """``error_type``, ``error`` (the message) and ``error_at`` (file:line of the frame
    that raised) of a failure, fit for a log line: a database error gives the driver's
    message without the statement and its parameters, and identifiers are masked."""
    cause: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        cause = exc.orig
    message = mask_identifiers(str(cause).strip())[:ERROR_MESSAGE_CHARS]
    fields = {"error_type": type(exc).__name__, "error": message or type(cause).__name__}
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        fields["error_at"] = f"{frames[-1].filename}:{frames[-1].lineno}"
    return fields


class _JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installs, so configuring twice replaces it."""


def configure_logging(level: str) -> None:
    handler = _JsonHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _JsonHandler)]
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
