"""Early lifting within its article (DZ art. 15 ¶1-2), over HTTP, with hand-computed dates.

DZ art. 15 ¶2 lifts the restriction ¶1 imposes "有不实承诺或者不履行承诺的": a listing for a
false or unfulfilled commitment (`tolerance_unfulfilled`, `commitment_untrue`, or false
materials given under a commitment, DZ art. 9 ¶1 "提供的材料真实有效"). Other listings end
at their period's end or on repair.

Dates (tests/restrictions/conftest.py: published Tue 2026-03-10; 2026 calendar, Qingming
Apr 4-6 off):
- rectified Wed 04-01, lifting asked Thu 04-02: 5 days, Fri 3 (1), Apr 4-6 (2-4), Tue 7
  (5) -> decided by Tue 04-07;
- after a commitment signed Wed 09-30: verified Mon 10-12, notice received Wed 10-14,
  window Oct 15, 16, 19, published Tue 10-20; rectified Wed 10-21, lifting asked Thu
  10-22: Oct 23 (1), 24 (2), 25 (3), 26 (4), Tue 27 (5) -> decided by 2026-10-27.

The Dezhou path (the agency and the regulator on `dezhou-2023` alone; Oct 1-7 off,
Sat Oct 10 a working day):
- tolerance case signed Wed 2026-09-30, ordered on Wed 10-21 to rectify within 3 working
  days: Oct 22 (1), 23 (2), 26 (3) -> Mon 10-26; terminated Tue 10-27, which proposes a
  `tolerance_unfulfilled` listing; restricted (DZ art. 15 ¶1) the same day;
- rectified Wed 10-28; lifting asked Thu 10-29: Oct 30 (1), 31 (2), Nov 1 (3), 2 (4), Tue
  Nov 3 (5), a working day -> decided by 2026-11-03; lifted Mon 11-02.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ORG, REGULATOR, ok
from tests.restrictions.conftest import at, published, step
from tests.test_jurisdiction import (
    AFFIRMATIONS,
    DZ_AGENCY,
    DZ_MATTER,
    _check,
    post,
)

URL = "/api/v1/restrictions"


async def _rectified(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, **extra: Any
) -> str:
    listing_id = await published(client, auth, clock, ORG, **extra)
    at(clock, "2026-04-01")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-04-02")
    return listing_id


async def test_false_materials_without_a_commitment_is_not_lifted_early(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await _rectified(client, auth, clock)  # false_materials, no commitment
    refused = await client.post(
        f"{URL}/{listing_id}/lifting-requests", json={"reason": "已整改"}, headers=auth("clerk")
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["code"], problem["citation"]) == (
        "early_lifting_not_available",
        "DZ art. 15 ¶2",
    )
    listing = await ok(await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200)
    assert (listing["status"], listing["lifting_requests"]) == ("effective", [])
    # It ends with its period: Tue 2026-09-10, repaired the day after (LZ §5(1)5).
    assert listing["dates"]["period_ends_on"] == "2026-09-10"
    assert listing["dates"]["repaired_on"] == "2026-09-11"


async def test_an_untrue_commitment_is_lifted_early(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await _rectified(client, auth, clock, situation="commitment_untrue")
    asked = await step(
        client, auth, f"{URL}/{listing_id}/lifting-requests", {"reason": "已整改"}, status=201
    )
    (request,) = asked["lifting_requests"]
    assert request["decision_due"] == "2026-04-07"
    at(clock, "2026-04-07")
    lifted = await step(
        client,
        auth,
        f"{URL}/{listing_id}/lifting-requests/{request['id']}/decision",
        {"outcome": "lifted", "reasons": "经核实整改属实"},
    )
    assert (lifted["status"], lifted["dates"]["lifted_on"]) == ("lifted", "2026-04-07")


async def test_false_materials_given_under_a_commitment_is_lifted_early(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")  # signed Wed 2026-09-30
    listing_id = await published(
        client,
        auth,
        clock,
        ORG,
        commitment_id=case["id"],
        verify_on="2026-10-12",
        notice_on="2026-10-13",
        received_on="2026-10-14",
        publish_on="2026-10-20",
    )
    at(clock, "2026-10-21")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-10-22")
    asked = await step(
        client, auth, f"{URL}/{listing_id}/lifting-requests", {"reason": "已整改"}, status=201
    )
    assert asked["lifting_requests"][0]["decision_due"] == "2026-10-27"


async def test_every_profile_names_the_listings_it_lifts_early(
    client: httpx.AsyncClient,
) -> None:
    profiles = {p["name"]: p for p in await ok(await client.get("/api/v1/profiles"), 200)}
    for name in ("dezhou-2023", "shandong-combined"):
        scope = profiles[name]["early_lifting_scope"]
        assert scope["situations"] == ["commitment_untrue", "tolerance_unfulfilled"]
        assert scope["under_commitment"] == ["false_materials"]
        assert scope["citation"]["label"] == "DZ art. 15 ¶1"
        assert [c["label"] for c in scope["also_cites"]] == ["DZ art. 15 ¶2", "DZ art. 9 ¶1"]
        assert profiles[name]["switches"]["early_lifting"] is True
    assert profiles["linzi-2022"]["early_lifting_scope"] is None
    assert profiles["linzi-2022"]["switches"]["early_lifting"] is False


async def test_dezhou_alone_restricts_a_breached_commitment_and_lifts_it(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    """The README's path under `dezhou-2023` alone, step by step."""
    # The agency and the regulator of the food matter apply `dezhou-2023` alone.
    for code in (DZ_AGENCY, REGULATOR):
        await ok(
            await client.patch(
                f"/api/v1/departments/{code}",
                json={"profile": "dezhou-2023"},
                headers=auth("admin"),
            ),
            200,
        )
    dezhou = auth("clerk", department=DZ_AGENCY)
    at(clock, "2026-09-30")
    check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert (check["result"], check["profile"]) == ("pass", "dezhou-2023")
    case = await post(
        client,
        dezhou,
        "/api/v1/commitments",
        {
            "credit_check_id": check["id"],
            "mode": "tolerance",
            "missing_materials": ["食品安全管理制度文本"],
            "affirmations": AFFIRMATIONS,
            "signed_by": "张三（法定代表人）",
            "signed_at": "2026-09-30T10:00:00+08:00",
        },
        201,
    )
    url = f"/api/v1/commitments/{case['id']}"
    at(clock, "2026-10-21")
    ordered = await post(
        client, dezhou, f"{url}/reminders", {"period": {"amount": 3, "unit": "working_days"}}
    )
    assert ordered["current_due_on"] == "2026-10-26"
    at(clock, "2026-10-27")
    await post(client, dezhou, f"{url}/termination", {"reason": "逾期未整改"})

    proposals = await ok(await client.get(URL, params={"status": "proposed"}, headers=dezhou), 200)
    (proposal,) = proposals["items"]
    assert proposal["situation"] == "tolerance_unfulfilled"
    listing_url = f"{URL}/{proposal['id']}"
    restricted = await post(client, dezhou, f"{listing_url}/imposition")
    assert (restricted["status"], restricted["profile"]) == ("effective", "dezhou-2023")
    assert restricted["dates"]["determined_on"] == "2026-10-27"  # the imposition day
    assert restricted["dates"]["period_ends_on"] is None  # until lifted
    assert restricted["history"][-1]["citation"] == "DZ art. 15 ¶1"

    at(clock, "2026-10-28")
    assert (await _check(client, auth, DZ_AGENCY, DZ_MATTER))["result"] == "fail"
    await post(client, dezhou, f"{listing_url}/rectification", {"description": "已补齐材料"})
    at(clock, "2026-10-29")
    asked = await post(client, dezhou, f"{listing_url}/lifting-requests", {"reason": "已整改"}, 201)
    (request,) = asked["lifting_requests"]
    assert request["decision_due"] == "2026-11-03"
    at(clock, "2026-11-02")
    lifted = await post(
        client,
        dezhou,
        f"{listing_url}/lifting-requests/{request['id']}/decision",
        {"outcome": "lifted", "reasons": "经核实整改属实"},
    )
    assert (lifted["status"], lifted["dates"]["lifted_on"]) == ("lifted", "2026-11-02")
    assert lifted["dates"]["determined_on"] == "2026-10-27"
    assert lifted["history"][-1]["citation"] == "DZ art. 15 ¶2"
    assert (await _check(client, auth, DZ_AGENCY, DZ_MATTER))["result"] == "pass"
