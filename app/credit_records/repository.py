from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.credit_records.models import CreditRecordEntry

# Built once (every credit profile reads it): bound per request.
_OF_SUBJECT = (
    select(CreditRecordEntry)
    .where(CreditRecordEntry.subject_id == bindparam("subject_id"))
    .order_by(CreditRecordEntry.recorded_at, CreditRecordEntry.id)
)


class CreditRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: CreditRecordEntry) -> None:
        self.session.add(entry)

    async def of_subject(self, subject_id: uuid.UUID) -> Sequence[CreditRecordEntry]:
        return (await self.session.scalars(_OF_SUBJECT, {"subject_id": subject_id})).all()
