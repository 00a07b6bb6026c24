from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.rules.tasks import TaskKind

__all__ = ["TaskKind", "TaskLink", "TaskRead", "TaskSubject"]


class TaskSubject(BaseModel):
    """申请人 / 被列入主体, masked: a person's name and ID number are never shown in full
    in the work queue (an organisation's name and USCC are public and shown)."""

    subject_type: str = Field(description="person (自然人) or organisation (法人和非法人组织).")
    name: str = Field(description="Name, masked for a person (张*丰).")
    id_number: str = Field(description="ID number, masked for a person (3701**********1234).")


class TaskLink(BaseModel):
    """下一步: a step route that resolves the task."""

    step: str = Field(description="The step (e.g. `supplements`, `decision`, `reminders`).")
    method: Literal["POST"] = "POST"
    href: str = Field(description="The step's URL, ready to call.")


class TaskRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "decide_lifting",
                    "department": "370305-XZSP",
                    "resource_type": "lifting_request",
                    "resource_id": "2b1c0d9e-8f7a-4b6c-9d4e-3f2a1b0c9d8e",
                    "listing_id": "7f3e2d1c-0b9a-4876-9543-210fedcba987",
                    "commitment_id": None,
                    "due_on": "2026-03-05",
                    "overdue": False,
                    "matter_code": "370305-FOOD-001",
                    "subject": {
                        "subject_type": "person",
                        "name": "张*丰",
                        "id_number": "3701**********1234",
                    },
                    "links": [
                        {
                            "step": "decision",
                            "method": "POST",
                            "href": "/api/v1/restrictions/7f3e2d1c-0b9a-4876-9543-210fedcba987"
                            "/lifting-requests/2b1c0d9e-8f7a-4b6c-9d4e-3f2a1b0c9d8e/decision",
                        }
                    ],
                }
            ]
        }
    )

    kind: TaskKind
    department: str
    resource_type: str
    resource_id: UuidStr
    listing_id: UuidStr | None = Field(
        default=None,
        description="失信制约名单: the listing the task is on (a lifting request's listing too).",
    )
    commitment_id: UuidStr | None = Field(
        default=None,
        description="承诺: the case the task is on (a verification's commitment too).",
    )
    due_on: date | None
    overdue: bool = Field(description="The due day has passed (the due day itself is in time).")
    matter_code: str | None = Field(
        default=None,
        description="事项: the matter of the case (of the commitment a listing was proposed "
        "from; none for a listing collected otherwise).",
    )
    subject: TaskSubject | None = Field(default=None, description="主体, masked.")
    links: list[TaskLink] = Field(
        default_factory=list,
        description="下一步: the URL of each step route that resolves the task (POST).",
    )
