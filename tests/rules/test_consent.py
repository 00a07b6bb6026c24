"""A consent states its scope and may be limited to one matter or one application
(LZ §5(1)6 "明示收集使用信息的目的、方式和范围")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.consent import ConsentRecord, ConsentState, assess_consent
from app.rules.profiles import get_profile

COMBINED = get_profile("shandong-combined")
AS_OF = date(2026, 6, 1)
READ = frozenset({"restriction_list", "joint_punishment"})
CONSENT = ConsentRecord("credit_facilitation", date(2026, 1, 10), None, scope=READ)


def _problems(
    consent: ConsentRecord,
    *,
    required_scope: frozenset[str] = READ,
    matter_code: str | None = "SPJ-FOOD-001",
    application_ref: str | None = None,
) -> tuple[ConsentState, ...]:
    return assess_consent(
        consent,
        purpose="credit_facilitation",
        as_of=AS_OF,
        profile=COMBINED,
        required_scope=required_scope,
        matter_code=matter_code,
        application_ref=application_ref,
    ).problems


@pytest.mark.parametrize("scope", [None, frozenset()], ids=["not stated", "empty"])
@pytest.mark.parametrize("required", [READ, frozenset()], ids=["scope required", "none required"])
def test_a_consent_without_a_stated_scope_is_invalid(
    scope: frozenset[str] | None, required: frozenset[str]
) -> None:
    # Whatever the caller would read: a consent that states no scope is no consent to
    # any use (LZ §5(1)6), not one that covers everything.
    problems = _problems(replace(CONSENT, scope=scope), required_scope=required)
    assert problems == (ConsentState.SCOPE_MISSING,)


def test_a_stated_scope_that_misses_a_category_is_insufficient() -> None:
    narrow = replace(CONSENT, scope=frozenset({"restriction_list"}))
    assert _problems(narrow) == (ConsentState.SCOPE_INSUFFICIENT,)
    assert _problems(CONSENT) == ()


def test_a_consent_limited_to_a_matter_covers_that_matter_only() -> None:
    food = replace(CONSENT, matter_code="SPJ-FOOD-001")
    assert _problems(food, matter_code="SPJ-FOOD-001") == ()
    assert _problems(food, matter_code="SPJ-GREEN-001") == (ConsentState.OTHER_MATTER,)
    # A consent that names no matter covers every matter of its purpose.
    assert _problems(CONSENT, matter_code="SPJ-GREEN-001") == ()


def test_a_consent_limited_to_an_application_covers_that_application_only() -> None:
    one = replace(CONSENT, application_ref="SQ-2026-000123")
    assert _problems(one, application_ref="SQ-2026-000123") == ()
    assert _problems(one, application_ref="SQ-2026-000124") == (ConsentState.OTHER_APPLICATION,)
    # A check that names no application is not that application's.
    assert _problems(one, application_ref=None) == (ConsentState.OTHER_APPLICATION,)
    # Limited to both: both must match.
    both = replace(one, matter_code="SPJ-FOOD-001")
    assert _problems(both, matter_code="SPJ-GREEN-001", application_ref="SQ-2026-000123") == (
        ConsentState.OTHER_MATTER,
    )


def test_every_problem_is_listed_in_order() -> None:
    bad = ConsentRecord(
        "rating_consultation",
        date(2025, 1, 1),
        date(2025, 12, 31),
        date(2026, 1, 5),
        scope=None,
        matter_code="SPJ-GREEN-001",
        application_ref="SQ-1",
    )
    assert _problems(bad) == (
        ConsentState.REVOKED,
        ConsentState.EXPIRED,
        ConsentState.OTHER_PURPOSE,
        ConsentState.SCOPE_MISSING,
        ConsentState.OTHER_MATTER,
        ConsentState.OTHER_APPLICATION,
    )
