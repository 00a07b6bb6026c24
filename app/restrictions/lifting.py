"""整改 and 取消限制 (LZ §5(1)5; DZ art. 15 ¶2): rectification, a lifting request and
its decision."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.errors import Conflict, NotFound
from app.lifecycle.deadlines import due_date
from app.lifecycle.step_dates import date_step
from app.restrictions.models import LiftingRequest
from app.restrictions.reads import load_listing
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import (
    LiftingDecisionCreate,
    LiftingOutcome,
    LiftingRequestCreate,
    RectificationCreate,
    RestrictionRead,
)
from app.restrictions.steps import read_after_step, step
from app.rules.lifecycles import Event


async def record_rectification(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: RectificationCreate,
    if_match: str | None,
) -> RestrictionRead:
    """整改 recorded with evidence: repair at period end, or at once after it (LZ §5(1)5)."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    if restriction.rectified_on is not None:
        raise Conflict("Rectification is already recorded.", code="rectification_recorded")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"publication": restriction.published_on}
    )
    await step(
        session,
        ctx,
        restriction,
        Event.RECORD_RECTIFICATION,
        details={"description": data.description, "evidence_refs": data.evidence_refs},
        dated=dated,
    )
    restriction.rectified_on = dated.on
    restriction.rectification = {
        "description": data.description,
        "evidence_refs": list(data.evidence_refs),
    }
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def request_lifting(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: LiftingRequestCreate,
) -> RestrictionRead:
    """申请取消限制 (DZ art. 15 ¶2): after rectification; decided within 5 days."""
    restriction = await RestrictionRepository(session).get(restriction_id, for_update=True)
    if restriction is None:
        raise NotFound(f"No listing {restriction_id}.", code="restriction_not_found")
    pending = [
        r
        for r in await RestrictionRepository(session).lifting_requests(restriction.id)
        if r.outcome is None
    ]
    if pending:
        raise Conflict("A lifting request is already pending.", code="lifting_request_pending")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"rectification": restriction.rectified_on}
    )
    await step(
        session,
        ctx,
        restriction,
        Event.REQUEST_LIFTING,
        details={"reason": data.reason},
        dated=dated,
    )
    due = due_date(restriction.deadlines, "lifting_decision_due")
    assert due is not None
    RestrictionRepository(session).add(
        LiftingRequest(
            restriction_id=restriction.id,
            requested_on=dated.on,
            reason=data.reason,
            evidence_refs=list(data.evidence_refs),
            requested_by=ctx.principal.sub,
            decision_due=due,
        )
    )
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def decide_lifting(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    request_id: uuid.UUID,
    data: LiftingDecisionCreate,
    if_match: str | None,
) -> RestrictionRead:
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    request = await RestrictionRepository(session).get_lifting_request(request_id)
    if request is None or request.restriction_id != restriction.id:
        raise NotFound(f"No lifting request {request_id}.", code="lifting_request_not_found")
    if request.outcome is not None:
        raise Conflict("The request is already decided.", code="lifting_request_decided")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"lifting_request": request.requested_on}
    )
    event = Event.LIFT if data.outcome is LiftingOutcome.lifted else Event.REJECT_LIFTING
    await step(
        session,
        ctx,
        restriction,
        event,
        details={"request_id": str(request.id), "reasons": data.reasons},
        dated=dated,
    )
    request.outcome = data.outcome.value
    request.reasons = data.reasons
    request.decided_on = dated.on
    request.decided_by = ctx.principal.sub
    if data.outcome is LiftingOutcome.lifted:
        restriction.lifted_on = dated.on
    await session.flush()
    return await read_after_step(session, ctx, restriction)
