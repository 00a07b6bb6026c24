"""催告 and 责令限期整改 (DZ art. 13): the reminder on an overdue tolerance case, and what
follows the deadline it or a rectification order sets (termination, rectification,
revocation)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.commitments.reads import commitment_read, load_for_agency
from app.commitments.schemas import (
    CommitmentRead,
    NoteCreate,
    ReasonCreate,
    ReminderCreate,
    RevocationCreate,
)
from app.commitments.steps import date_commitment_step, period_of, step
from app.core.context import Context
from app.rules.lifecycles import Event


async def send_reminder(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReminderCreate,
    if_match: str | None,
) -> CommitmentRead:
    """催告 on its day: the reminder deadline counts from it."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    await step(
        session,
        ctx,
        commitment,
        Event.REMIND,
        details={"note": data.note},
        period=period_of(data.period),
        period_field="body.period",
        dated=dated,
    )
    return await commitment_read(session, commitment, ctx.today)


async def terminate(
    session: AsyncSession,
    ctx: Context,
    commitment_id: uuid.UUID,
    data: ReasonCreate,
    if_match: str | None,
) -> CommitmentRead:
    """终止办理 after the reminder deadline passed (DZ art. 13 ¶1; LZ §5(1)2 situation 3)."""
    commitment = await load_for_agency(session, commitment_id, if_match)
    dated = await date_commitment_step(session, ctx, commitment, data)
    await step(
        session, ctx, commitment, Event.TERMINATE, details={"reason": data.reason}, dated=dated
    )
    return await commitment_read(session, commitment, ctx.today)


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
    return await commitment_read(session, commitment, ctx.today)


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
    return await commitment_read(session, commitment, ctx.today)
