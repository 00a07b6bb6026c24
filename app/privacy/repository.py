"""The statements of the key rotation: stale ciphertext found and replaced, table by table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class EncryptedColumns:
    table: str
    columns: tuple[str, ...]
    key_id_column: str | None = None
    key_columns: tuple[str, ...] = ("id",)


class EncryptedRowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def not_under_key(
        self, spec: EncryptedColumns, key_prefix: str, batch: int
    ) -> Sequence[sa.Row[Any]]:
        """Up to ``batch`` rows of ``spec.table`` with a value not starting ``key_prefix``
        (encrypted under another key), in key order: their keys and encrypted columns."""
        keys: list[sa.ColumnClause[Any]] = [sa.column(c) for c in spec.key_columns]
        table = sa.table(spec.table, *keys, *(sa.column(c, sa.Text) for c in spec.columns))
        current = f"{key_prefix}%"
        stale = sa.or_(
            *(sa.and_(table.c[c].is_not(None), table.c[c].not_like(current)) for c in spec.columns)
        )
        query = (
            sa.select(table)
            .where(stale)
            .order_by(*(table.c[c] for c in spec.key_columns))
            .limit(batch)
        )
        return (await self.session.execute(query)).all()

    async def set_values(
        self, spec: EncryptedColumns, row: sa.Row[Any], values: Mapping[str, object]
    ) -> None:
        """Write ``values`` to the row of ``spec.table`` with the keys of ``row``."""
        target = sa.table(
            spec.table,
            *(sa.column(c) for c in spec.key_columns),
            *(sa.column(c) for c in values),
        )
        await self.session.execute(
            target.update()
            .where(*(target.c[c] == getattr(row, c) for c in spec.key_columns))
            .values(**values)
        )
