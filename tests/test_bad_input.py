"""Bad input answers a 4xx problem with a machine code, and nothing is written."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.conftest import TokenFactory
from tests.factories import FOOD, ORG, ok, setup_catalog


async def _audit_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize(
    "query",
    [
        "start=9999-12-31&amount=10&unit=days",
        "start=9999-12-31&amount=2&unit=months",
        "start=0001-01-01&amount=1&unit=days",
    ],
)
async def test_dates_out_of_range(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/api/v1/calendar/deadline?{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "date_out_of_range"


async def test_unknown_enum_values_are_named(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await setup_catalog(client, auth)
    before = await _audit_count(session)
    body = {"subject": ORG, "matter_code": FOOD, "mode": "express_lane", "purpose": "curiosity"}
    response = await client.post("/api/v1/credit-checks", json=body, headers=auth("clerk"))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert {e["field"] for e in problem["errors"]} == {"body.mode", "body.purpose"}
    assert await _audit_count(session) == before


async def test_sql_and_script_fragments_are_stored_verbatim_and_returned_as_json(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    hostile = "'; DROP TABLE subjects; -- <script>alert('x')</script> \\u0000\" OR 1=1"
    created = await ok(
        await client.post(
            "/api/v1/restrictions",
            json={
                "subject": {**ORG, "name": hostile[:60]},
                "situation": "other",
                "source_channel": "other",
                "facts": hostile,
                "legal_basis": hostile,
            },
            headers=auth("clerk"),
        )
    )
    read = await client.get(f"/api/v1/restrictions/{created['id']}", headers=auth("clerk"))
    assert read.headers["content-type"].startswith("application/json")
    assert read.json()["facts"] == hostile
    # The subjects table is still there.
    again = await client.get(f"/api/v1/restrictions/{created['id']}", headers=auth("clerk"))
    assert again.status_code == 200


async def test_a_stale_if_match_changes_nothing(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    await setup_catalog(client, auth)
    before = await _audit_count(session)
    stale = await client.patch(
        f"/api/v1/matters/{FOOD}",
        json={"name": "改名"},
        headers={**auth("admin"), "If-Match": '"7"'},
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "version_mismatch")
    current = await ok(await client.get(f"/api/v1/public/matters/{FOOD}"), 200)
    assert (current["version"], current["name"]) == (1, "食品经营许可（新办）")
    assert await _audit_count(session) == before
