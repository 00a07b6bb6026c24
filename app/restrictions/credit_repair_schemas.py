"""Schemas of credit repair on application (信用修复申请; app.restrictions.credit_repair)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.lifecycle.step_dates import Dated
from app.rules.credit_repair import Material

_Prose = Annotated[str, text(4000, multiline=True)]
_APPLICATION_ID = "2b1c0d9e-8f7a-4b6c-9d4e-3f2a1b0c9d8e"
_LISTING_ID = "7f3e2d1c-0b9a-4876-9543-210fedcba987"


class CreditRepairCreate(Dated):
    """信用修复申请: filed by the subject (through the platform, or a clerk for them) while
    the listing is effective, with the materials the rules list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "statement": "原申请已撤回，失信行为已纠正",
                    "materials": ["fulfilment_proof", "commitment_letter"],
                    "evidence_refs": ["撤回申请受理回执", "信用承诺书（已签字）"],
                },
                {"statement": "失信行为已纠正", "materials": ["fulfilment_proof"]},
            ]
        },
    )

    statement: _Prose = Field(description="申请理由及履行情况说明.")
    materials: list[Material] = Field(
        default_factory=list,
        max_length=10,
        description="已提交的申请材料: fulfilment_proof 履行完毕的证明材料; "
        "commitment_letter 信用承诺书.",
    )
    evidence_refs: list[Reference] = Field(
        default_factory=list, max_length=50, description="材料 (document references)."
    )


class CreditRepairSupplement(Dated):
    """补正材料 after the one notice of what is missing (一次性告知)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"materials": ["commitment_letter"], "evidence_refs": ["信用承诺书（已签字）"]}
            ]
        },
    )

    materials: list[Material] = Field(min_length=1, max_length=10)
    evidence_refs: list[Reference] = Field(default_factory=list, max_length=50)


class CreditRepairOutcome(StrEnum):
    """granted 予以修复 (终止公示、停止共享、解除惩戒, same day); refused 不予修复."""

    granted = "granted"
    refused = "refused"


class CreditRepairDecisionCreate(Dated):
    """信用修复决定, with reasons."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"outcome": "granted", "reasons": "经核实，当事人已履行相关义务并作出信用承诺"},
                {"outcome": "refused", "reasons": "提交的证明材料不能证明原申请已撤回"},
            ]
        },
    )

    outcome: CreditRepairOutcome
    reasons: _Prose = Field(description="决定理由.")


class MissingMaterial(BaseModel):
    code: Material
    label_zh: str


class CreditRepairRead(BaseModel):
    """One application for credit repair and where it stands."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": _APPLICATION_ID,
                    "listing_id": _LISTING_ID,
                    "listing_status": "repaired",
                    "filed_on": "2026-06-01",
                    "statement": "原申请已撤回，失信行为已纠正",
                    "materials": ["fulfilment_proof", "commitment_letter"],
                    "evidence_refs": ["撤回申请受理回执"],
                    "missing_materials": [],
                    "materials_requested_on": None,
                    "accepted_on": "2026-06-01",
                    "decision_due": "2026-06-08",
                    "outcome": "granted",
                    "reasons": "经核实，当事人已履行相关义务并作出信用承诺",
                    "decided_on": "2026-06-03",
                    "late": False,
                    "remedy_zh": None,
                }
            ]
        }
    )

    id: UuidStr
    listing_id: UuidStr
    listing_status: str = Field(description="The listing's status today (effective, repaired).")
    filed_on: dt.date
    statement: str
    materials: list[Material]
    evidence_refs: list[str]
    missing_materials: list[MissingMaterial] = Field(
        description="一次性告知: every material missing at filing, in one notice."
    )
    materials_requested_on: dt.date | None
    accepted_on: dt.date | None = Field(description="受理日; none while materials are missing.")
    decision_due: dt.date | None = Field(
        description="决定期限 (profile `credit_repair_decision`, from acceptance)."
    )
    outcome: CreditRepairOutcome | None
    reasons: str | None
    decided_on: dt.date | None
    late: bool | None = Field(description="Decided after its limit.")
    remedy_zh: str | None = Field(description="For a refusal: 救济途径.")
