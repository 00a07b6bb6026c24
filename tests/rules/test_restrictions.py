"""Listing and subject state read by date from history; dates counted by hand.

Listing A is published on Sun 2026-03-15; 6 months later is 2026-09-15 (its last
restricted day); repaired, when rectified in time, on 2026-09-16.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest

from app.rules.profiles import PUBLICITY_PERIOD_LZ, Profile, get_profile
from app.rules.restrictions import (
    ListingHistory,
    ListingStatus,
    listing_state_on,
    subject_restriction_on,
)

D = date
S = ListingStatus
COMBINED = get_profile("shandong-combined")
DEZHOU = get_profile("dezhou-2023")

A = ListingHistory("A", "subject-1", published_on=D(2026, 3, 15))


@pytest.mark.parametrize(
    ("listing", "as_of", "status", "period_end", "repaired_on", "ended_with_rect", "awaiting"),
    [
        # not yet published on the day before publication
        (A, D(2026, 3, 14), S.UNPUBLISHED, None, None, None, False),
        (replace(A, published_on=None), D(2026, 6, 1), S.UNPUBLISHED, None, None, None, False),
        # publication day and last day of the period are restricted
        (A, D(2026, 3, 15), S.EFFECTIVE, D(2026, 9, 15), None, None, False),
        (A, D(2026, 9, 15), S.EFFECTIVE, D(2026, 9, 15), None, None, False),
        # period over, never rectified: stays effective, end open
        (A, D(2026, 9, 16), S.EFFECTIVE, D(2026, 9, 15), None, False, True),
        # rectified within the period: effective to the last day, repaired the day after
        (replace(A, rectified_on=D(2026, 6, 1)), D(2026, 9, 15), S.EFFECTIVE,
         D(2026, 9, 15), D(2026, 9, 16), None, False),
        (replace(A, rectified_on=D(2026, 6, 1)), D(2026, 9, 16), S.REPAIRED,
         D(2026, 9, 15), D(2026, 9, 16), True, False),
        # rectified on the last day counts as within the period
        (replace(A, rectified_on=D(2026, 9, 15)), D(2026, 9, 16), S.REPAIRED,
         D(2026, 9, 15), D(2026, 9, 16), True, False),
        # rectified after the period: effective until the rectification day
        (replace(A, rectified_on=D(2026, 10, 20)), D(2026, 10, 19), S.EFFECTIVE,
         D(2026, 9, 15), None, False, True),
        (replace(A, rectified_on=D(2026, 10, 20)), D(2026, 10, 20), S.REPAIRED,
         D(2026, 9, 15), D(2026, 10, 20), False, False),
        # a rectification recorded later is unknown on an earlier day
        (replace(A, rectified_on=D(2026, 10, 20)), D(2026, 9, 10), S.EFFECTIVE,
         D(2026, 9, 15), None, None, False),
        # withdrawn (overturned or removed): not effective from the withdrawal day
        (replace(A, withdrawn_on=D(2026, 5, 1)), D(2026, 4, 30), S.EFFECTIVE,
         D(2026, 9, 15), None, None, False),
        (replace(A, withdrawn_on=D(2026, 5, 1)), D(2026, 5, 1), S.WITHDRAWN,
         D(2026, 9, 15), None, None, False),
        (ListingHistory("A", "subject-1", None, withdrawn_on=D(2026, 3, 1)), D(2026, 3, 2),
         S.WITHDRAWN, None, None, None, False),
        # lifted early (DZ art. 15 ¶2): not effective from the lifting day
        (replace(A, rectified_on=D(2026, 5, 2), lifted_on=D(2026, 5, 10)), D(2026, 5, 9),
         S.EFFECTIVE, D(2026, 9, 15), D(2026, 9, 16), None, False),
        (replace(A, rectified_on=D(2026, 5, 2), lifted_on=D(2026, 5, 10)), D(2026, 5, 10),
         S.LIFTED, D(2026, 9, 15), D(2026, 9, 16), None, False),
        # month end: published Aug 31, period ends Feb 28 2027
        (ListingHistory("A", "subject-1", D(2026, 8, 31)), D(2027, 2, 28), S.EFFECTIVE,
         D(2027, 2, 28), None, None, False),
        (ListingHistory("A", "subject-1", D(2026, 8, 31)), D(2027, 3, 1), S.EFFECTIVE,
         D(2027, 2, 28), None, False, True),
    ],
)  # fmt: skip
def test_single_listing_by_date(
    listing: ListingHistory,
    as_of: date,
    status: ListingStatus,
    period_end: date | None,
    repaired_on: date | None,
    ended_with_rect: bool | None,
    awaiting: bool,
) -> None:
    view = listing_state_on([listing], "A", as_of)
    assert view.status is status
    assert view.effective is (status is S.EFFECTIVE)
    assert view.period_ends_on == period_end
    assert view.repaired_on == repaired_on
    assert view.ended_with_rectification is ended_with_rect
    assert view.awaiting_rectification is awaiting
    assert view.citation.text_zh


def test_period_end_is_never_moved_for_a_holiday() -> None:
    # published Sat 2026-04-04 (Qingming): ends Sun 2026-10-04, inside National Day
    listing = ListingHistory("A", "subject-1", D(2026, 4, 4))
    assert listing_state_on([listing], "A", D(2026, 5, 1)).period_ends_on == D(2026, 10, 4)


# --- restart (重新计算管理期限) -------------------------------------------------------

A_RECTIFIED = replace(A, rectified_on=D(2026, 4, 1))
B_IN_PERIOD = ListingHistory("B", "subject-1", D(2026, 8, 31))  # own end 2027-02-28


def test_second_listing_in_period_restarts_the_first() -> None:
    listings = [A_RECTIFIED, B_IN_PERIOD]
    view = listing_state_on(listings, "A", D(2026, 9, 16))
    assert view.effective
    assert view.own_period_ends_on == D(2026, 9, 15)
    assert view.period_ends_on == D(2027, 2, 28)
    assert view.restarted_by == ("B",)
    assert view.repaired_on == D(2027, 3, 1)
    subject = subject_restriction_on(listings, D(2026, 9, 16))
    assert subject.effective
    assert subject.restricted_until == D(2027, 2, 28)
    assert subject.effective_listing_ids == ("A", "B")
    assert subject.unrectified_listing_ids == ("B",)
    assert not subject.awaiting_rectification


def test_restart_known_only_from_the_second_publication() -> None:
    # before B is published, A's period still ends on 2026-09-15
    view = listing_state_on([A_RECTIFIED, B_IN_PERIOD], "A", D(2026, 8, 30))
    assert view.period_ends_on == D(2026, 9, 15)
    assert view.restarted_by == ()


def test_after_restarted_period_first_repaired_second_awaiting() -> None:
    listings = [A_RECTIFIED, B_IN_PERIOD]
    assert listing_state_on(listings, "A", D(2027, 3, 1)).status is S.REPAIRED
    b = listing_state_on(listings, "B", D(2027, 3, 1))
    assert b.effective and b.awaiting_rectification
    subject = subject_restriction_on(listings, D(2027, 3, 1))
    assert subject.effective
    assert subject.awaiting_rectification
    assert subject.restricted_until is None


def test_withdrawn_second_listing_does_not_extend() -> None:
    withdrawn_b = replace(B_IN_PERIOD, withdrawn_on=D(2026, 10, 1))
    listings = [A_RECTIFIED, withdrawn_b]
    # while B stood, A was restarted
    before = subject_restriction_on(listings, D(2026, 9, 20))
    assert before.restricted_until == D(2027, 2, 28)
    # from B's withdrawal, A's period ends on 2026-09-15 again and A is repaired
    view = listing_state_on(listings, "A", D(2026, 10, 1))
    assert view.period_ends_on == D(2026, 9, 15)
    assert view.status is S.REPAIRED
    after = subject_restriction_on(listings, D(2026, 10, 1))
    assert not after.effective
    assert after.restricted_until is None
    assert after.effective_listing_ids == ()


@pytest.mark.parametrize(
    ("b_published", "a_end"),
    [
        (D(2026, 9, 15), D(2027, 3, 15)),  # on A's last day: restarts
        (D(2026, 9, 16), D(2026, 9, 15)),  # the day after: a separate listing
    ],
)
def test_restart_boundary(b_published: date, a_end: date) -> None:
    b = ListingHistory("B", "subject-1", b_published)
    assert listing_state_on([A, b], "A", D(2026, 10, 1)).period_ends_on == a_end


def test_restart_chains() -> None:
    a = ListingHistory("A", "s", D(2026, 1, 10))  # own end 2026-07-10
    b = ListingHistory("B", "s", D(2026, 7, 1))  # within A: end 2027-01-01
    c = ListingHistory("C", "s", D(2026, 12, 20))  # within the restarted A: end 2027-06-20
    view = listing_state_on([c, a, b], "A", D(2027, 1, 1))
    assert view.period_ends_on == D(2027, 6, 20)
    assert view.restarted_by == ("B", "C")
    assert subject_restriction_on([a, b, c], D(2027, 1, 1)).restricted_until == D(2027, 6, 20)


def test_act_before_the_first_publication_does_not_restart() -> None:
    """LZ §5(1)5 restarts on a dishonesty that happens within the period."""
    b = ListingHistory("B", "subject-1", D(2026, 5, 1), occurred_on=D(2026, 3, 1))
    view = listing_state_on([A, b], "A", D(2026, 6, 1))
    assert view.period_ends_on == D(2026, 9, 15)
    assert view.restarted_by == ()
    subject = subject_restriction_on([A, b], D(2026, 6, 1))
    assert subject.restricted_until == D(2026, 11, 1)


def test_act_within_the_period_restarts() -> None:
    b = ListingHistory("B", "subject-1", D(2026, 5, 1), occurred_on=D(2026, 4, 20))
    assert listing_state_on([A, b], "A", D(2026, 6, 1)).period_ends_on == D(2026, 11, 1)


def test_lifted_listing_is_not_restarted() -> None:
    a = replace(A, rectified_on=D(2026, 4, 1), lifted_on=D(2026, 5, 1))
    b = ListingHistory("B", "subject-1", D(2026, 6, 1))
    view = listing_state_on([a, b], "A", D(2026, 6, 2))
    assert view.status is S.LIFTED
    assert view.period_ends_on == D(2026, 9, 15)


def test_other_subjects_do_not_restart() -> None:
    other = ListingHistory("X", "subject-2", D(2026, 8, 31))
    assert listing_state_on([A, other], "A", D(2026, 9, 1)).period_ends_on == D(2026, 9, 15)


def test_restart_switched_off() -> None:
    profile = replace(COMBINED, restart_on_new_listing=False)
    view = listing_state_on([A, B_IN_PERIOD], "A", D(2026, 9, 16), profile=profile)
    assert view.period_ends_on == D(2026, 9, 15)


# --- subject ---------------------------------------------------------------------------


def test_subject_without_listings() -> None:
    subject = subject_restriction_on([], D(2026, 6, 1))
    assert not subject.effective
    assert subject.restricted_until is None
    assert subject.effective_listing_ids == ()


def test_subject_with_two_separate_listings_takes_the_latest_end() -> None:
    a = ListingHistory("A", "s", D(2026, 3, 15), rectified_on=D(2026, 4, 1))
    b = ListingHistory("B", "s", D(2026, 5, 1), occurred_on=D(2026, 2, 1))  # no restart
    subject = subject_restriction_on([a, b], D(2026, 6, 1))
    assert subject.restricted_until == D(2026, 11, 1)
    assert subject.effective_listing_ids == ("A", "B")
    assert subject.unrectified_listing_ids == ("B",)


def test_subject_listings_must_share_a_subject() -> None:
    with pytest.raises(ValueError, match="several subjects"):
        subject_restriction_on([A, ListingHistory("X", "subject-2", D(2026, 1, 1))], D(2026, 6, 1))


def test_unknown_listing_id() -> None:
    with pytest.raises(KeyError):
        listing_state_on([A], "Z", D(2026, 6, 1))


# --- profiles --------------------------------------------------------------------------


def test_dezhou_profile_has_no_period_restriction_lasts_until_lifted() -> None:
    listing = replace(A, rectified_on=D(2026, 4, 1))
    view = listing_state_on([listing], "A", D(2027, 6, 1), profile=DEZHOU)
    assert view.effective
    assert view.period_ends_on is None
    assert view.repaired_on is None
    subject = subject_restriction_on([listing], D(2027, 6, 1), profile=DEZHOU)
    assert subject.effective and subject.restricted_until is None
    lifted = replace(listing, lifted_on=D(2027, 6, 1))
    assert listing_state_on([lifted], "A", D(2027, 6, 1), profile=DEZHOU).status is S.LIFTED


def _with_publicity(months: int) -> Profile:
    parameters = dict(COMBINED.parameters)
    parameters["publicity_period"] = replace(PUBLICITY_PERIOD_LZ, value=months)
    return replace(COMBINED, parameters=MappingProxyType(parameters))


@pytest.mark.parametrize(
    ("months", "as_of", "visible"),
    [
        (3, D(2026, 6, 15), True),  # 3 months from Mar 15: last public day Jun 15
        (3, D(2026, 6, 16), False),  # still effective, no longer public
        (6, D(2026, 9, 15), True),
        (6, D(2026, 9, 16), True),  # default (equal): public while effective
    ],
)
def test_publicity_cap(months: int, as_of: date, visible: bool) -> None:
    view = listing_state_on([A], "A", as_of, profile=_with_publicity(months))
    assert view.effective
    assert view.publicly_visible is visible


def test_repaired_listing_is_not_public() -> None:
    listing = replace(A, rectified_on=D(2026, 4, 1))
    assert not listing_state_on([listing], "A", D(2026, 9, 16)).publicly_visible
