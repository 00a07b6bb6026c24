"""核查 (DZ art. 11-13): opening a verification, its result, and supervision feedback."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.calendar.service import load_working_calendar
from app.catalog.schemas import VerificationMethod
from app.commitments.models import Commitment, Verification, VerificationStatus
from app.commitments.orders import order_service_json
from app.commitments.reads import commitment_read, load_for_agency, verification_read, version_of
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import (
    CommitmentRead,
    FeedbackResult,
    OrderService,
    SupervisionFeedbackCreate,
    VerificationCreate,
    VerificationRead,
    VerificationResultCreate,
)
from app.commitments.state import due_on
from app.commitments.steps import (
    COMMITMENTS,
    count_deadline,
    date_commitment_step,
    notify_terms,
    period_of,
    step,
)
from app.commitments.supervision_schemas import RectificationOrderCreate
from app.core.concurrency import check_version
from app.core.context import Context
from app.core.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.departments.repository import DepartmentRepository
from app.events.service import emit
from app.lifecycle.engine import record_transition, store_deadline
from app.lifecycle.refusals import refusal
from app.lifecycle.step_dates import check_date
from app.rules.citations import DZ_12_1, DZ_12_2
from app.rules.lifecycles import (
    DeadlineRule,
    Event,
    GuardContext,
    GuardFailed,
    Machine,
    NotifyCommitState,
    allowed_events,
    conditions_due,
)
from app.rules.profiles import Mode, get_profile
from app.rules.supervision import supervision_parameters


async def open_verification(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: VerificationCreate,
    if_match: str | None,
) -> VerificationRead:
    """核查 (DZ art. 11): on-site by the catalog's department when agency and regulator
    differ (¶2); assisted names the helping department (¶3)."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    terms = notify_terms(commitment)
    if data.method.value not in terms.get("verification_methods", []):
        raise UnprocessableEntity(
            f"The catalog does not provide {data.method.value} verification for this matter.",
            code="verification_method_not_offered",
            errors=[
                FieldError(
                    field="body.method",
                    code="verification_method_not_offered",
                    message=f"offered: {', '.join(terms.get('verification_methods', []))}",
                )
            ],
        )
    version = await version_of(session, commitment)
    assisting: str | None = None
    if data.method is VerificationMethod.assisted:
        if not data.assisting_department:
            raise UnprocessableEntity(
                "Assisted verification names the helping department.",
                code="assisting_department_required",
                errors=[
                    FieldError(
                        field="body.assisting_department",
                        code="assisting_department_required",
                        message="required for assisted verification (DZ art. 11 ¶3)",
                    )
                ],
            )
        if await DepartmentRepository(session).get(data.assisting_department) is None:
            raise UnprocessableEntity(
                f"No department {data.assisting_department}.",
                code="department_unknown",
                errors=[
                    FieldError(
                        field="body.assisting_department",
                        code="department_unknown",
                        message="unknown department",
                    )
                ],
            )
        assisting = data.assisting_department
        assigned = assisting
    elif data.method is VerificationMethod.onsite and version.agency_code != version.regulator_code:
        assigned = version.onsite_verifier_code or version.regulator_code
    else:
        assigned = commitment.department
    if commitment.status == NotifyCommitState.DECIDED:
        await step(
            session,
            ctx,
            commitment,
            Event.OPEN_VERIFICATION,
            details={"method": data.method.value, "assigned_department": assigned},
            dated=dated,
        )
    elif commitment.status != NotifyCommitState.VERIFYING:
        raise Conflict(
            f"Verification is opened after the decision, not in status {commitment.status!r}.",
            code="transition_not_allowed",
            extra={"state": commitment.status, "event": Event.OPEN_VERIFICATION.value},
        )
    verification = Verification(
        commitment_id=commitment.id,
        method=data.method.value,
        assigned_department=assigned,
        assisting_department=assisting,
        status=VerificationStatus.OPEN,
        due_on=due_on(commitment, "verification_due"),
        # Entered late: opened at the start of its day (who entered it when: the history).
        opened_at=(datetime.combine(dated.on, time(), ctx.settings.tz) if dated.late else ctx.now),
        opened_by=ctx.principal.sub,
    )
    CommitmentRepository(session).add_verification(verification)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="verification.open",
        target_type="verification",
        target_id=str(verification.id),
        details={
            "commitment_id": str(commitment.id),
            "method": data.method.value,
            **dated.details(),
        },
    )
    await emit(
        session,
        type="verification.opened",
        aggregate_type="verification",
        aggregate_id=str(verification.id),
        occurred_at=ctx.now,
        data={
            "verification_id": str(verification.id),
            "commitment_id": str(commitment.id),
            "method": data.method.value,
            "assigned_department": assigned,
            "due_on": verification.due_on.isoformat() if verification.due_on else None,
        },
    )
    return verification_read(verification, commitment)


