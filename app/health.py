"""Liveness and readiness."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.calendar.repository import CalendarRepository
from app.clock import Clock, legal_today
from app.config import Settings
from app.db import Database
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
    description="200 when the database answers; 503 otherwise.",
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
async def readyz(request: Request) -> Readiness | JSONResponse:
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    try:
        async with database.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
            years = sorted(await CalendarRepository(session).loaded_years())
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("database unreachable", extra={"error": type(exc).__name__})
        body = Readiness(status="unavailable", database="unreachable")
        return JSONResponse(body.model_dump(), status_code=503)
    warnings = coverage_warnings(years, legal_today(clock, settings.tz))
    return Readiness(status="ready", database="ok", calendar_years=years, warnings=warnings)
