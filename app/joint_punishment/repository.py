from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
from app.subjects.models import identifier_index

_ENTRIES = cast(Table, JointPunishmentEntry.__table__)


class JointPunishmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_import(self, import_id: uuid.UUID) -> JointPunishmentImport | None:
        return await self.session.get(JointPunishmentImport, import_id)

    def add_import(self, row: JointPunishmentImport) -> None:
        self.session.add(row)

    async def insert_entries(self, rows: Sequence[dict[str, Any]]) -> None:
        """One executemany INSERT through Core: no ORM objects, so memory stays flat."""
        if rows:
            await self.session.execute(insert(_ENTRIES), rows)

    async def list_active_for(
        self, keys: Iterable[tuple[str, str]], as_of: date
    ) -> Sequence[JointPunishmentEntry]:
        """Entries active on ``as_of`` for any of the (subject_type, id_number) keys."""
        parties = [
            and_(
                JointPunishmentEntry.subject_type == subject_type,
                JointPunishmentEntry.id_number_index == identifier_index(subject_type, id_number),
            )
            for subject_type, id_number in dict.fromkeys(keys)
        ]
        if not parties:
            return []
        statement = (
            select(JointPunishmentEntry)
            .where(
                or_(*parties),
                JointPunishmentEntry.listed_on <= as_of,
                or_(
                    JointPunishmentEntry.expires_on.is_(None),
                    JointPunishmentEntry.expires_on >= as_of,
                ),
            )
            .order_by(
                JointPunishmentEntry.listed_on,
                JointPunishmentEntry.list_name,
                JointPunishmentEntry.id,
            )
        )
        return (await self.session.scalars(statement)).all()
