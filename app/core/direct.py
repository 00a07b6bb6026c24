"""Statements built once and sent straight to asyncpg on PostgreSQL.

A Core statement run through SQLAlchemy pays, on every execution, for its cache key, the
parameters' processing and expansion, the cursor adapter, the result's metadata and rows,
and, at the first statement of a transaction, a ``BEGIN`` round trip (then a ``COMMIT``).
On the busiest routes that is more than the database's own work. :class:`Direct` compiles
its statement once for the connection's dialect, and on PostgreSQL runs it on the asyncpg
connection under the session's, with the same bind and result processing (the columns'
types: encrypted text decrypted, timestamps in UTC, JSON), and tells the engine's
``before_cursor_execute`` listeners as SQLAlchemy does (the refusal of values no column
can hold, app.core.db, is one). On any other database it runs through SQLAlchemy as before.

A direct statement runs in the connection's transaction when one is open (any statement
earlier in the request sent through SQLAlchemy, a read included, began one; opening the
session's connection alone does not), and otherwise on its own, as one statement is
atomic in PostgreSQL: use it only for a read, or for a write that is a single statement
complete in itself (a row and its audit entry in one ``INSERT … WITH``). A write through
the session after a direct write that stood alone is a transaction of its own: the two
do not commit or roll back together. A
driver error is raised as SQLAlchemy raises it (``DBAPIError``: 503 when the database is
unreachable), and a connection it finds broken is invalidated.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import Executable

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    row: Any  # a namedtuple class of the result's column keys


class Direct:
    """One statement, compiled once per dialect (see the module docstring)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: Any = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError("a direct statement takes no list (expanding) parameters")
        names = tuple(compiled.positiontup or ())
        keys = [column[0] for column in compiled._result_columns]
        return _Compiled(
            sql=compiled.string,
            names=names,
            defaults={n: compiled.binds[n].value for n in names if not compiled.binds[n].required},
            binds=tuple(compiled.binds[n].type._cached_bind_processor(dialect) for n in names),
            results=tuple(
                column[3]._cached_result_processor(dialect, None)
                for column in compiled._result_columns
            ),
            row=namedtuple("Row", keys, rename=True) if keys else None,
        )

    def compiled_for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = self._compile(dialect)
        return found

    async def rows(self, connection: AsyncConnection, parameters: Mapping[str, Any]) -> list[Any]:
        """The statement's rows (attribute access by column key)."""
        if connection.dialect.name != "postgresql":
            return list(await connection.execute(self.statement, dict(parameters)))
        compiled = self.compiled_for(connection.dialect)
        records = await _run(connection, compiled, parameters, fetch=True)
        results = compiled.results
        if not any(results):
            return [compiled.row._make(record) for record in records]
        return [
            compiled.row._make(
                [value if p is None else p(value) for p, value in zip(results, record, strict=True)]
            )
            for record in records
        ]

    async def execute(self, connection: AsyncConnection, parameters: Mapping[str, Any]) -> None:
        """Run the statement for its effect."""
        if connection.dialect.name != "postgresql":
            await connection.execute(self.statement, dict(parameters))
            return
        await _run(connection, self.compiled_for(connection.dialect), parameters, fetch=False)


def _arguments(compiled: _Compiled, parameters: Mapping[str, Any]) -> list[Any]:
    arguments = []
    for name, process in zip(compiled.names, compiled.binds, strict=True):
        value = parameters[name] if name in parameters else compiled.defaults[name]
        arguments.append(value if process is None else process(value))
    return arguments


async def _run(
    connection: AsyncConnection, compiled: _Compiled, parameters: Mapping[str, Any], *, fetch: bool
) -> Sequence[Any]:
    arguments = _arguments(compiled, parameters)
    sync = connection.sync_connection
    if sync is not None:
        for listener in sync.dispatch.before_cursor_execute:
            listener(sync, None, compiled.sql, arguments, None, False)
    adapted: Any = await connection.get_raw_connection()
    adapter = adapted.dbapi_connection
    try:
        async with adapter._execute_mutex:
            if fetch:
                return list(await adapter.driver_connection.fetch(compiled.sql, *arguments))
            await adapter.driver_connection.execute(compiled.sql, *arguments)
            return []
    except Exception as error:
        await connection.run_sync(_raise_as_sqlalchemy, adapter, error, compiled.sql, arguments)
        raise  # not reached: _raise_as_sqlalchemy raises


def _raise_as_sqlalchemy(
    connection: Connection, adapter: Any, error: Exception, sql: str, arguments: list[Any]
) -> NoReturn:
    """Raise ``error`` as the same failure of ``connection.execute`` would be raised: the
    driver's error as the DB-API's, wrapped by SQLAlchemy, the connection invalidated when
    the error says it is gone."""
    try:
        adapter._handle_exception(error)
    except Exception as dbapi_error:
        connection._handle_dbapi_exception(dbapi_error, sql, tuple(arguments), None, None)
        raise
    raise error
