from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.audit.chain import ChainBreak


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
                    "position": 41,
                    "prev_hash": "9f2c…",
                    "hash": "4b7e…",
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
    position: int | None = Field(
        description=(
            "Place in the hash chain (哈希链位置); null until the entry is chained, which "
            "happens after its transaction commits (the worker chains on every pass, and "
            "reading the log chains first)."
        )
    )
    prev_hash: str | None = Field(
        description=(
            "`hash` of the entry at the position before this one (64 zeros for the first); "
            "null until chained."
        )
    )
    hash: str | None = Field(
        description=(
            "SHA-256 (hex) of this entry's canonical JSON with `prev_hash` (哈希链); "
            "null until chained."
        )
    )


class AuditChainVerification(BaseModel):
    """审计日志哈希链校验结果: whether the entries of a range are unchanged and unbroken."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "checked": 1200,
                    "intact": True,
                    "first_broken_id": None,
                    "first_broken_position": None,
                    "reason": None,
                    "last_id": 1203,
                    "last_position": 1200,
                    "last_hash": "4b7e1c0d9a8f…",
                    "unchained": 0,
                },
                {
                    "checked": 42,
                    "intact": False,
                    "first_broken_id": 44,
                    "first_broken_position": 42,
                    "reason": "hash_mismatch",
                    "last_id": 43,
                    "last_position": 41,
                    "last_hash": "9f2c5a7b3e10…",
                    "unchained": 0,
                },
            ]
        }
    )

    checked: int = Field(description="Entries checked, the broken one included.")
    intact: bool = Field(description="True when every checked entry verified.")
    first_broken_id: int | None = Field(
        description="Id of the first entry that did not verify; null when intact."
    )
    first_broken_position: int | None = Field(
        description="Its position in the chain; null when intact."
    )
    reason: ChainBreak | None = Field(
        description=(
            "`hash_mismatch`: the entry's content was changed after it was written. "
            "`chain_broken`: its `prev_hash` is not the `hash` of the link before it "
            "(an entry was deleted or inserted)."
        )
    )
    last_id: int | None = Field(description="Id of the last entry that verified.")
    last_position: int | None = Field(description="Its position in the chain.")
    last_hash: str | None = Field(
        description="`hash` of that entry: compare it with a copy kept outside the database."
    )
    unchained: int = Field(
        description=(
            "Entries written but not yet in the chain when the check ended (their "
            "transactions committed while it ran); they are chained on the next pass."
        )
    )
