"""The hearing's pure rules: a shorter period another rule sets (LZ §5(1)5), and a
listing's own period in the derived state, counted by hand (民法典 arts. 201-202: months
from publication, the end never moved for a holiday)."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.hearing import ReferralKind, period_amendment_refusal
from app.rules.profiles import get_profile
from app.rules.restrictions import ListingHistory, listing_state_on

D = date
COMBINED = get_profile("shandong-combined")


@pytest.mark.parametrize(
    ("current", "requested", "code"),
    [
        (6, 3, None),
        (6, 1, None),
        (6, 5, None),
        (6, 6, "amended_period_not_shorter"),
        (6, 12, "amended_period_not_shorter"),
        (6, 0, "amended_period_not_shorter"),
        (3, 3, "amended_period_not_shorter"),
        (None, 3, "listing_has_no_period"),
    ],
)
def test_a_review_only_shortens_the_period(
    current: int | None, requested: int, code: str | None
) -> None:
    refusal = period_amendment_refusal(current, requested)
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert refusal.citation.label == "LZ §5(1)5"
        assert "另有规定" in refusal.citation.text_zh


def test_a_listings_own_period_ends_it() -> None:
    # Published Fri 2026-03-13 for 3 months: last day Sat 2026-06-13, not moved.
    own = ListingHistory("a", "s", D(2026, 3, 13), period_months=3)
    view = listing_state_on([own], "a", D(2026, 6, 13), profile=COMBINED)
    assert (view.period_ends_on, view.own_period_ends_on, view.effective) == (
        D(2026, 6, 13),
        D(2026, 6, 13),
        True,
    )
    rectified = ListingHistory(
        "a", "s", D(2026, 3, 13), rectified_on=D(2026, 5, 6), period_months=3
    )
    assert listing_state_on([rectified], "a", D(2026, 6, 14), profile=COMBINED).repaired_on == D(
        2026, 6, 14
    )


def test_a_restart_takes_the_later_listings_own_period() -> None:
    # A: 3 months from 03-13 (to 06-13). B, published 05-04 with the profile's 6 months,
    # restarts A to 11-04; C, published 05-04 with 2 months of its own, to 07-04.
    a = ListingHistory("a", "s", D(2026, 3, 13), period_months=3)
    b = ListingHistory("b", "s", D(2026, 5, 4))
    c = ListingHistory("c", "s", D(2026, 5, 4), period_months=2)
    assert listing_state_on([a, b], "a", D(2026, 5, 10), profile=COMBINED).period_ends_on == D(
        2026, 11, 4
    )
    assert listing_state_on([a, c], "a", D(2026, 5, 10), profile=COMBINED).period_ends_on == D(
        2026, 7, 4
    )


def test_referrals_cite_dz_16() -> None:
    assert {k.citation.label for k in ReferralKind} == {"DZ art. 16 ¶1"}
    assert ReferralKind.JUDICIAL.label_zh == "涉嫌犯罪，依法移送司法机关"
