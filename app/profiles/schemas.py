from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CitationRead(BaseModel):
    """出处: the article and the sentence a rule comes from."""

    label: str
    source: str
    source_title_zh: str | None
    source_document: str | None = Field(
        default=None,
        description="文号与日期（国家文件）: document number, issue date and date of effect.",
    )
    article: str
    paragraph: str | None
    text_zh: str


class ParameterRead(BaseModel):
    """规则参数: one number of a profile, with unit and citation."""

    name: str
    value: int | None
    unit: str | None
    basis: str
    citation: CitationRead
    also_cites: list[CitationRead]
    description_zh: str
    description_en: str


class ReadingRead(BaseModel):
    """释义规则: how the profile reads a sentence that decides a question, with its citation."""

    name: str
    basis: str
    citation: CitationRead
    also_cites: list[CitationRead]
    description_zh: str
    description_en: str


class CodeLabel(BaseModel):
    code: str
    label_zh: str


class Switches(BaseModel):
    consent_required: bool
    listing_procedure: bool
    restart_on_new_listing: bool
    early_lifting: bool


class LiftingScopeRead(BaseModel):
    """提前取消限制的范围 (DZ art. 15 ¶1-2): the listings that may be lifted early on
    application; the others end at the period's end or on an application for repair."""

    situations: list[str] = Field(description="Always (they arise from a commitment).")
    under_commitment: list[str] = Field(
        description="Only when the listing arose from a commitment (`commitment_id` set)."
    )
    basis: str
    citation: CitationRead
    also_cites: list[CitationRead]
    description_zh: str
    description_en: str


class MaterialRead(BaseModel):
    code: str
    label_zh: str


class CreditRepairOnApplicationRead(BaseModel):
    """信用修复申请: 轻微失信 may be repaired once the obligations are fulfilled
    (国办发〔2025〕22号 §二); repair means 终止公示、停止共享和使用、解除惩戒
    (国家发展改革委令第36号 art. 3)."""

    applies: bool
    before_period_end: bool
    materials: list[MaterialRead]
    repair_means: list[CitationRead]
    right: CitationRead
    basis: str
    citation: CitationRead
    description_en: str


class RectificationRead(BaseModel):
    """整改的认定: per situation, what remains to rectify after the period end and how it
    is proven (LZ §5(1)5), with its basis and citation."""

    situation: str
    proof: str = Field(description="evidence, or closure_and_commitment (nothing to put right).")
    remains_zh: str
    how_to_prove_zh: str
    description_en: str
    basis: str
    citation: CitationRead


class ListingDisclosureRead(BaseModel):
    """推送: which of a listing's events leave the collecting department (LZ §5(1)4)."""

    determined_states: list[str]
    citation: CitationRead
    description_zh: str
    description_en: str


class AreaRead(BaseModel):
    """A regime's territory, by region-code prefix (GB/T 2260)."""

    regime: str
    region_prefix: str
    name_zh: str
    citation: CitationRead


class EffectRuleRead(BaseModel):
    """一项制约效果: what a listing made under a regime does, for which situations."""

    regime: str
    effect: str = Field(description="facilitation, public_list, platform_push, rating_feedback")
    situations: list[str] | None = Field(description="Situations it applies to; null: all.")
    citation: CitationRead
    description_zh: str
    description_en: str


class JurisdictionRead(BaseModel):
    """适用范围: where the profile applies and where its listings' effects reach."""

    regimes: list[str]
    areas: list[AreaRead]
    deployment_choice: bool = Field(
        description="Combines regimes: applied where a deployment or department chooses it."
    )
    listing_effects: list[EffectRuleRead]


_CITATION_LZ_3: dict[str, Any] = {
    "label": "LZ §3",
    "source": "LZ",
    "source_title_zh": "临淄区…实施方案（试行）",
    "article": "3",
    "paragraph": None,
    "text_zh": "临淄区范围内申请办理政务服务事项过程中发生的守信和失信行为的认定、激励、"
    "制约及其管理。",
}
_CITATION_LZ_5_2_1: dict[str, Any] = {
    "label": "LZ §5(2)1",
    "source": "LZ",
    "source_title_zh": "临淄区…实施方案（试行）",
    "article": "5(2)",
    "paragraph": "1",
    "text_zh": "不享受绿色通道、容缺受理、容缺办理、告知承诺、承诺即入等便民惠企措施;",
}


