"""The referral marks as the owning department reads them, and the question the
commitment steps ask before proposing a listing (DZ art. 16 ¶1; LZ §5(1)2)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.referrals.models import Referral
from app.referrals.repository import ReferralRepository
from app.referrals.schemas import ReferralMark
from app.rules.hearing import ReferralKind
from app.web.auth import Principal, Role


class MarkTerms(Protocol):
    """What a mark shows: a :class:`Referral`, or the columns read of one."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def decision_reference(self) -> str: ...
    @property
    def decided_on(self) -> date | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def department(self) -> str: ...
    @property
    def restriction_id(self) -> uuid.UUID | None: ...
    @property
    def commitment_id(self) -> uuid.UUID | None: ...
    @property
    def recorded_on(self) -> date: ...


def mark_read(referral: MarkTerms) -> ReferralMark:
    kind = ReferralKind(referral.kind)
    return ReferralMark(
        id=str(referral.id),
        kind=kind,
        label_zh=kind.label_zh,
        decision_reference=referral.decision_reference,
        decided_on=referral.decided_on,
        note=referral.note,
        department=referral.department,
        restriction_id=str(referral.restriction_id) if referral.restriction_id else None,
        commitment_id=str(referral.commitment_id) if referral.commitment_id else None,
        recorded_on=referral.recorded_on,
        citation=kind.citation.label,
    )


def marks(referrals: Iterable[Referral]) -> list[ReferralMark]:
    return [mark_read(r) for r in referrals]


async def listing_marks(
    session: AsyncSession, restriction_id: uuid.UUID, commitment_id: uuid.UUID | None
) -> list[ReferralMark]:
    """The marks on a listing and on the commitment its breach arose from, once each."""
    repository = ReferralRepository(session)
    found = {r.id: r for r in await repository.of_restriction(restriction_id)}
    if commitment_id is not None:
        found |= {r.id: r for r in await repository.of_commitment(commitment_id)}
    return marks(sorted(found.values(), key=lambda r: (r.recorded_on, r.created_at, str(r.id))))


def marks_department(principal: Principal) -> str | None:
    """The department whose referral marks a credit profile shows this reader (DZ art. 16
    ¶1): to a clerk, those its own department recorded as the agency or the collecting
    department; to any other reader (another department, a regulator, the platform) none
    (None). The public list never carries them."""
    if Role.clerk not in principal.roles or not principal.department:
        return None
    return principal.department


async def commitment_marks(session: AsyncSession, commitment_id: uuid.UUID) -> list[ReferralMark]:
    return marks(await ReferralRepository(session).of_commitment(commitment_id))


async def withholds_proposal(session: AsyncSession, commitment_id: uuid.UUID) -> bool:
    """Whether the commitment's breach is marked for a penalty or a judicial referral: then
    it is not for the list (LZ §5(1)2 "尚不构成行政处罚"), and no listing is proposed."""
    return await ReferralRepository(session).any_for_commitment(commitment_id)
