"""Parameters of a rule profile: one number, its unit and the sentence it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.rules.citations import Basis, Citation
from app.rules.periods import Unit


class ParameterName(StrEnum):
    CONSENT_MAX_VALIDITY = "consent_max_validity"
    CREDIT_CHECK_VALIDITY = "credit_check_validity"
    REMINDER_GRACE = "reminder_grace"
    LISTING_NOTICE = "listing_notice"
    OBJECTION_WINDOW = "objection_window"
    OBJECTION_REVIEW = "objection_review"
    CORRECTION = "correction"
    MANAGEMENT_PERIOD = "management_period"
    PUBLICITY_PERIOD = "publicity_period"
    EARLY_LIFTING_VERIFICATION = "early_lifting_verification"
    REPAIR_NOTICE = "repair_notice"  # app.rules.repair
    REPAIR_DECISION = "repair_decision"
    CREDIT_REPAIR_DECISION = "credit_repair_decision"  # app.rules.credit_repair
    RECTIFICATION_ORDER = "rectification_order"  # app.rules.supervision


@dataclass(frozen=True, slots=True)
class Parameter:
    """One number of a profile. ``value`` is None when the agency sets it case by case."""

    name: ParameterName
    value: int | None
    unit: Unit | None
    citation: Citation
    description_zh: str
    description_en: str
    basis: Basis = Basis.REGULATION
    also_cites: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name.value,
            "value": self.value,
            "unit": self.unit.value if self.unit else None,
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
            "also_cites": [c.to_dict() for c in self.also_cites],
            "description_zh": self.description_zh,
            "description_en": self.description_en,
        }


class ParameterNotInProfile(LookupError):
    def __init__(self, profile: str, name: ParameterName) -> None:
        self.profile = profile
        self.name = name
        super().__init__(f"profile {profile!r} has no parameter {name.value!r}")
