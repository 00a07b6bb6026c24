from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class TaskKind(StrEnum):
    """Work a department must do (待办)."""

    take_up_proposal = "take_up_proposal"  # 失信制约建议待认定
    issue_listing_notice = "issue_listing_notice"  # 告知书待送达 (3 working days)
    review_objection = "review_objection"  # 陈述申辩待复核 (15 working days)
    decide_lifting = "decide_lifting"  # 取消限制申请待核实 (5 days)
    send_reminder = "send_reminder"  # 容缺逾期待催告
    terminate_or_accept = "terminate_or_accept"  # 催告期满待处理
    decide_commitment = "decide_commitment"  # 告知承诺待作出决定 / 容缺待办结
    carry_out_verification = "carry_out_verification"  # 核查 (incl. on-site for others)
    follow_rectification = "follow_rectification"  # 责令整改期满待处理


class TaskRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "issue_listing_notice",
                    "department": "370305-XZSP",
                    "resource_type": "restriction",
                    "resource_id": "2b1c0d9e-8f7a-4b6c-5d4e-3f2a1b0c9d8e",
                    "due_on": "2026-03-05",
                    "overdue": False,
                }
            ]
        }
    )

    kind: TaskKind
    department: str
    resource_type: str
    resource_id: str
    due_on: date | None
    overdue: bool = Field(description="The due day has passed (the due day itself is in time).")
