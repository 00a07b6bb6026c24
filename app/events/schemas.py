from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import UuidStr
from app.rules.disclosure import Audience


class EventRead(BaseModel):
    """One state change (事件), in commit order. `event_id` lets receivers de-duplicate."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "8c2f5e3a-1b4d-4e6f-9a0b-1c2d3e4f5a6b",
                    "position": 42,
                    "type": "restriction.publish",
                    "aggregate_type": "restriction",
                    "aggregate_id": "2b1c0d9e-8f7a-4b6c-5d4e-3f2a1b0c9d8e",
                    "occurred_at": "2026-03-10T02:00:00Z",
                    "audience": "external",
                    "data": {
                        "from": "confirmed",
                        "to": "effective",
                        "subject_id": "5d0e4c3b-2a19-4f8e-b7d6-c5b4a3928170",
                        "subject": {
                            "subject_type": "person",
                            "id_number": "3714**********1236",
                            "name": "张*丰",
                        },
                    },
                }
            ]
        }
    )

    event_id: UuidStr
    position: int
    type: str = Field(
        description="`commitment.*`, `verification.*`, `restriction.*`, `credit_record.appended`."
    )
    aggregate_type: str
    aggregate_id: str
    occurred_at: datetime
    audience: Audience = Field(
        description="`external`: in every reader's feed and delivered to subscriptions; "
        "`internal`: a step of a listing not yet determined (确定列为失信制约, LZ §5(1)4), "
        "read only by the department that owns it, never delivered."
    )
    data: dict[str, Any] = Field(
        description="The change; an event about a subject carries `subject_id` and the "
        "`subject` masked (full only in deliveries to a subscription granted personal data)."
    )


class EventPage(BaseModel):
    items: list[EventRead]
    next_after: int | None = Field(
        description="Pass as `after` for the next call; stays the same when nothing is new."
    )
