"""Liveness and readiness."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from app.calendar.repository import CalendarRepository
from app.core.clock import Clock, legal_today
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import problem_response, problem_responses
from app.ops.repository import HealthRepository
from app.rules.calendar import coverage_warnings

router = APIRouter(tags=["health"])
logger = logging.getLogger("app.health")


class Liveness(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    calendar_years: list[int] = Field(
        default=[], description="Years with a loaded working-day calendar."
    )
    warnings: list[str] = []


@router.get("/healthz", response_model=Liveness, summary="Liveness (存活检查)")
async def healthz() -> Liveness:
    return Liveness(status="alive")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness (就绪检查)",
    description=(
        "200 when the database answers. Otherwise 503, a problem with code "
        "`database_unavailable`, `database: unreachable` and `Retry-After`."
    ),
    responses=problem_responses(503),
)
async def readyz(request: Request) -> Readiness | JSONResponse:
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    try:
        async with database.sessionmaker() as session:
            await HealthRepository(session).ping()
            years = sorted(await CalendarRepository(session).loaded_years())
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("database unreachable", extra={"error": type(exc).__name__})
        return problem_response(
            503,
            "database_unavailable",
            "The database cannot be reached; not ready.",
            request_id=getattr(request.state, "request_id", None),
            headers={"Retry-After": "5"},
            extra={"database": "unreachable"},
        )
    warnings = coverage_warnings(years, legal_today(clock, settings.tz))
    return Readiness(status="ready", database="ok", calendar_years=years, warnings=warnings)
