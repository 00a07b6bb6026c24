"""Which listings a profile lifts early (DZ art. 15 ¶1-2, art. 9 ¶1): a table by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.lifecycles.guards import GuardContext, lifting_request_allowed
from app.rules.profiles import get_profile


@pytest.mark.parametrize(
    ("situation", "from_commitment", "covered"),
    [
        ("tolerance_unfulfilled", True, True),
        ("tolerance_unfulfilled", False, True),  # a commitment's situation by definition
        ("commitment_untrue", True, True),
        ("commitment_untrue", False, True),
        ("false_materials", True, True),  # 提供的材料真实有效 was committed (art. 9 ¶1)
        ("false_materials", False, False),
        ("identity_fraud", True, False),
        ("identity_fraud", False, False),
        ("other", True, False),
    ],
)
@pytest.mark.parametrize("name", ["dezhou-2023", "shandong-combined"])
def test_the_scope_is_the_restrictions_for_a_commitment(
    name: str, situation: str, from_commitment: bool, covered: bool
) -> None:
    scope = get_profile(name).early_lifting_scope
    assert scope is not None
    assert scope.covers(situation, from_commitment) is covered


def test_linzi_has_no_early_lifting() -> None:
    profile = get_profile("linzi-2022")
    assert (profile.early_lifting_scope, profile.early_lifting) == (None, False)


def test_a_listing_outside_the_scope_is_refused_with_the_article() -> None:
    ctx = GuardContext(today=date(2026, 4, 2), rectified_on=date(2026, 4, 1))
    assert lifting_request_allowed(ctx) is None
    refusal = lifting_request_allowed(replace(ctx, early_lifting_in_scope=False))
    assert refusal is not None
    assert (refusal.code, refusal.citation.label) == (
        "early_lifting_not_available",
        "DZ art. 15 ¶2",
    )
