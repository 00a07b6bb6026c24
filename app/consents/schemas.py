from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.schemas import MATTER_CODE_PATTERN
from app.core.schema_types import UuidStr
from app.core.text import text
from app.departments.schemas import DEPARTMENT_CODE_PATTERN
from app.subjects.schemas import SubjectIn, SubjectRead


class ConsentPurpose(StrEnum):
    """使用目的: credit_facilitation 政务服务信用便利化办理 (DZ art. 6);
    rating_consultation 评先评优征求意见 (LZ §5(2)3)."""

    credit_facilitation = "credit_facilitation"
    rating_consultation = "rating_consultation"


class InformationCategory(StrEnum):
    """使用范围: restriction_list 失信制约名单; joint_punishment 联合奖惩名单;
    credit_record 信用记录; commitment_history 承诺履行情况."""

    restriction_list = "restriction_list"
    joint_punishment = "joint_punishment"
    credit_record = "credit_record"
    commitment_history = "commitment_history"


class ConsentMethod(StrEnum):
    """授权方式: written_signature 书面签字; electronic_signature 电子签名;
    platform_authorization 政务服务平台在线授权."""

    written_signature = "written_signature"
    electronic_signature = "electronic_signature"
    platform_authorization = "platform_authorization"


DepartmentCode = Annotated[str, Field(pattern=DEPARTMENT_CODE_PATTERN, examples=["371400-SPJ"])]
# 申请编号: the reference of one application (the agency's own numbering).
ApplicationRef = Annotated[str, text(64), Field(examples=["SQ-2026-000123"])]


class ConsentCreate(BaseModel):
    """Record a consent (授权): purpose, scope and method stated, bounded in time."""

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
                    "purpose": "credit_facilitation",
                    "scope": ["restriction_list", "joint_punishment"],
                    "method": "written_signature",
                    "granted_at": "2026-09-30T09:30:00+08:00",
                    "expires_on": "2027-09-30",
                    "evidence_ref": "SQ-2026-000123（窗口签字授权书扫描件）",
                    "given_to": ["371400-SPJ"],
                },
                {
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91350100M000100Y43",
                        "name": "德州市某某食品有限公司",
                    },
                    "purpose": "credit_facilitation",
                    "scope": ["restriction_list", "joint_punishment"],
                    "matter_code": "SPJ-FOOD-001",
                    "application_ref": "SQ-2026-000123",
                    "method": "electronic_signature",
                    "granted_at": "2026-09-30T09:40:00+08:00",
                    "expires_on": "2026-10-31",
                    "evidence_ref": "DZQM-2026-0456（电子签名授权记录）",
                },
            ]
        },
    )

    subject: SubjectIn
    purpose: ConsentPurpose
    scope: list[InformationCategory] = Field(
        min_length=1,
        max_length=4,
        description=(
            "使用范围: the information the consent lets be read (LZ §5(1)6 明示…范围). "
            "Required: a consent that states none is no consent. A credit check reads "
            "`restriction_list` and `joint_punishment`."
        ),
    )
    matter_code: str | None = Field(
        default=None,
        pattern=MATTER_CODE_PATTERN,
        description=(
            "Limits the consent to one matter of the catalog: it is valid for a credit check "
            "of that matter only. Omitted: every matter of the purpose, at the departments "
            "it is given to, until it ends."
        ),
    )
    application_ref: ApplicationRef | None = Field(
        default=None,
        description=(
            "Limits the consent to one application (申请编号): valid only for a credit check "
            "that names it in `application_ref`."
        ),
    )
    method: ConsentMethod
    granted_at: datetime | None = Field(
        default=None, description="When the applicant consented; now when omitted."
    )
    expires_on: date = Field(
        description="Last valid day; at most the profile's maximum after the grant."
    )
    evidence_ref: Annotated[str, text(500)] = Field(
        description="授权凭证: reference to the signed or logged evidence."
    )
    given_to: list[DepartmentCode] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description=(
            "授权对象部门: the department(s) the applicant gives the consent to. Only they "
            "may use it in a credit check, read it or revoke it (a platform acting for one "
            "of them included). Default: the caller's department; a platform names the "
            "department it acts for."
        ),
    )


class ConsentRevocation(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "申请人书面撤回授权"}]}
    )

    reason: Annotated[str, text(1000, multiline=True)] = Field(description="撤回理由.")


class ConsentRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "6c1f3f0e-5d8a-4f7e-9a51-7b0c2e4d9f10",
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91350100M000100Y43",
                        "name": "德州市某某食品有限公司",
                        "address": None,
                    },
                    "purpose": "credit_facilitation",
                    "scope": ["restriction_list", "joint_punishment"],
                    "matter_code": None,
                    "application_ref": None,
                    "method": "written_signature",
                    "granted_at": "2026-09-30T01:30:00Z",
                    "expires_on": "2027-09-30",
                    "evidence_ref": "SQ-2026-000123",
                    "revoked_at": None,
                    "revocation_reason": None,
                    "department": "371400-SPJ",
                    "given_to": ["371400-SPJ"],
                    "version": 1,
                }
            ]
        }
    )

    id: UuidStr
    subject: SubjectRead
    purpose: ConsentPurpose
    scope: list[InformationCategory] = Field(
        description="Empty only for a consent recorded without one: such a consent is invalid "
        "for any check (`consent_scope_missing`)."
    )
    matter_code: str | None = Field(default=None, description="The one matter it covers.")
    application_ref: str | None = Field(default=None, description="The one application it covers.")
    method: ConsentMethod
    granted_at: datetime
    expires_on: date
    evidence_ref: str
    revoked_at: datetime | None
    revocation_reason: str | None
    department: str | None = Field(description="The department that recorded the consent.")
    given_to: list[str] = Field(
        description="The department(s) the consent was given to: the only ones that may "
        "use, read or revoke it."
    )
    version: int
