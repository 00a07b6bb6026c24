"""Reading an import of the joint punishment lists (联合奖惩名单导入) line by line.

The body arrives as a stream of byte chunks. Lines are split here, never by reading the
body whole: a line may be split across chunks, end in CRLF or LF, or lack a final newline,
and the first may start with a UTF-8 BOM. UTF-8 never uses the byte ``\\n`` inside a
multi-byte character, so splitting bytes on it is safe before decoding each line.

Two formats carry the same fields: CSV with a header row, and JSON lines (one object per
line). A CSV field may be quoted (and contain commas) but may not span lines. Each row is
validated on its own; a bad row is reported with its line number and never stops the
import.

Each entry carries its list type (LZ §3: a hit bars what that list's memorandum provides,
app/rules/joint_punishment.py): the ``list_type`` column, which a header may leave out,
names a configured type (another value rejects the row); left out or empty, the type is
the one the list is published under by ``list_name``, else ``unclassified``: such an entry
is kept, but a credit check that finds it cannot tell what it bars and is not performed
(``joint_punishment_list_type_unknown``) until the entry is imported again with its type.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import islice

from app.core.identifiers import InvalidIdentifier, SubjectType, check_identifier, normalize
from app.joint_punishment.errors import ImportHeaderInvalid, ImportMediaTypeUnsupported
from app.rules.joint_punishment import LIST_TYPE_RULES, ListType, configured_list_type, list_type_of

COLUMNS = ("subject_type", "id_number", "name", "list_name", "source", "listed_on", "expires_on")
# Columns a header may leave out (every row then leaves them empty).
HEADER_OPTIONAL_COLUMNS = ("list_type",)
ALL_COLUMNS = COLUMNS + HEADER_OPTIONAL_COLUMNS
OPTIONAL_COLUMNS = frozenset({"name", "expires_on", "list_type"})
LIST_TYPE_CODES = tuple(list_type.value for list_type in LIST_TYPE_RULES)
TEXT_MAX_LENGTH = 200
ID_NUMBER_MAX_LENGTH = 64
# A longer line is rejected without being held in memory.
MAX_LINE_BYTES = 16 * 1024

_BOM = b"\xef\xbb\xbf"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SUBJECT_TYPES = {member.value: member for member in SubjectType}
_SURROGATE = re.compile("[\ud800-\udfff]")


class ImportFormat(StrEnum):
    """导入格式: `csv` (text/csv, header row) or `ndjson` (application/x-ndjson, JSON lines)."""

    csv = "csv"
    ndjson = "ndjson"


MEDIA_TYPES = {
    "text/csv": ImportFormat.csv,
    "application/x-ndjson": ImportFormat.ndjson,
}


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was rejected: the field (or `line`), a machine code and a message."""

    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of the body, numbered from 1; ``problem`` set when unreadable."""

    number: int
    text: str
    problem: RowError | None = None


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One accepted row: a subject on a list of ``list_type`` from ``listed_on`` to
    ``expires_on``."""

    subject_type: SubjectType
    id_number: str
    name: str | None
    list_name: str
    source: str
    listed_on: date
    expires_on: date | None
    list_type: ListType


_TOO_LONG = RowError("line", "line_too_long", f"the line is longer than {MAX_LINE_BYTES} bytes")
_NOT_UTF8 = RowError("line", "invalid_encoding", "the line is not valid UTF-8")


