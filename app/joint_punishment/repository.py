from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import NamedTuple, cast

from sqlalchemy import Select, Table, and_, bindparam, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import new_id
from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.privacy.crypto import keyring

_ENTRIES = cast(Table, JointPunishmentEntry.__table__)


# An entry to write: (subject_type, id_number, id_number_index, name, list_name, source,
# listed_on, expires_on, list_type), ``id_number`` and ``name`` in clear. A plain tuple of
# plain values: the garbage collector stops tracking it, so a batch held in memory costs
# its collections nothing.
NewEntry = tuple[str, str, str, str | None, str, str, date, date | None, str]
_NEW_ENTRY_COLUMNS = (
    "subject_type",
    "id_number",
    "id_number_index",
    "name",
    "list_name",
    "source",
    "listed_on",
    "expires_on",
    "list_type",
)


class ActiveHit(NamedTuple):
    """One active entry, as a credit check needs it."""

    subject_type: str
    id_number_index: str
    list_name: str
    source: str
    list_type: str


@cache
def _active_hits_statement(parties: int) -> Select[str, str, str, str, str]:
    """Active entries of ``parties`` (type, blind index) pairs, bound as ``type_<n>`` and
    ``index_<n>``, on ``as_of``; built once per number of parties (one or two: the
    applicant and the agent), so a credit check does not rebuild it."""
    entry = JointPunishmentEntry
    return (
        select(
            entry.subject_type,
            entry.id_number_index,
            entry.list_name,
            entry.source,
            entry.list_type,
        )
        .where(
            or_(
                *(
                    and_(
                        entry.subject_type == bindparam(f"type_{n}"),
                        entry.id_number_index == bindparam(f"index_{n}"),
                    )
                    for n in range(parties)
                )
            ),
            entry.listed_on <= bindparam("as_of"),
            or_(entry.expires_on.is_(None), entry.expires_on >= bindparam("as_of")),
        )
        .order_by(entry.listed_on, entry.list_name, entry.id)
    )


class JointPunishmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_import(self, import_id: uuid.UUID) -> JointPunishmentImport | None:
        return await self.session.get(JointPunishmentImport, import_id)

    def add_import(self, row: JointPunishmentImport) -> None:
        self.session.add(row)

    async def insert_entries(
        self, import_id: uuid.UUID, created_at: datetime, rows: Sequence[NewEntry]
    ) -> None:
        """Write a batch of new entries of one import in the session's transaction, each
        with a new id, without ORM objects.

        PostgreSQL takes them by binary COPY; other databases by one executemany INSERT
        through Core. COPY bypasses the column types, so ``id_number`` and ``name`` are
        sealed here into the form :class:`~app.privacy.crypto.EncryptedText` stores, with the same
        active key (``created_at`` is timezone-aware: stored in UTC, as ``UTCDateTime``
        stores it).
        """
        if not rows:
            return
        connection = await self.session.connection()
        if connection.dialect.name != "postgresql":
            values = [
                {
                    "id": new_id(),
                    **dict(zip(_NEW_ENTRY_COLUMNS, row, strict=True)),
                    "import_id": import_id,
                    "created_at": created_at,
                }
                for row in rows
            ]
            await self.session.execute(insert(_ENTRIES), values)
            return
        driver = (await connection.get_raw_connection()).driver_connection
        # The import row is flushed first, so the transaction has begun; a COPY outside it
        # would commit on its own.
        if driver is None or not driver.is_in_transaction():
            raise RuntimeError("joint punishment entries are copied only inside a transaction")
        encrypt = keyring().encryptor()
        await driver.copy_records_to_table(
            _ENTRIES.name,
            columns=("id", *_NEW_ENTRY_COLUMNS, "import_id", "created_at"),
            records=(
                (
                    new_id(),
                    subject_type,
                    encrypt(id_number),
                    id_number_index,
                    None if name is None else encrypt(name),
                    list_name,
                    source,
                    listed_on,
                    expires_on,
                    list_type,
                    import_id,
                    created_at,
                )
                for (
                    subject_type,
                    id_number,
                    id_number_index,
                    name,
                    list_name,
                    source,
                    listed_on,
                    expires_on,
                    list_type,
                ) in rows
            ),
        )

    async def active_hits_for(
        self, keys: Iterable[tuple[str, str]], as_of: date
    ) -> list[ActiveHit]:
        """Entries active on ``as_of`` for any of the (subject_type, blind index) keys
        (``identifier_index``): matched and returned by the index, nothing decrypted."""
        parameters: dict[str, object] = {"as_of": as_of}
        for n, (subject_type, index) in enumerate(dict.fromkeys(keys)):
            parameters[f"type_{n}"] = subject_type
            parameters[f"index_{n}"] = index
        parties = (len(parameters) - 1) // 2
        if not parties:
            return []
        rows = await self.session.execute(_active_hits_statement(parties), parameters)
        return [ActiveHit(*row) for row in rows]
