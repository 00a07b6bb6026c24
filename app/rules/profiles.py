"""Rule profiles (规则配置): every number and switch of the regulations, with its citation.

Four built-in profiles, none a default (``app.rules.regions`` picks a department's):
- ``dezhou-2023``: 德州市政务服务信用信息应用办法 alone, 德州市行政区域内 (DZ art. 2 ¶1).
- ``linzi-2022``: 临淄区"失信制约"制度 alone, 临淄区范围内 (LZ §3).
- ``shandong-combined``: both, a deployment choice (no default): commitments as Dezhou,
  the restriction list as Linzi, early lifting as DZ art. 15 ¶2.
- ``national-2026``: the combined profile under the national credit-repair rules from
  2026-04-01 (app.rules.national): publicity of a listing at most 3 months.

Where is the 3-working-day objection window?
:data:`OBJECTION_WINDOW_LZ`, below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final

from app.rules.categories import HighRiskCategory as HighRiskCategory  # re-exported
from app.rules.check_readings import (
    COMBINED_CHECK_READINGS,
    DEZHOU_CHECK_READINGS,
    LINZI_CHECK_READINGS,
)
from app.rules.citations import (
    CIVIL_CODE_201,
    CIVIL_CODE_203,
    DZ_2_2,
    DZ_6_2,
    DZ_7_1,
    DZ_13_1,
    DZ_14,
    DZ_15_1,
    DZ_15_2,
    DZ_16_1,
    LZ_2_APPEAL,
    LZ_4_1,
    LZ_4_2,
    LZ_5_1_2,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_4_NOTICE,
    LZ_5_1_4_OBJECTION,
    LZ_5_1_5_OTHER_PERIOD,
    LZ_5_1_5_PERIOD,
    LZ_5_1_5_REPAIR,
    LZ_5_1_6_NO_LIFETIME,
    LZ_5_2_1,
    LZ_ANNEX,
    Citation,
)
from app.rules.citations import Basis as Basis  # where a value comes from, re-exported
from app.rules.commitment_register import REGISTER_READINGS
from app.rules.commitments import COMMITMENT_READINGS, LZ_COMMITMENT_READINGS
from app.rules.jurisdiction import DEZHOU_AREA, LINZI_AREA, Jurisdiction
from app.rules.lifting import COMMITMENT_LISTINGS, LiftingScope
from app.rules.modes import Mode as Mode  # re-exported
from app.rules.national import PUBLICITY_PERIOD_NATIONAL as PUBLICITY_PERIOD_NATIONAL
from app.rules.national import NationalRules, national_rules
from app.rules.parameters import Parameter as Parameter  # re-exported
from app.rules.parameters import ParameterName as ParameterName
from app.rules.parameters import ParameterNotInProfile as ParameterNotInProfile
from app.rules.periods import Unit
from app.rules.readings import Reading


class UnknownProfile(LookupError):
    def __init__(self, name: str) -> None:
        self.name = name
        known = ", ".join(sorted(PROFILES))
        super().__init__(f"unknown rule profile {name!r}; known profiles: {known}")


CONSENT_MAX_VALIDITY_LZ: Final = Parameter(
    ParameterName.CONSENT_MAX_VALIDITY,
    365,
    Unit.DAYS,
    LZ_5_1_6_NO_LIFETIME,
    "信用信息使用授权的最长有效期。LZ §5(1)6禁止“一次授权终身”，但未规定期限；"
    "365日为本系统的部署选择，受该条约束，可按需缩短。",
    "Longest validity of a consent to use credit information. LZ §5(1)6 forbids "
    "'once for life' consent but gives no number; 365 days is a deployment choice "
    "bounded by that rule and may be shortened.",
    Basis.DEPLOYMENT_CHOICE,
)

CREDIT_CHECK_VALIDITY_DZ: Final = Parameter(
    ParameterName.CREDIT_CHECK_VALIDITY,
    1,
    Unit.DAYS,
    DZ_6_2,
    "信用核验结果用于签订承诺书的有效期（核验当日不计入，至次日结束）。"
    "办法要求“信用核验通过后”方可享受便利，未规定期限；此为部署选择。",
    "How long a passed credit check may be used to create a commitment (the check day "
    "is not counted; valid to the end of the next day). DZ art. 6 requires a passed "
    "check first and gives no number; a deployment choice.",
    Basis.DEPLOYMENT_CHOICE,
)

CREDIT_CHECK_VALIDITY_LZ: Final = Parameter(
    ParameterName.CREDIT_CHECK_VALIDITY,
    1,
    Unit.DAYS,
    LZ_4_1,
    "信用查询结果用于办理的有效期（查询当日不计入，至次日结束）；部署选择。",
    "How long a credit query result may be used (to the end of the next day); a deployment choice.",
    Basis.DEPLOYMENT_CHOICE,
)

REMINDER_GRACE_DZ: Final = Parameter(
    ParameterName.REMINDER_GRACE,
    None,
    None,
    DZ_13_1,
    "容缺受理逾期未补齐补正的，由政务服务实施机关责令限期整改，期限由机关逐案确定。",
    "Tolerance case overdue: the agency orders rectification within a time limit it "
    "sets case by case.",
    Basis.AGENCY_SET,
)

REMINDER_GRACE_LZ: Final = Parameter(
    ParameterName.REMINDER_GRACE,
    3,
    Unit.WORKING_DAYS,
    LZ_5_1_2,
    "容缺受理经催告后3个工作日内仍未提交的，列入失信制约名单。",
    "Tolerance case: materials still missing 3 working days after the reminder.",
)

REMINDER_GRACE_COMBINED: Final = Parameter(
    ParameterName.REMINDER_GRACE,
    3,
    Unit.WORKING_DAYS,
    DZ_13_1,
    "整改期限由政务服务实施机关确定（DZ第十三条），但不得短于3个工作日，"
    "以便终止办理时同时满足LZ §5(1)2“催告后3个工作日内仍未提交”的认定情形。",
    "The agency sets the rectification deadline (DZ art. 13) but not shorter than 3 "
    "working days, so that a termination also meets LZ §5(1)2 ('still missing 3 "
    "working days after the reminder').",
    Basis.AGENCY_SET,
    (LZ_5_1_2,),
)

LISTING_NOTICE_LZ: Final = Parameter(
    ParameterName.LISTING_NOTICE,
    3,
    Unit.WORKING_DAYS,
    LZ_5_1_4_NOTICE,
    "完成信息核实后3个工作日内书面告知当事人。",
    "Written listing notice within 3 working days after verification.",
)

OBJECTION_WINDOW_LZ: Final = Parameter(
    ParameterName.OBJECTION_WINDOW,
    3,
    Unit.WORKING_DAYS,
    LZ_5_1_4_OBJECTION,
    "当事人应在接到告知书之日起3个工作日内提出陈述申辩；逾期视为放弃。",
    "Objection within 3 working days of receiving the notice; afterwards the right "
    "is deemed waived.",
    also_cites=(LZ_ANNEX,),
)

OBJECTION_REVIEW_LZ: Final = Parameter(
    ParameterName.OBJECTION_REVIEW,
    15,
    Unit.WORKING_DAYS,
    LZ_5_1_4_OBJECTION,
    "听取陈述申辩意见并于15个工作日内进行复核。",
    "Review of an objection within 15 working days.",
)

CORRECTION_LZ: Final = Parameter(
    ParameterName.CORRECTION,
    2,
    Unit.WORKING_DAYS,
    LZ_5_1_4_CORRECTION,
    "发现信息有误或者发生变更时，2个工作日内修改或移除。",
    "Fix or remove an erroneous or changed listing within 2 working days of discovery.",
    also_cites=(LZ_2_APPEAL, DZ_16_1),  # a complaint after the window; a referral
)

CORRECTION_DZ: Final = Parameter(
    ParameterName.CORRECTION,
    2,
    Unit.WORKING_DAYS,
    DZ_14,
    "限制有误（认定错误、身份被冒用）的，发现后更正或移除。办法要求客观记录，未规定期限；"
    "2个工作日为部署选择，与临淄方案相同。",
    "A wrong restriction is fixed or removed once found. The measures require an objective "
    "record and give no number; 2 working days is a deployment choice, as in Linzi.",
    Basis.DEPLOYMENT_CHOICE,
)

MANAGEMENT_PERIOD_LZ: Final = Parameter(
    ParameterName.MANAGEMENT_PERIOD,
    6,
    Unit.MONTHS,
    LZ_5_1_5_PERIOD,
    "管理期限6个月，自公布之日起计算；管理期内再次发生失信行为的，重新计算。期满日不因节假日顺延。",
    "Management period of 6 months from publication, restarted by a new dishonesty "
    "within it. Its end is never moved for a holiday.",
    also_cites=(LZ_5_1_5_REPAIR, LZ_5_1_5_OTHER_PERIOD),  # a review's shorter period
)

PUBLICITY_PERIOD_LZ: Final = Parameter(
    ParameterName.PUBLICITY_PERIOD,
    6,
    Unit.MONTHS,
    LZ_5_1_5_REPAIR,
    "公示期限，默认与管理期限相同（修复后屏蔽公示信息）；部署可按国家信用修复规定缩短。",
    "Publicity period, by default equal to the management period (publicity is "
    "shielded on repair); a deployment may shorten it under national credit-repair rules.",
    Basis.DEPLOYMENT_CHOICE,
)

EARLY_LIFTING_VERIFICATION_DZ: Final = Parameter(
    ParameterName.EARLY_LIFTING_VERIFICATION,
    5,
    Unit.DAYS,
    DZ_15_2,
    "自接到取消限制申请之日起五日内核实。按日计算：本办法未规定以工作日计算，"
    "行政许可法第八十二条只适用于该法自身规定的期限；依民法典第二百零一条，"
    "接到申请的当日不计入；依第二百零三条，期间最后一日是休息日的，顺延至其后第一个工作日。",
    "Verify a request to lift the restriction within five days of receipt. Counted in "
    "calendar days: the measures say 工作日 nowhere, and Administrative Licensing Law "
    "art. 82 governs only the periods that law itself sets. The day of receipt is not "
    "counted (Civil Code art. 201); a last day on a rest day moves to the next working "
    "day (Civil Code art. 203).",
    also_cites=(CIVIL_CODE_201, CIVIL_CODE_203),
)


def _parameters(*params: Parameter) -> Mapping[str, Parameter]:
    return MappingProxyType({p.name.value: p for p in params})


ALL_MODES: Final = frozenset(Mode)
ALL_HIGH_RISK: Final = frozenset(HighRiskCategory)


@dataclass(frozen=True)
class Profile:
    """A named set of parameters and switches.

    Switches:
    - ``consent_required``: a valid consent is needed to use credit information
      (LZ §5(1)6).
    - ``listing_procedure``: LZ §5(1)4 notice, objection and review before publication.
    - ``restart_on_new_listing``: a new dishonesty in the period restarts it (LZ §5(1)5).
    - ``early_lifting``: lifting on application after rectification (DZ art. 15 ¶2), of
      the listings its ``early_lifting_scope`` names (None: no early lifting).
    ``readings``: how it reads a sentence that decides a question, not a number.
    ``national``: the national rules it applies, from their date (app.rules.national).
    """

    name: str
    title_zh: str
    title_en: str
    modes: frozenset[Mode]
    modes_citation: tuple[Citation, ...]
    excluded_categories: frozenset[HighRiskCategory]
    excluded_categories_citation: Citation | None
    parameters: Mapping[str, Parameter]
    consent_required: bool
    listing_procedure: bool
    restart_on_new_listing: bool
    early_lifting_scope: LiftingScope | None
    restriction_effect_citation: Citation
    jurisdiction: Jurisdiction
    notes: tuple[str, ...] = field(default=())
    readings: tuple[Reading, ...] = field(default=())
    national: NationalRules | None = None

    def parameter(self, name: ParameterName) -> Parameter:
        try:
            return self.parameters[name.value]
        except KeyError:
            raise ParameterNotInProfile(self.name, name) from None

    @property
    def early_lifting(self) -> bool:
        return self.early_lifting_scope is not None

    def has(self, name: ParameterName) -> bool:
        return name.value in self.parameters

    @property
    def consent_max_validity(self) -> Parameter:
        return self.parameter(ParameterName.CONSENT_MAX_VALIDITY)

    @property
    def credit_check_validity(self) -> Parameter:
        return self.parameter(ParameterName.CREDIT_CHECK_VALIDITY)

    @property
    def reminder_grace(self) -> Parameter:
        return self.parameter(ParameterName.REMINDER_GRACE)

    @property
    def listing_notice(self) -> Parameter:
        return self.parameter(ParameterName.LISTING_NOTICE)

    @property
    def objection_window(self) -> Parameter:
        return self.parameter(ParameterName.OBJECTION_WINDOW)

    @property
    def objection_review(self) -> Parameter:
        return self.parameter(ParameterName.OBJECTION_REVIEW)

    @property
    def correction(self) -> Parameter:
        return self.parameter(ParameterName.CORRECTION)

    @property
    def management_period(self) -> Parameter:
        return self.parameter(ParameterName.MANAGEMENT_PERIOD)

    @property
    def publicity_period(self) -> Parameter:
        return self.parameter(ParameterName.PUBLICITY_PERIOD)

    @property
    def early_lifting_verification(self) -> Parameter:
        return self.parameter(ParameterName.EARLY_LIFTING_VERIFICATION)

    @property
    def management_period_months(self) -> int | None:
        """Length of the management period in months, None when the profile has none."""
        if not self.has(ParameterName.MANAGEMENT_PERIOD):
            return None
        return self.management_period.value

    @property
    def publicity_period_months(self) -> int | None:
        if not self.has(ParameterName.PUBLICITY_PERIOD):
            return None
        return self.publicity_period.value

    def to_dict(self, deployment_profile: str | None = None) -> dict[str, object]:
        """A JSON-ready view: every parameter with value, unit and citation; ``default``
        when it is the deployment's explicit choice (``ZWFW_PROFILE``)."""
        return {
            "name": self.name,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "default": self.name == deployment_profile,
            "modes": [{"code": m.value, "label_zh": m.label_zh} for m in Mode if m in self.modes],
            "modes_citation": [c.to_dict() for c in self.modes_citation],
            "excluded_categories": [
                {"code": c.value, "label_zh": c.label_zh}
                for c in HighRiskCategory
                if c in self.excluded_categories
            ],
            "excluded_categories_citation": (
                self.excluded_categories_citation.to_dict()
                if self.excluded_categories_citation
                else None
            ),
            "switches": {
                "consent_required": self.consent_required,
                "listing_procedure": self.listing_procedure,
                "restart_on_new_listing": self.restart_on_new_listing,
                "early_lifting": self.early_lifting,
            },
            "early_lifting_scope": scope.to_dict() if (scope := self.early_lifting_scope) else None,
            "restriction_effect_citation": self.restriction_effect_citation.to_dict(),
            "jurisdiction": self.jurisdiction.to_dict(),
            "parameters": {name: p.to_dict() for name, p in self.parameters.items()},
            "notes": list(self.notes),
            "readings": [reading.to_dict() for reading in self.readings],
            "national": self.national.to_dict() if self.national is not None else None,
        }


