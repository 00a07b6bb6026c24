from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.calendar.explain_schemas import EXPLANATION_EXAMPLE, DeadlineExplanation
from app.core.text import text
from app.rules.periods import Unit


class CalendarYearRead(BaseModel):
    """一年的工作日历: statutory holidays (法定节假日) and make-up working days (调休上班日)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": 2026,
                    "holidays": ["2026-10-01", "2026-10-02"],
                    "makeup_workdays": ["2026-09-20", "2026-10-10"],
                    "source": "chinese-calendar 1.11.0",
                    "provisional": False,
                    "version": 1,
                    "updated_at": "2026-11-22T02:00:00Z",
                }
            ]
        }
    )

    year: int
    holidays: list[date]
    makeup_workdays: list[date]
    source: str = Field(
        description="Where the data came from; `weekends_only` when the year is not loaded."
    )
    provisional: bool = Field(
        description="True when the year is not loaded: only weekends are days off."
    )
    version: int | None = Field(default=None, description="Pass as If-Match to update.")
    updated_at: datetime | None = None


class CalendarYearWrite(BaseModel):
    """Load one year as the State Council published it (国务院办公厅关于部分节假日安排的通知)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "holidays": ["2027-01-01", "2027-02-06", "2027-02-07"],
                    "makeup_workdays": ["2027-02-20"],
                    "source": "国办发明电〔2026〕X号",
                }
            ]
        },
    )

    holidays: list[date] = Field(max_length=366)
    makeup_workdays: list[date] = Field(max_length=366)
    source: Annotated[str, text(200)] = Field(
        default="admin", description="The notice it comes from."
    )


class DeadlineRead(BaseModel):
    """A computed deadline (期限) with its unit, whether provisional, and its citation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "start": "2026-09-30",
                    "amount": 3,
                    "unit": "working_days",
                    "deadline": "2026-10-10",
                    "provisional": False,
                    "citation": "民法典 art. 201; 行政许可法 art. 82",
                    "explanation": EXPLANATION_EXAMPLE,
                }
            ]
        }
    )

    start: date
    amount: int
    unit: Unit
    deadline: date
    provisional: bool = Field(
        description="True when the computation touched a year with no loaded calendar."
    )
    citation: str
    explanation: DeadlineExplanation | None = Field(
        default=None, description="期限说明, with `explain=true`: the computation day by day."
    )
