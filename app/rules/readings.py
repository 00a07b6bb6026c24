"""Readings (释义规则): how the service applies a sentence where the text decides no number
but a question, each with the sentence it rests on.

A profile lists the readings it applies (``Profile.readings``), and ``GET
/api/v1/profiles`` shows each with its citation, as it shows the parameters. The rules
that carry a reading out sit in the module that applies it (for commitments,
:mod:`app.rules.commitments`; the listing's hearing and the referral mark,
:mod:`app.rules.hearing`; consent, :mod:`app.rules.consent`; joint punishment,
:mod:`app.rules.joint_punishment`); the reading says what they decide and why. The readings
of those other modules are stated in :mod:`app.rules.check_readings`, which imports only
citations, so that the profiles can list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.rules.citations import Basis, Citation


class ReadingName(StrEnum):
    SITUATION_3_NON_SUBMISSION = "situation_3_non_submission"
    ORDERS_COUNT_FROM_SERVICE = "orders_count_from_service"
    CONDITIONS_TO_MEET = "conditions_to_meet"
    HEARING = "hearing"
    COMPLAINT_OPENS_CORRECTION = "complaint_opens_correction"
    REFERRAL_SHORT_OF_PENALTY = "referral_short_of_penalty"
    CONSENT_STATES_SCOPE = "consent_states_scope"
    JOINT_PUNISHMENT_AS_MEMORANDUM = "joint_punishment_as_memorandum"
    CHECK_NOT_PERFORMED = "check_not_performed"
    DECISION_LATE = "decision_late"
    WITHDRAWAL_REASON_CATEGORIES = "withdrawal_reason_categories"
    COMMITMENT_NUMBER = "commitment_number"
    COMMITMENT_DISCLOSURE = "commitment_disclosure"
    COMMITMENT_FULFILMENT = "commitment_fulfilment"


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a profile: what it decides, the sentence it rests on, and whether
    the text says it (``regulation``) or the deployment chose it within the text."""

    name: ReadingName
    citation: Citation
    description_zh: str
    description_en: str
    basis: Basis = Basis.REGULATION
    also_cites: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name.value,
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
            "also_cites": [c.to_dict() for c in self.also_cites],
            "description_zh": self.description_zh,
            "description_en": self.description_en,
        }
