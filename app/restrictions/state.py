"""A listing's state derived by date (LZ §5(1)4-5): whether it is effective, until when,
and what time has done to it (a lapsed objection window, an ended period), computed from
the stored dates on the day asked, whether or not anybody has recorded it yet."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.lifecycle.deadlines import due_date
from app.restrictions.models import Restriction
from app.restrictions.repository import RestrictionRepository, history_of
from app.rules.eligibility import EffectiveRestriction
from app.rules.jurisdiction import Effect, listing_effect
from app.rules.lifecycles import RestrictionState
from app.rules.profiles import Profile, get_profile
from app.rules.restrictions import ListingHistory, ListingView, Situation, listing_state_on

_R = RestrictionState


async def effective_restrictions(
    session: AsyncSession, subject_ids: Collection[uuid.UUID], as_of: date, profile: Profile
) -> dict[uuid.UUID, tuple[EffectiveRestriction, ...]]:
    """Per subject, the listings effective on ``as_of`` that restrict facilitation where
    ``profile`` (the matter's agency's) applies: each read under the profile it was made
    under, and only within its regime's jurisdiction (a Linzi listing in Linzi, a Dezhou
    restriction in Dezhou for a false or unfulfilled commitment). One query for all."""
    histories = await RestrictionRepository(session).published_histories(subject_ids)
    return effective_of(histories, subject_ids, as_of, profile)


def effective_of(
    histories: Sequence[tuple[ListingHistory, Situation]],
    subject_ids: Collection[uuid.UUID],
    as_of: date,
    profile: Profile,
) -> dict[uuid.UUID, tuple[EffectiveRestriction, ...]]:
    """:func:`effective_restrictions` once the published histories have been read; each
    subject's in the order of their listing ids."""
    histories = sorted(histories, key=lambda pair: pair[0].listing_id)
    result: dict[uuid.UUID, tuple[EffectiveRestriction, ...]] = {}
    for subject_id in subject_ids:
        key = str(subject_id)
        own = [(h, s) for h, s in histories if h.subject_key == key]
        listings = [h for h, _ in own]
        effective = []
        for history, situation in own:
            made_under = listing_profile_named(history.profile)
            rule = listing_effect(
                Effect.FACILITATION, situation, made_under.jurisdiction, profile.jurisdiction
            )
            if rule is None:
                continue
            view = listing_state_on(listings, history.listing_id, as_of, profile=made_under)
            if view.effective:
                effective.append(
                    EffectiveRestriction(
                        listing_id=history.listing_id,
                        situation=situation,
                        restricted_until=view.period_ends_on,
                        citation=rule.citation,
                    )
                )
        result[subject_id] = tuple(effective)
    return result


def listing_profile(restriction: Restriction) -> Profile:
    """The profile the listing was made under (recorded when it was opened)."""
    return listing_profile_named(restriction.profile)


def listing_profile_named(name: str | None) -> Profile:
    assert name is not None  # every stored listing records its profile (migration 0016)
    return get_profile(name)


async def subject_listings(session: AsyncSession, subject_id: uuid.UUID) -> list[ListingHistory]:
    rows = await RestrictionRepository(session).published_of([subject_id])
    return [history_of(row) for row in rows]


def listing_view(
    restriction: Restriction, listings: Sequence[ListingHistory], today: date, profile: Profile
) -> ListingView | None:
    if restriction.published_on is None:
        return None
    return listing_state_on(listings, str(restriction.id), today, profile=profile)


def _window_lapsed(restriction: Restriction, today: date) -> bool:
    due = due_date(restriction.deadlines, "objection_due")
    return restriction.status == _R.NOTIFIED and due is not None and today > due


def confirmed_by_lapse_on(restriction: Restriction, today: date) -> date | None:
    """视为放弃陈述和申辩的权利 (LZ annex): a lapsed window confirms the listing from the
    day after its last day; the day a read derives and the worker later records."""
    if not _window_lapsed(restriction, today):
        return None
    due = due_date(restriction.deadlines, "objection_due")
    assert due is not None
    return due + timedelta(days=1)


def derived_status(restriction: Restriction, today: date, view: ListingView | None) -> str:
    """The status on ``today``: a lapsed objection window confirms; an ended period with
    rectification repairs (LZ §5(1)4-5), whether or not anybody recorded it yet."""
    if _window_lapsed(restriction, today):
        return _R.CONFIRMED.value
    repaired_on = view.repaired_on if view is not None else None
    if restriction.status == _R.EFFECTIVE and repaired_on is not None and today >= repaired_on:
        return _R.REPAIRED.value
    return restriction.status
