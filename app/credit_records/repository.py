from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.credit_records.models import CreditRecordEntry


class CreditRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: CreditRecordEntry) -> None:
        self.session.add(entry)

    async def of_subject(self, subject_id: uuid.UUID) -> Sequence[CreditRecordEntry]:
        query = (
            select(CreditRecordEntry)
            .where(CreditRecordEntry.subject_id == subject_id)
            .order_by(CreditRecordEntry.recorded_at, CreditRecordEntry.id)
        )
        return (await self.session.scalars(query)).all()
