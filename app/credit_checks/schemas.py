from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.schemas import MATTER_CODE_PATTERN
from app.consents.schemas import ApplicationRef, ConsentPurpose
from app.core.schema_types import UuidStr
from app.rules.eligibility import CheckResult
from app.rules.profiles import Mode
from app.subjects.schemas import SubjectIn, SubjectRead


class CreditCheckCreate(BaseModel):
    """信用核验 request (DZ art. 6): the applicant chose credit facilitation for a matter."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91350100M000100Y43",
                        "name": "德州市某某食品有限公司",
                    },
                    "matter_code": "SPJ-FOOD-001",
                    "mode": "tolerance",
                    "consent_id": "6c1f3f0e-5d8a-4f7e-9a51-7b0c2e4d9f10",
                    "purpose": "credit_facilitation",
                }
            ]
        },
    )

    subject: SubjectIn
    agent: SubjectIn | None = Field(
        default=None, description="代理机构/代理人 acting for the applicant (LZ §3)."
    )
    matter_code: str = Field(pattern=MATTER_CODE_PATTERN)
    mode: Mode
    consent_id: uuid.UUID | None = Field(
        default=None, description="The applicant's consent (LZ §5(1)6); required by most profiles."
    )
    purpose: ConsentPurpose = ConsentPurpose.credit_facilitation
    application_ref: ApplicationRef | None = Field(
        default=None,
        description=(
            "申请编号: the application this check is for. A consent limited to one "
            "application covers only a check that names it (LZ §5(1)6)."
        ),
    )


class ReasonRead(BaseModel):
    """A failing condition, with its citation."""

    code: str
    message: str = Field(description="Chinese message for the window.")
    message_en: str
    citation: str = Field(description="Short citation label, e.g. `LZ §5(2)1`.")
    citation_text: str = Field(description="The cited sentence (Chinese).")
    detail: str | None = None
    barred_modes: list[Mode] | None = Field(
        default=None,
        description=(
            "The modes this reason bars when it bars only some (a joint-punishment list "
            "whose memorandum bars some modes, LZ §3; a mode the matter does not offer); "
            "null when it concerns the whole check."
        ),
    )


class CreditCheckRead(BaseModel):
    """A stored credit check. `fail` (核验未通过) and `not_performed` (核验未完成) are
    normal results: use the ordinary procedure (DZ art. 6 ¶2)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6f1d3e-6a0c-4d8e-9a53-2f1c1e2b9d41",
                    "result": "fail",
                    "eligible_modes": [],
                    "reasons": [
                        {
                            "code": "restriction_effective",
                            "message": "申请人被列入失信制约名单，管理期内不享受便利化服务。",
                            "message_en": "The applicant is on the restriction list.",
                            "citation": "LZ §5(2)1",
                            "citation_text": "不享受绿色通道、容缺受理等便民惠企措施",
                            "detail": None,
                        }
                    ],
                    "next_step": "ordinary",
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91350100M000100Y43",
                        "name": "德州市某某食品有限公司",
                        "address": None,
                    },
                    "agent": None,
                    "matter_code": "SPJ-FOOD-001",
                    "application_ref": None,
                    "matter_version": 2,
                    "mode": "tolerance",
                    "purpose": "credit_facilitation",
                    "consent_id": "6c1f3f0e-5d8a-4f7e-9a51-7b0c2e4d9f10",
                    "profile": "shandong-combined",
                    "department": "371400-SPJ",
                    "checked_at": "2026-09-30T02:00:00Z",
                    "valid_until": "2026-10-01",
                    "warnings": [],
                },
                {
                    "id": "7d2c4b1a-3e5f-4a6b-8c9d-0e1f2a3b4c5d",
                    "result": "not_performed",
                    "eligible_modes": [],
                    "reasons": [
                        {
                            "code": "joint_punishment_unavailable",
                            "message": "暂时无法查询国家联合奖惩名单：本次核验未完成，"
                            "不属于核验未通过。现按一般程序办理，可稍后重新核验。",
                            "message_en": "The national joint punishment lists could not "
                            "be consulted: the check was not performed (it did not fail).",
                            "citation": "DZ art. 6 ¶2",
                            "citation_text": "不选择应用信用信息办理或者信用核验未通过的，"
                            "按照一般程序办理。",
                            "detail": None,
                            "barred_modes": None,
                        }
                    ],
                    "next_step": "ordinary",
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91350100M000100Y43",
                        "name": "德州市某某食品有限公司",
                        "address": None,
                    },
                    "agent": None,
                    "matter_code": "SPJ-FOOD-001",
                    "application_ref": "SQ-2026-000123",
                    "matter_version": 2,
                    "mode": "notify_commit",
                    "purpose": "credit_facilitation",
                    "consent_id": "6c1f3f0e-5d8a-4f7e-9a51-7b0c2e4d9f10",
                    "profile": "shandong-combined",
                    "department": "371400-SPJ",
                    "checked_at": "2026-09-30T02:00:00Z",
                    "valid_until": "2026-10-01",
                    "warnings": [],
                },
            ]
        }
    )

    id: UuidStr
    result: CheckResult = Field(
        description=(
            "`pass`: the requested mode is open. `fail` (核验未通过): a reason bars it. "
            "`not_performed` (核验未完成): nothing found bars it, but the check could not be "
            "completed (the joint punishment lists could not be read, or a hit's list type "
            "is unknown): no failure is recorded, it never backs a commitment, and the check "
            "may be run again."
        )
    )
    eligible_modes: list[Mode] = Field(
        description="The modes open to the applicant for this matter; none while not performed."
    )
    reasons: list[ReasonRead] = Field(
        description="Each condition that bars a mode or left the check undone; a `pass` may "
        "list reasons that bar other modes only."
    )
    next_step: str = Field(
        description="`facilitation` when passed; `ordinary` (一般程序, DZ art. 6 ¶2) when failed "
        "or not performed."
    )
    subject: SubjectRead
    agent: SubjectRead | None
    matter_code: str
    application_ref: str | None = None
    matter_version: int | None
    mode: Mode
    purpose: ConsentPurpose
    consent_id: UuidStr | None
    profile: str
    department: str | None
    checked_at: datetime
    valid_until: date = Field(description="Last day a passed check may back a commitment.")
    warnings: list[str] = Field(default_factory=list)
