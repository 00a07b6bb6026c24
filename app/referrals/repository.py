from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.referrals.models import Referral

# Built once (a clerk's credit profile reads it): bound per request.
_OF_SUBJECT_FOR_DEPARTMENT = (
    select(Referral)
    .where(
        Referral.subject_id == bindparam("subject_id"),
        Referral.department == bindparam("department"),
    )
    .order_by(Referral.recorded_on, Referral.created_at, Referral.id)
)


class ReferralRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_restriction(self, restriction_id: uuid.UUID) -> Sequence[Referral]:
        """Marks on the listing itself or on the commitment it was proposed from."""
        query = (
            select(Referral)
            .where(Referral.restriction_id == restriction_id)
            .order_by(Referral.recorded_on, Referral.created_at, Referral.id)
        )
        return (await self.session.scalars(query)).all()

    async def of_commitment(self, commitment_id: uuid.UUID) -> Sequence[Referral]:
        query = (
            select(Referral)
            .where(Referral.commitment_id == commitment_id)
            .order_by(Referral.recorded_on, Referral.created_at, Referral.id)
        )
        return (await self.session.scalars(query)).all()

    async def of_subject_for_department(
        self, subject_id: uuid.UUID, department: str
    ) -> Sequence[Referral]:
        """The subject's marks recorded by ``department`` (its agency or collecting
        department), in the order they were recorded."""
        parameters = {"subject_id": subject_id, "department": department}
        return (await self.session.scalars(_OF_SUBJECT_FOR_DEPARTMENT, parameters)).all()

    async def any_for_commitment(self, commitment_id: uuid.UUID) -> bool:
        query = select(Referral.id).where(Referral.commitment_id == commitment_id).limit(1)
        return (await self.session.scalar(query)) is not None

    def add(self, referral: Referral) -> None:
        self.session.add(referral)
