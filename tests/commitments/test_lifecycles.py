"""Each life cycle end to end through HTTP, with deadlines counted by hand.

2026 calendar: Oct 1-7 off (National Day and Mid-Autumn), Sat Oct 10 a make-up working
day. "Now" starts at 10:00 on Wed 2026-09-30 in Shanghai; tests move the clock.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.credit_records.models import CreditRecordEntry
from app.restrictions.models import Restriction
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, REGULATOR, matter_body, ok


def at(day: str, clock: FixedClock) -> None:
    """Move the clock to 10:00 Shanghai time on ``day``."""
    y, m, d = (int(part) for part in day.split("-"))
    clock.at = datetime(y, m, d, 2, 0, tzinfo=UTC)


async def post(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    path: str,
    body: dict[str, Any],
    status: int = 200,
    role: str = "clerk",
    department: str = AGENCY,
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=auth(role, department=department))
    result: dict[str, Any] = await ok(response, status)
    return result


async def outcomes(session: AsyncSession, commitment_id: str) -> list[str]:
    rows = await session.scalars(
        select(CreditRecordEntry.outcome).where(
            CreditRecordEntry.commitment_id == uuid.UUID(commitment_id)
        )
    )
    return list(rows)


async def proposals(session: AsyncSession, commitment_id: str) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(Restriction.status, Restriction.situation).where(
            Restriction.commitment_id == uuid.UUID(commitment_id)
        )
    )
    return [(row.status, row.situation) for row in rows]


# --- 容缺受理 ---------------------------------------------------------------------------

# 10 working days from Wed 2026-09-30 across National Day: Oct 8 (1), 9 (2), make-up
# Sat 10 (3), 12 (4), 13 (5), 14 (6), 15 (7), 16 (8), 19 (9), 20 (10).
SUPPLEMENT_DUE = "2026-10-20"


async def test_tolerance_supplied_on_time(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    assert case["status"] == "accepted"
    assert case["deadlines"]["supplement_due"] == SUPPLEMENT_DUE
    assert case["deadlines"]["provisional"] is False
    (detail,) = case["deadlines"]["details"]
    assert (detail["unit"], detail["amount"], detail["start"]) == ("working_days", 10, "2026-09-30")
    assert "DZ art. 7 ¶2" in detail["citation"] and "民法典 art. 201" in detail["citation"]
    assert [i["heading"] for i in case["notice"]["items"]][:2] == [
        "补齐补正的材料",
        "补齐补正的时限和方式",
    ]

    at(SUPPLEMENT_DUE, clock)  # the last day is still in time
    url = f"/api/v1/commitments/{case['id']}"
    supplied = await post(
        client,
        auth,
        f"{url}/supplements",
        {"compliant": True, "materials": ["食品安全管理制度文本"]},
    )
    assert supplied["status"] == "supplemented"
    done = await post(client, auth, f"{url}/decision", {"note": "办结"})
    assert done["status"] == "completed"
    assert await outcomes(session, case["id"]) == ["fulfilled"]
    assert [e["event"] for e in done["history"]] == [
        "create",
        "supplement_compliant",
        "decide",
    ]


async def test_tolerance_noncompliant_supplement_leaves_the_case_open(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}/supplements"
    body = {"compliant": False, "materials": ["食品安全管理制度文本"]}
    assert (await post(client, auth, url, body))["status"] == "accepted"


async def test_tolerance_late_reminded_then_supplied_in_time(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)  # Wed, the day after the supplement deadline
    read = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert read["status"] == "overdue"  # derived by date, before anyone records it
    overdue = await ok(
        await client.get(
            "/api/v1/commitments", params={"status": "overdue"}, headers=auth("clerk")
        ),
        200,
    )
    assert [c["id"] for c in overdue["items"]] == [case["id"]]

    # Reminder grace: 3 working days (LZ §5(1)2): Oct 22 (1), 23 (2), Mon 26 (3).
    reminded = await post(client, auth, f"{url}/reminders", {})
    assert reminded["status"] == "reminded"
    assert reminded["deadlines"]["reminder_due"] == "2026-10-26"
    assert [e["event"] for e in reminded["history"]][-2:] == [
        "supplement_deadline_passed",
        "remind",
    ]
    at("2026-10-26", clock)
    supplied = await post(
        client,
        auth,
        f"{url}/supplements",
        {"compliant": True, "materials": ["食品安全管理制度文本"]},
    )
    assert supplied["status"] == "supplemented"
    assert (await post(client, auth, f"{url}/decision", {}))["status"] == "completed"
    assert await outcomes(session, case["id"]) == ["fulfilled"]
    assert await proposals(session, case["id"]) == []


async def test_tolerance_late_reminded_then_terminated_proposes_a_listing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)
    await post(client, auth, f"{url}/reminders", {})
    at("2026-10-26", clock)  # the reminder deadline itself: too early to terminate
    early = await client.post(f"{url}/termination", json={"reason": "逾期"}, headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "reminder_deadline_not_passed")
    at("2026-10-27", clock)
    late = await client.post(
        f"{url}/supplements",
        json={"compliant": True, "materials": ["食品安全管理制度文本"]},
        headers=auth("clerk"),
    )
    assert (late.status_code, late.json()["code"]) == (409, "reminder_deadline_passed")
    ended = await post(client, auth, f"{url}/termination", {"reason": "催告后3个工作日内仍未提交"})
    assert ended["status"] == "terminated"
    assert await outcomes(session, case["id"]) == ["terminated"]
    assert await proposals(session, case["id"]) == [("proposed", "tolerance_unfulfilled")]


async def test_agency_set_reminder_period_not_below_the_minimum(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}/reminders"
    at("2026-10-21", clock)
    short = await client.post(
        url, json={"period": {"amount": 2, "unit": "working_days"}}, headers=auth("clerk")
    )
    assert (short.status_code, short.json()["code"]) == (422, "deadline_below_minimum")
    # 5 working days from Wed Oct 21: 22, 23, 26, 27, 28.
    five = await post(client, auth, url, {"period": {"amount": 5, "unit": "working_days"}})
    assert five["deadlines"]["reminder_due"] == "2026-10-28"


async def test_tolerance_withdrawn_before_completion(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}/withdrawal"
    missing = await client.post(url, json={"reason": ""}, headers=auth("clerk"))
    assert missing.status_code == 422
    withdrawn = await post(client, auth, url, {"reason": "经营场所变更"})
    assert (withdrawn["status"], withdrawn["withdrawal_reason"]) == ("withdrawn", "经营场所变更")
    assert await outcomes(session, case["id"]) == ["withdrawn"]


# --- 告知承诺 ---------------------------------------------------------------------------

# Decided on the spot (0 working days) on Sep 30; verification within 20 working days:
# Oct 8 (1), 9 (2), Sat 10 (3), 12-16 (4-8), 19-23 (9-13), 26-30 (14-18), Nov 2 (19), 3 (20).
VERIFICATION_DUE = "2026-11-03"


async def _decide(client: httpx.AsyncClient, auth: TokenFactory) -> dict[str, Any]:
    case = await commitment(client, auth, "notify_commit")
    assert case["status"] == "committed"
    assert case["deadlines"]["decision_due"] == "2026-09-30"
    decided = await post(client, auth, f"/api/v1/commitments/{case['id']}/decision", {})
    assert decided["status"] == "decided"
    assert decided["deadlines"]["verification_due"] == VERIFICATION_DUE
    return decided


async def _verify(
    client: httpx.AsyncClient, auth: TokenFactory, case: dict[str, Any], **result: Any
) -> dict[str, Any]:
    opened = await post(
        client,
        auth,
        f"/api/v1/commitments/{case['id']}/verifications",
        {"method": "onsite"},
        status=201,
    )
    # Agency and regulator differ: on-site verification goes to the catalog's department.
    assert opened["assigned_department"] == REGULATOR
    assert opened["due_on"] == VERIFICATION_DUE
    body = {"basis": "《食品经营许可和备案管理办法》", "description": "现场核查", **result}
    return await post(
        client,
        auth,
        f"/api/v1/verifications/{opened['id']}/result",
        body,
        role="verifier",
        department=REGULATOR,
    )


async def test_notify_commit_conforms(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    case = await _decide(client, auth)
    result = await _verify(client, auth, case, fulfilled=True)
    assert result["fulfilled"] is True
    assert result["checking_department_code"] == REGULATOR
    assert result["checking_department_name"] == "德州市市场监督管理局"
    assert result["verification_number"].startswith("HC-371400-2026-")
    final = await ok(
        await client.get(f"/api/v1/commitments/{case['id']}", headers=auth("clerk")), 200
    )
    assert final["status"] == "fulfilled"
    assert await outcomes(session, case["id"]) == ["fulfilled"]
    reads = await session.scalars(
        select(AuditEntry.actor).where(
            AuditEntry.action == "commitment.read", AuditEntry.target_id == case["id"]
        )
    )
    assert list(reads) == ["alice"]


async def test_notify_commit_exempt_from_verification(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    modes = matter_body()["modes"]
    modes["notify_commit"] |= {"exempt_from_verification": True, "verification_methods": []}
    modes["notify_commit"].pop("verification_limit")
    await ok(
        await client.post(
            "/api/v1/matters",
            json=matter_body("SPJ-EXEMPT-001", modes=modes),
            headers=auth("admin"),
        )
    )
    case = await commitment(client, auth, "notify_commit", matter_code="SPJ-EXEMPT-001")
    assert case["exempt_from_verification"] is True
    done = await post(client, auth, f"/api/v1/commitments/{case['id']}/decision", {})
    assert done["status"] == "fulfilled"
    assert [e["event"] for e in done["history"]] == ["create", "decide", "exempt_from_verification"]
    assert await outcomes(session, case["id"]) == ["fulfilled"]


async def test_notify_commit_nonconforming_then_rectified(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await _decide(client, auth)
    at("2026-10-15", clock)
    missing = await client.post(
        "/api/v1/commitments/" + case["id"] + "/verifications",
        json={"method": "online"},
        headers=auth("clerk"),
    )
    online = await ok(missing, 201)
    no_period = await client.post(
        f"/api/v1/verifications/{online['id']}/result",
        json={"basis": "b", "description": "d", "fulfilled": False},
        headers=auth("verifier"),
    )
    assert (no_period.status_code, no_period.json()["code"]) == (
        422,
        "rectification_period_required",
    )
    # 10 working days from Thu Oct 15: 16, 19, 20, 21, 22, 23, 26, 27, 28, 29.
    await post(
        client,
        auth,
        f"/api/v1/verifications/{online['id']}/result",
        {
            "basis": "b",
            "description": "经营场所面积与承诺不符",
            "fulfilled": False,
            "rectification_period": {"amount": 10, "unit": "working_days"},
        },
        role="verifier",
    )
    url = f"/api/v1/commitments/{case['id']}"
    ordered = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert ordered["status"] == "rectification_ordered"
    assert ordered["deadlines"]["rectification_due"] == "2026-10-29"
    at("2026-10-29", clock)
    rectified = await post(client, auth, f"{url}/rectification", {"note": "整改到位"})
    assert rectified["status"] == "fulfilled"
    assert await outcomes(session, case["id"]) == ["fulfilled"]


async def test_notify_commit_nonconforming_then_revoked_proposes_a_listing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await _decide(client, auth)
    at("2026-10-15", clock)
    await _verify(
        client,
        auth,
        case,
        fulfilled=False,
        rectification_period={"amount": 10, "unit": "working_days"},
    )
    url = f"/api/v1/commitments/{case['id']}/revocation"
    early = await client.post(url, json={"reason": "未整改"}, headers=auth("clerk"))
    assert (early.status_code, early.json()["code"]) == (409, "rectification_deadline_not_passed")
    at("2026-10-30", clock)  # the day after the rectification deadline (Oct 29)
    late = await client.post(
        f"/api/v1/commitments/{case['id']}/rectification", json={}, headers=auth("clerk")
    )
    assert (late.status_code, late.json()["code"]) == (409, "rectification_deadline_passed")
    revoked = await post(client, auth, url, {"reason": "逾期不整改"})
    assert revoked["status"] == "revoked"
    assert await outcomes(session, case["id"]) == ["revoked"]
    assert await proposals(session, case["id"]) == [("proposed", "commitment_untrue")]


async def test_notify_commit_revoked_early_when_still_nonconforming(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _decide(client, auth)
    at("2026-10-15", clock)
    await _verify(
        client,
        auth,
        case,
        fulfilled=False,
        rectification_period={"amount": 10, "unit": "working_days"},
    )
    revoked = await post(
        client,
        auth,
        f"/api/v1/commitments/{case['id']}/revocation",
        {"reason": "整改后仍不符合条件", "still_nonconforming": True},
    )
    assert revoked["status"] == "revoked"


async def test_notify_commit_withdrawn_before_the_decision(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "notify_commit")
    withdrawn = await post(
        client, auth, f"/api/v1/commitments/{case['id']}/withdrawal", {"reason": "不再申请"}
    )
    assert withdrawn["status"] == "withdrawn"
    assert await outcomes(session, case["id"]) == ["withdrawn"]


async def test_withdrawal_refused_after_the_decision(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    case = await _decide(client, auth)
    refused = await client.post(
        f"/api/v1/commitments/{case['id']}/withdrawal",
        json={"reason": "想撤回"},
        headers=auth("platform"),
    )
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["reason"], body["citation"]) == (
        "transition_not_allowed",
        "withdrawal_after_decision",
        "DZ art. 10",
    )
    still = await ok(
        await client.get(f"/api/v1/commitments/{case['id']}", headers=auth("clerk")), 200
    )
    assert still["status"] == "decided"
    assert await outcomes(session, case["id"]) == []


async def test_regulator_feedback_and_scoping(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await _decide(client, auth)
    url = f"/api/v1/commitments/{case['id']}"
    feedback = {"result": "conforms", "description": "双随机抽查未发现问题"}
    wrong = await client.post(
        f"{url}/supervision-feedback",
        json=feedback,
        headers=auth("regulator", department="371400-WJW"),
    )
    assert wrong.status_code == 403
    noted = await post(
        client,
        auth,
        f"{url}/supervision-feedback",
        feedback,
        role="regulator",
        department=REGULATOR,
    )
    assert noted["history"][-1]["event"] == "supervision_feedback"
    other = await client.get(url, headers=auth("clerk", department="370305-XZSP"))
    assert (other.status_code, other.json()["code"]) == (403, "department_forbidden")
    step = await client.post(
        f"{url}/decision", json={}, headers=auth("clerk", department="370305-XZSP")
    )
    assert step.status_code == 403
