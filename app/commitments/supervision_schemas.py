"""The bodies and reads of the regulator's work on a commitment (DZ art. 12, 13 ¶2)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from app.catalog.schemas import PeriodSpec
from app.commitments.schemas import OrderService
from app.core.text import text
from app.lifecycle.step_dates import Dated


class RectificationOrderCreate(Dated):
    """责令限期整改 on the regulator's nonconforming feedback (DZ art. 13 ¶2)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "rectification_period": {"amount": 10, "unit": "working_days"},
                    "rectification_service": {"method": "post"},
                    "note": "经营场所面积与承诺不符，责令整改",
                }
            ]
        },
    )

    rectification_period: PeriodSpec = Field(description="整改期限, counted from the service.")
    rectification_service: OrderService = Field(
        default_factory=OrderService, description="送达方式; in person when omitted."
    )
    note: Annotated[str, text(2000, min_length=0, multiline=True)] | None = None
