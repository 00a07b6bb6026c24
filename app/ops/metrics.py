"""Prometheus metrics at /metrics: requests by route, events pending, deliveries failed,
tasks overdue by department. Gauges are read from the database at scrape time, so every
API replica reports the same figures."""

from __future__ import annotations

import time
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.clock import Clock, legal_today
from app.core.config import Settings
from app.core.db import Database
from app.events.repository import EventRepository
from app.tasks.repository import TaskRepository
from app.webhooks.models import DeliveryStatus
from app.webhooks.repository import DeliveryRepository


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "zwfw_http_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "zwfw_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["route", "method"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.events_pending = Gauge(
            "zwfw_events_pending",
            "Events not yet sequenced plus deliveries waiting to be sent.",
            ["kind"],
            registry=self.registry,
        )
        self.deliveries_failed = Gauge(
            "zwfw_webhook_deliveries_dead",
            "Deliveries that exhausted their attempts (dead-letter).",
            registry=self.registry,
        )
        self.tasks_overdue = Gauge(
            "zwfw_tasks_overdue",
            "Tasks past their due day, by department.",
            ["department"],
            registry=self.registry,
        )

    async def refresh(self, session: AsyncSession, today: date) -> None:
        deliveries = DeliveryRepository(session)
        unsequenced = await EventRepository(session).count_unsequenced()
        pending = await deliveries.count_with_status(DeliveryStatus.PENDING)
        dead = await deliveries.count_with_status(DeliveryStatus.DEAD)
        self.events_pending.labels("unsequenced").set(unsequenced)
        self.events_pending.labels("deliveries").set(pending)
        self.deliveries_failed.set(dead)
        overdue = await TaskRepository(session).overdue_by_department(today)
        self.tasks_overdue.clear()
        for department, count in overdue.items():
            self.tasks_overdue.labels(department).set(count)


def _route_template(scope: Scope) -> str:
    """The matched route's template (the router records it in the scope), so labels stay
    few: `/api/v1/restrictions/{restriction_id}`, not one label per id."""
    route = scope.get("route")
    return str(getattr(route, "path", "unmatched"))


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = _route_template(scope)
            method = scope.get("method", "")
            self.metrics.requests.labels(route, method, str(status["code"])).inc()
            self.metrics.latency.labels(route, method).observe(time.perf_counter() - started)


router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    async with database.sessionmaker() as session:
        await metrics.refresh(session, legal_today(clock, settings.tz))
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
