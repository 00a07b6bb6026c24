"""告知承诺 for an applicant not yet fully qualified (DZ art. 7 ¶3 "暂未完全具备办理条件";
art. 9 ¶2 "在承诺期限内…达到承诺具备的相应条件"): the letter names conditions of the matter
to meet by a day, and the verification checks them from that day on, not before.

The matter below has two conditions; it is decided on the spot (completion limit 0
working days) and verified within 20 working days. 2026 calendar: Oct 1-7 off, Sat Oct 10
a make-up working day, no day off in November. Signed Wed Sep 30, so decided by Sep 30,
and the latest day to meet conditions by is 20 working days after it: Oct 8 (1), 9 (2),
10 (3), 12-16 (4-8), 19-23 (9-13), 26-30 (14-18), Nov 2 (19), Tue Nov 3 (20).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from tests.commitments.conftest import ALL_TRUE, passed_check
from tests.commitments.test_lifecycles import at, outcomes, post, proposals
from tests.conftest import TokenFactory
from tests.factories import LINZI, ORG, REGULATOR, consent_body, matter_body, ok

MATTER = "SPJ-COND-001"
PREMISES = "具有与经营的食品品种、数量相适应的经营场所"
STAFF = "配备专职食品安全管理人员"
MEET_BY = "2026-10-20"


@pytest.fixture(autouse=True)
async def matter(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    modes = matter_body()["modes"]
    modes["notify_commit"]["conditions"] = f"{PREMISES}；\n{STAFF}。"
    body = matter_body(MATTER, name="食品经营许可（新办）", modes=modes)
    await ok(await client.post("/api/v1/matters", json=body, headers=auth("admin")))


async def _sign(
    client: httpx.AsyncClient, auth: TokenFactory, matter_code: str = MATTER, **fields: Any
) -> httpx.Response:
    check = await passed_check(client, auth, matter_code)
    body: dict[str, Any] = {
        "credit_check_id": check["id"],
        "mode": "notify_commit",
        "affirmations": ALL_TRUE,
        "signed_by": "张三（法定代表人）",
        "signed_at": "2026-09-30T10:00:00+08:00",
        **fields,
    }
    return await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))


async def _committed(client: httpx.AsyncClient, auth: TokenFactory) -> dict[str, Any]:
    case: dict[str, Any] = await ok(
        await _sign(client, auth, conditions_to_meet=[STAFF], meet_by=MEET_BY)
    )
    return case


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


async def test_the_letter_commits_to_the_conditions_by_the_day(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await _committed(client, auth)
    letter = case["letter"]
    assert (letter["conditions_to_meet"], letter["meet_by"]) == ([STAFF], MEET_BY)
    # "已符合相关条件" no longer covers the condition to be met: not untrue from the start.
    assert "本人（本单位）已符合相关条件。" not in letter["affirmations"]
    assert "除下列承诺达到的条件外，本人（本单位）已符合相关条件。" in letter["affirmations"]
    assert letter["affirmations"][-1] == (
        f"本人（本单位）承诺于2026年10月20日前（含当日）达到下列条件：（1）{STAFF}。"
    )
    assert case["history"][0]["details"]["meet_by"] == MEET_BY
    pdf = await client.get(f"/api/v1/commitments/{case['id']}/letter.pdf", headers=auth("clerk"))
    assert pdf.status_code == 200
    text = _pdf_text(pdf.content).replace("\n", "")
    assert "承诺达到的办理条件" in text
    assert STAFF in text and "2026年10月20日" in text
    assert "除下列承诺达到的条件外" in text


async def test_a_letter_without_conditions_affirms_them_met(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case: dict[str, Any] = await ok(await _sign(client, auth))
    letter = case["letter"]
    assert (letter["conditions_to_meet"], letter["meet_by"]) == ([], None)
    assert "本人（本单位）已符合相关条件。" in letter["affirmations"]
    assert len(letter["affirmations"]) == 5


async def test_the_verification_checks_the_conditions_from_the_day_they_are_due(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await _committed(client, auth)
    url = f"/api/v1/commitments/{case['id']}"
    decided = await post(client, auth, f"{url}/decision", {})
    # The verification period counts from Tue Oct 20, not the decision: 20 working days,
    # Oct 21-23 (1-3), 26-30 (4-8), Nov 2-6 (9-13), 9-13 (14-18), 16 (19), Tue Nov 17 (20).
    assert decided["deadlines"]["verification_due"] == "2026-11-17"
    (detail,) = [d for d in decided["deadlines"]["details"] if d["name"] == "verification_due"]
    assert detail["start"] == MEET_BY
    at("2026-10-15", clock)
    opened = await post(client, auth, f"{url}/verifications", {"method": "onsite"}, status=201)
    assert opened["due_on"] == "2026-11-17"
    assert (opened["conditions_to_meet"], opened["meet_by"]) == ([STAFF], MEET_BY)
    result = f"/api/v1/verifications/{opened['id']}/result"

    # Mon Oct 19, the day before: neither a breach nor a fulfilment can be found.
    at("2026-10-19", clock)
    for fulfilled in (False, True):
        early = await client.post(
            result,
            json={
                "basis": "现场核查",
                "description": "尚未配备专职食品安全管理人员",
                "fulfilled": fulfilled,
                "rectification_period": {"amount": 10, "unit": "working_days"},
            },
            headers=auth("verifier", department=REGULATOR),
        )
        assert (early.status_code, early.json()["code"]) == (409, "conditions_not_yet_due")
        assert early.json()["citation"] == "DZ art. 9 ¶2"
    # Checked on Oct 19 and entered on Oct 21: still before the day.
    at("2026-10-21", clock)
    entered_late = await client.post(
        result,
        json={
            "basis": "现场核查",
            "description": "尚未配备",
            "fulfilled": False,
            "checked_at": "2026-10-19T15:00:00+08:00",
            "rectification_period": {"amount": 10, "unit": "working_days"},
        },
        headers=auth("verifier", department=REGULATOR),
    )
    assert (entered_late.status_code, entered_late.json()["code"]) == (
        409,
        "conditions_not_yet_due",
    )
    still = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert still["status"] == "verifying"
    assert [v["status"] for v in still["verifications"]] == ["open"]
    assert await outcomes(session, case["id"]) == []
    assert await proposals(session, case["id"]) == []

    # Checked on the day itself: the conditions are due, and found met.
    met = await post(
        client,
        auth,
        result,
        {
            "basis": "现场核查",
            "description": "已配备专职食品安全管理人员",
            "fulfilled": True,
            "checked_at": "2026-10-20T15:00:00+08:00",
        },
        role="verifier",
        department=REGULATOR,
    )
    assert met["fulfilled"] is True
    done = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert done["status"] == "fulfilled"
    assert await outcomes(session, case["id"]) == ["fulfilled"]


async def test_conditions_unmet_on_the_day_are_a_breach(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _committed(client, auth)
    url = f"/api/v1/commitments/{case['id']}"
    await post(client, auth, f"{url}/decision", {})
    at("2026-10-20", clock)
    opened = await post(client, auth, f"{url}/verifications", {"method": "online"}, status=201)
    await post(
        client,
        auth,
        f"/api/v1/verifications/{opened['id']}/result",
        {
            "basis": "在线核查",
            "description": "未配备专职食品安全管理人员",
            "fulfilled": False,
            "rectification_period": {"amount": 10, "unit": "working_days"},
        },
        role="verifier",
    )
    ordered = await ok(await client.get(url, headers=auth("clerk")), 200)
    # 10 working days from Tue Oct 20: Oct 21-23 (1-3), 26-30 (4-8), Nov 2 (9), Tue Nov 3.
    assert (ordered["status"], ordered["deadlines"]["rectification_due"]) == (
        "rectification_ordered",
        "2026-11-03",
    )


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"conditions_to_meet": [STAFF]}, "conditions_to_meet_incomplete", "body.meet_by"),
        ({"meet_by": MEET_BY}, "conditions_to_meet_incomplete", "body.conditions_to_meet"),
        (
            {"conditions_to_meet": ["具有冷藏设备"], "meet_by": MEET_BY},
            "condition_not_of_matter",
            "body.conditions_to_meet",
        ),
        # the day of signing: a condition met that day is one the applicant meets
        ({"conditions_to_meet": [STAFF], "meet_by": "2026-09-30"}, "meet_by_out_of_range",
         "body.meet_by"),
        # the day after the latest, Tue Nov 3
        ({"conditions_to_meet": [STAFF], "meet_by": "2026-11-04"}, "meet_by_out_of_range",
         "body.meet_by"),
    ],
)  # fmt: skip
async def test_the_conditions_and_the_day_are_checked(
    client: httpx.AsyncClient, auth: TokenFactory, fields: dict[str, Any], code: str, field: str
) -> None:
    response = await _sign(client, auth, **fields)
    assert (response.status_code, response.json()["code"]) == (422, code)
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_the_latest_day_is_the_verification_period_from_the_completion_limit(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case: dict[str, Any] = await ok(
        await _sign(client, auth, conditions_to_meet=[PREMISES, STAFF], meet_by="2026-11-03")
    )
    assert case["letter"]["conditions_to_meet"] == [PREMISES, STAFF]


async def test_no_conditions_to_meet_for_tolerance_or_a_matter_exempt_from_verification(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    tolerance = await _sign(
        client,
        auth,
        mode="tolerance",
        missing_materials=["食品安全管理制度文本"],
        conditions_to_meet=[STAFF],
        meet_by=MEET_BY,
    )
    assert (tolerance.status_code, tolerance.json()["code"]) == (
        422,
        "conditions_to_meet_not_offered",
    )
    modes = matter_body()["modes"]
    modes["notify_commit"] |= {
        "conditions": STAFF,
        "exempt_from_verification": True,
        "verification_methods": [],
    }
    modes["notify_commit"].pop("verification_limit")
    exempt = matter_body("SPJ-EXEMPT-002", modes=modes)
    await ok(await client.post("/api/v1/matters", json=exempt, headers=auth("admin")))
    response = await _sign(
        client, auth, "SPJ-EXEMPT-002", conditions_to_meet=[STAFF], meet_by=MEET_BY
    )
    assert (response.status_code, response.json()["code"]) == (
        422,
        "conditions_to_meet_not_offered",
    )


async def test_no_conditions_to_meet_under_linzi_alone(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    """LZ §4(2)3 offers 告知承诺 to 符合条件的申请人: the linzi-2022 profile has no reading
    for conditions met later."""
    body = matter_body(
        "LZ-FOOD-001", agency_department=LINZI, regulator_department=LINZI,
        onsite_verification_department=LINZI,
    )  # fmt: skip
    await ok(await client.post("/api/v1/matters", json=body, headers=auth("admin")))
    clerk = auth("clerk", department=LINZI)
    consent = await ok(await client.post("/api/v1/consents", json=consent_body(), headers=clerk))
    check = await ok(
        await client.post(
            "/api/v1/credit-checks",
            json={
                "subject": ORG,
                "matter_code": "LZ-FOOD-001",
                "mode": "notify_commit",
                "purpose": "credit_facilitation",
                "consent_id": consent["id"],
            },
            headers=clerk,
        )
    )
    assert (check["result"], check["profile"]) == ("pass", "linzi-2022")
    response = await client.post(
        "/api/v1/commitments",
        json={
            "credit_check_id": check["id"],
            "mode": "notify_commit",
            "affirmations": ALL_TRUE,
            "signed_by": "张三（法定代表人）",
            "signed_at": "2026-09-30T10:00:00+08:00",
            "conditions_to_meet": [PREMISES],
            "meet_by": MEET_BY,
        },
        headers=clerk,
    )
    assert (response.status_code, response.json()["code"]) == (
        422,
        "conditions_to_meet_not_offered",
    )
    assert "linzi-2022" in response.json()["errors"][0]["message"]
