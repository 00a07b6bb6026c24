from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CitationRead(BaseModel):
    """出处: the article and the sentence a rule comes from."""

    label: str
    source: str
    source_title_zh: str | None
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
                    "restriction_effect_citation": {
                        "label": "LZ §5(2)1",
                        "source": "LZ",
                        "source_title_zh": "临淄区…实施方案（试行）",
                        "article": "5(2)",
                        "paragraph": "1",
                        "text_zh": "不享受绿色通道、容缺受理、容缺办理、告知承诺、承诺即入等便民惠企措施",  # noqa: E501
                    },
                    "parameters": {},
                    "notes": [],
                    "readings": [],
                }
            ]
        }
    )

    name: str
    title_zh: str
    title_en: str
    default: bool
    modes: list[CodeLabel]
    modes_citation: list[CitationRead]
    excluded_categories: list[CodeLabel]
    excluded_categories_citation: CitationRead | None
    switches: Switches
    restriction_effect_citation: CitationRead
    parameters: dict[str, ParameterRead]
    notes: list[str]
    readings: list[ReadingRead] = Field(
        description="释义规则: each reading the profile applies, with its citation."
    )
