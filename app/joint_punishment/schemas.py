from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import FieldError
from app.joint_punishment.importing import ImportFormat
from app.profiles.schemas import CitationRead
from app.rules.eligibility import CheckResult
from app.rules.profiles import Mode


class RejectedRow(BaseModel):
    """A row left out of the import (被拒绝的行), with each reason."""

    line: int = Field(description="Line number in the file; the CSV header is line 1.")
    errors: list[FieldError] = Field(
        description="`field` is the column name, or `line` when the line cannot be read."
    )


class JointPunishmentImportResult(BaseModel):
    """联合奖惩名单导入结果: how many rows were accepted and why the others were not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "import_id": "3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b",
                    "format": "csv",
                    "accepted": 99998,
                    "rejected": 2,
                    "rejected_rows": [
                        {
                            "line": 17,
                            "errors": [
                                {
                                    "field": "id_number",
                                    "code": "invalid_uscc",
                                    "message": "the check character (MOD 31) does not match",
                                }
                            ],
                        },
                        {
                            "line": 4242,
                            "errors": [
                                {
                                    "field": "expires_on",
                                    "code": "expires_before_listed",
                                    "message": "must not be before listed_on",
                                }
                            ],
                        },
                    ],
                    "rejected_rows_truncated": False,
                }
            ]
        }
    )

    import_id: uuid.UUID
    format: ImportFormat
    accepted: int = Field(description="Rows stored.")
    rejected: int = Field(description="Rows left out; all of them, even beyond the report cap.")
    rejected_rows: list[RejectedRow] = Field(
        description="The first rejected rows, in file order (at most 1,000)."
    )
    rejected_rows_truncated: bool = Field(
        description="True when more rows were rejected than `rejected_rows` lists."
    )


class JointPunishmentImportRead(BaseModel):
    """联合奖惩名单导入批次: one bulk import, who made it and its counts."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b",
                    "format": "ndjson",
                    "accepted": 1200,
                    "rejected": 3,
                    "imported_by": "admin-zhang",
                    "department": "371400-SPJ",
                    "created_at": "2026-11-22T03:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    format: ImportFormat
    accepted: int
    rejected: int
    imported_by: str
    department: str | None
    created_at: datetime


class MemorandumRead(BaseModel):
    """联合奖惩备忘录: named as configuration, not quoted; the number only where confirmed."""

    title_zh: str
    document_number: str | None
    label: str


class ListTypeRead(BaseModel):
    """名单类型: what a hit on this list bars, under which memorandum (LZ §3 从其规定处理)."""

    code: str = Field(description="The value of `list_type` in an import.")
    label_zh: str
    list_names: list[str] = Field(
        description="Names the list is published under: an entry with one of them and no "
        "`list_type` takes this type."
    )
    memorandum: MemorandumRead
    barred_modes: list[Mode] = Field(description="The facilitation a hit bars.")
    open_modes: list[Mode] = Field(description="The facilitation a hit leaves open.")
    basis: str = Field(
        description="`deployment_choice`: which modes the memorandum's measures bar is this "
        "deployment's reading of it."
    )
    citation: CitationRead
    description_zh: str
    description_en: str


class NotPerformedRuleRead(BaseModel):
    """核验未完成: the lists unreadable, or a hit of an unknown type."""

    result: CheckResult
    next_step: str
    reason_codes: list[str]
    citations: list[CitationRead]
    description_zh: str
    description_en: str


class JointPunishmentRulesRead(BaseModel):
    """联合奖惩名单的适用规则: every configured list type, and when a check is not performed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "list_types": [
                        {
                            "code": "major_tax_violation",
                            "label_zh": "重大税收违法失信主体",
                            "list_names": ["重大税收违法失信主体"],
                            "memorandum": {
                                "title_zh": "对重大税收违法案件当事人实施联合惩戒措施的合作备忘录",
                                "document_number": None,
                                "label": "《对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》",
                            },
                            "barred_modes": ["tolerance", "notify_commit"],
                            "open_modes": ["green_channel"],
                            "basis": "deployment_choice",
                            "citation": {
                                "label": "LZ §3",
                                "source": "LZ",
                                "source_title_zh": "临淄区建立政务服务“失信制约”制度",
                                "article": "3",
                                "paragraph": None,
                                "text_zh": "对于纳入国家联合奖惩备忘录的申报主体，从其规定处理。",
                            },
                            "description_zh": "按该备忘录规定的惩戒措施处理。",
                            "description_en": "Handled as the memorandum provides.",
                        }
                    ],
                    "not_performed": {
                        "result": "not_performed",
                        "next_step": "ordinary",
                        "reason_codes": [
                            "joint_punishment_unavailable",
                            "joint_punishment_list_type_unknown",
                        ],
                        "citations": [
                            {
                                "label": "DZ art. 6 ¶2",
                                "source": "DZ",
                                "source_title_zh": "德州市政务服务信用信息应用办法",
                                "article": "6",
                                "paragraph": "2",
                                "text_zh": "不选择应用信用信息办理或者信用核验未通过的，"
                                "按照一般程序办理。",
                            }
                        ],
                        "description_zh": "本次核验结果为“未完成”，不属于“信用核验未通过”。",
                        "description_en": "The check is not performed, which is not a failure.",
                    },
                }
            ]
        }
    )

    list_types: list[ListTypeRead]
    not_performed: NotPerformedRuleRead
