"""信用核验: may this applicant use credit facilitation for this matter, today?

The check passes when the matter is in the catalog, offers the requested mode and is
not high risk (DZ arts. 2 ¶2, 5); consent to use credit information is valid for this
purpose (LZ §5(1)6); neither the subject nor the agent has an effective restriction
(LZ §3, §5(2)1; DZ art. 15 ¶1); and neither is on a national joint-punishment list
(LZ §3). Every failing condition is returned as a :class:`Reason` with its citation.
Failing the check never refuses the service: the ordinary procedure applies
(DZ art. 6 ¶2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.rules.citations import (
    DZ_2_2,
    DZ_5,
    DZ_6_2,
    LZ_3_JOINT,
    LZ_3_SCOPE,
    LZ_5_1_6_CONSENT,
    LZ_5_1_6_NO_LIFETIME,
    Citation,
)
from app.rules.consent import (
    ConsentAssessment,
    ConsentRecord,
    ConsentState,
    assess_consent,
    consent_last_valid_day,
)
from app.rules.profiles import HighRiskCategory, Mode, Profile
from app.rules.restrictions import Situation

__all__ = [
    "ORDINARY_PROCEDURE_CITATION",
    "CheckResult",
    "ConsentAssessment",
    "ConsentRecord",
    "ConsentState",
    "EffectiveRestriction",
    "EligibilityDecision",
    "EligibilityRequest",
    "JointPunishmentHit",
    "JointPunishmentLookup",
    "MatterTerms",
    "Mode",
    "Party",
    "Reason",
    "ReasonCode",
    "assess_consent",
    "check_eligibility",
    "consent_last_valid_day",
    "credit_check_valid_until",
]


class ReasonCode(StrEnum):
    MATTER_NOT_IN_CATALOG = "matter_not_in_catalog"
    MODE_NOT_OFFERED = "mode_not_offered"
    MATTER_EXCLUDED_HIGH_RISK = "matter_excluded_high_risk"
    CONSENT_MISSING = "consent_missing"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_REVOKED = "consent_revoked"
    CONSENT_PURPOSE_MISMATCH = "consent_purpose_mismatch"
    CONSENT_SCOPE_INSUFFICIENT = "consent_scope_insufficient"
    RESTRICTION_EFFECTIVE = "restriction_effective"
    AGENT_RESTRICTION_EFFECTIVE = "agent_restriction_effective"
    JOINT_PUNISHMENT_LISTED = "joint_punishment_listed"
    JOINT_PUNISHMENT_UNAVAILABLE = "joint_punishment_unavailable"


class CheckResult(StrEnum):
    PASS = "pass"  # noqa: S105 - a result, not a secret
    FAIL = "fail"


class Party(StrEnum):
    SUBJECT = "subject"  # 申请人
    AGENT = "agent"  # 代理机构/代理人 (LZ §3)


@dataclass(frozen=True, slots=True)
class MatterTerms:
    """What the catalog says about a matter (清单, DZ art. 5)."""

    code: str
    offered_modes: frozenset[Mode]
    excluded_categories: frozenset[HighRiskCategory] = frozenset()
    in_catalog: bool = True


@dataclass(frozen=True, slots=True)
class EffectiveRestriction:
    """An effective listing of the subject or of the agent (see restrictions.py)."""

    listing_id: str
    situation: Situation
    restricted_until: date | None


@dataclass(frozen=True, slots=True)
class JointPunishmentHit:
    list_name: str
    source: str
    party: Party = Party.SUBJECT


@dataclass(frozen=True, slots=True)
class JointPunishmentLookup:
    """Result of consulting the national joint reward and punishment lists (联合奖惩).

    ``consulted=False`` means the lists could not be read: the check fails closed.
    """

    consulted: bool
    hits: tuple[JointPunishmentHit, ...] = ()


@dataclass(frozen=True, slots=True)
class EligibilityRequest:
    matter: MatterTerms | None
    mode: Mode
    purpose: str
    consent: ConsentRecord | None
    subject_restrictions: tuple[EffectiveRestriction, ...]
    joint_punishment: JointPunishmentLookup
    as_of: date
    agent_restrictions: tuple[EffectiveRestriction, ...] = ()
    required_scope: frozenset[str] = frozenset()  # categories the check will read


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    message_zh: str
    message_en: str
    citation: Citation
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class EligibilityDecision:
    result: CheckResult
    eligible_modes: tuple[Mode, ...]
    reasons: tuple[Reason, ...]

    @property
    def passed(self) -> bool:
        return self.result is CheckResult.PASS

    @property
    def reason_codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


def credit_check_valid_until(profile: Profile, checked_on: date) -> date:
    """Last day a passed check may be used to create a commitment (profile parameter;
    the check day is not counted, 民法典 art. 201)."""
    validity = profile.credit_check_validity.value
    if validity is None:
        raise ValueError(f"profile {profile.name!r} sets no credit-check validity")
    return checked_on + timedelta(days=validity)


_CONSENT_REASONS: dict[ConsentState, tuple[ReasonCode, str, str, Citation]] = {
    ConsentState.MISSING: (
        ReasonCode.CONSENT_MISSING,
        "未取得申请人使用信用信息的授权。",
        "No consent from the applicant to use credit information.",
        LZ_5_1_6_CONSENT,
    ),
    ConsentState.REVOKED: (
        ReasonCode.CONSENT_REVOKED,
        "申请人已撤回使用信用信息的授权。",
        "The applicant has revoked the consent.",
        LZ_5_1_6_CONSENT,
    ),
    ConsentState.EXPIRED: (
        ReasonCode.CONSENT_EXPIRED,
        "使用信用信息的授权已过期，不得一次授权终身使用。",
        "The consent has expired; a consent is never valid for life.",
        LZ_5_1_6_NO_LIFETIME,
    ),
    ConsentState.OTHER_PURPOSE: (
        ReasonCode.CONSENT_PURPOSE_MISMATCH,
        "授权载明的使用目的与本次核验目的不一致。",
        "The consent was given for another purpose.",
        LZ_5_1_6_CONSENT,
    ),
    ConsentState.SCOPE_INSUFFICIENT: (
        ReasonCode.CONSENT_SCOPE_INSUFFICIENT,
        "授权载明的使用范围未涵盖本次核验需查询的信用信息。",
        "The consent's scope does not cover the information the check reads.",
        LZ_5_1_6_CONSENT,
    ),
}


def _matter_reasons(
    matter: MatterTerms | None, mode: Mode, profile: Profile
) -> tuple[list[Reason], frozenset[Mode]]:
    """Catalog, high-risk and mode reasons; and the modes the matter allows here."""
    reasons: list[Reason] = []
    if matter is None or not matter.in_catalog:
        code = matter.code if matter is not None else None
        reasons.append(
            Reason(
                ReasonCode.MATTER_NOT_IN_CATALOG,
                "该政务服务事项未列入信用信息应用便利化办理清单。",
                "The matter is not in the published catalog of credit facilitation.",
                DZ_5,
                code,
            )
        )
        if matter is None:
            return reasons, frozenset()
    for category in HighRiskCategory:
        if category in matter.excluded_categories and category in profile.excluded_categories:
            reasons.append(
                Reason(
                    ReasonCode.MATTER_EXCLUDED_HIGH_RISK,
                    f"该事项直接涉及{category.label_zh}，风险较大，不适用信用便利化办理。",
                    f"The matter directly concerns {category.value.replace('_', ' ')}: "
                    "high risk, no credit facilitation.",
                    DZ_2_2,
                    category.value,
                )
            )
    if not matter.in_catalog or reasons:
        # Out of the catalog, or high risk: no mode at all, so no separate mode reason.
        return reasons, frozenset()
    available = profile.modes & matter.offered_modes
    if mode not in available:
        in_profile = mode in profile.modes
        reasons.append(
            Reason(
                ReasonCode.MODE_NOT_OFFERED,
                f"该事项不提供“{mode.label_zh}”办理方式。"
                if in_profile
                else f"本规则配置不提供“{mode.label_zh}”办理方式。",
                f"The matter does not offer {mode.value}."
                if in_profile
                else f"The rule profile does not offer {mode.value}.",
                DZ_5 if in_profile else profile.modes_citation[0],
                mode.value,
            )
        )
    return reasons, available


def _restriction_reasons(request: EligibilityRequest, profile: Profile) -> list[Reason]:
    reasons: list[Reason] = []
    for restriction in request.subject_restrictions:
        until = (
            restriction.restricted_until.isoformat() if restriction.restricted_until else "整改完成"
        )
        reasons.append(
            Reason(
                ReasonCode.RESTRICTION_EFFECTIVE,
                f"申请人在失信制约名单管理期内（{restriction.situation.label_zh}，至{until}），"
                "不享受绿色通道、容缺受理、告知承诺等便民惠企措施。",
                "The applicant has an effective dishonesty restriction: no green channel, "
                "tolerance or notify-commit.",
                profile.restriction_effect_citation,
                restriction.listing_id,
            )
        )
    for restriction in request.agent_restrictions:
        reasons.append(
            Reason(
                ReasonCode.AGENT_RESTRICTION_EFFECTIVE,
                f"代理机构或代理人在失信制约名单管理期内（{restriction.situation.label_zh}）。",
                "The agent acting for the applicant has an effective dishonesty restriction.",
                LZ_3_SCOPE,
                restriction.listing_id,
            )
        )
    lookup = request.joint_punishment
    if not lookup.consulted:
        reasons.append(
            Reason(
                ReasonCode.JOINT_PUNISHMENT_UNAVAILABLE,
                "暂时无法查询国家联合奖惩名单，按一般程序办理。",
                "The national joint punishment lists could not be consulted; "
                "the check fails closed.",
                LZ_3_JOINT,
            )
        )
    for hit in lookup.hits:
        party_zh = "申请人" if hit.party is Party.SUBJECT else "代理机构或代理人"
        reasons.append(
            Reason(
                ReasonCode.JOINT_PUNISHMENT_LISTED,
                f"{party_zh}被纳入国家联合奖惩名单（{hit.list_name}），从其规定处理。",
                f"The {hit.party.value} is on a national joint punishment list ({hit.list_name}).",
                LZ_3_JOINT,
                f"{hit.party.value}:{hit.source}:{hit.list_name}",
            )
        )
    return reasons


def check_eligibility(request: EligibilityRequest, profile: Profile) -> EligibilityDecision:
    """Run the credit check (信用核验, DZ art. 6; LZ §4(1), §5(2)).

    ``eligible_modes`` are the profile's modes offered by the matter, empty when any
    condition other than the requested mode fails (a restricted subject or agent loses
    every mode, LZ §5(2)1). The result passes only with no reason at all.
    """
    reasons, available = _matter_reasons(request.matter, request.mode, profile)
    if profile.consent_required:
        assessment = assess_consent(
            request.consent,
            purpose=request.purpose,
            as_of=request.as_of,
            profile=profile,
            required_scope=request.required_scope,
        )
        for problem in assessment.problems:
            code, zh, en, citation = _CONSENT_REASONS[problem]
            reasons.append(Reason(code, zh, en, citation))
    reasons.extend(_restriction_reasons(request, profile))
    blocking = any(r.code is not ReasonCode.MODE_NOT_OFFERED for r in reasons)
    eligible = () if blocking else tuple(m for m in Mode if m in available)
    return EligibilityDecision(
        result=CheckResult.FAIL if reasons else CheckResult.PASS,
        eligible_modes=eligible,
        reasons=tuple(reasons),
    )


# DZ art. 6 ¶2: a failed check means the ordinary procedure, never a refusal of service.
ORDINARY_PROCEDURE_CITATION: Citation = DZ_6_2
