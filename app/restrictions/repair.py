"""An end the subject can reach (LZ §5(1)5): past an unrectified period end the listing
stays effective, the department serves a notice of what remains to rectify, and the
subject files proof of rectification at any time while the listing is effective, which
the department decides within the profile's limit (app.rules.repair).

A decision of rectified records the rectification on the decision day: after the period
end the listing is repaired that day (recorded at once); before it, the day after the end,
as for any rectification within the period (app.rules.restrictions).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.lifecycle.deadlines import due_date
from app.lifecycle.step_dates import date_step
from app.restrictions.models import RepairApplication, Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repair_errors import (
    ListingNotEffective,
    RectificationAlreadyRecorded,
    RepairApplicationDecided,
    RepairApplicationNotFound,
    RepairApplicationPending,
    RepairNoticeAlreadyIssued,
    RepairNoticeNotIssued,
    RepairNoticeReceiptRecorded,
)
from app.restrictions.repair_schemas import (
    RectificationToDo,
    RepairApplicationCreate,
    RepairApplicationRead,
    RepairDecisionCreate,
    RepairNoticeIssue,
    RepairNoticeRead,
    RepairNoticeReceipt,
    RepairOutcome,
    RepairRead,
)
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import NoticeMethod
from app.restrictions.state import derived_status, listing_profile, listing_view, subject_listings
from app.restrictions.steps import catch_up, step
from app.rules.lifecycles import DeadlineRule, Event
from app.rules.repair import rectification_rule
from app.rules.restrictions import Situation

PERIOD_END = "period_end"  # the route of proof of rectification (LZ §5(1)5)


async def repair_read(session: AsyncSession, ctx: Context, restriction: Restriction) -> RepairRead:
    """Where the listing stands on its way to repair, today."""
    profile = listing_profile(restriction)
    listings = await subject_listings(session, restriction.subject_id)
    view = listing_view(restriction, listings, ctx.today, profile)
    rule = rectification_rule(profile, restriction.situation)
    applications = [  # proof of rectification; credit repair on application reads apart
        a
        for a in await RestrictionRepository(session).repair_applications(restriction.id)
        if a.route == PERIOD_END
    ]
    method = restriction.repair_notice_method
    return RepairRead(
        listing_id=str(restriction.id),
        status=derived_status(restriction, ctx.today, view),
        effective=bool(view and view.effective),
        period_ends_on=view.period_ends_on if view else None,
        awaiting_rectification=bool(view and view.awaiting_rectification),
        rectified_on=restriction.rectified_on,
        repaired_on=view.repaired_on if view else None,
        notice=RepairNoticeRead(
            due_on=due_date(restriction.deadlines, DeadlineRule.REPAIR_NOTICE_DUE.value),
            issued_on=restriction.repair_notice_issued_on,
            method=NoticeMethod(method) if method else None,
            late=restriction.repair_notice_late,
            received_on=restriction.repair_notice_received_on,
        ),
        to_rectify=None
        if rule is None
        else RectificationToDo(
            situation=Situation(restriction.situation),
            proof=rule.proof.value,
            remains_zh=rule.remains_zh,
            how_to_prove_zh=rule.how_to_prove_zh,
            basis=rule.basis.value,
            citation=rule.citation.label,
        ),
        applications=[
            RepairApplicationRead(
                id=str(a.id),
                filed_on=a.filed_on,
                statement=a.statement,
                evidence_refs=list(a.evidence_refs),
                commitment_letter=a.commitment_letter,
                decision_due=a.decision_due,
                outcome=RepairOutcome(a.outcome) if a.outcome else None,
                reasons=a.reasons,
                decided_on=a.decided_on,
            )
            for a in applications
        ],
        version=restriction.version,
    )


async def read_repair(session: AsyncSession, ctx: Context, restriction_id: uuid.UUID) -> RepairRead:
    restriction = await load_listing(session, ctx, restriction_id, for_update=False)
    return await repair_read(session, ctx, restriction)


async def issue_repair_notice(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: RepairNoticeIssue,
    if_match: str | None,
) -> RepairRead:
    """整改告知书 served after an unrectified period end; later than its due day is
    allowed and recorded late."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    if restriction.repair_notice_issued_on is not None:
        raise RepairNoticeAlreadyIssued("The repair notice is already issued.")
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"publication": restriction.published_on}
    )
    due = due_date(restriction.deadlines, DeadlineRule.REPAIR_NOTICE_DUE.value)
    late = due is not None and dated.on > due
    await step(
        session,
        ctx,
        restriction,
        Event.ISSUE_REPAIR_NOTICE,
        details={"method": data.method.value, "late": late},
        dated=dated,
    )
    restriction.repair_notice_issued_on = dated.on
    restriction.repair_notice_method = data.method.value
    restriction.repair_notice_late = late
    await session.flush()
    return await repair_read(session, ctx, restriction)


