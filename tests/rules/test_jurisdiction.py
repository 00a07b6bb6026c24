"""Each regime in its own jurisdiction (DZ art. 2 ¶1; LZ §3): which profile a department
applies, and where a listing's effects reach. Expected values are read off the texts."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.jurisdiction import (
    DZ_COMMITMENT_SITUATIONS,
    EFFECT_RULES,
    Effect,
    Jurisdiction,
    Regime,
    listing_effect,
)
from app.rules.profiles import get_profile
from app.rules.regions import (
    ProfileOutsideJurisdiction,
    ProfileUnresolved,
    resolve_department_profile,
)
from app.rules.restrictions import ListingHistory, Situation, listing_state_on

DZ, LZ, BOTH = "dezhou-2023", "linzi-2022", "shandong-combined"


def _jurisdiction(name: str) -> Jurisdiction:
    return get_profile(name).jurisdiction


def test_the_areas_cite_the_scope_articles() -> None:
    (dezhou,) = _jurisdiction(DZ).areas
    assert (dezhou.region_prefix, dezhou.citation.label) == ("3714", "DZ art. 2 ¶1")
    assert "本市行政区域内" in dezhou.citation.text_zh
    (linzi,) = _jurisdiction(LZ).areas
    assert (linzi.region_prefix, linzi.citation.label) == ("370305", "LZ §3")
    assert "临淄区范围内" in linzi.citation.text_zh
    assert _jurisdiction(BOTH).regimes == {Regime.DZ, Regime.LZ}
    assert _jurisdiction(BOTH).deployment_choice is True


def test_situation_names_are_situations() -> None:
    assert {Situation(s) for s in DZ_COMMITMENT_SITUATIONS} == {
        Situation.COMMITMENT_UNTRUE,
        Situation.TOLERANCE_UNFULFILLED,
    }
    for rule in EFFECT_RULES:
        for situation in rule.situations or ():
            Situation(situation)


# (listing made under, check under, situation, restricts, citation)
FACILITATION = [
    (LZ, LZ, "false_materials", "LZ §5(2)1"),
    (LZ, DZ, "false_materials", None),
    (LZ, DZ, "commitment_untrue", None),  # a Linzi listing stays in Linzi
    (DZ, DZ, "commitment_untrue", "DZ art. 15 ¶1"),
    (DZ, DZ, "tolerance_unfulfilled", "DZ art. 15 ¶1"),
    (DZ, DZ, "false_materials", None),  # DZ art. 15 ¶1: commitments only
    (DZ, LZ, "commitment_untrue", None),  # a Dezhou restriction stays in Dezhou
    (BOTH, BOTH, "false_materials", "LZ §5(2)1"),
    (LZ, BOTH, "other", "LZ §5(2)1"),
    (DZ, BOTH, "commitment_untrue", "DZ art. 15 ¶1"),
    (BOTH, DZ, "commitment_untrue", "DZ art. 15 ¶1"),
    (BOTH, DZ, "identity_fraud", None),
]


@pytest.mark.parametrize(("made", "applied", "situation", "label"), FACILITATION)
def test_a_listing_restricts_facilitation_only_where_its_regime_applies(
    made: str, applied: str, situation: str, label: str | None
) -> None:
    rule = listing_effect(
        Effect.FACILITATION, situation, _jurisdiction(made), _jurisdiction(applied)
    )
    assert (rule.citation.label if rule else None) == label


@pytest.mark.parametrize(
    ("made", "effect", "label"),
    [
        (LZ, Effect.PUBLIC_LIST, "LZ §5(1)5"),
        (LZ, Effect.PLATFORM_PUSH, "LZ §5(2)2"),
        (LZ, Effect.RATING_FEEDBACK, "LZ §5(2)3"),
        (DZ, Effect.PUBLIC_LIST, None),
        (DZ, Effect.PLATFORM_PUSH, None),
        (DZ, Effect.RATING_FEEDBACK, None),
        (BOTH, Effect.PLATFORM_PUSH, "LZ §5(2)2"),
    ],
)
def test_the_linzi_effects_of_lz_5_2_follow_linzi_listings_only(
    made: str, effect: Effect, label: str | None
) -> None:
    rule = listing_effect(effect, "commitment_untrue", _jurisdiction(made))
    assert (rule.citation.label if rule else None) == label


# (region, given, deployment, profile, source)
RESOLUTION = [
    ("371400", None, None, DZ, "region"),
    ("371402", None, None, DZ, "region"),  # 德城区, within Dezhou city
    ("370305", None, None, LZ, "region"),
    ("370305", BOTH, None, BOTH, "department"),
    ("371400", None, BOTH, BOTH, "deployment"),  # an explicit deployment choice wins
    ("370305", None, BOTH, BOTH, "deployment"),
    ("370100", None, BOTH, BOTH, "deployment"),
    ("370305", None, DZ, LZ, "region"),  # Dezhou's measures stop at Dezhou's border
    ("371400", None, DZ, DZ, "deployment"),
    ("371400", DZ, LZ, DZ, "department"),
]


@pytest.mark.parametrize(("region", "given", "deployment", "profile", "source"), RESOLUTION)
def test_a_department_takes_its_own_then_the_deployments_then_its_regions_profile(
    region: str, given: str | None, deployment: str | None, profile: str, source: str
) -> None:
    choice = resolve_department_profile(region, given, deployment)
    assert (choice.profile.name, choice.source) == (profile, source)


def test_a_department_outside_every_territory_without_a_choice_is_refused() -> None:
    with pytest.raises(ProfileUnresolved):
        resolve_department_profile("370100", None, None)
    with pytest.raises(ProfileUnresolved):
        resolve_department_profile("370100", None, LZ)


def test_a_city_profile_is_refused_outside_its_city() -> None:
    with pytest.raises(ProfileOutsideJurisdiction) as info:
        resolve_department_profile("371400", LZ, None)
    assert "LZ §3" in str(info.value)


def test_a_dezhou_restriction_does_not_restart_a_linzi_period() -> None:
    # Linzi listing A published 2026-03-10: 6 months to 2026-09-10 (民法典 arts. 201-202).
    # A Dezhou restriction of the same subject effective 2026-06-01 is another scheme.
    linzi = ListingHistory("A", "s", date(2026, 3, 10), profile=LZ)
    dezhou = ListingHistory("B", "s", date(2026, 6, 1), profile=DZ)
    view = listing_state_on([linzi, dezhou], "A", date(2026, 7, 1))
    assert (view.period_ends_on, view.restarted_by) == (date(2026, 9, 10), ())
    # ...while a Linzi listing published 2026-06-01 restarts it to 2026-12-01.
    again = ListingHistory("C", "s", date(2026, 6, 1), profile=LZ)
    view = listing_state_on([linzi, again], "A", date(2026, 7, 1))
    assert (view.period_ends_on, view.restarted_by) == (date(2026, 12, 1), ("C",))


def test_a_dezhou_restriction_lasts_until_lifted_and_is_never_on_the_public_list() -> None:
    dezhou = ListingHistory("B", "s", date(2026, 6, 1), profile=DZ)
    view = listing_state_on([dezhou], "B", date(2027, 6, 1))
    assert (view.effective, view.period_ends_on, view.publicly_visible) == (True, None, False)
    lifted = ListingHistory("B", "s", date(2026, 6, 1), lifted_on=date(2026, 7, 1), profile=DZ)
    assert listing_state_on([lifted], "B", date(2026, 7, 1)).effective is False
