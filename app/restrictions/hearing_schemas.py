"""The hearing's bodies and reads: a review's amendments, a complaint after the window
(申诉), its rejection, and the department's correction duty (LZ §2, §5(1)4-5)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.lifecycle.step_dates import Dated, LateEntry
from app.rules.hearing import DutyOrigin, ObjectionGround
from app.rules.restrictions import Situation

_Prose = Annotated[str, text(4000, multiline=True)]
_REFS: Any = Field(
    default_factory=list, max_length=50, description="Document or evidence references."
)
GROUNDS: Any = Field(
    default_factory=lambda: [ObjectionGround.FACTS],
    min_length=1,
    max_length=3,
    description="陈述申辩的理由: `facts` 事实认定, `legal_basis` 认定依据, `proportionality` "
    "处理是否适当（如管理期限）; default `facts`.",
)


class ReviewAmendments(BaseModel):
    """复核变更: what the review corrects (before and after are recorded). A shorter
    management period names the rule that sets it (LZ §5(1)5 "有关法律法规规章对管理期限
    另有规定的，依照其规定执行")."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "facts": "申请食品经营许可时提供的经营场所证明与实际不符（出租方出具）",
                    "period_months": 3,
                    "period_basis": "《某某管理办法》第十条：失信管理期限为3个月",
                }
            ]
        },
    )

    facts: _Prose | None = Field(default=None, description="更正后的失信事实.")
    legal_basis: _Prose | None = Field(default=None, description="更正后的认定依据.")
    legal_documents: list[Reference] | None = Field(default=None, max_length=50)
    situation: Situation | None = Field(default=None, description="更正后的认定情形.")
    period_months: int | None = Field(
        default=None, ge=1, le=120, description="缩短后的管理期限（月），须短于现行期限."
    )
    period_basis: Annotated[str, text(1000)] | None = Field(
        default=None,
        description="另有规定的依据（法律法规规章条文）: required with `period_months`.",
    )

    @model_validator(mode="after")
    def _basis_with_period(self) -> Self:
        if (self.period_months is None) != (self.period_basis is None):
            raise ValueError(
                "a shorter period (period_months) and the rule that sets it (period_basis) "
                "are given together"
            )
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class ComplaintCreate(LateEntry):
    """申诉 after the objection window (LZ §2 "异议申诉"): the subject says an entry is
    wrong. The department must correct it or reject the complaint with reasons within 2
    working days of ``received_on`` (LZ §5(1)4)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "received_on": "2026-04-01",
                    "statement": "名单所载住址有误，本人住址为桓公路2号",
                    "grounds": ["facts"],
                    "evidence_refs": ["户口簿复印件"],
                }
            ]
        },
    )

    received_on: dt.date = Field(description="收到申诉之日: the duty counts from it.")
    statement: _Prose = Field(description="申诉理由.")
    grounds: list[ObjectionGround] = GROUNDS
    evidence_refs: list[Reference] = _REFS


class ComplaintRejection(Dated):
    """不予更正: the complaint is rejected with reasons."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reasons": "经核实，名单所载信息与认定文书一致"}]},
    )

    reasons: _Prose = Field(description="不予更正的理由.")


class CorrectionDutyRead(BaseModel):
    """更正义务: correct or remove within 2 working days of receipt, or reject with reasons."""

    id: UuidStr
    origin: DutyOrigin = Field(description="complaint 申诉; referral 移送处罚或司法机关后的变更.")
    received_on: dt.date
    due_on: dt.date
    statement: str
    grounds: list[ObjectionGround]
    evidence_refs: list[str]
    referral_id: UuidStr | None
    outcome: str | None = Field(description="corrected 已更正/移除; rejected 不予更正; null: open.")
    reasons: str | None
    correction_id: UuidStr | None
    closed_on: dt.date | None
    overdue: bool = Field(description="Open after its due day (the due day itself is in time).")
