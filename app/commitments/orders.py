"""催告 and 责令限期整改 (DZ art. 13): the reminder on an overdue tolerance case, its
service and receipt, and what follows the deadline it or a rectification order sets
(termination, rectification, revocation).

An order's period counts from its service (app.rules.commitments, reading
``orders_count_from_service``): in person the day it is given; by post or electronically
the day of receipt, given with the order or recorded later (``record_order_receipt``).
Until then no period runs, the case has no due day, and the department's task is to
record the receipt.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.schemas import PeriodSpec
from app.commitments.errors import ReceiptNotForInPerson
from app.commitments.reads import commitment_read, load_for_agency
from app.commitments.repository import CommitmentRepository
from app.commitments.schemas import (
    CommitmentRead,
    NoteCreate,
    OrderReceiptCreate,
    OrderService,
    ReasonCreate,
    ReminderCreate,
    RevocationCreate,
)
from app.commitments.state import order_unserved
from app.commitments.steps import date_commitment_step, period_of, step
from app.core.context import Context
from app.lifecycle.step_dates import check_date, date_step
from app.rules.commitments import termination_ground
from app.rules.lifecycles import Event


def order_service_json(
    ctx: Context,
    service: OrderService,
    issued_on: date,
    period: PeriodSpec | None,
    field: str,
) -> dict[str, Any]:
    """What the commitment keeps of an order's service: how, the order's day, the day of
    receipt (not before the order, not after today) and the period to count from it."""
    received = service.received_on
    if received is not None:
        if not service.method.by_receipt:
            raise ReceiptNotForInPerson(
                "An order served in person is served the day it is given.",
                f"{field}.received_on",
                "only for post or electronic service",
            )
        check_date(received, ctx.today, {"order": issued_on}, field=f"{field}.received_on")
    return {
        "method": service.method.value,
        "issued_on": issued_on.isoformat(),
        "received_on": received.isoformat() if received else None,
        "period": period.model_dump(mode="json") if period else None,
    }


async def send_reminder(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReminderCreate,
    if_match: str | None,
) -> CommitmentRead:
    """催告 on its day: the reminder deadline counts from its service (that day in person;
    by post or electronically, the day of receipt)."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    commitment.order_service = order_service_json(
        ctx, data.service, dated.on, data.period, "body.service"
    )
    await step(
        session,
        ctx,
        commitment,
        Event.REMIND,
        details={"note": data.note, "service": commitment.order_service},
        period=period_of(data.period),
        period_field="body.period",
        dated=dated,
    )
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def terminate(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReasonCreate,
    if_match: str | None,
) -> CommitmentRead:
    """终止办理 after the reminder deadline passed (DZ art. 13 ¶1), on its ground read off
    the record: no supplement at all is non-submission, LZ §5(1)2's situation 3, which
    proposes a listing; a supplement that fell short proposes none."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    events = await CommitmentRepository(session).events(commitment.id)
    ground = termination_ground(
        submitted=any(row.event == Event.SUPPLEMENT_NONCOMPLIANT for row in events)
    )
    await step(
        session,
        ctx,
        commitment,
        Event.TERMINATE,
        details={"reason": data.reason, "ground": ground.value},
        dated=dated,
        termination_ground=ground,
    )
    commitment.termination_ground = ground.value
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def record_order_receipt(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: OrderReceiptCreate,
    if_match: str | None,
) -> CommitmentRead:
    """签收 of a reminder or an order to rectify sent by post or electronically: its period
    counts from the day of receipt (not before the order, not after today)."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    service = dict(commitment.order_service or {})
    issued = service.get("issued_on")
    dated = date_step(
        ctx,
        data.received_on,
        data.late_entry_reason,
        {"order": date.fromisoformat(issued) if issued else None},
        field="body.received_on",
    )
    awaited = order_unserved(commitment)
    if awaited:
        commitment.order_service = {**service, "received_on": data.received_on.isoformat()}
    await step(
        session,
        ctx,
        commitment,
        Event.RECORD_RECEIPT,
        details={"received_on": data.received_on.isoformat(), "method": service.get("method")},
        period=period_of(service.get("period")),
        dated=dated,
        order_unserved=awaited,
    )
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def revoke(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: RevocationCreate,
    if_match: str | None,
) -> CommitmentRead:
    """撤销办理结果 (DZ art. 13 ¶2; LZ §5(1)2 situation 4)."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    await step(
        session,
        ctx,
        commitment,
        Event.REVOKE,
        details={"reason": data.reason, "still_nonconforming": data.still_nonconforming},
        dated=dated,
        still_nonconforming=data.still_nonconforming,
    )
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)


async def record_rectification(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: NoteCreate,
    if_match: str | None,
) -> CommitmentRead:
    """整改到位 within the rectification deadline: the commitment is fulfilled."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    await step(session, ctx, commitment, Event.RECTIFIED, details={"note": data.note}, dated=dated)
    return await commitment_read(session, commitment, ctx.today, ctx.principal.department)
