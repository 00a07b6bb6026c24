"""A commitment's dates in the order the steps happened: a signature is not before the
credit check that backs it, a verification result is not checked before the verification
was opened (422, both dates in the problem). Dates by hand: the check is run at 10:00 on
Wed 2026-09-30 in Shanghai, the default "now".
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment, sign
from tests.commitments.test_lifecycles import at
from tests.conftest import TokenFactory
from tests.factories import REGULATOR, ok


def _refused(response: httpx.Response, code: str, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (422, code)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    return problem


async def test_a_signature_before_its_credit_check_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    # A clerk's typo: June instead of September, three months before the check.
    response = await sign(client, auth, "tolerance", signed_at="2026-06-30T10:00:00+08:00")
    problem = _refused(response, "step_date_before_previous_step", "body.signed_at")
    assert problem["step_date"] == "2026-06-30"
    assert (problem["previous_step"], problem["previous_step_date"]) == (
        "credit_check",
        "2026-09-30",
    )
    listed = await ok(await client.get("/api/v1/commitments", headers=auth("clerk")), 200)
    assert listed["items"] == []


async def test_a_signature_on_the_day_of_its_check_is_accepted(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    # Signed at 09:00, the check run at 10:00 the same day: the same day is in order.
    case = await commitment(client, auth, "tolerance", signed_at="2026-09-30T09:00:00+08:00")
    assert case["status"] == "accepted"


async def _opened(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> str:
    case = await commitment(client, auth, "notify_commit")
    await ok(
        await client.post(
            f"/api/v1/commitments/{case['id']}/decision", json={}, headers=auth("clerk")
        ),
        200,
    )
    at("2026-10-15", clock)
    opened = await ok(
        await client.post(
            f"/api/v1/commitments/{case['id']}/verifications",
            json={"method": "onsite"},
            headers=auth("clerk"),
        ),
        201,
    )
    return str(opened["id"])


def _result(checked_at: str) -> dict[str, Any]:
    return {
        "basis": "《食品经营许可和备案管理办法》",
        "description": "现场核查",
        "fulfilled": True,
        "checked_at": checked_at,
    }


async def test_a_result_checked_before_the_verification_was_opened_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    verification_id = await _opened(client, auth, clock)  # opened Thu 2026-10-15
    response = await client.post(
        f"/api/v1/verifications/{verification_id}/result",
        json=_result("2026-10-14T15:00:00+08:00"),
        headers=auth("verifier", department=REGULATOR),
    )
    problem = _refused(response, "step_date_before_previous_step", "body.checked_at")
    assert problem["step_date"] == "2026-10-14"
    assert (problem["previous_step"], problem["previous_step_date"]) == (
        "verification_opening",
        "2026-10-15",
    )


async def test_a_result_checked_on_the_opening_day_is_accepted(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    verification_id = await _opened(client, auth, clock)
    at("2026-10-16", clock)
    result = await ok(
        await client.post(
            f"/api/v1/verifications/{verification_id}/result",
            json=_result("2026-10-15T09:00:00+08:00"),
            headers=auth("verifier", department=REGULATOR),
        ),
        200,
    )
    assert (result["fulfilled"], result["checked_at"]) == (True, "2026-10-15T09:00:00+08:00")
