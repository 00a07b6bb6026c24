from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.departments.schemas import DEPARTMENT_CODE_PATTERN
from app.rules.periods import Unit
from app.rules.profiles import HighRiskCategory, Mode

MATTER_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
# The terms are kept as JSON, the notice texts as Text, the name as String(200).
_Prose = Annotated[str, text(4000, multiline=True)]
_OptionalProse = Annotated[str, text(4000, min_length=0, multiline=True)]
_Name = Annotated[str, text(200)]


class VerificationMethod(StrEnum):
    """核查方式 (DZ art. 11): online 在线核查, onsite 现场核查, assisted 协助核查."""

    online = "online"
    onsite = "onsite"
    assisted = "assisted"


class MatterStatus(StrEnum):
    """active 在清单内; withdrawn 已移出清单 (history kept)."""

    active = "active"
    withdrawn = "withdrawn"


class PeriodSpec(BaseModel):
    """A period the catalog sets: an amount and its unit (`working_days`, `days`, `months`)."""

    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0, le=3660)
    unit: Unit


class ToleranceTerms(BaseModel):
    """容缺受理 terms (DZ art. 7 ¶2, 8 ¶1)."""

    model_config = ConfigDict(extra="forbid")

    tolerable_missing_materials: list[Reference] = Field(
        min_length=1, max_length=50, description="可容缺材料."
    )
    supplement_deadline: PeriodSpec = Field(description="补齐补正时限.")
    submission_method: Annotated[str, text(500, multiline=True)] = Field(
        description="补齐补正方式."
    )
    conditions: _OptionalProse | None = None


class NotifyCommitTerms(BaseModel):
    """告知承诺 terms (DZ art. 7 ¶3, 8 ¶2, 11, 12)."""

    model_config = ConfigDict(extra="forbid")

    conditions: _Prose = Field(description="办理条件.")
    material_requirements: list[Reference] = Field(
        min_length=1, max_length=50, description="材料要求."
    )
    completion_limit: PeriodSpec = Field(
        description="承诺办结时限 (amount 0: decided on the spot, 当场办结)."
    )
    exempt_from_verification: bool = Field(
        default=False, description="免于核查 (DZ art. 12 ¶2): fulfilled once decided."
    )
    in_process_supervision: bool = Field(
        default=False,
        description="承诺核查内容纳入事中事后监管 (DZ art. 12 ¶1): where agency and regulator "
        "differ, the regulator supervises the decided commitments and feeds the result back.",
    )
    verification_limit: PeriodSpec | None = Field(default=None, description="核查时限.")
    verification_methods: list[VerificationMethod] = Field(
        default_factory=list, max_length=3, description="核查方式."
    )

    @model_validator(mode="after")
    def _verification_terms(self) -> Self:
        if not self.exempt_from_verification and (
            self.verification_limit is None or not self.verification_methods
        ):
            raise ValueError(
                "a matter that is not exempt from verification needs verification_limit "
                "and verification_methods"
            )
        return self


class GreenChannelTerms(BaseModel):
    """绿色通道 (LZ §4(2)1): fast handling, a dedicated helper, free agency service."""

    model_config = ConfigDict(extra="forbid")

    services: list[Annotated[str, text(200)]] = Field(
        min_length=1, max_length=10, description="快速办理、专人帮办…"
    )


class MatterModes(BaseModel):
    """The facilitation modes the matter offers, each with its terms."""

    model_config = ConfigDict(extra="forbid")

    tolerance: ToleranceTerms | None = None
    notify_commit: NotifyCommitTerms | None = None
    green_channel: GreenChannelTerms | None = None

    def offered(self) -> list[Mode]:
        return [mode for mode in Mode if getattr(self, mode.value) is not None]


