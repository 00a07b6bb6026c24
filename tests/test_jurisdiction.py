"""Each regime in its own jurisdiction (DZ art. 2 ¶1 本市行政区域内; LZ §3 临淄区范围内),
through HTTP, with the Dezhou departments on `dezhou-2023` and Linzi's on `linzi-2022`.

Dates counted by hand from the 2026 calendar (Oct 1-7 off, Sat Oct 10 a working day):
- a tolerance case signed Wed 2026-09-30 with 10 working days to supplement: Oct 8 (1),
  9 (2), 10 (3), 12-16 (4-8), 19 (9), 20 (10): due Tue 10-20, overdue from 10-21;
- ordered on Wed 10-21 to rectify within 3 working days (DZ art. 13 ¶1, set by the
  agency): Oct 22 (1), 23 (2), 26 (3): due Mon 10-26; terminated Tue 10-27;
- a Linzi listing verified Mon 10-12, notice issued Tue 10-13 and received Wed 10-14:
  objection due Oct 15 (1), 16 (2), 19 (3): 10-19; published Tue 10-20, its 6 months
  end 2027-04-20.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.main import create_app
from tests.conftest import Harness, TokenFactory, check_problem
from tests.factories import ORG, ORG_ID, create_department, matter_body, ok

DZ_AGENCY, DZ_REGULATOR = "371400-SPJ", "371400-SCJ"
LZ_AGENCY, LZ_REGULATOR = "370305-XZSP", "370305-JTJ"
DZ_MATTER, LZ_MATTER = "SPJ-FOOD-001", "XZSP-SHOP-001"
TOLERANCE = {
    "tolerable_missing_materials": ["经营场所使用证明"],
    "supplement_deadline": {"amount": 10, "unit": "working_days"},
    "submission_method": "窗口提交",
}
AFFIRMATIONS = {
    "knows_notice": True,
    "meets_conditions": True,
    "materials_true": True,
    "true_intention": True,
    "accepts_liability": True,
}


def at(clock: FixedClock, day: str) -> None:
    """10:00 in Shanghai on ``day``."""
    y, m, d = (int(p) for p in day.split("-"))
    clock.at = datetime(y, m, d, 2, 0, tzinfo=UTC)


async def post(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    path: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        await client.post(path, json=body or {}, headers=headers), status
    )
    return result


async def _city_departments(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    for code, name, profile in (
        (DZ_AGENCY, "德州市行政审批服务局", "dezhou-2023"),
        (DZ_REGULATOR, "德州市市场监督管理局", "dezhou-2023"),
        (LZ_AGENCY, "临淄区行政审批服务局", "linzi-2022"),
        (LZ_REGULATOR, "临淄区交通运输局", "linzi-2022"),
    ):
        await create_department(client, auth, code, name, profile=profile)
    admin = auth("admin")
    await ok(await client.post("/api/v1/matters", json=matter_body(DZ_MATTER), headers=admin))
    linzi = matter_body(
        LZ_MATTER,
        name="个体工商户设立登记",
        agency_department=LZ_AGENCY,
        regulator_department=LZ_REGULATOR,
        onsite_verification_department=LZ_REGULATOR,
        modes={"tolerance": TOLERANCE, "green_channel": {"services": ["快速办理"]}},
    )
    await ok(await client.post("/api/v1/matters", json=linzi, headers=admin))


async def _check(
    client: httpx.AsyncClient, auth: TokenFactory, department: str, matter: str
) -> dict[str, Any]:
    consent = await ok(
        await client.post(
            "/api/v1/consents",
            json={
                "subject": ORG,
                "purpose": "credit_facilitation",
                "scope": ["restriction_list", "joint_punishment"],
                "method": "written_signature",
                "expires_on": "2026-12-31",
                "evidence_ref": "SQ-2026-000123",
            },
            headers=auth("clerk", department=department),
        )
    )
    check: dict[str, Any] = await ok(
        await client.post(
            "/api/v1/credit-checks",
            json={
                "subject": ORG,
                "matter_code": matter,
                "mode": "tolerance",
                "purpose": "credit_facilitation",
                "consent_id": consent["id"],
            },
            headers=auth("clerk", department=department),
        )
    )
    return check


def _restrictions(check: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [
        (r["code"], r["detail"], r["citation"])
        for r in check["reasons"]
        if r["code"] == "restriction_effective"
    ]


async def _linzi_listing(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    linzi = auth("clerk", department=LZ_AGENCY)
    at(clock, "2026-10-12")
    listing = await ok(
        await client.post(
            "/api/v1/restrictions",
            json={
                "subject": {**ORG, "address": "山东省淄博市临淄区某路1号"},
                "situation": "false_materials",
                "source_channel": "investigation",
                "facts": "申请个体工商户设立登记时提供虚假的经营场所证明",
                "legal_basis": "临政管办发〔2022〕3号 五(一)2",
                "legal_documents": ["临审批核〔2026〕7号"],
            },
            headers=linzi,
        )
    )
    assert listing["profile"] == "linzi-2022"
    url = f"/api/v1/restrictions/{listing['id']}"
    await post(client, linzi, f"{url}/verification")
    at(clock, "2026-10-13")
    await post(client, linzi, f"{url}/notice", {"method": "mail"})
    at(clock, "2026-10-14")
    await post(client, linzi, f"{url}/notice/receipt", {"received_on": "2026-10-14"})
    at(clock, "2026-10-20")
    published = await post(client, linzi, f"{url}/publication")
    assert (published["status"], published["dates"]["period_ends_on"]) == (
        "effective",
        "2027-04-20",
    )
    return str(listing["id"])


async def test_each_city_restricts_only_its_own_facilitation(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await _city_departments(client, auth)
    dezhou = auth("clerk", department=DZ_AGENCY)
    # 2026-09-30: a Dezhou tolerance case, signed after a passed check.
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
    linzi_listing = await _linzi_listing(client, auth, clock)

    # The Dezhou case is breached: ordered to rectify, not done, terminated (DZ art. 13 ¶1).
    at(clock, "2026-10-21")
    url = f"/api/v1/commitments/{case['id']}"
    reminded = await post(
        client, dezhou, f"{url}/reminders", {"period": {"amount": 3, "unit": "working_days"}}
    )
    assert reminded["current_due_on"] == "2026-10-26"
    at(clock, "2026-10-27")
    await post(client, dezhou, f"{url}/termination", {"reason": "逾期未整改"})

    # The Linzi listing does not reach a Dezhou matter; the breach is not yet restricted.
    dz_check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert (dz_check["result"], _restrictions(dz_check)) == ("pass", [])
    # ...while a Linzi matter's check fails on it (LZ §5(2)1).
    lz_check = await _check(client, auth, LZ_AGENCY, LZ_MATTER)
    assert _restrictions(lz_check) == [("restriction_effective", linzi_listing, "LZ §5(2)1")]

    # The Dezhou proposal: no Linzi procedure under dezhou-2023; the agency restricts.
    proposals = await ok(
        await client.get("/api/v1/restrictions", params={"status": "proposed"}, headers=dezhou),
        200,
    )
    (proposal,) = proposals["items"]
    listing_url = f"/api/v1/restrictions/{proposal['id']}"
    refused = await client.post(f"{listing_url}/take-up", json={}, headers=dezhou)
    assert (refused.status_code, refused.json()["code"]) == (409, "listing_procedure_not_available")
    restricted = await post(client, dezhou, f"{listing_url}/imposition")
    assert (restricted["status"], restricted["effective"], restricted["profile"]) == (
        "effective",
        True,
        "dezhou-2023",
    )
    assert restricted["dates"]["published_on"] == "2026-10-27"
    assert restricted["dates"]["period_ends_on"] is None  # until lifted (DZ art. 15 ¶2)

    # 2026-10-28: a Dezhou check fails on the Dezhou breach alone (DZ art. 15 ¶1)...
    at(clock, "2026-10-28")
    dz_check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert dz_check["result"] == "fail"
    assert _restrictions(dz_check) == [("restriction_effective", proposal["id"], "DZ art. 15 ¶1")]
    # ...a Linzi check on the Linzi listing alone.
    lz_check = await _check(client, auth, LZ_AGENCY, LZ_MATTER)
    assert _restrictions(lz_check) == [("restriction_effective", linzi_listing, "LZ §5(2)1")]

    # LZ §5(1)5 and §5(2)2 follow Linzi listings only: the public list and the key
    # inspection targets of Linzi's regulator show the Linzi listing; Dezhou's none.
    public = await ok(await client.get("/api/v1/public/restrictions"), 200)
    assert [(i["department"], i["published_on"]) for i in public["items"]] == [
        ("临淄区行政审批服务局", "2026-10-20")
    ]
    targets = "/api/v1/supervision/targets"
    lz_targets = await ok(
        await client.get(targets, headers=auth("regulator", department=LZ_REGULATOR)), 200
    )
    assert [t["subject"]["id_number"] for t in lz_targets["items"]] == [ORG_ID]
    assert [x["collecting_department"] for x in lz_targets["items"][0]["listings"]] == [LZ_AGENCY]
    dz_targets = await ok(
        await client.get(targets, headers=auth("regulator", department=DZ_REGULATOR)), 200
    )
    assert dz_targets["items"] == []

    # A wrong Dezhou restriction is removed (DZ art. 14, 2 working days: a deployment
    # choice); from that day the Dezhou check passes again.
    removed = await post(
        client,
        dezhou,
        f"{listing_url}/corrections",
        {"kind": "remove", "discovered_on": "2026-10-28", "reason": "补正材料已于期限内邮寄"},
    )
    assert (removed["status"], removed["corrections"][0]["due_on"]) == ("withdrawn", "2026-10-30")
    dz_check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert (dz_check["result"], _restrictions(dz_check)) == ("pass", [])


async def test_a_later_change_of_the_departments_profile_does_not_move_its_listings(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await _city_departments(client, auth)
    listing_id = await _linzi_listing(client, auth, clock)
    changed = await client.patch(
        f"/api/v1/departments/{LZ_AGENCY}",
        json={"profile": "shandong-combined"},
        headers=auth("admin"),
    )
    assert changed.json()["profile"] == "shandong-combined"
    read = await ok(
        await client.get(
            f"/api/v1/restrictions/{listing_id}", headers=auth("clerk", department=LZ_AGENCY)
        ),
        200,
    )
    assert (read["profile"], read["dates"]["period_ends_on"]) == ("linzi-2022", "2027-04-20")
    # Still a Linzi listing: no effect on a Dezhou matter.
    at(clock, "2026-10-21")
    check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert (check["result"], _restrictions(check)) == ("pass", [])


async def test_the_combined_profile_applies_both_when_chosen(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    # The test deployment chooses shandong-combined explicitly (ZWFW_PROFILE): a Dezhou
    # department created without a profile of its own applies it.
    created = await create_department(client, auth, DZ_AGENCY, "德州市行政审批服务局")
    assert created["profile"] == "shandong-combined"
    await create_department(client, auth, DZ_REGULATOR, "德州市市场监督管理局")
    await create_department(client, auth, LZ_AGENCY, "临淄区行政审批服务局", profile="linzi-2022")
    await create_department(client, auth, LZ_REGULATOR, "临淄区交通运输局", profile="linzi-2022")
    admin = auth("admin")
    await ok(await client.post("/api/v1/matters", json=matter_body(DZ_MATTER), headers=admin))
    listing_id = await _linzi_listing(client, auth, clock)
    at(clock, "2026-10-21")
    check = await _check(client, auth, DZ_AGENCY, DZ_MATTER)
    assert (check["profile"], _restrictions(check)) == (
        "shandong-combined",
        [("restriction_effective", listing_id, "LZ §5(2)1")],
    )
    profiles = await ok(await client.get("/api/v1/profiles"), 200)
    assert [p["name"] for p in profiles if p["default"]] == ["shandong-combined"]


@pytest.fixture
async def undecided_client(
    app_harness: Harness, clock: FixedClock
) -> Any:  # an app whose deployment names no profile
    settings = app_harness.settings.model_copy(update={"profile": None})
    app = create_app(settings, database=app_harness.database, clock=clock)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://t", event_hooks={"response": [check_problem]}
    ) as c:
        yield c


@pytest.mark.parametrize(
    ("code", "profile", "status", "answer"),
    [
        ("371400-SPJ", None, 201, "dezhou-2023"),  # DZ art. 2 ¶1
        ("371424-SPJ", None, 201, "dezhou-2023"),  # 临邑县, within Dezhou city
        ("370305-XZSP", None, 201, "linzi-2022"),  # LZ §3
        ("370305-XZSP", "shandong-combined", 201, "shandong-combined"),
        ("370100-SPJ", None, 422, "department_profile_unresolved"),  # Jinan: neither text
        ("370305-XZSP", "dezhou-2023", 422, "profile_outside_jurisdiction"),
    ],
)
async def test_a_department_without_a_resolvable_profile_is_refused(
    undecided_client: httpx.AsyncClient,
    auth: TokenFactory,
    code: str,
    profile: str | None,
    status: int,
    answer: str,
) -> None:
    body: dict[str, Any] = {"code": code, "name": "某局", "region_code": code[:6]}
    if profile is not None:
        body["profile"] = profile
    response = await undecided_client.post("/api/v1/departments", json=body, headers=auth("admin"))
    assert response.status_code == status, response.text
    result = response.json()
    if status == 201:
        assert result["profile"] == answer
    else:
        assert result["code"] == answer
        assert result["errors"][0]["field"] == "body.profile"
    profiles = await ok(await undecided_client.get("/api/v1/profiles"), 200)
    assert not any(p["default"] for p in profiles)
