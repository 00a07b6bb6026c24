"""Look for personal data in clear: in every text, JSON and binary column of a PostgreSQL
database (information_schema), and in text a process wrote.

A value is looked for in each form it can take when stored or logged: as it is, JSON-escaped
(``\\u5f20``, either case of hex digits, as ``json.dumps`` writes non-ASCII by default) and,
in ``bytea`` columns, as the UTF-8 bytes of each of those.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import asyncpg

# information_schema data_type of the columns looked into; arrays by their element type.
SCANNED_TYPES = frozenset({"text", "character varying", "character", "json", "jsonb", "bytea"})
SCANNED_ARRAYS = frozenset({"_text", "_varchar", "_bpchar", "_json", "_jsonb", "_bytea"})


def forms(value: str) -> set[str]:
    """``value`` and its JSON-escaped spellings."""
    escaped = json.dumps(value, ensure_ascii=True)[1:-1]
    upper = "".join(
        part[:2] + part[2:6].upper() + part[6:] if part.startswith("\\u") else part
        for part in _split_escapes(escaped)
    )
    return {value, escaped, upper}


def _split_escapes(escaped: str) -> list[str]:
    """``"a\\u5f20b"`` -> ``["a", "\\u5f20", "b"]``."""
    parts: list[str] = []
    i = 0
    while i < len(escaped):
        if escaped.startswith("\\u", i):
            parts.append(escaped[i : i + 6])
            i += 6
        else:
            parts.append(escaped[i])
            i += 1
    return parts


@dataclass(frozen=True)
class Hit:
    where: str  # table.column, or the name of the text looked into
    label: str  # what was found, e.g. "name of person 2"
    form: str

    def __str__(self) -> str:
        return f"{self.where}: {self.label} as {self.form!r}"


@dataclass
class DatabaseScan:
    columns: list[str] = field(default_factory=list)  # table.column (data_type)
    values: int = 0  # non-null values looked into
    hits: list[Hit] = field(default_factory=list)

    def hits_in(self, column: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.where == column]


async def scan_database(dsn: str, needles: Mapping[str, str]) -> DatabaseScan:
    """Every base table of schema ``public``: each scanned column, each form of each needle
    (``needles`` maps a label to the value)."""
    by_form: dict[str, tuple[str, str]] = {}
    for label, value in needles.items():
        for form in forms(value):
            by_form[form] = (label, value)
    text_forms = sorted(by_form)
    byte_forms = [form.encode() for form in text_forms]
    result = DatabaseScan()
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        columns = await connection.fetch(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.udt_name
            FROM information_schema.columns AS c
            JOIN information_schema.tables AS t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """
        )
        for table, column, data_type, udt_name in columns:
            if data_type not in SCANNED_TYPES and udt_name not in SCANNED_ARRAYS:
                continue
            where = f"{table}.{column}"
            result.columns.append(f"{where} ({data_type})")
            ident_table, ident_column = _ident(table), _ident(column)
            result.values += await connection.fetchval(
                f"SELECT count({ident_column}) FROM {ident_table}"  # noqa: S608
            )
            if data_type == "bytea":
                found = await connection.fetch(
                    f"SELECT f FROM unnest($1::bytea[]) AS f WHERE EXISTS ("  # noqa: S608
                    f"SELECT 1 FROM {ident_table} WHERE position(f IN {ident_column}) > 0)",
                    byte_forms,
                )
                matched = [bytes(row["f"]).decode() for row in found]
            else:
                found = await connection.fetch(
                    f"SELECT f FROM unnest($1::text[]) AS f WHERE EXISTS ("  # noqa: S608
                    f"SELECT 1 FROM {ident_table} WHERE strpos({ident_column}::text, f) > 0)",
                    text_forms,
                )
                matched = [row["f"] for row in found]
            result.hits += [Hit(where, by_form[form][0], form) for form in sorted(matched)]
    finally:
        await connection.close()
    return result


def scan_text(where: str, text: str, needles: Mapping[str, str]) -> list[Hit]:
    return [
        Hit(where, label, form)
        for label, value in needles.items()
        for form in sorted(forms(value))
        if form in text
    ]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