async def record_repair_notice_receipt(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: RepairNoticeReceipt,
    if_match: str | None,
) -> RepairRead:
    """The day the subject received the repair notice: not before it, not after today."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    if restriction.repair_notice_issued_on is None:
        raise RepairNoticeNotIssued("No repair notice is issued.")
    if restriction.repair_notice_received_on is not None:
        raise RepairNoticeReceiptRecorded("The receipt is already recorded.")
    dated = date_step(
        ctx,
        data.received_on,
        data.late_entry_reason,
        {"repair_notice": restriction.repair_notice_issued_on},
        field="body.received_on",
    )
    await step(
        session,
        ctx,
        restriction,
        Event.RECORD_REPAIR_NOTICE_RECEIPT,
        details={"received_on": data.received_on.isoformat()},
        dated=dated,
    )
    restriction.repair_notice_received_on = data.received_on
    await session.flush()
    return await repair_read(session, ctx, restriction)


async def file_repair_application(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: RepairApplicationCreate,
) -> RepairRead:
    """整改证明 filed while the listing is effective, before or after its period end;
    decided within the profile's ``repair_decision`` limit from its day."""
    restriction = await load_listing(session, ctx, restriction_id)
    profile = listing_profile(restriction)
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"publication": restriction.published_on}
    )
    listings = await subject_listings(session, restriction.subject_id)
    view = listing_view(restriction, listings, dated.on, profile)
    if view is None or not view.effective:
        status = derived_status(restriction, dated.on, view)
        raise ListingNotEffective(
            f"The listing is {status}: proof of rectification is filed against an effective "
            "listing (LZ §5(1)5).",
            extra={"listing_status": status},
        )
    if restriction.rectified_on is not None:
        raise RectificationAlreadyRecorded(
            "Rectification is recorded: the listing is repaired at the end of its period."
        )
    repository = RestrictionRepository(session)
    if any(a.outcome is None for a in await repository.repair_applications(restriction.id)):
        raise RepairApplicationPending("Proof of rectification is already awaiting decision.")
    await step(
        session,
        ctx,
        restriction,
        Event.FILE_REPAIR_APPLICATION,
        details={
            "evidence_refs": len(data.evidence_refs),
            "commitment_letter": data.commitment_letter,
        },
        dated=dated,
    )
    due = due_date(restriction.deadlines, DeadlineRule.REPAIR_DECISION_DUE.value)
    assert due is not None
    repository.add(
        RepairApplication(
            restriction_id=restriction.id,
            filed_on=dated.on,
            statement=data.statement,
            evidence_refs=list(data.evidence_refs),
            commitment_letter=data.commitment_letter,
            filed_by=ctx.principal.sub,
            decision_due=due,
        )
    )
    await session.flush()
    return await repair_read(session, ctx, restriction)


async def decide_repair_application(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    application_id: uuid.UUID,
    data: RepairDecisionCreate,
    if_match: str | None,
) -> RepairRead:
    """Rectified: the rectification is recorded on the decision day, which repairs the
    listing that day when its period has ended (LZ §5(1)5). Not rectified: the reasons are
    kept and the listing stays effective; the subject may file again."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    repository = RestrictionRepository(session)
    application = await repository.get_repair_application(application_id)
    if (
        application is None
        or application.restriction_id != restriction.id
        or application.route != PERIOD_END
    ):
        raise RepairApplicationNotFound(f"No proof of rectification {application_id}.")
    if application.outcome is not None:
        raise RepairApplicationDecided("The proof of rectification is already decided.")
    dated = date_step(ctx, data.on, data.late_entry_reason, {"filing": application.filed_on})
    rectified = data.outcome is RepairOutcome.rectified
    await step(
        session,
        ctx,
        restriction,
        Event.CONFIRM_RECTIFICATION if rectified else Event.REFUSE_RECTIFICATION,
        details={"application_id": str(application.id), "reasons": data.reasons},
        dated=dated,
    )
    application.outcome = data.outcome.value
    application.reasons = data.reasons
    application.decided_on = dated.on
    application.decided_by = ctx.principal.sub
    if rectified and restriction.rectified_on is None:
        restriction.rectified_on = dated.on
        restriction.rectification = {
            "description": application.statement,
            "evidence_refs": list(application.evidence_refs),
            "application_id": str(application.id),
        }
    await session.flush()
    if rectified:
        await catch_up(session, ctx, restriction)
    return await repair_read(session, ctx, restriction)
