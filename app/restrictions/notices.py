"""告知 and 陈述申辩 (LZ §5(1)4): the notice, its receipt, the objection and its review."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.errors import Conflict, NotFound
from app.lifecycle.deadlines import due_date
from app.lifecycle.step_dates import date_step
from app.restrictions.amendments import amendment_diff, amendments_of, apply_amendments
from app.restrictions.models import Objection
from app.restrictions.reads import load_listing
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import (
    NoticeIssue,
    ObjectionCreate,
    RestrictionRead,
    ReviewCreate,
    ReviewOutcome,
)
from app.restrictions.state import listing_profile
from app.restrictions.steps import read_after_step, step
from app.rules.lifecycles import Event


async def issue_notice(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: NoticeIssue,
    if_match: str | None,
) -> RestrictionRead:
    """告知书 within 3 working days of verification; later is allowed and recorded late."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"verification": restriction.verified_on}
    )
    due = due_date(restriction.deadlines, "notice_due")
    late = due is not None and dated.on > due
    await step(
        session,
        ctx,
        restriction,
        Event.ISSUE_NOTICE,
        details={"method": data.method.value, "late": late},
        dated=dated,
    )
    restriction.notice_issued_on = dated.on
    restriction.notice_method = data.method.value
    restriction.notice_late = late
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def record_receipt(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    received_on: date,
    if_match: str | None,
    late_entry_reason: str | None = None,
) -> RestrictionRead:
    """The day the subject received the notice: 3 working days to object from it. Not
    before the notice, not after today; entered later, with the reason."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx,
        received_on,
        late_entry_reason,
        {"notice": restriction.notice_issued_on},
        field="body.received_on",
    )
    if restriction.notice_received_on is not None:
        raise Conflict("The receipt is already recorded.", code="receipt_already_recorded")
    await step(
        session,
        ctx,
        restriction,
        Event.RECORD_RECEIPT,
        details={"received_on": received_on.isoformat()},
        dated=dated,
    )
    restriction.notice_received_on = received_on
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def file_objection(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: ObjectionCreate,
    if_match: str | None,
) -> RestrictionRead:
    """陈述申辩 within 3 working days of receipt (LZ §5(1)4); review within 15. Dated the
    day it was made (a mailed statement: its postmark), which the window is judged by."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    dated = date_step(
        ctx,
        data.on,
        data.late_entry_reason,
        {"notice": restriction.notice_issued_on, "receipt": restriction.notice_received_on},
    )
    grounds = [g.value for g in data.grounds]
    await step(
        session,
        ctx,
        restriction,
        Event.OBJECT,
        details={"statement": data.statement, "grounds": grounds},
        dated=dated,
    )
    review_due = due_date(restriction.deadlines, "review_due")
    assert review_due is not None
    objection = Objection(
        restriction_id=restriction.id,
        filed_on=dated.on,
        statement=data.statement,
        evidence_refs=list(data.evidence_refs),
        filed_by=ctx.principal.sub,
        review_due=review_due,
        grounds=grounds,
    )
    RestrictionRepository(session).add(objection)
    await session.flush()
    return await read_after_step(session, ctx, restriction)


async def review_objection(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    objection_id: uuid.UUID,
    data: ReviewCreate,
    if_match: str | None,
) -> RestrictionRead:
    """复核 after hearing the statement: upheld confirms the listing; overturned withdraws
    it; amended corrects what the review found wrong (a fact, the basis, a shorter period
    another rule sets) and confirms the listing as amended, before and after recorded."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    objection = await RestrictionRepository(session).get_objection(objection_id)
    if objection is None or objection.restriction_id != restriction.id:
        raise NotFound(f"No objection {objection_id} on this listing.", code="objection_not_found")
    if objection.outcome is not None:
        raise Conflict("The objection is already reviewed.", code="objection_already_reviewed")
    dated = date_step(ctx, data.on, data.late_entry_reason, {"objection": objection.filed_on})
    amendments = amendments_of(data)
    diff = (
        amendment_diff(restriction, amendments, listing_profile(restriction)) if amendments else {}
    )
    event = {
        ReviewOutcome.upheld: Event.REVIEW_UPHELD,
        ReviewOutcome.overturned: Event.REVIEW_OVERTURNED,
        ReviewOutcome.amended: Event.REVIEW_AMENDED,
    }[data.outcome]
    details = {"objection_id": str(objection.id), "reasons": data.reasons}
    await step(
        session,
        ctx,
        restriction,
        event,
        details={**details, "amendments": diff} if diff else details,
        dated=dated,
    )
    objection.outcome = data.outcome.value
    objection.reasons = data.reasons
    objection.reviewed_on = dated.on
    objection.reviewed_by = ctx.principal.sub
    if diff:
        objection.amendments = diff
        apply_amendments(restriction, diff)
    if data.outcome is not ReviewOutcome.overturned:
        restriction.confirmed_on = restriction.determined_on = dated.on
    else:
        restriction.withdrawn_on = dated.on
    await session.flush()
    return await read_after_step(session, ctx, restriction)
