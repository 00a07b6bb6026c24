"""When the repair notice falls due (LZ §5(1)5): a stored deadline counted from the
(restarted) period end, so that the work queue derives the task by date.

Publication stores it on the new listing; a new listing restarts the periods of the
subject's other listings, and the removal of a published listing undoes its restarts: the
notice deadline of each listing whose end moved is counted again from the new end,
recorded as a ``deadline_recomputed`` fact of that listing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.calendar.service import load_working_calendar
from app.core.context import Context
from app.lifecycle.engine import LifeCycle, record_transition, store_deadline
from app.restrictions.models import Restriction
from app.restrictions.repository import RestrictionRepository, history_of
from app.restrictions.state import listing_profile, listing_view
from app.rules.citations import LZ_5_1_5_REPAIR
from app.rules.lifecycles import DeadlineRule, RestrictionState, compute_rule_deadline
from app.rules.repair import repair_parameters

NOTICE_DUE = DeadlineRule.REPAIR_NOTICE_DUE


async def schedule_repair_notices(
    session: AsyncSession, ctx: Context, life: LifeCycle, changed: Restriction, on: date
) -> None:
    """After ``changed`` was published or removed on ``on``: the repair notice deadline
    of each effective listing of its subject whose period end is not the one counted."""
    rows = await RestrictionRepository(session).published_of([changed.subject_id])
    listings = [history_of(row) for row in rows]
    calendar = await load_working_calendar(session)
    for row in rows:
        if row.status != RestrictionState.EFFECTIVE:
            continue
        profile = listing_profile(row)
        if not repair_parameters(profile):
            continue
        view = listing_view(row, listings, on, profile)
        if view is None or view.period_ends_on is None:
            continue
        stored = row.deadlines.get(NOTICE_DUE.value)
        if stored is not None and stored["start"] == view.period_ends_on.isoformat():
            continue
        deadline = compute_rule_deadline(
            NOTICE_DUE, calendar=calendar, profile=profile, start=view.period_ends_on
        )
        after = store_deadline(life, row, NOTICE_DUE.value, deadline)
        if row.id == changed.id:
            continue  # part of the publication step
        row.updated_at = ctx.now
        await record_transition(
            session,
            ctx,
            life,
            row,
            "deadline_recomputed",
            row.status,
            LZ_5_1_5_REPAIR,
            {
                NOTICE_DUE.value: {"before": stored["date"] if stored else None, "after": after},
                "period_ends_on": view.period_ends_on.isoformat(),
                "changed_by": str(changed.id),
            },
            transition=False,
        )
    await session.flush()
