"""The demo catalog that `make run` loads."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.ops.demo import load_demo
from tests.conftest import TokenFactory


async def test_demo_catalog_loads_once_with_six_matters_across_three_agencies(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    assert await load_demo(sessionmaker) > 0
    assert await load_demo(sessionmaker) == 0
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


async def test_the_demos_departments_apply_their_citys_profile(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    auth: TokenFactory,
) -> None:
    # The test deployment chooses shandong-combined (ZWFW_PROFILE): the demo names its own.
    await load_demo(sessionmaker)
    page = (await client.get("/api/v1/departments?limit=50", headers=auth("clerk"))).json()
    profiles = {d["code"]: d["profile"] for d in page["items"]}
    assert profiles == {
        "370305-JTJ": "linzi-2022",
        "370305-XZSP": "linzi-2022",
        "371400-SCJ": "dezhou-2023",
        "371400-SPJ": "dezhou-2023",
        "371400-WJW": "dezhou-2023",
        "371400-ZJJ": "dezhou-2023",
    }