async def record_verification_result(
    session: AsyncSession,
    ctx: Context,
    verification_id: uuid.UUID,
    data: VerificationResultCreate,
    if_match: str | None,
) -> VerificationRead:
    repository = CommitmentRepository(session)
    verification = await repository.get_verification(verification_id)
    if verification is None:
        raise NotFound(f"No verification {verification_id}.", code="verification_not_found")
    check_version(verification.version, if_match, f"Verification {verification_id}")
    if verification.status != VerificationStatus.OPEN:
        raise Conflict("The verification already has a result.", code="verification_closed")
    if not data.fulfilled and data.rectification_period is None:
        raise UnprocessableEntity(
            "A verification that finds the commitment unfulfilled orders rectification "
            "within a period (DZ art. 13 ¶2).",
            code="rectification_period_required",
            errors=[
                FieldError(
                    field="body.rectification_period",
                    code="rectification_period_required",
                    message="required when fulfilled is false",
                )
            ],
        )
    commitment = await repository.get(verification.commitment_id, for_update=True)
    assert commitment is not None
    checked_at = data.checked_at or ctx.now
    checked_on = checked_at.astimezone(ctx.settings.tz).date()
    # Checked after the verification was opened, not after today.
    check_date(
        checked_on,
        ctx.today,
        {"verification_opening": verification.opened_at.astimezone(ctx.settings.tz).date()},
        field="body.checked_at",
    )
    # Conditions to meet by a day are checked from that day on (DZ art. 9 ¶2), whatever
    # the state: a check before it finds neither a breach nor a fulfilment.
    early = conditions_due(
        GuardContext(ctx.today, meet_by=commitment.meet_by, checked_on=checked_on)
    )
    if early is not None:
        raise refusal(GuardFailed(early.code, early.message, early.citation))
    department = await DepartmentRepository(session).get(ctx.principal.department or "")
    verification.status = VerificationStatus.COMPLETED
    verification.verification_number = data.verification_number or (
        f"HC-{commitment.department[:6]}-{ctx.today.year}-{verification.id.hex[:10].upper()}"
    )
    verification.checked_at = checked_at
    verification.checking_department_code = ctx.principal.department
    verification.checking_department_name = department.name if department else None
    verification.basis = data.basis
    verification.fulfilled = data.fulfilled
    verification.description = data.description
    verification.recorded_by = ctx.principal.sub
    details = {
        "verification_id": str(verification.id),
        "verification_number": verification.verification_number,
        "fulfilled": data.fulfilled,
    }
    if commitment.status == NotifyCommitState.VERIFYING:
        if data.fulfilled:
            await step(
                session,
                ctx,
                commitment,
                Event.VERIFICATION_CONFORMS,
                details=details,
                checked_on=checked_on,
            )
        else:
            # 责令限期整改 today: its period counts from its service (DZ art. 13 ¶2).
            service = data.rectification_service or OrderService()
            commitment.order_service = order_service_json(
                ctx, service, ctx.today, data.rectification_period, "body.rectification_service"
            )
            # The order answers a nonconforming supervision feedback too (DZ art. 13 ¶2).
            commitment.supervision_order_pending = False
            await step(
                session,
                ctx,
                commitment,
                Event.VERIFICATION_FAILS,
                details={**details, "service": commitment.order_service},
                period=period_of(data.rectification_period),
                period_field="body.rectification_period",
                checked_on=checked_on,
            )
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="verification.result",
        target_type="verification",
        target_id=str(verification.id),
        details=details,
    )
    await emit(
        session,
        type="verification.result_recorded",
        aggregate_type="verification",
        aggregate_id=str(verification.id),
        occurred_at=ctx.now,
        data={**verification_read(verification, commitment).model_dump(mode="json")},
    )
    return verification_read(verification, commitment)


