from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    """审计日志条目: who did what to which record, for what purpose, when."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "recorded_at": "2026-09-30T02:00:00Z",
                    "actor": "alice",
                    "roles": ["clerk"],
                    "department": "371400-SPJ",
                    "action": "credit_check.create",
                    "target_type": "credit_check",
                    "target_id": "0b6f1d3e-6a0c-4d8e-9a53-2f1c1e2b9d41",
                    "purpose": "食品经营许可 容缺受理",
                    "request_id": "5f0c3d0e8a4b4f3c9d1e2f3a4b5c6d7e",
                    "details": {"consent_id": "a1f0…"},
                }
            ]
        },
    )

    id: int
    recorded_at: datetime
    actor: str
    roles: list[str]
    department: str | None
    action: str
    target_type: str
    target_id: str
    purpose: str | None
    request_id: str | None
    details: dict[str, Any] | None
