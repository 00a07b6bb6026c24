from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.consents.models import Consent


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, consent_id: uuid.UUID) -> Consent | None:
        return await self.session.get(Consent, consent_id)

    def add(self, consent: Consent) -> None:
        self.session.add(consent)
