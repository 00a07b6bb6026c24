"""信用核验: may this applicant use credit facilitation for this matter, today?

The check passes when the matter is in the catalog, offers the requested mode and is
not high risk (DZ arts. 2 ¶2, 5); consent to use credit information is valid for this
purpose, this matter and this application and covers what the check reads (LZ §5(1)6);
neither the subject nor the agent has an effective restriction (LZ §3, §5(2)1; DZ art. 15
¶1); and no national joint-punishment list bars the requested mode. A hit on such a list
bars what that list's memorandum provides (LZ §3 "从其规定处理",
:mod:`app.rules.joint_punishment`), so other modes may stay open. Every condition that
bars a mode is returned as a :class:`Reason` with its citation.

Three results. ``pass``: the requested mode is open. ``fail`` (核验未通过): a condition
bars it. ``not_performed``: nothing found bars it, but the check could not be completed
(the lists could not be read, or a hit's list type is not known): no failure, the check
may be run again. Neither ``fail`` nor ``not_performed`` refuses the service: the ordinary
procedure applies (DZ art. 6 ¶2).

The check reads only what the consent covers (LZ §5(1)6): where the profile requires a
consent, a list is read only when a consent, valid in every other respect, names its
category (:func:`categories_to_read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

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
from app.rules.joint_punishment import LIST_TYPE_RULES, ListType
from app.rules.profiles import HighRiskCategory, Mode, ParameterName, Profile
from app.rules.restrictions import Situation

__all__ = [
    "CHECK_SCOPE",
    "JOINT_PUNISHMENT",
    "ORDINARY_PROCEDURE_CITATION",
    "RESTRICTION_LIST",
    "UNDETERMINED",
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
    "categories_to_read",
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
    CONSENT_SCOPE_MISSING = "consent_scope_missing"
    CONSENT_MATTER_MISMATCH = "consent_matter_mismatch"
    CONSENT_APPLICATION_MISMATCH = "consent_application_mismatch"
    RESTRICTION_EFFECTIVE = "restriction_effective"
    AGENT_RESTRICTION_EFFECTIVE = "agent_restriction_effective"
    JOINT_PUNISHMENT_LISTED = "joint_punishment_listed"
    JOINT_PUNISHMENT_UNAVAILABLE = "joint_punishment_unavailable"
    JOINT_PUNISHMENT_LIST_TYPE_UNKNOWN = "joint_punishment_list_type_unknown"


# Reasons that leave the check undone rather than failed (not "核验未通过").
UNDETERMINED: Final = frozenset(
    {ReasonCode.JOINT_PUNISHMENT_UNAVAILABLE, ReasonCode.JOINT_PUNISHMENT_LIST_TYPE_UNKNOWN}
)

# The information categories a check reads, and so what the consent must cover.
RESTRICTION_LIST: Final = "restriction_list"  # 失信制约名单
JOINT_PUNISHMENT: Final = "joint_punishment"  # 联合奖惩名单
CHECK_SCOPE: Final = frozenset({RESTRICTION_LIST, JOINT_PUNISHMENT})


class CheckResult(StrEnum):
    PASS = "pass"  # noqa: S105 - a result, not a secret
    FAIL = "fail"
    NOT_PERFORMED = "not_performed"


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
    citation: Citation | None = None  # the effect's rule where it applies; None: the profile's


@dataclass(frozen=True, slots=True)
class JointPunishmentHit:
    list_name: str
    source: str
    party: Party = Party.SUBJECT
    list_type: ListType = ListType.UNCLASSIFIED


@dataclass(frozen=True, slots=True)
class JointPunishmentLookup:
    """Result of consulting the national joint reward and punishment lists (联合奖惩).

    ``consulted=False`` means the lists could not be read: the check is not performed.
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
    required_scope: frozenset[str] = CHECK_SCOPE  # categories the check will read
    matter_code: str | None = None  # the matter asked for, in the catalog or not
    application_ref: str | None = None  # the application the check is for, if named


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    message_zh: str
    message_en: str
    citation: Citation
    detail: str | None = None
    # The modes this reason bars when it bars only some; None: it concerns the whole check.
    barred_modes: frozenset[Mode] | None = None


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
    ConsentState.SCOPE_MISSING: (
        ReasonCode.CONSENT_SCOPE_MISSING,
        "授权未载明收集使用信息的范围，不是有效授权。",
        "The consent states no scope of the information it lets be used: it is not valid.",
        LZ_5_1_6_CONSENT,
    ),
    ConsentState.OTHER_MATTER: (
        ReasonCode.CONSENT_MATTER_MISMATCH,
        "授权仅限于其他政务服务事项，不适用于本事项的核验。",
        "The consent is limited to another matter.",
        LZ_5_1_6_CONSENT,
    ),
    ConsentState.OTHER_APPLICATION: (
        ReasonCode.CONSENT_APPLICATION_MISMATCH,
        "授权仅限于另一申请，本次核验不属于该申请。",
        "The consent is limited to another application than the one this check is for.",
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
                frozenset({mode}),
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
                restriction.citation or profile.restriction_effect_citation,
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
    return reasons


def _check_citation(profile: Profile) -> Citation:
    """The provision the profile runs its credit check under: the one its check validity
    cites (DZ art. 6 ¶2; LZ §4(1) for Linzi)."""
    if profile.has(ParameterName.CREDIT_CHECK_VALIDITY):
        return profile.credit_check_validity.citation
    return DZ_6_2


def _joint_punishment_reasons(lookup: JointPunishmentLookup, profile: Profile) -> list[Reason]:
    """Each hit bars what its list's memorandum provides (LZ §3); an unreadable list or a
    hit of an unknown list type leaves the check undone."""
    reasons: list[Reason] = []
    if not lookup.consulted:
        reasons.append(
            Reason(
                ReasonCode.JOINT_PUNISHMENT_UNAVAILABLE,
                "暂时无法查询国家联合奖惩名单：本次核验未完成，不属于核验未通过。"
                "现按一般程序办理，可稍后重新核验。",
                "The national joint punishment lists could not be consulted: the check was "
                "not performed (it did not fail). Ordinary procedure for now; run it again "
                "later.",
                _check_citation(profile),
            )
        )
    for hit in lookup.hits:
        party_zh = "申请人" if hit.party is Party.SUBJECT else "代理机构或代理人"
        detail = f"{hit.party.value}:{hit.list_type.value}:{hit.source}:{hit.list_name}"
        rule = LIST_TYPE_RULES.get(hit.list_type)
        if rule is None:
            reasons.append(
                Reason(
                    ReasonCode.JOINT_PUNISHMENT_LIST_TYPE_UNKNOWN,
                    f"{party_zh}被纳入国家联合奖惩名单（{hit.list_name}），但名单类型未确认，"
                    "无法确定其备忘录规定的措施：本次核验未完成，现按一般程序办理，"
                    "名单类型确认后可重新核验。",
                    f"The {hit.party.value} is on a national joint punishment list "
                    f"({hit.list_name}) of no known type: which measures its memorandum "
                    "provides cannot be told, so the check was not performed.",
                    LZ_3_JOINT,
                    detail,
                )
            )
            continue
        barred_zh = "、".join(m.label_zh for m in Mode if m in rule.barred_modes)
        reasons.append(
            Reason(
                ReasonCode.JOINT_PUNISHMENT_LISTED,
                f"{party_zh}被纳入国家联合奖惩名单（{hit.list_name}），"
                f"按{rule.memorandum.label}从其规定处理：不享受{barred_zh}。",
                f"The {hit.party.value} is on a national joint punishment list "
                f"({hit.list_name}); its memorandum bars "
                + ", ".join(m.value for m in Mode if m in rule.barred_modes)
                + ".",
                LZ_3_JOINT,
                detail,
                rule.barred_modes,
            )
        )
    return reasons


def categories_to_read(request: EligibilityRequest, profile: Profile) -> frozenset[str]:
    """What the check may read (LZ §5(1)6 "经本人同意"; "禁止…未经授权…收集使用").

    Everything it needs where the profile requires no consent. Otherwise the categories a
    consent names when it is valid in every other respect (present, not revoked, not
    expired, for this purpose, matter and application); nothing under any other consent.
    """
    if not profile.consent_required:
        return request.required_scope
    consent = request.consent
    assessment = assess_consent(
        consent,
        purpose=request.purpose,
        as_of=request.as_of,
        profile=profile,
        required_scope=request.required_scope,
        matter_code=_matter_code(request),
        application_ref=request.application_ref,
    )
    if consent is None or any(
        p is not ConsentState.SCOPE_INSUFFICIENT for p in assessment.problems
    ):
        return frozenset()
    return request.required_scope & (consent.scope or frozenset())


def _matter_code(request: EligibilityRequest) -> str | None:
    if request.matter_code is not None:
        return request.matter_code
    return request.matter.code if request.matter is not None else None


def _decide(mode: Mode, available: frozenset[Mode], reasons: list[Reason]) -> EligibilityDecision:
    """The result for the requested mode, and the modes open to the applicant."""
    undone = any(r.code in UNDETERMINED for r in reasons)
    whole = any(r.barred_modes is None and r.code not in UNDETERMINED for r in reasons)
    barred = frozenset(m for r in reasons if r.barred_modes is not None for m in r.barred_modes)
    open_modes = () if whole else tuple(m for m in Mode if m in available and m not in barred)
    if mode not in open_modes:
        result = CheckResult.FAIL
    elif undone:
        result = CheckResult.NOT_PERFORMED
    else:
        result = CheckResult.PASS
    # Until the check is complete, no mode is known to be open.
    eligible = () if undone else open_modes
    return EligibilityDecision(result=result, eligible_modes=eligible, reasons=tuple(reasons))


def check_eligibility(request: EligibilityRequest, profile: Profile) -> EligibilityDecision:
    """Run the credit check (信用核验, DZ art. 6; LZ §4(1), §5(2)).

    ``eligible_modes`` are the profile's modes offered by the matter that no reason
    bars: none when a condition concerns the whole check (a restricted subject or agent
    loses every mode, LZ §5(2)1), and none while the check is not performed. The result
    is ``pass`` when the requested mode is among them, ``fail`` when a reason bars it,
    ``not_performed`` when nothing found bars it but the check could not be completed. A
    passed check may list reasons that bar other modes only.
    """
    reasons, available = _matter_reasons(request.matter, request.mode, profile)
    if profile.consent_required:
        assessment = assess_consent(
            request.consent,
            purpose=request.purpose,
            as_of=request.as_of,
            profile=profile,
            required_scope=request.required_scope,
            matter_code=_matter_code(request),
            application_ref=request.application_ref,
        )
        for problem in assessment.problems:
            code, zh, en, citation = _CONSENT_REASONS[problem]
            reasons.append(Reason(code, zh, en, citation))
    readable = categories_to_read(request, profile)
    if RESTRICTION_LIST in readable:
        reasons.extend(_restriction_reasons(request, profile))
    if JOINT_PUNISHMENT in readable:
        reasons.extend(_joint_punishment_reasons(request.joint_punishment, profile))
    return _decide(request.mode, available, reasons)


# DZ art. 6 ¶2: a failed check means the ordinary procedure, never a refusal of service.
ORDINARY_PROCEDURE_CITATION: Citation = DZ_6_2
