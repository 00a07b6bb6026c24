"""The regulator's queue (DZ art. 12) and what a commitment shows of its supervision."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.rules.supervision import SupervisionBasis
from app.subjects.schemas import SubjectRead
from app.tasks.schemas import TaskLink

__all__ = [
    "CommitmentSupervision",
    "SupervisionBasis",
    "SupervisionItem",
    "SupervisionStatus",
]


class SupervisionStatus(StrEnum):
    """监管事项状态: open 待监管 (no conclusive feedback yet); nonconforming 已反馈不符合承诺
    (the agency orders rectification); closed 已反馈符合承诺 (办结)."""

    open = "open"
    nonconforming = "nonconforming"
    closed = "closed"


class CommitmentSupervision(BaseModel):
    """行业主管部门的监管 of the commitment (DZ art. 12) and the order it awaits."""

    result: str | None = Field(
        description="The regulator's last conclusive finding: conforms 符合承诺, "
        "nonconforming 不符合承诺; null before one."
    )
    feedback_on: date | None = Field(description="The day of the last supervision feedback.")
    order_pending: bool = Field(
        description="责令限期整改 still to be issued on a nonconforming finding (DZ art. 13 ¶2)."
    )
    order_due_on: date | None = Field(
        description="The day the order is due (profile `rectification_order`), while pending."
    )


class SupervisionItem(BaseModel):
    """一件监管事项: a decided commitment the regulator supervises (DZ art. 12)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "commitment_id": "5b0d6a2c-1e3f-4a5b-9c8d-7e6f5a4b3c2d",
                    "matter_code": "SPJ-FOOD-001",
                    "matter_name": "食品经营许可（新办）",
                    "department": "371400-SPJ",
                    "regulator_department": "371400-SCJ",
                    "basis": "routine",
                    "citation": "DZ art. 12 ¶2",
                    "subject": {
                        "subject_type": "organization",
                        "id_number": "91371400MA3C5AB12X",
                        "name": "德州市某某食品有限公司",
                        "address": None,
                    },
                    "commitment_status": "fulfilled",
                    "decided_on": "2026-10-12",
                    "status": "nonconforming",
                    "supervision": {
                        "result": "nonconforming",
                        "feedback_on": "2026-10-20",
                        "order_pending": True,
                        "order_due_on": "2026-10-23",
                    },
                    "links": [
                        {
                            "step": "supervision-feedback",
                            "method": "POST",
                            "href": "/api/v1/commitments/5b0d6a2c-1e3f-4a5b-9c8d-7e6f5a4b3c2d"
                            "/supervision-feedback",
                        }
                    ],
                }
            ]
        }
    )

    commitment_id: UuidStr
    matter_code: str
    matter_name: str = Field(description="事项名称, as the commitment's notice named it.")
    department: str = Field(description="政务服务实施机关 (the agency).")
    regulator_department: str = Field(description="行业主管部门 of the matter's version.")
    basis: SupervisionBasis = Field(
        description="routine 日常监管 (免于核查, DZ art. 12 ¶2: 双随机、一公开, 重点监管, "
        "互联网+监管, 智慧监管) or in_process 事中事后监管 (承诺核查内容纳入监管, ¶1)."
    )
    citation: str = Field(description="The paragraph the item rests on.")
    subject: SubjectRead
    commitment_status: str = Field(description="The commitment's status today.")
    decided_on: date = Field(description="办理决定之日.")
    status: SupervisionStatus
    supervision: CommitmentSupervision
    links: list[TaskLink] = Field(
        default_factory=list, description="下一步: the feedback route (POST)."
    )
