from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.documents.models import IssuedDocument


class IssuedDocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_code_hash(self, code_hash: str) -> IssuedDocument | None:
        return await self.session.scalar(
            select(IssuedDocument).where(IssuedDocument.code_hash == code_hash)
        )

    async def get_latest_for_content(
        self, kind: str, entity_id: str, fingerprint: str
    ) -> IssuedDocument | None:
        return await self.session.scalar(
            select(IssuedDocument)
            .where(
                IssuedDocument.kind == kind,
                IssuedDocument.entity_id == entity_id,
                IssuedDocument.fingerprint == fingerprint,
            )
            .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id)
            .limit(1)
        )

    def add(self, row: IssuedDocument) -> None:
        self.session.add(row)
