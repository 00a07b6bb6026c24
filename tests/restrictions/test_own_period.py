"""A listing's own period set by another rule (LZ §5(1)5 "有关法律法规规章对管理期限另有规定
的，依照其规定执行"), over HTTP, with hand-computed dates.

tests/restrictions/conftest.py: collected Mon 2026-03-02, notice received Wed 03-04,
window to Mon 03-09, published Tue 2026-03-10.
- 12 months from Tue 2026-03-10 end on Wed 2027-03-10 (民法典 arts. 201-202; never moved
  for a holiday); the profile's 6 months would end 2026-09-10;
- rectified Mon 2026-06-01, within the period: repaired the day after its end, Thu
  2027-03-11; still effective on 2027-03-10 and on 2026-09-11.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG, ORG_ID, ok
from tests.restrictions.conftest import at, collect, notified, published, step

URL = "/api/v1/restrictions"
BASIS = "《某某行业信用管理办法》第十二条：此类失信行为管理期限为12个月"
OWN: dict[str, Any] = {"period_months": 12, "period_basis": BASIS}


async def _read(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200
    )
    return result


async def _check(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    page = await ok(
        await client.post("/api/v1/public/restrictions/search", json={"id_number": ORG_ID}), 200
    )
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_a_listing_with_a_12_month_period_ends_on_its_own_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG, **OWN)
    listing = await _read(client, auth, listing_id)
    assert (listing["period_months"], listing["period_basis"]) == (12, BASIS)
    assert listing["dates"]["period_ends_on"] == "2027-03-10"
    (period,) = [d for d in listing["deadlines"] if d["name"] == "period_end"]
    assert (period["date"], period["amount"]) == ("2027-03-10", 12)
    assert "LZ §5(1)5" in str(period["citation"])
    collected = listing["history"][0]
    assert (collected["event"], collected["details"]["period_months"]) == ("collect", 12)
    assert collected["details"]["period_basis"] == BASIS
    (public,) = await _check(client)
    assert public["period_ends_on"] == "2027-03-10"

    at(clock, "2026-06-01")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-09-11")  # the profile's 6 months are over; its own 12 are not
    assert (await _read(client, auth, listing_id))["status"] == "effective"
    at(clock, "2027-03-10")
    last_day = await _read(client, auth, listing_id)
    assert (last_day["status"], last_day["dates"]["repaired_on"]) == ("effective", "2027-03-11")
    assert len(await _check(client)) == 1
    at(clock, "2027-03-11")
    assert (await _read(client, auth, listing_id))["status"] == "repaired"
    assert await _check(client) == []


async def test_an_own_period_without_its_basis_is_422(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    for partial in ({"period_months": 12}, {"period_basis": BASIS}):
        body = {
            "subject": ORG,
            "situation": "false_materials",
            "source_channel": "investigation",
            "facts": "申请食品经营许可时提供虚假的经营场所证明",
            "legal_basis": "临政管办发〔2022〕3号 五(一)2",
            **partial,
        }
        response = await client.post(URL, json=body, headers=auth("clerk"))
        assert response.status_code == 422, response.text
    listing = await collect(client, auth, ORG)
    response = await client.post(
        f"{URL}/{listing['id']}/period", json={"period_months": 12}, headers=auth("clerk")
    )
    assert response.status_code == 422
    assert any(e["field"] == "body.period_basis" for e in response.json()["errors"])


async def test_the_period_is_set_by_an_audited_step_before_publication(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    at(clock, "2026-03-05")
    updated = await step(client, auth, f"{URL}/{listing_id}/period", OWN)
    assert (updated["period_months"], updated["period_basis"]) == (12, BASIS)
    last = updated["history"][-1]
    assert (last["event"], last["citation"]) == ("period_set", "LZ §5(1)5")
    assert last["details"]["before"] == {"period_months": None, "period_basis": None}
    assert last["details"]["after"] == OWN
    assert last["details"]["on"] == "2026-03-05"
    audit = await ok(
        await client.get(
            "/api/v1/audit-log",
            params={"action": "restriction.period_set"},
            headers=auth("auditor"),
        ),
        200,
    )
    assert [e["target_id"] for e in audit["items"]] == [listing_id]

    at(clock, "2026-03-10")
    published_ = await step(client, auth, f"{URL}/{listing_id}/publication")
    assert published_["dates"]["period_ends_on"] == "2027-03-10"
    # Once the period runs it is not set again here (an error is corrected, LZ §5(1)4).
    again = await client.post(
        f"{URL}/{listing_id}/period",
        json={"period_months": 3, "period_basis": BASIS},
        headers=auth("clerk"),
    )
    assert (again.status_code, again.json()["code"]) == (409, "management_period_running")