class NationalRulesRead(BaseModel):
    """国家信用修复规定: how a profile applies the national rules, from their date of effect."""

    in_force_from: str = Field(description="施行日期 (国家发展改革委令第36号).")
    in_force_citation: CitationRead
    listing_severity: str = Field(description="失信信息分类 of its listings (minor etc.).")
    listing_severity_label_zh: str
    severity_citations: list[CitationRead]
    publicity_cap_months: int = Field(description="公示期最长 (国办发〔2025〕22号 §二).")
    publicity_cap_citation: CitationRead
    publicity_before: ParameterRead = Field(
        description="The publicity of listings published before the date of effect."
    )
    repair_citations: list[CitationRead]


class ProfileRead(BaseModel):
    """规则配置: the parameters and switches of one regulation or their combination."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "linzi-2022",
                    "title_zh": "临淄区政务服务失信制约制度实施方案（试行）",
                    "title_en": "Linzi dishonesty restriction scheme (2022)",
                    "default": False,
                    "modes": [{"code": "tolerance", "label_zh": "容缺受理"}],
                    "modes_citation": [],
                    "excluded_categories": [],
                    "excluded_categories_citation": None,
                    "switches": {
                        "consent_required": True,
                        "listing_procedure": True,
                        "restart_on_new_listing": True,
                        "early_lifting": False,
                    },
                    "restriction_effect_citation": _CITATION_LZ_5_2_1,
                    "jurisdiction": {
                        "regimes": ["LZ"],
                        "areas": [
                            {
                                "regime": "LZ",
                                "region_prefix": "370305",
                                "name_zh": "临淄区范围",
                                "citation": _CITATION_LZ_3,
                            }
                        ],
                        "deployment_choice": False,
                        "listing_effects": [
                            {
                                "regime": "LZ",
                                "effect": "facilitation",
                                "situations": None,
                                "citation": _CITATION_LZ_5_2_1,
                                "description_zh": "临淄方案列入的失信制约名单：在临淄区范围内"
                                "不享受绿色通道、容缺受理、告知承诺等便民惠企措施。",
                                "description_en": "A Linzi listing (any situation): no green "
                                "channel, tolerance or notify-commit in Linzi.",
                            }
                        ],
                    },
                    "parameters": {},
                    "listing_disclosure": {
                        "determined_states": ["confirmed", "effective", "lifted", "repaired"],
                        "citation": {
                            "label": "LZ §5(1)4",
                            "source": "LZ",
                            "source_title_zh": "临淄区…实施方案（试行）",
                            "article": "5(1)",
                            "paragraph": "4",
                            "text_zh": "对确定列为失信制约的主体信息，由政务服务部门及时推送至淄博市政务服务平台",  # noqa: E501
                        },
                        "description_zh": "只有确定列为失信制约的名单信息离开采集部门",
                        "description_en": "Only a determined listing leaves the department.",
                    },
                    "notes": [],
                    "readings": [],
                }
            ]
        }
    )

    name: str
    title_zh: str
    title_en: str
    default: bool = Field(
        description="The deployment's explicit choice (`ZWFW_PROFILE`) for departments "
        "without a profile of their own; no profile is a default otherwise."
    )
    modes: list[CodeLabel]
    modes_citation: list[CitationRead]
    excluded_categories: list[CodeLabel]
    excluded_categories_citation: CitationRead | None
    switches: Switches
    early_lifting_scope: LiftingScopeRead | None = Field(
        default=None,
        description="提前取消限制的范围: which listings may be lifted early (DZ art. 15 ¶2); "
        "null: the profile has no early lifting.",
    )
    restriction_effect_citation: CitationRead
    jurisdiction: JurisdictionRead
    parameters: dict[str, ParameterRead]
    listing_disclosure: ListingDisclosureRead | None = Field(
        default=None,
        description="With a listing procedure: which listing events leave the collecting "
        "department (determined listings only, LZ §5(1)4).",
    )
    notes: list[str]
    rectification: list[RectificationRead] = Field(
        default_factory=list,
        description="整改的认定，按认定情形 (LZ §5(1)2): how rectification is established.",
    )
    readings: list[ReadingRead] = Field(
        description="释义规则: each reading the profile applies, with its citation."
    )
    national: NationalRulesRead | None = Field(
        default=None,
        description="国家信用修复规定: null for a profile reading the local texts alone.",
    )
    credit_repair_on_application: CreditRepairOnApplicationRead | None = Field(
        default=None,
        description="信用修复申请 (national rules): whether a listing may be repaired on "
        "application, before its period end too, the materials, what repair means.",
    )
