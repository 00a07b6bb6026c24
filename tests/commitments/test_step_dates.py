"""Every commitment step takes the day it happened; a day out of order is refused.

Dates counted by hand from the 2026 calendar: Oct 1-7 are National Day and Mid-Autumn
holidays, Sat Oct 10 a make-up working day. Every case is signed at 10:00 on Wed
2026-09-30 in Shanghai (the default "now"):
- tolerance: 10 working days to supplement: Oct 8 (1), 9 (2), Sat 10 (3), 12-16 (4-8),
  19 (9), 20 (10) -> Tue 10-20; overdue from Wed 10-21;
- a reminder sent Wed 10-21 gives 3 working days (LZ §5(1)2): Oct 22, 23, Mon 26 ->
  10-26; counted from Fri 10-23 it would be Oct 26, 27, 28 -> 10-28;
- notify-commit: a decision made Thu 10-08 starts 20 working days of verification:
  Oct 9 (1), Sat 10 (2), 12-16 (3-7), 19-23 (8-12), 26-30 (13-17), Nov 2 (18), 3 (19),
  4 (20) -> Wed 11-04 (from the day it is entered, Fri 10-09, it would be Thu 11-05).
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.commitments.conftest import commitment
from tests.commitments.test_lifecycles import at
from tests.conftest import Harness, TokenFactory
from tests.factories import REGULATOR, ok

URL = "/api/v1/commitments"
MATERIALS = ["食品安全管理制度文本"]
MAILED = "邮寄补正，邮戳日期2026-10-20，次日收到"


async def _post(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    path: str,
    body: dict[str, Any],
    role: str = "clerk",
    department: str | None = None,
) -> httpx.Response:
    headers = auth(role, department=department) if department else auth(role)
    return await client.post(f"{URL}/{path}", json=body, headers=headers)


def _refused(response: httpx.Response, code: str, **members: str) -> None:
    """422 with ``code``, the HTTP code in ``status`` and both dates in members of their own."""
    body = response.json()
    assert (response.status_code, body["code"], body["status"]) == (422, code, 422), body
    assert {name: body.get(name) for name in members} == members


async def _audit_details(session: AsyncSession, action: str, target_id: str) -> dict[str, Any]:
    entry = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target_id == target_id)
        )
    ).one()
    assert entry.details is not None
    assert entry.actor == "alice"
    return dict(entry.details)


async def _worker_pass(harness: Harness, clock: FixedClock) -> None:
    worker = Worker(harness.database, harness.settings, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


async def test_a_step_dated_tomorrow_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")  # today Wed 09-30
    response = await _post(
        client,
        auth,
        f"{case['id']}/supplements",
        {"compliant": True, "materials": MATERIALS, "on": "2026-10-01"},
    )
    _refused(response, "step_date_in_future", step_date="2026-10-01", today="2026-09-30")
    assert response.json()["errors"][0]["field"] == "body.on"


async def test_a_decision_before_the_commitment_was_signed_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "notify_commit")  # signed Wed 09-30
    at("2026-10-09", clock)
    response = await _post(
        client,
        auth,
        f"{case['id']}/decision",
        {"on": "2026-09-29", "late_entry_reason": "纸质决定书补录"},
    )
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-09-29",
        previous_step="signature",
        previous_step_date="2026-09-30",
    )


async def test_a_step_before_the_step_it_follows_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-12", clock)
    await ok(
        await _post(
            client, auth, f"{case['id']}/supplements", {"compliant": True, "materials": MATERIALS}
        ),
        200,
    )
    at("2026-10-14", clock)
    response = await _post(
        client, auth, f"{case['id']}/decision", {"on": "2026-10-09", "late_entry_reason": "补录"}
    )
    _refused(
        response,
        "step_date_before_previous_step",
        step_date="2026-10-09",
        previous_step="supplement_compliant",
        previous_step_date="2026-10-12",
    )


async def test_a_back_dated_step_needs_the_reason_it_is_entered_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "notify_commit")
    at("2026-10-09", clock)
    response = await _post(client, auth, f"{case['id']}/decision", {"on": "2026-10-08"})
    _refused(response, "late_entry_reason_required", step_date="2026-10-08", today="2026-10-09")
    assert response.json()["errors"][0]["field"] == "body.late_entry_reason"


async def test_a_back_dated_decision_is_recorded_on_its_day_with_the_late_entry(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "notify_commit")
    at("2026-10-09", clock)
    reason = "10月8日当场作出决定，次日补录"
    decided = await ok(
        await _post(
            client,
            auth,
            f"{case['id']}/decision",
            {"on": "2026-10-08", "late_entry_reason": reason},
        ),
        200,
    )
    assert (decided["status"], decided["decided_on"]) == ("decided", "2026-10-08")
    # The verification period counts from the day decided, not the day entered.
    assert decided["deadlines"]["verification_due"] == "2026-11-04"
    last = decided["history"][-1]
    assert (last["event"], last["actor"]) == ("decide", "alice")
    late_entry = {"entered_on": "2026-10-09", "entered_by": "alice", "reason": reason}
    assert (last["details"]["on"], last["details"]["late_entry"]) == ("2026-10-08", late_entry)
    audit = await _audit_details(session, "commitment.decide", case["id"])
    assert (audit["on"], audit["late_entry"]) == ("2026-10-08", late_entry)


async def test_a_step_dated_today_records_no_late_entry(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "notify_commit")
    decided = await ok(await _post(client, auth, f"{case['id']}/decision", {}), 200)
    assert decided["decided_on"] == "2026-09-30"
    details = decided["history"][-1]["details"]
    assert details["on"] == "2026-09-30"
    assert "late_entry" not in details


async def test_a_back_dated_reminder_counts_its_deadline_from_its_own_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-23", clock)  # Fri: the reminder was sent Wed 10-21
    reason = "催告书10月21日送达，回执今日归档"
    reminded = await ok(
        await _post(
            client,
            auth,
            f"{case['id']}/reminders",
            {"on": "2026-10-21", "late_entry_reason": reason},
        ),
        200,
    )
    assert reminded["status"] == "reminded"
    assert reminded["deadlines"]["reminder_due"] == "2026-10-26"
    assert [e["event"] for e in reminded["history"]] == [
        "create",
        "supplement_deadline_passed",
        "remind",
    ]
    late_entry = {"entered_on": "2026-10-23", "entered_by": "alice", "reason": reason}
    assert reminded["history"][-1]["details"]["late_entry"] == late_entry
    audit = await _audit_details(session, "commitment.remind", case["id"])
    assert (audit["on"], audit["late_entry"]) == ("2026-10-21", late_entry)
    # Terminated the day after the reminder deadline, Tue 10-27 (entered that day).
    at("2026-10-27", clock)
    ended = await ok(
        await _post(client, auth, f"{case['id']}/termination", {"reason": "逾期未补正"}), 200
    )
    assert (ended["status"], ended["closed_on"]) == ("terminated", "2026-10-27")


async def test_a_reminder_dated_before_the_deadline_passed_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-22", clock)
    response = await _post(
        client, auth, f"{case['id']}/reminders", {"on": "2026-10-20", "late_entry_reason": "补录"}
    )
    # On Tue 10-20 the case was still awaiting its supplement: nothing to remind.
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")


async def _supplied_late(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, case_id: str
) -> dict[str, Any]:
    """Materials mailed on the deadline's last day, entered the next day: in time."""
    supplied: dict[str, Any] = await ok(
        await _post(
            client,
            auth,
            f"{case_id}/supplements",
            {
                "compliant": True,
                "materials": MATERIALS,
                "on": "2026-10-20",
                "late_entry_reason": MAILED,
            },
        ),
        200,
    )
    assert supplied["status"] == "supplemented"
    last = supplied["history"][-1]
    assert last["event"] == "supplement_compliant"
    late_entry = {"entered_on": "2026-10-21", "entered_by": "alice", "reason": MAILED}
    assert (last["details"]["on"], last["details"]["late_entry"]) == ("2026-10-20", late_entry)
    audit = await _audit_details(session, "commitment.supplement_compliant", case_id)
    assert (audit["on"], audit["late_entry"]) == ("2026-10-20", late_entry)
    return supplied


