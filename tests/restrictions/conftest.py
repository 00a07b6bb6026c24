"""Listings driven through the procedure with a clock the tests move.

Dates counted by hand from the 2026 calendar (Qingming Apr 4-6 off):
- collected and verified Mon 2026-03-02: notice due 3 working days later, Thu 03-05;
- notice issued Tue 03-03, received Wed 03-04: objection due Mar 5 (1), 6 (2),
  Mon 9 (3) -> 03-09; confirmed from Tue 03-10;
- published 03-10: the 6-month period ends 2026-09-10 (never moved for a holiday).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ok, setup_catalog


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


def at(clock: FixedClock, day: str) -> None:
    """10:00 in Shanghai on ``day``."""
    y, m, d = (int(p) for p in day.split("-"))
    clock.at = datetime(y, m, d, 2, 0, tzinfo=UTC)


async def step(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    path: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    response = await client.post(path, json=body or {}, headers=auth("clerk"))
    result: dict[str, Any] = await ok(response, status)
    return result


async def collect(
    client: httpx.AsyncClient, auth: TokenFactory, subject: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    body = {
        "subject": {**subject, "address": "山东省德州市德城区新湖大街1号"},
        "situation": "false_materials",
        "source_channel": "investigation",
        "facts": "申请食品经营许可时提供虚假的经营场所证明",
        "legal_basis": "临政管办发〔2022〕3号 五(一)2",
        "legal_documents": ["德审批核〔2026〕12号"],
        **extra,
    }
    return await step(client, auth, "/api/v1/restrictions", body, status=201)


async def notified(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    subject: dict[str, Any],
    *,
    verify_on: str = "2026-03-02",
    notice_on: str = "2026-03-03",
    received_on: str = "2026-03-04",
    **extra: Any,
) -> str:
    at(clock, verify_on)
    listing = await collect(client, auth, subject, **extra)
    url = f"/api/v1/restrictions/{listing['id']}"
    await step(client, auth, f"{url}/verification")
    at(clock, notice_on)
    await step(client, auth, f"{url}/notice", {"method": "mail"})
    at(clock, received_on)
    await step(client, auth, f"{url}/notice/receipt", {"received_on": received_on})
    return str(listing["id"])


async def published(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    subject: dict[str, Any],
    *,
    publish_on: str = "2026-03-10",
    **dates: Any,
) -> str:
    listing_id = await notified(client, auth, clock, subject, **dates)
    at(clock, publish_on)
    result = await step(client, auth, f"/api/v1/restrictions/{listing_id}/publication")
    assert result["status"] == "effective", result
    return listing_id