DEZHOU_2023: Final = Profile(
    name="dezhou-2023",
    title_zh="德州市政务服务信用信息应用办法（2023）",
    title_en="Dezhou measures on credit information in government services (2023)",
    modes=frozenset({Mode.TOLERANCE, Mode.NOTIFY_COMMIT}),
    modes_citation=(DZ_7_1,),
    excluded_categories=ALL_HIGH_RISK,
    excluded_categories_citation=DZ_2_2,
    parameters=_parameters(
        CREDIT_CHECK_VALIDITY_DZ,
        REMINDER_GRACE_DZ,
        CORRECTION_DZ,
        EARLY_LIFTING_VERIFICATION_DZ,
    ),
    consent_required=False,
    listing_procedure=False,
    restart_on_new_listing=False,
    early_lifting_scope=COMMITMENT_LISTINGS,
    restriction_effect_citation=DZ_15_1,
    jurisdiction=Jurisdiction((DEZHOU_AREA,)),
    notes=(
        "No management period: a restriction lasts until it is lifted (DZ art. 15 ¶2).",
        "No listing procedure: the agency restricts a proposed breach (DZ art. 15 ¶1).",
    ),
    readings=COMMITMENT_READINGS + REGISTER_READINGS + DEZHOU_CHECK_READINGS,
)

