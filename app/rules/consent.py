"""授权 (LZ §5(1)6): whether a consent to use credit information is valid for a check.

A consent states its purpose, method and scope, is bounded in time (never "once for
life") and revocable. :func:`assess_consent` lists every problem of a consent on a day.

Its scope (范围) is what it lets the department read: the categories of information
(``scope``), and, when the applicant limits it so, one matter (``matter_code``) or one
application (``application_ref``). A consent that states no category is no consent to any
use: it is not read as covering everything (``scope_missing``). A consent that names no
matter covers every matter of its purpose at the departments it was given to, until its
end; one that names a matter or an application covers that one only.
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
    SCOPE_MISSING = "scope_missing"
    OTHER_MATTER = "other_matter"
    OTHER_APPLICATION = "other_application"


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
    scope: frozenset[str] | None = None  # information categories; None or empty: not stated
    matter_code: str | None = None  # limited to this matter; None: every matter
    application_ref: str | None = None  # limited to this application; None: any


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
    matter_code: str | None = None,
    application_ref: str | None = None,
) -> ConsentAssessment:
    """Every problem of a consent on ``as_of`` for ``purpose``, to read ``required_scope``
    for the matter ``matter_code`` and the application ``application_ref`` (LZ §5(1)6).

    A consent granted after ``as_of`` counts as missing. ``state`` is the first problem
    in the order missing, revoked, expired, other_purpose, scope_missing (or
    scope_insufficient), other_matter, other_application, or ``valid``.
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
    if not consent.scope:
        problems.append(ConsentState.SCOPE_MISSING)
    elif not required_scope <= consent.scope:
        problems.append(ConsentState.SCOPE_INSUFFICIENT)
    if consent.matter_code is not None and consent.matter_code != matter_code:
        problems.append(ConsentState.OTHER_MATTER)
    if consent.application_ref is not None and consent.application_ref != application_ref:
        problems.append(ConsentState.OTHER_APPLICATION)
    state = problems[0] if problems else ConsentState.VALID
    return ConsentAssessment(state, tuple(problems), last_day)