def import_format(content_type: str | None) -> ImportFormat:
    """The format named by a Content-Type header; 415 for anything else."""
    media_type, _, parameters = (content_type or "").partition(";")
    found = MEDIA_TYPES.get(media_type.strip().lower())
    charset = _charset(parameters)
    if found is None or charset not in (None, "utf-8", "utf8"):
        raise ImportMediaTypeUnsupported(
            "Send the list as text/csv or application/x-ndjson, encoded in UTF-8.",
        )
    return found


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _decode(raw: bytes, number: int) -> Line:
    if number == 1 and raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        return Line(number, raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Line(number, "", _NOT_UTF8)


async def read_lines(
    chunks: AsyncIterable[bytes], *, max_line_bytes: int = MAX_LINE_BYTES
) -> AsyncIterator[Line]:
    """Split a byte stream into numbered lines, holding one chunk and the line it ends in
    the middle of (up to ``max_line_bytes`` of it) in memory."""
    pending = bytearray()
    overlong = False
    number = 0
    async for chunk in chunks:
        lines = chunk.split(b"\n")
        rest = lines.pop()
        if lines:
            # The first line goes on from the chunks before.
            number += 1
            first = lines[0]
            if overlong or len(pending) + len(first) > max_line_bytes:
                yield Line(number, "", _TOO_LONG)
            else:
                yield _decode(bytes(pending) + first if pending else first, number)
            pending.clear()
            overlong = False
            for raw in islice(lines, 1, None):
                number += 1
                if len(raw) > max_line_bytes:
                    yield Line(number, "", _TOO_LONG)
                else:
                    yield _decode(raw, number)
        if not overlong:
            pending += rest
            if len(pending) > max_line_bytes:
                overlong = True
                pending.clear()
    if overlong:
        yield Line(number + 1, "", _TOO_LONG)
    elif pending:
        yield _decode(bytes(pending), number + 1)


def parse_csv_header(text: str) -> dict[str, int]:
    """The position of each column; the header must name every column once, in any order
    (``list_type`` at most once: it may be left out)."""
    try:
        names = [name.strip() for name in next(csv.reader([text], strict=True))]
    except (csv.Error, StopIteration):
        names = []
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in ALL_COLUMNS]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if missing or unknown or duplicated:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unknown:
            problems.append("unknown " + ", ".join(repr(name) for name in unknown))
        if duplicated:
            problems.append("repeated " + ", ".join(duplicated))
        raise ImportHeaderInvalid(
            "The first line must be the header "
            + ",".join(COLUMNS)
            + " (and optionally list_type): "
            + "; ".join(problems)
        )
    return {name: position for position, name in enumerate(names)}


class _OneLine:
    """The input of a long-lived csv reader: the line last given, once per ``next``."""

    __slots__ = ("text",)

    def __init__(self) -> None:
        self.text: str | None = None

    def __iter__(self) -> _OneLine:
        return self

    def __next__(self) -> str:
        text = self.text
        if text is None:
            raise StopIteration
        self.text = None
        return text


class CsvRowParser:
    """Splits each data line of a CSV body into its fields by column name.

    One strict csv reader serves the whole body, fed a line at a time, so a quoted field
    cannot run on into the next line. A line without a quote or a carriage return (nearly
    every line) is split on commas instead: that is exactly what the reader makes of it,
    at a fraction of the cost.
    """

    def __init__(self, columns: Mapping[str, int]) -> None:
        self._columns = tuple(columns.items())
        self._count = len(self._columns)
        self._input = _OneLine()
        self._reader = csv.reader(self._input, strict=True)

    def parse(self, text: str) -> dict[str, str | None] | RowError:
        if text and '"' not in text and "\r" not in text:
            fields = text.split(",")
        else:
            self._input.text = text
            try:
                fields = next(self._reader)
            except csv.Error as exc:
                return RowError("line", "csv_malformed", f"the line is not valid CSV: {exc}")
            finally:
                self._input.text = None
        if len(fields) != self._count:
            return RowError(
                "line", "column_count", f"expected {self._count} fields, found {len(fields)}"
            )
        return {name: fields[position] for name, position in self._columns}