async def test_a_supplement_made_in_time_and_entered_after_the_deadline_is_accepted(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-21", clock)  # the day after the supplement deadline
    supplied = await _supplied_late(client, auth, session, case["id"])
    assert [e["event"] for e in supplied["history"]] == ["create", "supplement_compliant"]
    done = await ok(await _post(client, auth, f"{case['id']}/decision", {}), 200)
    assert (done["status"], done["closed_on"]) == ("completed", "2026-10-21")


async def test_a_supplement_made_in_time_is_accepted_after_the_worker_recorded_the_lapse(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    session: AsyncSession,
    app_harness: Harness,
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-21", clock)
    await _worker_pass(app_harness, clock)
    read = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    assert read["history"][-1]["event"] == "supplement_deadline_passed"
    supplied = await _supplied_late(client, auth, session, case["id"])
    assert [e["event"] for e in supplied["history"]] == [
        "create",
        "supplement_deadline_passed",
        "supplement_deadline_reopened",
        "supplement_compliant",
    ]
    reopened = supplied["history"][-2]
    assert (reopened["from_status"], reopened["to_status"]) == ("overdue", "accepted")


async def test_a_supplement_made_after_the_deadline_is_refused_whenever_entered(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-22", clock)
    response = await _post(
        client,
        auth,
        f"{case['id']}/supplements",
        {
            "compliant": True,
            "materials": MATERIALS,
            "on": "2026-10-21",
            "late_entry_reason": "补录",
        },
    )
    assert (response.status_code, response.json()["code"]) == (409, "supplement_deadline_passed")


async def test_a_back_dated_withdrawal_closes_the_case_on_its_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    at("2026-10-13", clock)
    withdrawn = await ok(
        await _post(
            client,
            auth,
            f"{case['id']}/withdrawal",
            {"reason": "经营场所变更", "on": "2026-10-12", "late_entry_reason": "书面申请补录"},
        ),
        200,
    )
    assert (withdrawn["status"], withdrawn["closed_on"]) == ("withdrawn", "2026-10-12")


async def test_a_verification_opened_back_dated_takes_a_result_from_its_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "notify_commit")
    await ok(await _post(client, auth, f"{case['id']}/decision", {}), 200)  # Wed 09-30
    at("2026-10-16", clock)
    early = await _post(
        client,
        auth,
        f"{case['id']}/verifications",
        {"method": "onsite", "on": "2026-09-29", "late_entry_reason": "补录"},
    )
    _refused(
        early,
        "step_date_before_previous_step",
        step_date="2026-09-29",
        previous_step="decide",
        previous_step_date="2026-09-30",
    )
    opened = await ok(
        await _post(
            client,
            auth,
            f"{case['id']}/verifications",
            {"method": "onsite", "on": "2026-10-15", "late_entry_reason": "现场核查记录补录"},
        ),
        201,
    )
    # Checked on the day it was opened, entered the next day: in order.
    result = await client.post(
        f"/api/v1/verifications/{opened['id']}/result",
        json={
            "basis": "《食品经营许可和备案管理办法》",
            "description": "现场核查",
            "fulfilled": True,
            "checked_at": "2026-10-15T15:00:00+08:00",
        },
        headers=auth("verifier", department=REGULATOR),
    )
    assert (await ok(result, 200))["fulfilled"] is True
    read = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    (opening,) = [e for e in read["history"] if e["event"] == "open_verification"]
    assert opening["details"]["on"] == "2026-10-15"


async def test_supervision_feedback_is_dated_and_not_before_the_decision(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "notify_commit")
    at("2026-10-09", clock)
    await ok(await _post(client, auth, f"{case['id']}/decision", {}), 200)  # Fri 10-09
    at("2026-10-13", clock)
    body = {"result": "conforms", "description": "双随机抽查未发现问题"}
    early = await _post(
        client,
        auth,
        f"{case['id']}/supervision-feedback",
        {**body, "on": "2026-10-08", "late_entry_reason": "补录"},
        role="regulator",
        department=REGULATOR,
    )
    _refused(
        early,
        "step_date_before_previous_step",
        step_date="2026-10-08",
        previous_step="decide",
        previous_step_date="2026-10-09",
    )
    fed_back = await ok(
        await _post(
            client,
            auth,
            f"{case['id']}/supervision-feedback",
            {**body, "on": "2026-10-12", "late_entry_reason": "抽查记录补录"},
            role="regulator",
            department=REGULATOR,
        ),
        200,
    )
    last = fed_back["history"][-1]
    assert (last["event"], last["details"]["on"]) == ("supervision_feedback", "2026-10-12")
    assert last["details"]["late_entry"]["entered_on"] == "2026-10-13"