async def record_supervision_feedback(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: SupervisionFeedbackCreate,
) -> CommitmentRead:
    """行业主管部门 feeds its supervision result back to the agency (DZ art. 12), dated
    the day it was made, not before the step it follows.

    A conclusive result (conforms, nonconforming) is the regulator's finding on the
    commitment: conforming closes its queue item; nonconforming, on a case an order can
    still follow, gives the agency the order to issue (DZ art. 13 ¶2), due by the
    profile's ``rectification_order`` counted from the feedback's day."""
    commitment = await CommitmentRepository(session).get(commitment_id, for_update=True)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    dated = await date_commitment_step(session, ctx, commitment, data)
    details: dict[str, Any] = {
        "result": data.result.value,
        "description": data.description,
        **dated.details(),
    }
    commitment.supervision_feedback_on = dated.on
    if data.result is not FeedbackResult.other:
        commitment.supervision_result = data.result.value
    if data.result is FeedbackResult.conforms:
        commitment.supervision_order_pending = False
    elif data.result is FeedbackResult.nonconforming and _order_may_follow(commitment):
        commitment.supervision_order_pending = True
        details["rectification_order_pending"] = True
        profile = get_profile(commitment.profile)
        if supervision_parameters(profile):
            deadline = count_deadline(
                DeadlineRule.RECTIFICATION_ORDER_DUE,
                await load_working_calendar(session),
                profile,
                dated.on,
                None,
                "body.on",
            )
            name = DeadlineRule.RECTIFICATION_ORDER_DUE.value
            details[name] = store_deadline(COMMITMENTS, commitment, name, deadline)
    commitment.updated_at = ctx.now
    await record_transition(
        session,
        ctx,
        COMMITMENTS,
        commitment,
        "supervision_feedback",
        commitment.status,
        DZ_12_2 if commitment.exempt_from_verification else DZ_12_1,
        details,
    )
    await session.flush()
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


def _order_may_follow(commitment: Commitment) -> bool:
    """Whether the case is in a state an order to rectify can follow from (the table's)."""
    return commitment.mode == Mode.NOTIFY_COMMIT and Event.ORDER_RECTIFICATION in (
        allowed_events(Machine.NOTIFY_COMMIT, commitment.status)
    )


async def order_rectification(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: RectificationOrderCreate,
    if_match: str | None,
) -> CommitmentRead:
    """责令限期整改 on the regulator's nonconforming finding (DZ art. 13 ¶2): the case is
    rectification-ordered, its period counted from the order's service, as after a failed
    verification; a case fulfilled on its decision (免于核查) is reopened, since the
    decision may still be revoked if rectification fails."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    if commitment.supervision_feedback_on is not None:
        check_date(
            dated.on,
            ctx.today,
            {"supervision_feedback": commitment.supervision_feedback_on},
        )
    commitment.order_service = order_service_json(
        ctx,
        data.rectification_service,
        dated.on,
        data.rectification_period,
        "body.rectification_service",
    )
    await step(
        session,
        ctx,
        commitment,
        Event.ORDER_RECTIFICATION,
        details={"note": data.note, "service": commitment.order_service},
        period=period_of(data.rectification_period),
        period_field="body.rectification_period",
        dated=dated,
        supervision_nonconforming=commitment.supervision_order_pending,
    )
    commitment.supervision_order_pending = False
    commitment.closed_on = None
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)