def parse_json_row(text: str) -> dict[str, str | None] | list[RowError]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return [RowError("line", "invalid_json", f"the line is not valid JSON: {exc}")]
    if not isinstance(value, dict):
        return [RowError("line", "not_an_object", "each line must be one JSON object")]
    errors = [
        RowError(
            str(key), "unknown_field", f"unknown field; the fields are {', '.join(ALL_COLUMNS)}"
        )
        for key in value
        if key not in ALL_COLUMNS
    ]
    # A \u escape can make a lone surrogate, which no UTF-8 column can store.
    escaped = "\\u" in text
    values: dict[str, str | None] = {}
    for key in ALL_COLUMNS:
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            errors.append(RowError(key, "not_a_string", "must be a string or null"))
        elif escaped and item is not None and _SURROGATE.search(item):
            errors.append(
                RowError(
                    key, "invalid_encoding", "must not contain a lone surrogate (\\ud800-\\udfff)"
                )
            )
        else:
            values[key] = item
    return errors or values


def _text(
    values: Mapping[str, str | None], field: str, errors: list[RowError], max_length: int
) -> str | None:
    value = (values.get(field) or "").strip()
    if not value:
        if field not in OPTIONAL_COLUMNS:
            errors.append(RowError(field, "missing", "must not be empty"))
        return None
    if len(value) > max_length:
        errors.append(RowError(field, "too_long", f"at most {max_length} characters"))
        return None
    if "\x00" in value:
        errors.append(RowError(field, "nul_character", "must not contain the NUL character"))
        return None
    return value


def _date(values: Mapping[str, str | None], field: str, errors: list[RowError]) -> date | None:
    value = (values.get(field) or "").strip()
    if not value:
        if field not in OPTIONAL_COLUMNS:
            errors.append(RowError(field, "missing", "must not be empty"))
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(RowError(field, "invalid_date", "must be a calendar date as YYYY-MM-DD"))
    return None


def validate_row(values: Mapping[str, str | None], today: date) -> EntryRow | list[RowError]:
    """Check one row; ``today`` is the legal date a citizen's birth date may not pass."""
    errors: list[RowError] = []
    subject_type: SubjectType | None = None
    raw_type = _text(values, "subject_type", errors, TEXT_MAX_LENGTH)
    if raw_type is not None:
        subject_type = _SUBJECT_TYPES.get(raw_type)
        if subject_type is None:
            errors.append(
                RowError("subject_type", "invalid_subject_type", "must be person or organization")
            )
    id_number = _text(values, "id_number", errors, ID_NUMBER_MAX_LENGTH)
    if id_number is not None and subject_type is not None:
        try:
            id_number = check_identifier(subject_type, id_number, today).normalized
        except InvalidIdentifier as exc:
            errors.append(RowError("id_number", exc.code, exc.reason))
    elif id_number is not None:
        id_number = normalize(id_number)
    name = _text(values, "name", errors, TEXT_MAX_LENGTH)
    list_name = _text(values, "list_name", errors, TEXT_MAX_LENGTH)
    source = _text(values, "source", errors, TEXT_MAX_LENGTH)
    list_type = _list_type(values, list_name, errors)
    listed_on = _date(values, "listed_on", errors)
    expires_on = _date(values, "expires_on", errors)
    if listed_on is not None and expires_on is not None and expires_on < listed_on:
        errors.append(
            RowError("expires_on", "expires_before_listed", "must not be before listed_on")
        )
    if errors:
        return errors
    assert subject_type is not None and id_number is not None and list_type is not None
    assert list_name is not None and source is not None and listed_on is not None
    return EntryRow(
        subject_type, id_number, name, list_name, source, listed_on, expires_on, list_type
    )


def _list_type(
    values: Mapping[str, str | None], list_name: str | None, errors: list[RowError]
) -> ListType | None:
    """The declared type when it is a configured one (another declared value is an
    error); else the type ``list_name`` is published under, or ``unclassified``."""
    declared = _text(values, "list_type", errors, TEXT_MAX_LENGTH)
    if declared is not None:
        found = configured_list_type(declared)
        if found is None:
            errors.append(
                RowError(
                    "list_type",
                    "invalid_list_type",
                    f"must be one of: {', '.join(LIST_TYPE_CODES)}",
                )
            )
        return found
    return list_type_of(list_name) if list_name is not None else None
