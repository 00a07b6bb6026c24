"""The catalog (清单): versioned, public, refusing high-risk matters; departments."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import AGENCY, FOOD, GREEN, REGULATOR, matter_body, ok, setup_catalog


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


async def test_public_catalog_needs_no_login(client: httpx.AsyncClient) -> None:
    page = await ok(await client.get("/api/v1/public/matters"), 200)
    assert [m["code"] for m in page["items"]] == [FOOD, GREEN]
    food = page["items"][0]
    assert food["offered_modes"] == ["tolerance", "notify_commit"]
    assert food["modes"]["tolerance"]["supplement_deadline"] == {
        "amount": 10,
        "unit": "working_days",
    }
    one = await ok(await client.get(f"/api/v1/public/matters/{GREEN}"), 200)
    assert one["offered_modes"] == ["green_channel"]


async def test_public_catalog_pages(client: httpx.AsyncClient) -> None:
    first = await ok(await client.get("/api/v1/public/matters", params={"limit": 1}), 200)
    assert [m["code"] for m in first["items"]] == [FOOD]
    second = await ok(
        await client.get(
            "/api/v1/public/matters", params={"limit": 1, "cursor": first["next_cursor"]}
        ),
        200,
    )
    assert [m["code"] for m in second["items"]] == [GREEN]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("mode", ["tolerance", "notify_commit", "green_channel"])
async def test_a_high_risk_matter_is_refused_for_every_mode(
    client: httpx.AsyncClient, auth: TokenFactory, mode: str
) -> None:
    modes = matter_body()["modes"] | {"green_channel": {"services": ["快速办理"]}}
    body = matter_body(
        "SPJ-RISK-002",
        excluded_categories=["personal_health_life_property", "public_safety"],
        modes={mode: modes[mode]},
    )
    response = await client.post("/api/v1/matters", json=body, headers=auth("admin"))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "matter_excluded_high_risk"
    assert problem["categories"] == ["public_safety", "personal_health_life_property"]
    assert "公共安全" in problem["detail"]
    listed = await ok(await client.get("/api/v1/public/matters"), 200)
    assert "SPJ-RISK-002" not in [m["code"] for m in listed["items"]]


async def test_a_linzi_agency_may_offer_what_dezhou_excludes(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    # linzi-2022 has no high-risk exclusion of its own (docs/domain.md section 9).
    body = matter_body(
        "LZ-001",
        agency_department="370305-XZSP",
        regulator_department="370305-XZSP",
        excluded_categories=["public_safety"],
    )
    await ok(await client.post("/api/v1/matters", json=body, headers=auth("admin")))


async def test_each_change_is_a_new_version_and_history_is_kept(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    admin = auth("admin")
    url = f"/api/v1/matters/{FOOD}"
    v2 = await ok(
        await client.patch(url, json={"name": "食品经营许可（延续）"}, headers=admin), 200
    )
    assert (v2["version"], v2["name"]) == (2, "食品经营许可（延续）")
    assert (
        v2["modes"]
        == (await ok(await client.get(f"{url}/versions", headers=admin), 200))[0]["modes"]
    )
    stale = await client.patch(url, json={"name": "x"}, headers={**admin, "If-Match": '"1"'})
    assert (stale.status_code, stale.json()["code"]) == (412, "version_mismatch")
    history = await ok(await client.get(f"{url}/versions", headers=admin), 200)
    assert [(v["version"], v["name"]) for v in history] == [
        (1, "食品经营许可（新办）"),
        (2, "食品经营许可（延续）"),
    ]


async def test_a_future_version_takes_effect_on_its_date(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    change = {"name": "食品经营许可（2027版）", "effective_from": "2027-01-01T00:00:00+08:00"}
    await ok(await client.patch(f"/api/v1/matters/{FOOD}", json=change, headers=auth("admin")), 200)
    now = await ok(await client.get(f"/api/v1/public/matters/{FOOD}"), 200)
    assert now["version"] == 1
    clock.at = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # 2027-01-01 00:00 in Shanghai
    later = await ok(await client.get(f"/api/v1/public/matters/{FOOD}"), 200)
    assert (later["version"], later["name"]) == (2, "食品经营许可（2027版）")


async def test_withdrawal_removes_the_matter_from_the_public_catalog(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    withdrawn = await ok(
        await client.delete(f"/api/v1/matters/{GREEN}", headers=auth("admin")), 200
    )
    assert (withdrawn["status"], withdrawn["offered_modes"]) == ("withdrawn", [])
    assert (await client.get(f"/api/v1/public/matters/{GREEN}")).status_code == 404
    history = await ok(
        await client.get(f"/api/v1/matters/{GREEN}/versions", headers=auth("admin")), 200
    )
    assert [v["status"] for v in history] == ["active", "withdrawn"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"agency_department": "371400-NONE"}, "department_unknown", "body.agency_department"),
        (
            {"onsite_verification_department": None},
            "onsite_verifier_required",
            "body.onsite_verification_department",
        ),
    ],
)
async def test_invalid_matters_are_refused(
    client: httpx.AsyncClient, auth: TokenFactory, change: dict[str, object], code: str, field: str
) -> None:
    body = matter_body("SPJ-NEW-001", **change)
    response = await client.post("/api/v1/matters", json=body, headers=auth("admin"))
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["errors"][0]["field"] == field


async def test_notify_commit_needs_verification_terms_unless_exempt(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    modes = matter_body()["modes"]
    modes["notify_commit"].pop("verification_limit")
    response = await client.post(
        "/api/v1/matters", json=matter_body("SPJ-NEW-002", modes=modes), headers=auth("admin")
    )
    assert response.status_code == 422
    modes["notify_commit"] |= {"exempt_from_verification": True, "verification_methods": []}
    body = matter_body("SPJ-NEW-002", modes=modes)
    await ok(await client.post("/api/v1/matters", json=body, headers=auth("admin")))


async def test_duplicate_codes_and_roles(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    dup = await client.post("/api/v1/matters", json=matter_body(), headers=auth("admin"))
    assert (dup.status_code, dup.json()["code"]) == (409, "matter_exists")
    clerk = await client.post("/api/v1/matters", json=matter_body("X-1"), headers=auth("clerk"))
    assert clerk.status_code == 403


async def test_departments(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    page = await ok(await client.get("/api/v1/departments", headers=auth("clerk")), 200)
    assert {d["code"]: d["profile"] for d in page["items"]} == {
        "370305-XZSP": "linzi-2022",
        AGENCY: "shandong-combined",
        REGULATOR: "shandong-combined",
    }
    mismatch = await client.post(
        "/api/v1/departments",
        json={"code": "371400-ABC", "name": "x", "region_code": "370305"},
        headers=auth("admin"),
    )
    assert mismatch.json()["code"] == "department_code_region_mismatch"
    unknown = await client.patch(
        f"/api/v1/departments/{AGENCY}", json={"profile": "mars"}, headers=auth("admin")
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "profile_unknown")
    changed = await client.patch(
        f"/api/v1/departments/{AGENCY}",
        json={"contact_phone": "0534-2688000"},
        headers={**auth("admin"), "If-Match": '"1"'},
    )
    assert (await ok(changed, 200))["version"] == 2
