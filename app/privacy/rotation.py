"""Re-encrypt personal data under the active key (``zwfw-credit rotate-key``).

Batches of rows are read, decrypted with whichever key encrypted them and encrypted
with the active key, and committed batch by batch: an interrupted run resumes where it
stopped, because rows already under the active key are not selected again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.core.db import Database
from app.privacy import crypto

logger = logging.getLogger("app.rotation")


@dataclass(frozen=True)
class EncryptedColumns:
    table: str
    columns: tuple[str, ...]
    key_id_column: str | None = None
    key_columns: tuple[str, ...] = ("id",)


ENCRYPTED = (
    EncryptedColumns("subjects", ("id_number_secret", "name_secret", "address_secret"), "key_id"),
    EncryptedColumns("joint_punishment_entries", ("id_number", "name")),
    EncryptedColumns("restrictions", ("address",)),
    EncryptedColumns("commitments", ("signed_by",)),
    EncryptedColumns("idempotency_keys", ("body",), key_columns=("caller", "key")),
)


async def rotate(database: Database, batch: int = 500) -> dict[str, int]:
    ring = crypto.keyring()
    current = f"{crypto.PREFIX}:{ring.active_id}:%"
    counts: dict[str, int] = {}
    for spec in ENCRYPTED:
        keys: list[sa.ColumnClause[Any]] = [sa.column(c) for c in spec.key_columns]
        table = sa.table(spec.table, *keys, *(sa.column(c, sa.Text) for c in spec.columns))
        stale = sa.or_(
            *(sa.and_(table.c[c].is_not(None), table.c[c].not_like(current)) for c in spec.columns)
        )
        counts[spec.table] = 0
        while True:
            async with database.sessionmaker() as session, session.begin():
                rows = (
                    await session.execute(
                        sa.select(table)
                        .where(stale)
                        .order_by(*(table.c[c] for c in spec.key_columns))
                        .limit(batch)
                    )
                ).all()
                for row in rows:
                    values: dict[str, object] = {
                        c: ring.encrypt(ring.decrypt(getattr(row, c)))
                        for c in spec.columns
                        if getattr(row, c) is not None
                    }
                    if spec.key_id_column:
                        values[spec.key_id_column] = ring.active_id
                    target = sa.table(
                        spec.table,
                        *(sa.column(c) for c in spec.key_columns),
                        *(sa.column(c) for c in values),
                    )
                    await session.execute(
                        target.update()
                        .where(*(target.c[c] == getattr(row, c) for c in spec.key_columns))
                        .values(**values)
                    )
            counts[spec.table] += len(rows)
            if len(rows) < batch:
                break
        logger.info("rotated", extra={"table": spec.table, "rows": counts[spec.table]})
    return counts
