"""移送标记 (DZ art. 16 ¶1): a breach marked for an administrative penalty or referred to
the judicial organs, with the decision's reference, recorded by the department of the
listing or of the commitment the breach arose from. The list is for dishonesty short of
a penalty (LZ §5(1)2 "尚不构成行政处罚"): the mark withdraws a listing not yet published
and stops a proposal; on a published listing it starts the department's correction duty
(LZ §5(1)4 "发生变更…2个工作日内"). The service records the mark; the penalty and the
referral are decided elsewhere."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.commitments.models import Commitment
from app.commitments.reads import commitment_read, load_for_agency
from app.commitments.schemas import CommitmentRead
from app.core.context import Context
from app.core.db import new_id
from app.referrals.models import Referral
from app.referrals.repository import ReferralRepository
from app.referrals.schemas import ReferralCreate
from app.restrictions import duties
from app.restrictions.models import Restriction
from app.restrictions.reads import load_listing
from app.restrictions.schemas import RestrictionRead
from app.restrictions.steps import read_after_step


async def mark_listing(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: ReferralCreate,
    if_match: str | None,
) -> RestrictionRead:
    """The listing's breach is referred: the mark, audited, and what it does to the
    listing through the step engine (``app.restrictions.duties.refer``)."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    referral = await _record(session, ctx, data, restriction=restriction)
    await duties.refer(session, ctx, restriction, referral)
    return await read_after_step(session, ctx, restriction)


async def mark_commitment(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReferralCreate,
    if_match: str | None,
) -> CommitmentRead:
    """The commitment's breach is referred: marked before the termination or revocation,
    no listing is proposed when it comes; marked after, each listing proposed from it
    follows the mark."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    referral = await _record(session, ctx, data, commitment=commitment)
    await duties.refer_listings_of_commitment(session, ctx, commitment.id, referral)
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def _record(
    session: AsyncSession,
    ctx: Context,
    data: ReferralCreate,
    *,
    restriction: Restriction | None = None,
    commitment: Commitment | None = None,
) -> Referral:
    if restriction is not None:
        target_type, target_id = "restriction", restriction.id
        department, subject_id = restriction.collecting_department, restriction.subject_id
        commitment_id = restriction.commitment_id
    else:
        assert commitment is not None
        target_type, target_id = "commitment", commitment.id
        department, subject_id = commitment.department, commitment.subject_id
        commitment_id = commitment.id
    referral = Referral(
        id=new_id(),
        kind=data.kind.value,
        decision_reference=data.decision_reference,
        decided_on=data.decided_on,
        note=data.note,
        department=department,
        subject_id=subject_id,
        restriction_id=restriction.id if restriction is not None else None,
        commitment_id=commitment_id,
        recorded_on=ctx.today,
        recorded_by=ctx.principal.sub,
        created_at=ctx.now,
    )
    ReferralRepository(session).add(referral)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="referral.record",
        target_type=target_type,
        target_id=str(target_id),
        details={
            "referral_id": str(referral.id),
            "kind": referral.kind,
            "decision_reference": referral.decision_reference,
        },
    )
    return referral
