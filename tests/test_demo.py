"""The demo catalog that `make run` loads."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ops.demo import load_demo


async def test_demo_catalog_loads_once_with_six_matters_across_three_agencies(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    assert await load_demo(sessionmaker, "shandong-combined") > 0
    assert await load_demo(sessionmaker, "shandong-combined") == 0
    page = (await client.get("/api/v1/public/matters")).json()
    matters = page["items"]
    assert len(matters) >= 6
    assert len({m["agency_department"] for m in matters}) >= 3
    names = {m["name"] for m in matters}
    assert {"食品经营许可（新办）", "公共场所卫生许可", "建筑工程施工许可"} <= names
    # The high-risk matter stays in the catalog without any facilitation mode.
    drug = (await client.get("/api/v1/public/matters/371400-SPJ-004")).json()
    assert (drug["offered_modes"], drug["excluded_categories"]) == (
        [],
        ["personal_health_life_property"],
    )
