"""What a credit check reads (DZ art. 6; LZ §4(1), §5(2)), as the service receives it
from ``app.credit_checks.repository.read_check_facts``: one statement for all of it (the
applicant, the agent, the matter's version in effect with its agency's profile, the
caller's department's profile, the consent, the listing histories and the active local
list entries). ``read_check_facts_orm`` reads the same through the repositories of each
domain, one statement per lookup: the reference the one-statement read is held to
(tests/credit_checks/test_reads.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from app.joint_punishment.repository import ActiveHit
from app.rules.eligibility import MatterTerms
from app.rules.restrictions import ListingHistory, Situation
from app.subjects.models import StoredSubject


@dataclass(frozen=True, slots=True)
class SubjectKey:
    """A party as the request names it: type and normalised identifier, and its index."""

    subject_type: str
    id_number: str
    index: str


@dataclass(frozen=True, slots=True)
class StoredConsent:
    """The consent named by the request (app.consents.service.ConsentTerms)."""

    id: uuid.UUID
    subject_id: uuid.UUID
    purpose: str
    scope: list[str] | None
    matter_code: str | None
    application_ref: str | None
    granted_at: datetime
    expires_on: date
    revoked_at: datetime | None
    given_to: list[str]


@dataclass(frozen=True, slots=True)
class CheckFacts:
    """Everything a credit check reads, before the consent decides what the rules see."""

    subject: StoredSubject | None
    agent: StoredSubject | None
    matter: MatterTerms | None
    matter_version_id: uuid.UUID | None
    matter_version: int | None
    agency_profile: str | None
    department_profile: str | None
    consent: StoredConsent | None
    # Published listings of the applicant and the agent, ordered by listing id.
    histories: tuple[tuple[ListingHistory, Situation], ...]
    # Active local list entries of either party, ordered as the repository orders them.
    hits: tuple[ActiveHit, ...]
    # The categories whose rows were read (app.rules.eligibility): none of another.
    read: frozenset[str]
