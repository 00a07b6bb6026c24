from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.subjects.models import Subject, identifier_index

# Built once: a statement on the hot path of every credit check is not rebuilt (and its
# cache key not recomputed) per request.
_BY_IDENTIFIER = select(Subject).where(
    Subject.subject_type == bindparam("subject_type"),
    Subject.id_number_index == bindparam("id_number_index"),
)


class SubjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, subject_id: uuid.UUID) -> Subject | None:
        return await self.session.get(Subject, subject_id)

    async def get_by_identifier(self, subject_type: str, id_number: str) -> Subject | None:
        parameters = {
            "subject_type": subject_type,
            "id_number_index": identifier_index(subject_type, id_number),
        }
        return (await self.session.scalars(_BY_IDENTIFIER, parameters)).one_or_none()

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
