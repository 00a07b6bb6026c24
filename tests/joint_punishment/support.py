"""Valid identifiers computed with python-stdnum, and import bodies built from rows."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, timedelta

from stdnum.cn import ric, uscc

IMPORTS = "/api/v1/joint-punishment/imports"
HEADER = ("subject_type", "id_number", "name", "list_name", "source", "listed_on", "expires_on")
CSV = {"Content-Type": "text/csv"}
NDJSON = {"Content-Type": "application/x-ndjson"}


def valid_uscc(serial: int) -> str:
    """An 18-character USCC (organization) whose check character is right."""
    first17 = f"91370100{serial:09d}"
    return first17 + str(uscc.calc_check_digit(first17))


def valid_resident_id(serial: int) -> str:
    """A citizen ID number born 1960 or later in 370102 (济南市历下区) with a right check digit."""
    born = date(1960, 1, 1) + timedelta(days=(serial // 1000) % 20000)
    first17 = f"370102{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + str(ric.calc_check_digit(first17 + "0"))


def wrong_check(number: str) -> str:
    """The same number with another (wrong) last character."""
    return number[:17] + ("1" if number[17] != "1" else "2")


def csv_body(rows: Iterable[Sequence[str]], *, header: Sequence[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


async def in_chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    """The body as a stream of ``size``-byte chunks (the last may be shorter)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]
