"""另有规定的管理期限 (LZ §5(1)5 "有关法律法规规章对管理期限另有规定的，依照其规定执行"):
a listing's own period, set with the rule that sets it, before publication, as a recorded
step (history, audit, event); everything derived by date then counts it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import Context
from app.core.errors import Conflict
from app.lifecycle.engine import record_transition
from app.lifecycle.step_dates import date_step
from app.restrictions.period_schemas import PeriodCreate
from app.restrictions.reads import load_listing
from app.restrictions.schemas import RestrictionRead
from app.restrictions.state import listing_profile
from app.restrictions.steps import LISTINGS, collected_on, read_after_step
from app.rules.citations import LZ_5_1_5_OTHER_PERIOD
from app.rules.lifecycles import RestrictionState

# Before publication the period has not started; a withdrawn listing has none to run.
_SETTABLE = frozenset(
    {
        RestrictionState.PROPOSED,
        RestrictionState.COLLECTED,
        RestrictionState.VERIFIED,
        RestrictionState.NOTIFIED,
        RestrictionState.UNDER_REVIEW,
        RestrictionState.CONFIRMED,
    }
)


class ListingHasNoPeriod(Conflict):
    code = "listing_has_no_period"


class PeriodAlreadyRunning(Conflict):
    code = "management_period_running"


async def set_own_period(
    session: AsyncSession,
    ctx: Context,
    restriction_id: uuid.UUID,
    data: PeriodCreate,
    if_match: str | None,
) -> RestrictionRead:
    """The listing's own period and its basis, before and after in the history, dated the
    day it was set (not before the collection)."""
    restriction = await load_listing(session, ctx, restriction_id, if_match)
    citation = {"citation": LZ_5_1_5_OTHER_PERIOD.label}
    if listing_profile(restriction).management_period_months is None:
        raise ListingHasNoPeriod(
            f"The profile {restriction.profile} sets no management period: the listing lasts "
            "until it is lifted.",
            extra=citation,
        )
    if restriction.published_on is not None or restriction.status not in _SETTABLE:
        raise PeriodAlreadyRunning(
            "The listing is published or ended: its period is set before publication; an "
            "error found later is corrected (LZ §5(1)4).",
            extra=citation,
        )
    dated = date_step(
        ctx, data.on, data.late_entry_reason, {"collection": collected_on(ctx, restriction)}
    )
    before = {"period_months": restriction.period_months, "period_basis": restriction.period_basis}
    restriction.period_months = data.period_months
    restriction.period_basis = data.period_basis
    restriction.updated_at = ctx.now
    await record_transition(
        session,
        ctx,
        LISTINGS,
        restriction,
        "period_set",
        restriction.status,
        LZ_5_1_5_OTHER_PERIOD,
        {
            "before": before,
            "after": {"period_months": data.period_months, "period_basis": data.period_basis},
            **dated.details(),
        },
        transition=False,
    )
    await session.flush()
    return await read_after_step(session, ctx, restriction)
