"""The SQL of the regulator's queue (DZ art. 12): decided 告知承诺 commitments of the
matters a department regulates, exempt from verification (¶2) or with their verification
content under in-process supervision where agency and regulator differ (¶1)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import MatterVersion
from app.commitments.models import Commitment
from app.rules.modes import Mode

CONFORMS, NONCONFORMING = "conforms", "nonconforming"


@dataclass(frozen=True, slots=True)
class QueueFilters:
    regulator: str | None
    matter: str | None
    agency: str | None
    decided_from: date | None
    decided_to: date | None
    # None: the items still open (no conclusive feedback, or a nonconforming one)
    result: str | None
    open_only: bool


class SupervisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(
        self,
        filters: QueueFilters,
        *,
        after: tuple[date, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[tuple[Commitment, MatterVersion]]:
        """A page in (decision day, id) order after ``after``."""
        in_process = Commitment.notice[("terms", "in_process_supervision")].as_boolean()
        query = (
            select(Commitment, MatterVersion)
            .join(MatterVersion, MatterVersion.id == Commitment.matter_version_id)
            .where(
                Commitment.mode == Mode.NOTIFY_COMMIT.value,
                Commitment.decided_on.is_not(None),
                or_(
                    Commitment.exempt_from_verification.is_(True),
                    and_(
                        in_process.is_(True),
                        MatterVersion.agency_code != MatterVersion.regulator_code,
                    ),
                ),
            )
            .order_by(Commitment.decided_on, Commitment.id)
            .limit(limit)
        )
        if filters.regulator is not None:
            query = query.where(MatterVersion.regulator_code == filters.regulator)
        if filters.matter is not None:
            query = query.where(Commitment.matter_code == filters.matter)
        if filters.agency is not None:
            query = query.where(Commitment.department == filters.agency)
        if filters.decided_from is not None:
            query = query.where(Commitment.decided_on >= filters.decided_from)
        if filters.decided_to is not None:
            query = query.where(Commitment.decided_on <= filters.decided_to)
        if filters.open_only:
            query = query.where(
                or_(
                    Commitment.supervision_result.is_(None),
                    Commitment.supervision_result != CONFORMS,
                )
            )
        elif filters.result is None:
            query = query.where(Commitment.supervision_result.is_(None))
        else:
            query = query.where(Commitment.supervision_result == filters.result)
        if after is not None:
            decided, last_id = after
            query = query.where(
                or_(
                    Commitment.decided_on > decided,
                    and_(Commitment.decided_on == decided, Commitment.id > last_id),
                )
            )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]
