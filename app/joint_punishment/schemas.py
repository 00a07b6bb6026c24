from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import FieldError
from app.joint_punishment.importing import ImportFormat


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