LINZI_2022: Final = Profile(
    name="linzi-2022",
    title_zh="临淄区政务服务“失信制约”制度实施方案（试行）（2022）",
    title_en="Linzi scheme for the government-service dishonesty restriction list (2022)",
    modes=ALL_MODES,
    modes_citation=(LZ_4_2,),
    excluded_categories=frozenset(),
    excluded_categories_citation=None,
    parameters=_parameters(
        CONSENT_MAX_VALIDITY_LZ,
        CREDIT_CHECK_VALIDITY_LZ,
        REMINDER_GRACE_LZ,
        LISTING_NOTICE_LZ,
        OBJECTION_WINDOW_LZ,
        OBJECTION_REVIEW_LZ,
        CORRECTION_LZ,
        MANAGEMENT_PERIOD_LZ,
        PUBLICITY_PERIOD_LZ,
    ),
    consent_required=True,
    listing_procedure=True,
    restart_on_new_listing=True,
    early_lifting_scope=None,
    restriction_effect_citation=LZ_5_2_1,
    jurisdiction=Jurisdiction((LINZI_AREA,)),
    readings=LZ_COMMITMENT_READINGS + LINZI_CHECK_READINGS,
)

SHANDONG_COMBINED: Final = Profile(
    name="shandong-combined",
    title_zh="山东组合配置：承诺制按德州办法，失信制约名单按临淄方案，提前取消按德州第十五条",
    title_en=(
        "Shandong combined: commitments as Dezhou, the restriction list as Linzi, "
        "early lifting as Dezhou art. 15"
    ),
    modes=ALL_MODES,
    modes_citation=(DZ_7_1, LZ_4_2),
    excluded_categories=ALL_HIGH_RISK,
    excluded_categories_citation=DZ_2_2,
    parameters=_parameters(
        CONSENT_MAX_VALIDITY_LZ,
        CREDIT_CHECK_VALIDITY_DZ,
        REMINDER_GRACE_COMBINED,
        LISTING_NOTICE_LZ,
        OBJECTION_WINDOW_LZ,
        OBJECTION_REVIEW_LZ,
        CORRECTION_LZ,
        MANAGEMENT_PERIOD_LZ,
        PUBLICITY_PERIOD_LZ,
        EARLY_LIFTING_VERIFICATION_DZ,
    ),
    consent_required=True,
    listing_procedure=True,
    restart_on_new_listing=True,
    early_lifting_scope=COMMITMENT_LISTINGS,
    restriction_effect_citation=LZ_5_2_1,
    jurisdiction=Jurisdiction((DEZHOU_AREA, LINZI_AREA), deployment_choice=True),
    notes=(
        "A deployment choice, never a default: each text governs its own territory only (DZ "
        "art. 2 ¶1, LZ §3); chosen (ZWFW_PROFILE) where one service applies both together.",
    ),
    readings=COMMITMENT_READINGS + REGISTER_READINGS + COMBINED_CHECK_READINGS,
)

