"""The line reader and the CSV row parser against plain reference readings of the body."""

from __future__ import annotations

import asyncio
import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from app.joint_punishment.importing import (
    COLUMNS,
    MAX_LINE_BYTES,
    CsvRowParser,
    Line,
    RowError,
    parse_csv_header,
    read_lines,
)
from tests.joint_punishment.support import in_chunks

# Quotes, separators, carriage returns, NUL, spaces and multi-byte characters: everything
# the CSV dialect treats specially, and some of what it does not.
CSV_TEXT = st.text(alphabet=',"\r\x00 \tab中', max_size=30)
BODY = st.binary(max_size=200).map(lambda raw: raw.replace(b"\x01", b"\n"))
SMALL_LIMIT = 8


def _reference_fields(text: str, count: int) -> list[str] | RowError:
    """What a fresh strict csv reader makes of the line alone (the reading before)."""
    try:
        fields = next(csv.reader([text], strict=True))
    except csv.Error as exc:
        return RowError("line", "csv_malformed", f"the line is not valid CSV: {exc}")
    if len(fields) != count:
        return RowError("line", "column_count", f"expected {count} fields, found {len(fields)}")
    return fields


@settings(max_examples=500, deadline=None)
@given(lines=st.lists(CSV_TEXT.filter(bool), min_size=1, max_size=8), count=st.sampled_from([1, 7]))
def test_the_row_parser_reads_each_line_as_a_fresh_csv_reader_would(
    lines: list[str], count: int
) -> None:
    columns = {name: position for position, name in enumerate(COLUMNS[:count])}
    parser = CsvRowParser(columns)
    # One parser for all lines: a malformed line must not spill into the next.
    for text in lines:
        expected = _reference_fields(text, count)
        parsed = parser.parse(text)
        if isinstance(expected, RowError):
            assert parsed == expected
        else:
            assert parsed == dict(zip(COLUMNS[:count], expected, strict=True))


def test_an_unterminated_quote_ends_with_its_line() -> None:
    parser = CsvRowParser(parse_csv_header(",".join(COLUMNS)))
    broken = parser.parse('person,"unterminated,,L,S,2026-01-01,')
    assert isinstance(broken, RowError) and broken.code == "csv_malformed"
    fine = parser.parse('organization,"X, Y",,L,S,2026-01-01,')
    assert isinstance(fine, dict) and fine["id_number"] == "X, Y"


def _reference_lines(body: bytes, limit: int) -> list[Line]:
    """The body split whole on LF: a BOM off the first line, a CR off each line's end."""
    raws = body.split(b"\n")
    if raws[-1] == b"":
        raws.pop()
    lines = []
    for number, raw in enumerate(raws, start=1):
        if len(raw) > limit:
            lines.append(Line(number, "", RowError("line", "line_too_long", "")))
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        raw = raw.removesuffix(b"\r")
        try:
            lines.append(Line(number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            lines.append(Line(number, "", RowError("line", "invalid_encoding", "")))
    return lines


def _read(body: bytes, size: int, limit: int) -> list[Line]:
    async def collect() -> list[Line]:
        return [line async for line in read_lines(in_chunks(body, size), max_line_bytes=limit)]

    return asyncio.run(collect())


def _comparable(lines: list[Line]) -> list[tuple[int, str, str | None]]:
    return [(line.number, line.text, line.problem.code if line.problem else None) for line in lines]


@settings(max_examples=500, deadline=None)
@given(body=BODY, size=st.integers(min_value=1, max_value=40))
def test_lines_are_the_same_however_the_body_is_cut_into_chunks(body: bytes, size: int) -> None:
    expected = _comparable(_reference_lines(body, SMALL_LIMIT))
    assert _comparable(_read(body, size, SMALL_LIMIT)) == expected
    assert _comparable(_read(body, max(1, len(body)), SMALL_LIMIT)) == expected


def test_a_bom_and_crlf_are_dropped_and_a_long_line_is_rejected() -> None:
    body = "\ufeffa,b\r\n".encode() + b"x" * (MAX_LINE_BYTES + 1) + "\nc,中\r\n".encode()
    lines = _read(body, 1000, MAX_LINE_BYTES)
    assert _comparable(lines) == [(1, "a,b", None), (2, "", "line_too_long"), (3, "c,中", None)]
