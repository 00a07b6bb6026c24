"""更正义务 (LZ §5(1)4 "发现信息有误或者发生变更时，应当在2个工作日内通过原途径予以修改或
移除"): a complaint after the window (申诉, LZ §2) or a referral of the breach (DZ art. 16
¶1) gives the collecting department 2 working days to correct or remove the listing
(``app.restrictions.corrections``) or to reject the complaint with reasons."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.db import new_id
from app.core.errors import Conflict, NotFound
from app.lifecycle.deadlines import due_date
from app.lifecycle.step_dates import date_step
from app.referrals.models import Referral
from app.restrictions.hearing_schemas import ComplaintCreate, ComplaintRejection
from app.restrictions.models import Correction, CorrectionDuty, Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import RestrictionRead
from app.restrictions.state import derived_status, listing_profile, listing_view, subject_listings
from app.restrictions.steps import read_after_step, step
from app.rules.hearing import DutyOrigin, ObjectionGround, ReferralKind
from app.rules.lifecycles import TERMINAL_STATES, DeadlineRule, Event, Machine, RestrictionState

_CORRECTED, _REJECTED = "corrected", "rejected"


class CorrectionDutyNotFound(NotFound):
    code = "correction_duty_not_found"


class CorrectionDutyClosed(Conflict):
    code = "correction_duty_closed"


async def file_complaint(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: ComplaintCreate,
    if_match: str | None,
) -> RestrictionRead:
    """申诉 after the objection window: the duty is due 2 working days after its receipt
    (the day counts from ``received_on``, not before the listing was determined)."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx,
        data.received_on,
        data.late_entry_reason,
        {"receipt": restriction.notice_received_on},
        field="body.received_on",
    )
    duty_id = new_id()
    await step(
        session,
        ctx,
        restriction,
        Event.COMPLAIN,
        details={"duty_id": str(duty_id), "grounds": [g.value for g in data.grounds]},
        dated=dated,
    )
    _open_duty(
        session,
        ctx,
        restriction,
        duty_id,
        DutyOrigin.COMPLAINT,
        dated.on,
        statement=data.statement,
        grounds=data.grounds,
        evidence_refs=data.evidence_refs,
    )
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def refer(
    session: AsyncSession, ctx: Context, restriction: Restriction, referral: Referral
) -> None:
    """The breach of ``restriction`` is marked for a penalty or a judicial referral: a
    listing not yet published is withdrawn for it (LZ §5(1)2); a published one opens the
    2-working-day correction duty (LZ §5(1)4 "发生变更"). A listing already ended (repaired,
    lifted, withdrawn) keeps the mark only."""
    profile = listing_profile(restriction)
    listings = await subject_listings(session, restriction.subject_id)
    view = listing_view(restriction, listings, ctx.today, profile)
    if derived_status(restriction, ctx.today, view) in TERMINAL_STATES[Machine.RESTRICTION]:
        return
    duty_id = new_id()
    result = await step(
        session,
        ctx,
        restriction,
        Event.REFER,
        details={"referral_id": str(referral.id), "kind": referral.kind},
    )
    if result.target == RestrictionState.WITHDRAWN:
        restriction.withdrawn_on = ctx.today
    else:
        _open_duty(
            session,
            ctx,
            restriction,
            duty_id,
            DutyOrigin.REFERRAL,
            ctx.today,
            statement=f"{ReferralKind(referral.kind).label_zh}（{referral.decision_reference}）",
            grounds=[ObjectionGround.LEGAL_BASIS],
            evidence_refs=[referral.decision_reference],
            referral_id=referral.id,
        )
    await session.flush()


async def refer_listings_of_commitment(
    session: AsyncSession, ctx: Context, commitment_id: uuid.UUID, referral: Referral
) -> None:
    """A commitment's breach marked after its listing was proposed: each listing from it
    follows the mark (see :func:`refer`)."""
    repository = RestrictionRepository(session)
    for listing in await repository.of_commitments([commitment_id]):
        locked = await repository.get(listing.id, for_update=True)
        assert locked is not None
        await refer(session, ctx, locked, referral)


async def reject_complaint(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    duty_id: uuid.UUID,
    data: ComplaintRejection,
    if_match: str | None,
) -> RestrictionRead:
    """不予更正, with reasons: closes the duty; the listing stands as it is."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    duty = await RestrictionRepository(session).get_correction_duty(duty_id)
    if duty is None or duty.restriction_id != restriction.id:
        raise CorrectionDutyNotFound(f"No correction duty {duty_id} on this listing.")
    if duty.outcome is not None:
        raise CorrectionDutyClosed("The correction duty is already closed.")
    dated = date_step(ctx, data.on, data.late_entry_reason, {"complaint": duty.received_on})
    await step(
        session,
        ctx,
        restriction,
        Event.REJECT_COMPLAINT,
        details={"duty_id": str(duty.id), "reasons": data.reasons, "late": dated.on > duty.due_on},
        dated=dated,
    )
    duty.outcome, duty.reasons = _REJECTED, data.reasons
    duty.closed_on, duty.closed_by = dated.on, ctx.principal.sub
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def close_by_correction(
    session: AsyncSession, ctx: Context, restriction: Restriction, correction: Correction
) -> None:
    """A correction or removal closes every open duty of the listing."""
    for duty in await RestrictionRepository(session).correction_duties(restriction.id):
        if duty.outcome is None:
            duty.outcome, duty.correction_id = _CORRECTED, correction.id
            duty.closed_on, duty.closed_by = correction.corrected_on, ctx.principal.sub


def _open_duty(
    session: AsyncSession,
    ctx: Context,
    restriction: Restriction,
    duty_id: uuid.UUID,
    origin: DutyOrigin,
    received_on: date,
    *,
    statement: str,
    grounds: list[ObjectionGround],
    evidence_refs: list[str],
    referral_id: uuid.UUID | None = None,
) -> None:
    due = due_date(restriction.deadlines, DeadlineRule.CORRECTION_DUE.value)
    assert due is not None  # the step counted it from ``received_on``
    RestrictionRepository(session).add(
        CorrectionDuty(
            id=duty_id,
            restriction_id=restriction.id,
            origin=origin.value,
            received_on=received_on,
            due_on=due,
            statement=statement,
            grounds=[g.value for g in grounds],
            evidence_refs=list(evidence_refs),
            filed_by=ctx.principal.sub,
            referral_id=referral_id,
        )
    )
