from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DEPARTMENT_CODE_PATTERN = r"^\d{6}-[A-Z0-9]{2,20}$"

_EXAMPLE: dict[str, Any] = {
    "code": "371400-SPJ",
    "name": "德州市行政审批服务局",
    "region_code": "371400",
    "profile": "shandong-combined",
    "contact_phone": "0534-2688000",
}


class DepartmentCreate(BaseModel):
    """Register a department (部门): region code (GB/T 2260) and the profile it applies."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    code: str = Field(
        pattern=DEPARTMENT_CODE_PATTERN,
        description="Region code, a hyphen and a short upper-case suffix: `371400-SPJ`.",
    )
    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=r"^\d{6}$", description="GB/T 2260 region code.")
    profile: str | None = Field(
        default=None,
        max_length=64,
        description="Rule profile of the region; the service's default when omitted.",
    )
    contact_phone: str | None = Field(default=None, max_length=40)


class DepartmentUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "德州市行政审批服务局"}]}
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    profile: str | None = Field(default=None, max_length=64)
    contact_phone: str | None = Field(default=None, max_length=40)


class DepartmentRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [{**_EXAMPLE, "version": 1, "updated_at": "2026-09-30T02:00:00Z"}]
        },
    )

    code: str
    name: str
    region_code: str
    profile: str
    contact_phone: str | None
    version: int
    updated_at: datetime
