"""The filters of the commitment search (``POST /api/v1/commitments/search``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.core.text import text
from app.departments.schemas import DEPARTMENT_CODE_PATTERN


class CommitmentSearch(BaseModel):
    """检索承诺案件: the filters of ``GET /api/v1/commitments`` in the body, so that a
    citizen ID number never reaches a URL (网关与代理日志不留存). Every filter is
    optional; with none, the department's cases page."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"subject": "11010519491231002X"},
                {"status": "accepted", "due_before": "2026-10-31", "limit": 20},
                {"status": "fulfilled", "late": True},
            ]
        },
    )

    subject: str | None = Field(
        default=None,
        max_length=18,
        description="主体标识: 统一社会信用代码 or 居民身份证号码; case does not matter.",
    )
    status: Annotated[str, text(32)] | None = Field(
        default=None, description="Status as of today (按当日推算的状态)."
    )
    department: str | None = Field(
        default=None,
        pattern=DEPARTMENT_CODE_PATTERN,
        description="实施机关: only the caller's own (auditors: any department).",
    )
    due_before: date | None = Field(
        default=None, description="`current_due_on <= due_before` (期限不晚于该日)."
    )
    late: bool | None = Field(
        default=None,
        description="`true`: decisions made after the completion limit (逾期办结, DZ art. 7 "
        "¶3); `false`: decisions made within it.",
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        default=None, max_length=512, description="`next_cursor` of the previous page."
    )
