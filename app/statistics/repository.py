"""The SQL of the statistics: stored history rows and stored dates, never counters.

Each query returns plain rows for a period; the instants (history rows, verifications)
are selected with a day's margin on each side and placed on their legal day by the
service (app.statistics.arithmetic.local_day), the same on both databases.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.models import Commitment, CommitmentEvent, Verification
from app.credit_checks.models import CreditCheck
from app.departments.models import Department
from app.restrictions.models import (
    Correction,
    LiftingRequest,
    Objection,
    Restriction,
    RestrictionEvent,
)


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` to ``end``, both days included, in the legal time zone."""

    start: date
    end: date

    def instants(self) -> tuple[datetime, datetime]:
        """A UTC window that holds every instant of the period, with a day to spare."""
        low = datetime.combine(self.start - timedelta(days=1), time.min, tzinfo=UTC)
        high = datetime.combine(self.end + timedelta(days=2), time.min, tzinfo=UTC)
        return low, high


@dataclass(frozen=True, slots=True)
class CommitmentStep:
    commitment_id: uuid.UUID
    department: str
    mode: str
    event: str
    from_status: str
    to_status: str
    occurred_at: datetime
    details: dict[str, Any]
    deadlines: dict[str, Any]
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class ListingStep:
    restriction_id: uuid.UUID
    department: str
    situation: str
    to_status: str
    occurred_at: datetime
    details: dict[str, Any]


class StatisticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_departments(self, code: str | None) -> Sequence[Department]:
        query = select(Department).order_by(Department.code)
        if code is not None:
            query = query.where(Department.code == code)
        return (await self.session.scalars(query)).all()

    async def list_credit_checks(self, period: Period, department: str | None) -> Sequence[Any]:
        """Checks by their stored day (信用核验, DZ art. 6)."""
        query = select(
            CreditCheck.department,
            CreditCheck.mode,
            CreditCheck.result,
            CreditCheck.reasons,
            CreditCheck.checked_on,
        ).where(CreditCheck.checked_on.between(period.start, period.end))
        if department is not None:
            query = query.where(CreditCheck.department == department)
        return (await self.session.execute(query)).all()

    async def list_commitments_opened(
        self, period: Period, department: str | None
    ) -> Sequence[Any]:
        """Commitments made (created) in the window, with their mode: the facilitations used."""
        low, high = period.instants()
        query = select(Commitment.department, Commitment.mode, Commitment.created_at).where(
            Commitment.created_at >= low, Commitment.created_at < high
        )
        if department is not None:
            query = query.where(Commitment.department == department)
        return (await self.session.execute(query)).all()

    async def list_commitment_steps(
        self, period: Period, department: str | None
    ) -> list[CommitmentStep]:
        """History rows of the commitments (commitment_events) in the window."""
        low, high = period.instants()
        query = (
            select(
                CommitmentEvent.commitment_id,
                Commitment.department,
                Commitment.mode,
                CommitmentEvent.event,
                CommitmentEvent.from_status,
                CommitmentEvent.to_status,
                CommitmentEvent.occurred_at,
                CommitmentEvent.details,
                Commitment.deadlines,
                Commitment.signed_at,
            )
            .join(Commitment, Commitment.id == CommitmentEvent.commitment_id)
            .where(CommitmentEvent.occurred_at >= low, CommitmentEvent.occurred_at < high)
            .order_by(CommitmentEvent.id)
        )
        if department is not None:
            query = query.where(Commitment.department == department)
        return [CommitmentStep(*row) for row in (await self.session.execute(query)).all()]

    async def list_verifications(self, period: Period, department: str | None) -> Sequence[Any]:
        """Verifications with a recorded result in the window, by the verifying department."""
        low, high = period.instants()
        query = select(
            Verification.assigned_department,
            Verification.method,
            Verification.fulfilled,
            Verification.checked_at,
        ).where(
            Verification.checked_at.is_not(None),
            Verification.checked_at >= low,
            Verification.checked_at < high,
        )
        if department is not None:
            query = query.where(Verification.assigned_department == department)
        return (await self.session.execute(query)).all()

    async def list_listing_steps_until(
        self, period: Period, department: str | None
    ) -> list[ListingStep]:
        """Every history row of the listings (restriction_events) up to the period's end:
        the last on or before the end is a listing's state then."""
        _, high = period.instants()
        query = (
            select(
                RestrictionEvent.restriction_id,
                Restriction.collecting_department,
                Restriction.situation,
                RestrictionEvent.to_status,
                RestrictionEvent.occurred_at,
                RestrictionEvent.details,
            )
            .join(Restriction, Restriction.id == RestrictionEvent.restriction_id)
            .where(RestrictionEvent.occurred_at < high)
            .order_by(RestrictionEvent.id)
        )
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        return [ListingStep(*row) for row in (await self.session.execute(query)).all()]

    async def list_notices(self, period: Period, department: str | None) -> Sequence[Any]:
        """Listing notices issued in the period, with the stored notice deadline."""
        query = select(
            Restriction.collecting_department,
            Restriction.verified_on,
            Restriction.notice_issued_on,
            Restriction.deadlines,
        ).where(Restriction.notice_issued_on.between(period.start, period.end))
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        return (await self.session.execute(query)).all()

    async def list_reviews(self, period: Period, department: str | None) -> Sequence[Any]:
        """复核 decided in the period (LZ §5(1)4)."""
        query = (
            select(
                Restriction.collecting_department,
                Objection.filed_on,
                Objection.reviewed_on,
                Objection.review_due,
            )
            .join(Restriction, Restriction.id == Objection.restriction_id)
            .where(Objection.reviewed_on.between(period.start, period.end))
        )
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        return (await self.session.execute(query)).all()

    async def list_corrections(self, period: Period, department: str | None) -> Sequence[Any]:
        """更正 and 移除 made in the period (LZ §5(1)4)."""
        query = (
            select(
                Restriction.collecting_department,
                Correction.discovered_on,
                Correction.corrected_on,
                Correction.due_on,
            )
            .join(Restriction, Restriction.id == Correction.restriction_id)
            .where(Correction.corrected_on.between(period.start, period.end))
        )
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        return (await self.session.execute(query)).all()

    async def list_lifting_decisions(self, period: Period, department: str | None) -> Sequence[Any]:
        """Lifting requests decided in the period (DZ art. 15 ¶2)."""
        query = (
            select(
                Restriction.collecting_department,
                LiftingRequest.requested_on,
                LiftingRequest.decided_on,
                LiftingRequest.decision_due,
            )
            .join(Restriction, Restriction.id == LiftingRequest.restriction_id)
            .where(LiftingRequest.decided_on.between(period.start, period.end))
        )
        if department is not None:
            query = query.where(Restriction.collecting_department == department)
        return (await self.session.execute(query)).all()
