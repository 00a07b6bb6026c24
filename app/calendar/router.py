from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response

from app.calendar import service
from app.calendar.schemas import CalendarYearRead, CalendarYearWrite, DeadlineRead
from app.core.context import ContextDep
from app.core.dates import IsoDate
from app.core.db import SessionDep
from app.core.errors import FieldError, UnprocessableEntity, problem_responses
from app.rules.periods import Unit
from app.web.authz import Authorized

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])

Year = Annotated[int, Path(ge=1949, le=2199, description="Calendar year, e.g. 2026.")]
MAX_AMOUNT = 3660
EXPLAIN_DESCRIPTION = "期限说明: also explain the computation day by day."
# Legal dates this service can meaningfully count from (the calendar covers 1949-2199).
EARLIEST = date(1949, 10, 1)
LATEST = date(2199, 12, 31)


@router.get(
    "/deadline",
    response_model=DeadlineRead,
    summary="Compute a deadline (计算期限)",
    description=(
        "The start day itself is not counted (民法典 art. 201). `working_days` skip weekends "
        "and statutory holidays and count make-up working days; `months` end on the same day "
        "N months later or the month's last day (民法典 art. 202); `days` ending on a day off "
        "move to the next working day when `roll_forward` is true (民法典 art. 203). A result "
        "that touches a year with no loaded calendar is `provisional`. With `explain=true` "
        "the answer says how it was counted (期限说明): the start day and why it is not "
        "counted, each day counted or skipped in order with its reason (weekday, 调休上班日 "
        "with its notice, weekend, holiday with its name), the rule and citations, the month "
        "arithmetic for months, the years whose calendar is missing, and one Chinese line "
        "as the notices print it."
    ),
    responses=problem_responses(422),
)
async def get_deadline(
    session: SessionDep,
    start: Annotated[
        IsoDate,
        Query(
            description=f"Day D, not counted; between {EARLIEST} and {LATEST}.",
            examples=["2026-09-30"],
        ),
    ],
    amount: Annotated[int, Query(ge=0, le=MAX_AMOUNT, examples=[3])],
    unit: Annotated[Unit, Query(examples=["working_days"])],
    roll_forward: Annotated[
        bool, Query(description="For `days`: move a last day off to the next working day.")
    ] = True,
    explain: Annotated[bool, Query(description=EXPLAIN_DESCRIPTION)] = False,
) -> DeadlineRead:
    if not EARLIEST <= start <= LATEST:
        raise UnprocessableEntity(
            f"start must lie between {EARLIEST} and {LATEST}.",
            code="date_out_of_range",
            errors=[
                FieldError(field="query.start", code="date_out_of_range", message="out of range")
            ],
        )
    return await service.deadline(
        session, start, amount, unit, roll_forward=roll_forward, explain=explain
    )


@router.get(
    "/{year}",
    response_model=CalendarYearRead,
    summary="Read a year's calendar (工作日历)",
    responses=problem_responses(422),
)
async def get_calendar_year(session: SessionDep, year: Year) -> CalendarYearRead:
    return await service.get_year(session, year)


@router.put(
    "/{year}",
    response_model=CalendarYearRead,
    summary="Load a year's calendar (admin)",
    description=(
        "Replaces the year's holidays and make-up working days. Every date must fall inside "
        "the year, no date may be both, and make-up working days fall on Saturday or Sunday. "
        "Send `If-Match` with the current `version` to guard against a concurrent change. "
        "Every provisional deadline of open commitments and listings is then counted again on "
        "the loaded calendar (重新计算暂定期限), each change recorded in the case's history, "
        "the audit log and the event feed as `deadline_recomputed`."
    ),
    responses={
        201: {"model": CalendarYearRead, "description": "Loaded: the year had no calendar yet."},
        **problem_responses(401, 403, 412, 422),
    },
)
async def put_calendar_year(
    session: SessionDep,
    _principal: Authorized,
    ctx: ContextDep,
    year: Year,
    body: CalendarYearWrite,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=64)] = None,
) -> CalendarYearRead:
    result, created = await service.load_year(session, ctx, year, body, if_match)
    response.status_code = 201 if created else 200
    response.headers["ETag"] = f'"{result.version}"'
    return result
