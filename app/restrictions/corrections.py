"""更正 (LZ §5(1)6): an error in a listing corrected or the listing removed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.service import load_working_calendar
from app.core.context import Context
from app.core.db import new_id
from app.core.errors import FieldError, UnprocessableEntity
from app.lifecycle.step_dates import check_date, date_step
from app.privacy.crypto import EncryptedText
from app.restrictions.duties import close_by_correction
from app.restrictions.models import Correction, Restriction
from app.restrictions.reads import load_listing
from app.restrictions.repair_schedule import schedule_repair_notices
from app.restrictions.repository import RestrictionRepository
from app.restrictions.schemas import CorrectionCreate, RestrictionRead
from app.restrictions.state import listing_profile
from app.restrictions.steps import LISTINGS, collected_on, read_after_step, step
from app.rules.lifecycles import DeadlineRule, Event, compute_rule_deadline


async def correct(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: CorrectionCreate,
    if_match: str | None,
) -> RestrictionRead:
    """更正 or 移除 within 2 working days of discovering the error (LZ §5(1)4).

    A late correction is still made — leaving a wrong listing in place would be worse —
    and is flagged late.
    """
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    # The error is found in a listing that exists, and before it is corrected.
    check_date(
        data.discovered_on,
        ctx.today,
        {"collection": collected_on(ctx, restriction)},
        field="body.discovered_on",
    )
    dated = date_step(ctx, data.on, data.late_entry_reason, {"discovery": data.discovered_on})
    changes = data.changes.model_dump(exclude_none=True) if data.changes else {}
    if data.kind == "fix" and not changes:
        raise UnprocessableEntity(
            "A fix names the fields it changes.",
            code="correction_empty",
            errors=[FieldError(field="body.changes", code="correction_empty", message="empty")],
        )
    profile = listing_profile(restriction)
    calendar = await load_working_calendar(session)
    due = compute_rule_deadline(
        DeadlineRule.CORRECTION_DUE, calendar=calendar, profile=profile, start=data.discovered_on
    )
    late = dated.on > due.date
    event = Event.CORRECT_REMOVE if data.kind == "remove" else Event.CORRECT_FIX
    diff = {field: _change(restriction, field, value) for field, value in changes.items()}
    await step(
        session,
        ctx,
        restriction,
        event,
        details={"reason": data.reason, "late": late, "changes": diff},
        dated=dated,
    )
    for field, value in changes.items():
        setattr(restriction, field, value)
    if data.kind == "remove":
        restriction.withdrawn_on = dated.on
    correction = Correction(
        id=new_id(),
        restriction_id=restriction.id,
        kind=data.kind.value,
        discovered_on=data.discovered_on,
        due_on=due.date,
        corrected_on=dated.on,
        late=late,
        reason=data.reason,
        changes=diff,
        corrected_by=ctx.principal.sub,
    )
    RestrictionRepository(session).add(correction)
    # A complaint's or a referral's duty is discharged by the correction (LZ §5(1)4).
    await close_by_correction(session, ctx, restriction, correction)
    await session.flush()
    if data.kind == "remove" and restriction.published_on is not None:
        # a removed listing restarts no period any more (LZ §5(1)5)
        await schedule_repair_notices(session, ctx, LISTINGS, restriction, dated.on)
    return await read_after_step(session, ctx, restriction)


def _change(restriction: Restriction, field: str, value: Any) -> dict[str, Any]:
    """Before and after of a field; of an encrypted one (the address, LZ §5(1)3) only that
    it changed: the correction row, history, audit and event are clear text."""
    if isinstance(Restriction.__table__.c[field].type, EncryptedText):
        return {"changed": True}
    return {"before": _jsonable(getattr(restriction, field)), "after": value}


def _jsonable(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value
