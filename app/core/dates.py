"""日期 (a calendar date) as a request gives it: ISO 8601 ``YYYY-MM-DD`` and nothing else.

pydantic reads a date leniently: ``0`` or ``"0"`` as seconds since 1970 (1970-01-01), a
timestamp at midnight as its day. A request that names a day names it plainly, so every
date query parameter takes :data:`IsoDate`; anything else is the field error
``date_not_iso``. The OpenAPI schema stays ``type: string, format: date``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

DATE_NOT_ISO = "date_not_iso"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # a date built in code, never from a request
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value  # the calendar check (2026-02-30) is pydantic's
    raise PydanticCustomError(DATE_NOT_ISO, "Input should be a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
