"""Schemas of the end an unrectified listing can reach (LZ §5(1)5): the repair notice,
proof of rectification and its decision (app.restrictions.repair)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.core.text import Reference, text
from app.lifecycle.step_dates import Dated, LateEntry
from app.restrictions.schemas import NoticeMethod
from app.rules.restrictions import Situation

_Prose = Annotated[str, text(4000, multiline=True)]
_LISTING_ID = "7f3e2d1c-0b9a-4876-9543-210fedcba987"
_APPLICATION_ID = "2b1c0d9e-8f7a-4b6c-9d4e-3f2a1b0c9d8e"


class RepairNoticeIssue(Dated):
    """整改告知书 served: how (in person or by post), dated the day it was issued."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"method": "mail"}, {"method": "in_person"}]},
    )

    method: NoticeMethod = Field(description="告知方式: in_person 现场告知; mail 邮寄送达.")


class RepairNoticeReceipt(LateEntry):
    """The day the subject received the repair notice: not before its issue, not after
    today; entered after it, with the reason."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"received_on": "2026-09-15"}]}
    )

    received_on: dt.date = Field(description="签收日期.")


class RepairApplicationCreate(Dated):
    """整改证明 (信用修复申请): filed by the subject (through the platform, or a clerk for
    them) at any time while the listing is effective."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "statement": "原申请已撤回，现提交撤回文书及信用承诺书",
                    "evidence_refs": ["撤回申请受理回执", "信用承诺书"],
                    "commitment_letter": True,
                }
            ]
        },
    )

    statement: _Prose = Field(description="整改情况说明.")
    evidence_refs: list[Reference] = Field(
        default_factory=list, max_length=50, description="证明材料 (document references)."
    )
    commitment_letter: bool = Field(
        default=False, description="是否附书面信用承诺书 (written credit commitment)."
    )


class RepairOutcome(StrEnum):
    """rectified 已整改 (信用修复); not_rectified 未整改 (继续有效, 可再次申请)."""

    rectified = "rectified"
    not_rectified = "not_rectified"


class RepairDecisionCreate(Dated):
    """认定结果: rectified repairs (after the period end, the same day); not rectified
    gives reasons and leaves the listing effective."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"outcome": "rectified", "reasons": "经核实，原申请已撤回并已提交信用承诺书"},
                {"outcome": "not_rectified", "reasons": "未提交原申请终止办理或撤回的文书"},
            ]
        },
    )

    outcome: RepairOutcome
    reasons: _Prose = Field(description="认定理由.")


class RepairApplicationRead(BaseModel):
    id: UuidStr
    filed_on: dt.date
    statement: str
    evidence_refs: list[str]
    commitment_letter: bool
    decision_due: dt.date = Field(description="认定期限 (profile `repair_decision`).")
    outcome: RepairOutcome | None
    reasons: str | None
    decided_on: dt.date | None


class RepairNoticeRead(BaseModel):
    """整改告知书: due from the day after the period end (profile `repair_notice`)."""

    due_on: dt.date | None = Field(description="告知期限; none while nothing is due.")
    issued_on: dt.date | None
    method: NoticeMethod | None
    late: bool | None
    received_on: dt.date | None


class RectificationToDo(BaseModel):
    """What remains to rectify and how to prove it, for the listing's situation."""

    situation: Situation
    proof: str = Field(description="evidence, or closure_and_commitment (nothing to put right).")
    remains_zh: str
    how_to_prove_zh: str
    basis: str
    citation: str


class RepairRead(BaseModel):
    """信用修复: where an effective listing stands on its way to repair (LZ §5(1)5)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "listing_id": _LISTING_ID,
                    "status": "effective",
                    "effective": True,
                    "period_ends_on": "2026-09-10",
                    "awaiting_rectification": True,
                    "rectified_on": None,
                    "repaired_on": None,
                    "notice": {
                        "due_on": "2026-09-15",
                        "issued_on": "2026-09-11",
                        "method": "mail",
                        "late": False,
                        "received_on": "2026-09-14",
                    },
                    "to_rectify": {
                        "situation": "false_materials",
                        "proof": "closure_and_commitment",
                        "remains_zh": "以虚假材料提出的申请应已终止办理或撤回；"
                        "此外无可补正的事项。",
                        "how_to_prove_zh": "提交该申请已终止办理、不予受理（许可）或已撤回的文书，"
                        "并提交书面信用承诺书。",
                        "basis": "deployment_choice",
                        "citation": "LZ §5(1)5",
                    },
                    "applications": [
                        {
                            "id": _APPLICATION_ID,
                            "filed_on": "2026-09-16",
                            "statement": "原申请已撤回",
                            "evidence_refs": ["撤回申请受理回执", "信用承诺书"],
                            "commitment_letter": True,
                            "decision_due": "2026-09-23",
                            "outcome": None,
                            "reasons": None,
                            "decided_on": None,
                        }
                    ],
                    "version": 9,
                }
            ]
        }
    )

    listing_id: UuidStr
    status: str = Field(description="The listing's status today (effective, repaired, ...).")
    effective: bool
    period_ends_on: dt.date | None = Field(description="管理期限届满日, restarts included.")
    awaiting_rectification: bool = Field(
        description="Effective past the period end, not rectified (the end is open)."
    )
    rectified_on: dt.date | None
    repaired_on: dt.date | None
    notice: RepairNoticeRead
    to_rectify: RectificationToDo | None
    applications: list[RepairApplicationRead]
    version: int