_MATTER_EXAMPLE: dict[str, Any] = {
    "code": "SPJ-FOOD-001",
    "name": "食品经营许可（新办）",
    "agency_department": "371400-SPJ",
    "regulator_department": "371400-SCJ",
    "onsite_verification_department": "371400-SCJ",
    "excluded_categories": [],
    "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
    "legal_liability": "作出不实承诺的，依法撤销办理结果，列入失信制约名单，并承担法律责任。",
    "verification_power": "行政审批部门有权对申请人承诺内容进行核查。",
    "other_notice": None,
    "modes": {
        "tolerance": {
            "tolerable_missing_materials": ["食品安全管理制度文本"],
            "supplement_deadline": {"amount": 10, "unit": "working_days"},
            "submission_method": "政务服务大厅窗口或山东政务服务网在线提交",
        },
        "notify_commit": {
            "conditions": "具有与经营的食品品种、数量相适应的经营场所",
            "material_requirements": ["食品经营许可申请书", "营业执照复印件"],
            "completion_limit": {"amount": 0, "unit": "working_days"},
            "exempt_from_verification": False,
            "in_process_supervision": True,
            "verification_limit": {"amount": 20, "unit": "working_days"},
            "verification_methods": ["online", "onsite"],
        },
    },
}


class MatterCreate(BaseModel):
    """Add a matter to the catalog (清单, DZ art. 5) with the terms of each mode it offers."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_MATTER_EXAMPLE]})

    code: str = Field(pattern=MATTER_CODE_PATTERN)
    name: _Name = Field(description="事项名称.")
    agency_department: str = Field(pattern=DEPARTMENT_CODE_PATTERN, description="实施机关.")
    regulator_department: str = Field(pattern=DEPARTMENT_CODE_PATTERN, description="行业主管部门.")
    onsite_verification_department: str | None = Field(
        default=None,
        pattern=DEPARTMENT_CODE_PATTERN,
        description="现场核查部门 when agency and regulator differ (DZ art. 11 ¶2).",
    )
    excluded_categories: list[HighRiskCategory] = Field(
        default_factory=list,
        max_length=7,
        description="High-risk categories the matter directly concerns (DZ art. 2 ¶2).",
    )
    legal_basis: _Prose = Field(description="设定依据.")
    legal_liability: _Prose = Field(description="不实承诺的法律责任.")
    verification_power: _OptionalProse | None = Field(default=None, description="实施机关核查权力.")
    other_notice: _OptionalProse | None = Field(default=None, description="应当告知的其他内容.")
    modes: MatterModes
    effective_from: datetime | None = Field(
        default=None, description="When this version takes effect; now when omitted."
    )


class MatterUpdate(BaseModel):
    """Change a catalog entry: the result is a new version; the old one is kept."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "食品经营许可（新办、延续）"}]},
    )

    name: _Name | None = None
    agency_department: str | None = Field(default=None, pattern=DEPARTMENT_CODE_PATTERN)
    regulator_department: str | None = Field(default=None, pattern=DEPARTMENT_CODE_PATTERN)
    onsite_verification_department: str | None = Field(
        default=None, pattern=DEPARTMENT_CODE_PATTERN
    )
    excluded_categories: list[HighRiskCategory] | None = Field(default=None, max_length=7)
    legal_basis: _Prose | None = None
    legal_liability: _Prose | None = None
    verification_power: _OptionalProse | None = None
    other_notice: _OptionalProse | None = None
    modes: MatterModes | None = None
    effective_from: datetime | None = None


class MatterRead(BaseModel):
    """A catalog entry as of one version."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_MATTER_EXAMPLE,
                    "version": 1,
                    "version_id": "3f1c9a3e-2b7d-4c55-9e61-0d6a0f8b9c11",
                    "status": "active",
                    "offered_modes": ["tolerance", "notify_commit"],
                    "effective_from": "2026-09-01T00:00:00Z",
                }
            ]
        }
    )

    code: str
    version: int
    version_id: UuidStr
    status: MatterStatus
    effective_from: datetime
    name: str
    agency_department: str
    regulator_department: str
    onsite_verification_department: str | None
    excluded_categories: list[HighRiskCategory]
    legal_basis: str
    legal_liability: str
    verification_power: str | None
    other_notice: str | None
    modes: MatterModes
    offered_modes: list[Mode]
