from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.text import text

DEPARTMENT_CODE_PATTERN = r"^\d{6}-[A-Z0-9]{2,20}$"
# The lengths of the departments table's columns.
_Name = Annotated[str, text(200)]
_Profile = Annotated[str, text(64, min_length=0)]
_Phone = Annotated[str, text(40, min_length=0)]

_EXAMPLE: dict[str, Any] = {
    "code": "371400-SPJ",
    "name": "德州市行政审批服务局",
    "region_code": "371400",
    "profile": "dezhou-2023",
    "contact_phone": "0534-2688000",
}


class DepartmentCreate(BaseModel):
    """Register a department (部门): region code (GB/T 2260) and the profile it applies."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    code: str = Field(
        pattern=DEPARTMENT_CODE_PATTERN,
        description="Region code, a hyphen and a short upper-case suffix: `371400-SPJ`.",
    )
    name: _Name = Field(description="部门名称.")
    region_code: str = Field(pattern=r"^\d{6}$", description="GB/T 2260 region code.")
    profile: _Profile | None = Field(
        default=None,
        description="Rule profile; when omitted, the deployment's explicit `ZWFW_PROFILE`, "
        "else the region's (3714: `dezhou-2023`; 370305: `linzi-2022`).",
    )
    contact_phone: _Phone | None = None


class DepartmentUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "德州市行政审批服务局"}]}
    )

    name: _Name | None = None
    profile: _Profile | None = None
    contact_phone: _Phone | None = None


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
