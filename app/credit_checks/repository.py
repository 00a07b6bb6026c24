from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.credit_checks.models import CreditCheck


class CreditCheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, check_id: uuid.UUID) -> CreditCheck | None:
        return await self.session.get(CreditCheck, check_id)

    def add(self, check: CreditCheck) -> None:
        self.session.add(check)
