from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.subjects.models import Subject


class SubjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, subject_id: uuid.UUID) -> Subject | None:
        return await self.session.get(Subject, subject_id)

    async def get_by_identifier(self, subject_type: str, id_number: str) -> Subject | None:
        query = select(Subject).where(Subject.identifier_is(subject_type, id_number))
        return (await self.session.scalars(query)).one_or_none()

    async def get_many(self, subject_ids: Collection[uuid.UUID]) -> Sequence[Subject]:
        if not subject_ids:
            return []
        query = select(Subject).where(Subject.id.in_(list(subject_ids)))
        return (await self.session.scalars(query)).all()

    async def find(self, *, id_number: str | None, name: str | None) -> Sequence[Subject]:
        """Exact matches on the (normalised) identifier and/or the name."""
        query = select(Subject)
        if id_number is not None:
            query = query.where(Subject.identifier_any_type(id_number))
        if name is not None:
            query = query.where(Subject.name_is(name))
        return (await self.session.scalars(query.limit(100))).all()

    def add(self, subject: Subject) -> None:
        self.session.add(subject)
