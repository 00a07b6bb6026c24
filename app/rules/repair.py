"""An end the subject can reach (LZ §5(1)5): a listing whose management period ends
unrectified stays effective (the literal reading), so the rules say what the department
must then do and how rectification is established.

- :data:`REPAIR_NOTICE_LZ`: within how long of the period end the department tells the
  subject in writing what remains to rectify and how to prove it.
- :data:`REPAIR_DECISION_LZ`: within how long of the filing it decides on the proof.
- :data:`RECTIFICATION_LZ`: per situation (LZ §5(1)2), what remains and how it is proven;
  where nothing is left to put right (identity fraud or false materials in an application
  since closed or withdrawn), the closure and a written credit commitment establish it.

They come with the Linzi listing procedure: every profile that runs it
(``listing_procedure``) carries them. Each is a deployment choice bounded by LZ §5(1)5:
the local texts give no number and no national article is quoted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.rules import credit_repair
from app.rules.citations import LZ_5_1_4_NOTICE, LZ_5_1_5_REPAIR, Citation
from app.rules.periods import Unit
from app.rules.profiles import (
    Basis,
    Parameter,
    ParameterName,
    ParameterNotInProfile,
    Profile,
)

REPAIR_NOTICE: Final = ParameterName.REPAIR_NOTICE
REPAIR_DECISION: Final = ParameterName.REPAIR_DECISION

REPAIR_NOTICE_LZ: Final = Parameter(
    REPAIR_NOTICE,
    3,
    Unit.WORKING_DAYS,
    LZ_5_1_5_REPAIR,
    "管理期限届满而原失信行为未整改的，名单继续有效；认定部门自期满之日起3个工作日内"
    "书面告知当事人尚待整改的事项及证明方式。LZ §5(1)5未规定此项告知及期限；"
    "为使当事人能够达成信用修复，本系统作此部署选择，期限比照LZ §5(1)4的书面告知期限。",
    "When the management period ends with the dishonesty unrectified the listing stays "
    "effective; within 3 working days of the period end the collecting department tells "
    "the subject in writing what remains to rectify and how to prove it. LZ §5(1)5 "
    "prescribes no such notice: a deployment choice bounded by it, so that the subject can "
    "reach the end, with the period of the written notice of LZ §5(1)4.",
    Basis.DEPLOYMENT_CHOICE,
    (LZ_5_1_4_NOTICE,),
)

REPAIR_DECISION_LZ: Final = Parameter(
    REPAIR_DECISION,
    5,
    Unit.WORKING_DAYS,
    LZ_5_1_5_REPAIR,
    "当事人提交整改证明后，认定部门自提交之日起5个工作日内作出是否已整改的决定；"
    "认定已整改且管理期限已届满的，当日完成信用修复。本地文本未规定决定期限，"
    "本系统未引用国家信用修复规定的条文：5个工作日为部署选择，受LZ §5(1)5约束。",
    "The collecting department decides on proof of rectification within 5 working days of "
    "its filing; a decision of rectified after the period end repairs the same day. The "
    "local texts give no time limit and no national article is cited here: 5 working days "
    "is a deployment choice bounded by LZ §5(1)5.",
    Basis.DEPLOYMENT_CHOICE,
)


class RectificationProof(StrEnum):
    """How rectification of a situation is established."""

    EVIDENCE = "evidence"  # proof that the act was put right
    CLOSURE_AND_COMMITMENT = "closure_and_commitment"  # nothing is left to put right


@dataclass(frozen=True, slots=True)
class RectificationRule:
    """整改的认定 for one situation (LZ §5(1)2): what remains to rectify once the period
    has ended, how the subject proves it, and on what basis (LZ §5(1)5 "原失信行为已整改")."""

    situation: str
    proof: RectificationProof
    remains_zh: str
    how_to_prove_zh: str
    description_en: str
    citation: Citation = LZ_5_1_5_REPAIR
    basis: Basis = Basis.DEPLOYMENT_CHOICE

    def to_dict(self) -> dict[str, object]:
        return {
            "situation": self.situation,
            "proof": self.proof.value,
            "remains_zh": self.remains_zh,
            "how_to_prove_zh": self.how_to_prove_zh,
            "description_en": self.description_en,
            "basis": self.basis.value,
            "citation": self.citation.to_dict(),
        }


_CLOSURE_PROOF_ZH = (
    "提交该申请已终止办理、不予受理（许可）或已撤回的文书，并提交书面信用承诺书"
    "（承诺今后申请政务服务提交的身份信息和材料真实，不再发生同类失信行为）。"
)
_CLOSURE_EN = (
    "Nothing is left to put right once the application is closed or withdrawn: "
    "rectification is established by the application's closure (termination, refusal or "
    "withdrawal) and a written credit commitment (信用承诺书). A deployment choice bounded "
    "by LZ §5(1)5 '原失信行为已整改'; no national text is cited."
)

RECTIFICATION_LZ: Final[tuple[RectificationRule, ...]] = (
    RectificationRule(
        "identity_fraud",
        RectificationProof.CLOSURE_AND_COMMITMENT,
        "冒用他人身份信息提出的申请应已终止办理或撤回；此外无可补正的事项。",
        _CLOSURE_PROOF_ZH,
        _CLOSURE_EN,
    ),
    RectificationRule(
        "false_materials",
        RectificationProof.CLOSURE_AND_COMMITMENT,
        "以虚假材料提出的申请应已终止办理或撤回；此外无可补正的事项。",
        _CLOSURE_PROOF_ZH,
        _CLOSURE_EN,
    ),
    RectificationRule(
        "tolerance_unfulfilled",
        RectificationProof.EVIDENCE,
        "容缺受理时承诺补交的申请材料尚未提交。",
        "提交所缺的申请材料；该申请已终止办理或撤回的，提交相应文书。",
        "The missing materials prove it, or the closure of the application.",
    ),
    RectificationRule(
        "commitment_untrue",
        RectificationProof.EVIDENCE,
        "实际情况尚未达到告知承诺的内容。",
        "提交已达到承诺条件的证明材料；办理结果已撤销的，提交相应文书。",
        "Proof that the committed conditions are met, or that the decision was revoked.",
    ),
    RectificationRule(
        "other",
        RectificationProof.EVIDENCE,
        "认定的失信行为尚未纠正。",
        "提交失信行为已纠正、不良影响已消除的证明材料。",
        "Proof that the dishonest act was corrected and its effects removed.",
    ),
)


def repair_parameters(profile: Profile) -> tuple[Parameter, ...]:
    """The repair parameters of ``profile``: those of the Linzi listing procedure."""
    return (REPAIR_NOTICE_LZ, REPAIR_DECISION_LZ) if profile.listing_procedure else ()


def repair_parameter(profile: Profile, name: ParameterName) -> Parameter:
    for parameter in repair_parameters(profile):
        if parameter.name is name:
            return parameter
    raise ParameterNotInProfile(profile.name, name)


def rectification_rules(profile: Profile) -> tuple[RectificationRule, ...]:
    return RECTIFICATION_LZ if profile.listing_procedure else ()


def rectification_rule(profile: Profile, situation: str) -> RectificationRule | None:
    return next((r for r in rectification_rules(profile) if r.situation == situation), None)


def profile_document(profile: Profile, deployment_profile: str | None = None) -> dict[str, object]:
    """The profile as GET /api/v1/profiles shows it: its own parameters, the repair
    parameters and how rectification is established per situation, each with citation."""
    document = profile.to_dict(deployment_profile)
    parameters = dict(document["parameters"])  # type: ignore[call-overload]
    parameters.update({p.name.value: p.to_dict() for p in repair_parameters(profile)})
    on_application = credit_repair.on_application(profile)
    if on_application.applies:
        decision = credit_repair.credit_repair_parameter(profile)
        parameters[decision.name.value] = decision.to_dict()
    document["parameters"] = parameters
    document["credit_repair_on_application"] = on_application.to_dict()
    document["rectification"] = [rule.to_dict() for rule in rectification_rules(profile)]
    return document
