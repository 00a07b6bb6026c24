"""授权 (LZ §5(1)6): whether a consent to use credit information is valid for a check.

A consent states its purpose, method and scope, is bounded in time (never "once for
life") and revocable. :func:`assess_consent` lists every problem of a consent on a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.rules.profiles import ParameterName, Profile

__all__ = [
    "ConsentAssessment",
    "ConsentRecord",
    "ConsentState",
    "assess_consent",
    "consent_last_valid_day",
]


class ConsentState(StrEnum):
    MISSING = "missing"
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    OTHER_PURPOSE = "other_purpose"
    SCOPE_INSUFFICIENT = "scope_insufficient"


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A consent to use credit information (授权), LZ §5(1)6.

    ``expires_on`` is the last valid day; None (no stated end) is capped by the
    profile's maximum validity, never "once for life".
    """

    purpose: str
    granted_on: date
    expires_on: date | None
    revoked_on: date | None = None
    scope: frozenset[str] | None = None  # information categories; None: not stated


@dataclass(frozen=True, slots=True)
class ConsentAssessment:
    state: ConsentState
    problems: tuple[ConsentState, ...]
    last_valid_day: date | None


def consent_last_valid_day(consent: ConsentRecord, profile: Profile) -> date | None:
    """Last day the consent may be used: its own end, capped by the profile maximum.

    The grant day is not counted (民法典 art. 201): with a 365-day maximum a consent
    granted on 2026-01-10 may be used up to and including 2027-01-10. Not rolled for
    holidays. None only when the profile has no maximum and the consent no end.
    """
    ends: list[date] = []
    if consent.expires_on is not None:
        ends.append(consent.expires_on)
    if profile.has(ParameterName.CONSENT_MAX_VALIDITY):
        maximum = profile.consent_max_validity.value
        if maximum is not None:
            ends.append(consent.granted_on + timedelta(days=maximum))
    return min(ends) if ends else None


def assess_consent(
    consent: ConsentRecord | None,
    *,
    purpose: str,
    as_of: date,
    profile: Profile,
    required_scope: frozenset[str] = frozenset(),
) -> ConsentAssessment:
    """Every problem of a consent on ``as_of`` for ``purpose`` (LZ §5(1)6).

    A consent granted after ``as_of`` counts as missing. ``state`` is the first problem
    in the order missing, revoked, expired, other_purpose, or ``valid``.
    """
    if consent is None or consent.granted_on > as_of:
        return ConsentAssessment(ConsentState.MISSING, (ConsentState.MISSING,), None)
    last_day = consent_last_valid_day(consent, profile)
    problems: list[ConsentState] = []
    if consent.revoked_on is not None and consent.revoked_on <= as_of:
        problems.append(ConsentState.REVOKED)
    if last_day is not None and as_of > last_day:
        problems.append(ConsentState.EXPIRED)
    if consent.purpose != purpose:
        problems.append(ConsentState.OTHER_PURPOSE)
    if required_scope and not required_scope <= (consent.scope or frozenset()):
        problems.append(ConsentState.SCOPE_INSUFFICIENT)
    state = problems[0] if problems else ConsentState.VALID
    return ConsentAssessment(state, tuple(problems), last_day)
