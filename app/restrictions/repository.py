from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.restrictions.models import Restriction
from app.rules.restrictions import ListingHistory, Situation


class RestrictionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def published_histories(
        self, subject_ids: Collection[uuid.UUID]
    ) -> list[tuple[ListingHistory, Situation]]:
        """The dated history of every published listing of these subjects."""
        if not subject_ids:
            return []
        query = select(
            Restriction.id,
            Restriction.subject_id,
            Restriction.situation,
            Restriction.published_on,
            Restriction.rectified_on,
            Restriction.lifted_on,
            Restriction.withdrawn_on,
            Restriction.occurred_on,
        ).where(
            Restriction.subject_id.in_(list(subject_ids)),
            Restriction.published_on.is_not(None),
        )
        rows = (await self.session.execute(query)).all()
        return [
            (
                ListingHistory(
                    listing_id=str(row.id),
                    subject_key=str(row.subject_id),
                    published_on=row.published_on,
                    rectified_on=row.rectified_on,
                    lifted_on=row.lifted_on,
                    withdrawn_on=row.withdrawn_on,
                    occurred_on=row.occurred_on,
                ),
                Situation(row.situation),
            )
            for row in rows
        ]

    def add(self, restriction: Restriction) -> None:
        self.session.add(restriction)
