"""A withdrawal with a reasonable reason (DZ art. 10 "申请人有合理理由的，可以撤回承诺书，
撤回后该事项应当按照一般程序办理"): its category in the history's details
(``reason_category``), and the ordinary procedure next.

Every case is signed Wed 2026-09-30 (the default "now"); withdrawals are made that day
unless dated otherwise.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.commitments.test_lifecycles import at
from tests.conftest import TokenFactory
from tests.factories import ok

URL = "/api/v1/commitments"


async def _withdraw(
    client: httpx.AsyncClient, auth: TokenFactory, case: dict[str, Any], body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{URL}/{case['id']}/withdrawal", json=body, headers=auth("clerk"))


def _withdrawal_step(case: dict[str, Any]) -> dict[str, Any]:
    (row,) = [h for h in case["history"] if h["event"] == "withdraw"]
    details: dict[str, Any] = row["details"]
    return details


@pytest.mark.parametrize("mode", ["tolerance", "notify_commit"])
async def test_a_category_is_recorded_and_the_ordinary_procedure_follows(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, mode: str
) -> None:
    case = await commitment(client, auth, mode)
    assert case["next_step"] is None
    body = {"reason_category": "materials_unobtainable", "reason": "原件遗失，补办需两个月"}
    withdrawn = await ok(await _withdraw(client, auth, case, body), 200)
    assert (withdrawn["status"], withdrawn["next_step"]) == ("withdrawn", "ordinary")
    assert withdrawn["withdrawal_reason_category"] == "materials_unobtainable"
    assert withdrawn["withdrawal_reason"] == "原件遗失，补办需两个月"
    step = _withdrawal_step(withdrawn)
    assert (step["reason_category"], step["reason"]) == (
        "materials_unobtainable",
        "原件遗失，补办需两个月",
    )
    entry = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "commitment.withdraw", AuditEntry.target_id == case["id"]
            )
        )
    ).one()
    assert entry.details is not None
    assert entry.details["reason_category"] == "materials_unobtainable"
    read = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    assert (read["next_step"], read["withdrawal_reason_category"]) == (
        "ordinary",
        "materials_unobtainable",
    )


async def test_a_named_category_needs_no_text(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "notify_commit")
    withdrawn = await ok(
        await _withdraw(client, auth, case, {"reason_category": "duplicate_application"}), 200
    )
    assert (withdrawn["withdrawal_reason_category"], withdrawn["withdrawal_reason"]) == (
        "duplicate_application",
        "重复申请",
    )
    assert _withdrawal_step(withdrawn)["reason_category"] == "duplicate_application"


async def test_other_needs_its_reason_in_words(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    for body in ({"reason_category": "other"}, {"reason_category": "other", "reason": "  "}):
        response = await _withdraw(client, auth, case, body)
        problem = response.json()
        assert (response.status_code, problem["code"]) == (422, "withdrawal_reason_missing")
        assert [e["field"] for e in problem["errors"]] == ["body.reason"]
    unchanged = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    assert (unchanged["status"], unchanged["next_step"]) == ("accepted", None)


async def test_a_reason_alone_is_other_as_before(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    """An earlier client's body (a reason in words, no category) still withdraws."""
    case = await commitment(client, auth, "tolerance")
    withdrawn = await ok(await _withdraw(client, auth, case, {"reason": "经营场所变更"}), 200)
    assert (withdrawn["withdrawal_reason_category"], withdrawn["withdrawal_reason"]) == (
        "other",
        "经营场所变更",
    )
    assert _withdrawal_step(withdrawn)["reason_category"] == "other"
    assert withdrawn["next_step"] == "ordinary"


async def test_an_unknown_category_is_422(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    case = await commitment(client, auth, "tolerance")
    response = await _withdraw(client, auth, case, {"reason_category": "bored", "reason": "x"})
    assert response.status_code == 422


async def test_after_the_decision_no_withdrawal_and_no_ordinary_procedure(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    """Decided on the spot (completion limit 0 working days: Wed 09-30); a withdrawal on
    Thu 10-08 comes after the decision (DZ art. 10 "办结前")."""
    case = await commitment(client, auth, "notify_commit")
    await ok(await client.post(f"{URL}/{case['id']}/decision", json={}, headers=auth("clerk")), 200)
    at("2026-10-08", clock)
    response = await _withdraw(client, auth, case, {"reason_category": "conditions_changed"})
    assert response.status_code == 409
    read = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    assert (read["status"], read["next_step"], read["withdrawal_reason_category"]) == (
        "decided",
        None,
        None,
    )


async def test_profiles_show_the_categories_reading(client: httpx.AsyncClient) -> None:
    profiles = (await client.get("/api/v1/profiles")).json()
    dezhou = next(p for p in profiles if p["name"] == "dezhou-2023")
    readings = {r["name"]: r for r in dezhou["readings"]}
    withdrawal = readings["withdrawal_reason_categories"]
    assert withdrawal["citation"]["article"] == "10"
    assert "有合理理由" in withdrawal["citation"]["text_zh"]
    late = readings["decision_late"]
    assert "当场或者在承诺办结时限内办结" in late["citation"]["text_zh"]
