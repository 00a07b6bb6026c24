"""The day a step happened, for every step of every domain (app.rules.step_dates).

A step's body may carry ``on``, the day it happened (default: today in the legal time
zone, ``Settings.tz``). :func:`date_step` refuses a day in the future or before the step
it follows (422, both dates in the problem's members of their own) and, for a day before
today, requires ``late_entry_reason``; :meth:`StepDate.details` is what the history row
and the audit entry record of it: the day, and who entered it late, when and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, Field

from app.core.context import Context
from app.core.errors import FieldError, UnprocessableEntity
from app.core.text import text
from app.rules.step_dates import check_step_date, entered_late


class StepDateInFuture(UnprocessableEntity):
    """The step is dated after today: nothing is recorded before it happens."""

    code = "step_date_in_future"


class StepDateBeforePreviousStep(UnprocessableEntity):
    """The step is dated before the step it follows in the same case."""

    code = "step_date_before_previous_step"


class LateEntryReasonRequired(UnprocessableEntity):
    """A step dated before today names why it is entered late."""

    code = "late_entry_reason_required"


_LATE_ENTRY_REASON = Field(
    default=None,
    description="补录原因: required when the step is dated before today (e.g. 邮寄送达，"
    "邮戳日期在期限内). Recorded with who entered it in the history and the audit log.",
)


class LateEntry(BaseModel):
    """补录: why a step is entered after the day it happened."""

    late_entry_reason: Annotated[str, text(500)] | None = _LATE_ENTRY_REASON


class Dated(LateEntry):
    """The day a step happened (发生日), today when not given."""

    on: dt.date | None = Field(
        default=None,
        description="The day the step happened (发生日), default today (Asia/Shanghai). "
        "Not after today, not before the step it follows; deadlines count from it.",
    )


@dataclass(frozen=True, slots=True)
class StepDate:
    """A step's day, checked, and who entered it on which day."""

    on: dt.date
    entered_on: dt.date
    entered_by: str
    late_entry_reason: str | None

    @property
    def late(self) -> bool:
        return entered_late(self.on, self.entered_on)

    def details(self) -> dict[str, Any]:
        """For the history row and the audit entry: the day, and a late entry's who and why."""
        details: dict[str, Any] = {"on": self.on.isoformat()}
        if self.late:
            details["late_entry"] = {
                "entered_on": self.entered_on.isoformat(),
                "entered_by": self.entered_by,
                "reason": self.late_entry_reason,
            }
        return details


def check_date(
    on: dt.date,
    today: dt.date,
    after: Mapping[str, dt.date | None] | None = None,
    *,
    field: str = "body.on",
) -> None:
    """Refuse ``on`` after today or before any recorded step of ``after`` (422)."""
    refusal = check_step_date(on, today, after)
    if refusal is None:
        return
    if refusal.code == StepDateInFuture.code:
        raise StepDateInFuture(
            f"{field} {on} lies after today, {today}.",
            errors=[FieldError(field=field, code=refusal.code, message=f"after {today}")],
            extra={"step_date": on.isoformat(), "today": today.isoformat()},
        )
    raise StepDateBeforePreviousStep(
        f"{field} {on} lies before {refusal.bound}, {refusal.bound_date}.",
        errors=[
            FieldError(
                field=field,
                code=refusal.code,
                message=f"before {refusal.bound} {refusal.bound_date}",
            )
        ],
        extra={
            "step_date": on.isoformat(),
            "previous_step": refusal.bound,
            "previous_step_date": refusal.bound_date.isoformat(),
        },
    )


def date_step(
    ctx: Context,
    on: dt.date | None,
    late_entry_reason: str | None,
    after: Mapping[str, dt.date | None] | None = None,
    *,
    field: str = "body.on",
) -> StepDate:
    """The step's day (``on``, default today), checked against today and ``after``, the
    days of the steps it follows; a day before today needs ``late_entry_reason``."""
    today = ctx.today
    day = on or today
    check_date(day, today, after, field=field)
    step = StepDate(day, today, ctx.principal.sub, late_entry_reason)
    if step.late and not late_entry_reason:
        raise LateEntryReasonRequired(
            f"{field} {day} lies before today, {today}: name why it is entered late.",
            errors=[
                FieldError(
                    field="body.late_entry_reason",
                    code=LateEntryReasonRequired.code,
                    message=f"required for a step dated {day}",
                )
            ],
            extra={"step_date": day.isoformat(), "today": today.isoformat()},
        )
    return step
