"""Prometheus metrics: requests by route template, pending events, overdue tasks."""

from __future__ import annotations

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, setup_catalog
from tests.restrictions.conftest import at, collect, step


async def test_metrics(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> None:
    await setup_catalog(client, auth)
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    await step(client, auth, f"/api/v1/restrictions/{listing['id']}/verification")
    at(clock, "2026-03-06")  # the listing notice (due Mar 5) is overdue
    await client.get(f"/api/v1/restrictions/{listing['id']}", headers=auth("clerk"))
    text = (await client.get("/metrics")).text
    route = 'method="GET",route="/api/v1/restrictions/{restriction_id}",status="200"'
    assert f"zwfw_http_requests_total{{{route}}} 1.0" in text
    assert 'zwfw_tasks_overdue{department="371400-SPJ"} 1.0' in text
    assert 'zwfw_events_pending{kind="unsequenced"}' in text
    assert "zwfw_webhook_deliveries_dead 0.0" in text
