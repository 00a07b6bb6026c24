"""Re-encrypt personal data under the active key (``zwfw-credit rotate-key``).

Batches of rows are read, decrypted with whichever key encrypted them and encrypted
with the active key, and committed batch by batch: an interrupted run resumes where it
stopped, because rows already under the active key are not selected again.
"""

from __future__ import annotations

import logging

from app.core.db import Database
from app.privacy import crypto
from app.privacy.repository import EncryptedColumns, EncryptedRowRepository

logger = logging.getLogger("app.rotation")


ENCRYPTED = (
    EncryptedColumns("subjects", ("id_number_secret", "name_secret", "address_secret"), "key_id"),
    EncryptedColumns("joint_punishment_entries", ("id_number", "name")),
    EncryptedColumns("restrictions", ("address",)),
    EncryptedColumns("commitments", ("signed_by",)),
    EncryptedColumns("idempotency_keys", ("body",), key_columns=("caller", "key")),
    EncryptedColumns("issued_documents", ("code",)),
)


async def rotate(database: Database, batch: int = 500) -> dict[str, int]:
    ring = crypto.keyring()
    current = f"{crypto.PREFIX}:{ring.active_id}:"
    counts: dict[str, int] = {}
    for spec in ENCRYPTED:
        counts[spec.table] = 0
        while True:
            async with database.sessionmaker() as session, session.begin():
                repository = EncryptedRowRepository(session)
                rows = await repository.not_under_key(spec, current, batch)
                for row in rows:
                    values: dict[str, object] = {
                        c: ring.encrypt(ring.decrypt(getattr(row, c)))
                        for c in spec.columns
                        if getattr(row, c) is not None
                    }
                    if spec.key_id_column:
                        values[spec.key_id_column] = ring.active_id
                    await repository.set_values(spec, row, values)
            counts[spec.table] += len(rows)
            if len(rows) < batch:
                break
        logger.info("rotated", extra={"table": spec.table, "rows": counts[spec.table]})
    return counts
