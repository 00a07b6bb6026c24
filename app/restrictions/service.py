"""The restriction list (失信制约名单, LZ §5): effect read by date from stored history."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.restrictions.repository import RestrictionRepository
from app.rules.eligibility import EffectiveRestriction
from app.rules.profiles import Profile
from app.rules.restrictions import listing_state_on, subject_restriction_on


async def effective_restrictions(
    session: AsyncSession, subject_ids: Collection[uuid.UUID], as_of: date, profile: Profile
) -> dict[uuid.UUID, tuple[EffectiveRestriction, ...]]:
    """Per subject, the listings effective on ``as_of`` (one query for all subjects)."""
    histories = await RestrictionRepository(session).published_histories(subject_ids)
    result: dict[uuid.UUID, tuple[EffectiveRestriction, ...]] = {}
    for subject_id in subject_ids:
        key = str(subject_id)
        own = [(h, s) for h, s in histories if h.subject_key == key]
        listings = [h for h, _ in own]
        summary = subject_restriction_on(listings, as_of, profile=profile)
        effective = []
        for history, situation in own:
            if history.listing_id in summary.effective_listing_ids:
                view = listing_state_on(listings, history.listing_id, as_of, profile=profile)
                effective.append(
                    EffectiveRestriction(
                        listing_id=history.listing_id,
                        situation=situation,
                        restricted_until=view.period_ends_on,
                    )
                )
        result[subject_id] = tuple(effective)
    return result