NATIONAL_2026: Final = replace(
    SHANDONG_COMBINED,
    name="national-2026",
    title_zh="国家信用修复规定下的山东组合配置（2026）：组合配置，轻微失信名单公示期最长3个月",
    title_en=(
        "Shandong combined under the national credit-repair rules (2026): the combined "
        "profile, publicity of the minor-dishonesty list at most 3 months"
    ),
    parameters=_parameters(
        *(p for p in SHANDONG_COMBINED.parameters.values() if p is not PUBLICITY_PERIOD_LZ),
        PUBLICITY_PERIOD_NATIONAL,
    ),
    notes=(
        *SHANDONG_COMBINED.notes,
        "The national rules apply everywhere, under the local texts: from 2026-04-01 "
        "(国家发展改革委令第36号) a listing is published for 3 months at most "
        "(国办发〔2025〕22号 §二, minor dishonesty) and restricts for its management period; "
        "a listing published earlier keeps the local text's publicity.",
    ),
    national=national_rules(PUBLICITY_PERIOD_LZ),
)

PROFILES: Final[Mapping[str, Profile]] = MappingProxyType(
    {p.name: p for p in (DEZHOU_2023, LINZI_2022, SHANDONG_COMBINED, NATIONAL_2026)}
)


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfile(name) from None
