"""A notify-commit decision after its completion limit is flagged late (DZ art. 7 ¶3
"当场或者在承诺办结时限内办结"), judged on the decision's day, not the day of entry.

Dates counted by hand from the 2026 calendar (Oct 1-7 National Day and Mid-Autumn
holidays, Sat Oct 10 a make-up working day). A matter with a completion limit of 5 working
days, signed Wed 2026-09-30: Oct 8 (1), 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5) -> the
limit is Tue 2026-10-13. A decision that day is in time; Wed 10-14, the next working day,
is late.
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
from tests.factories import matter_body, ok

URL = "/api/v1/commitments"
MATTER = "SPJ-LATE-001"
LIMIT = "2026-10-13"
LATE_DAY = "2026-10-14"


@pytest.fixture(autouse=True)
async def five_day_matter(client: httpx.AsyncClient, auth: TokenFactory, catalog: None) -> None:
    """A matter decided within 5 working days (承诺办结时限)."""
    body = matter_body(MATTER, name="食品经营许可（延续）")
    body["modes"]["notify_commit"]["completion_limit"] = {"amount": 5, "unit": "working_days"}
    await ok(await client.post("/api/v1/matters", json=body, headers=auth("admin")))


async def _notify_commit(client: httpx.AsyncClient, auth: TokenFactory) -> dict[str, Any]:
    case = await commitment(client, auth, "notify_commit", matter_code=MATTER)
    assert case["deadlines"]["decision_due"] == LIMIT
    return case


async def _decide(
    client: httpx.AsyncClient, auth: TokenFactory, case: dict[str, Any], **body: str
) -> dict[str, Any]:
    decided: dict[str, Any] = await ok(
        await client.post(
            f"{URL}/{case['id']}/decision", json={"note": "准予许可", **body}, headers=auth("clerk")
        ),
        200,
    )
    return decided


def _decision_step(case: dict[str, Any]) -> dict[str, Any]:
    (row,) = [h for h in case["history"] if h["event"] == "decide"]
    details: dict[str, Any] = row["details"]
    return details


async def _audit(session: AsyncSession, case_id: str) -> dict[str, Any]:
    entry = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "commitment.decide", AuditEntry.target_id == case_id
            )
        )
    ).one()
    assert entry.details is not None
    return dict(entry.details)


async def test_a_decision_a_working_day_after_the_limit_is_flagged_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await _notify_commit(client, auth)
    at(LATE_DAY, clock)
    decided = await _decide(client, auth, case)
    assert (decided["decided_on"], decided["decision_due_on"], decided["decision_late"]) == (
        LATE_DAY,
        LIMIT,
        True,
    )
    step = _decision_step(decided)
    assert (step["late"], step["decision_due"], step["on"]) == (True, LIMIT, LATE_DAY)
    audit = await _audit(session, case["id"])
    assert (audit["late"], audit["decision_due"]) == (True, LIMIT)
    read = await ok(await client.get(f"{URL}/{case['id']}", headers=auth("clerk")), 200)
    assert (read["decision_late"], read["decision_due_on"]) == (True, LIMIT)


async def test_a_decision_on_the_limits_last_day_is_in_time(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _notify_commit(client, auth)
    at(LIMIT, clock)
    decided = await _decide(client, auth, case)
    assert (decided["decision_late"], decided["decision_due_on"]) == (False, LIMIT)
    assert (_decision_step(decided)["late"], _decision_step(decided)["decision_due"]) == (
        False,
        LIMIT,
    )


async def test_a_decision_entered_late_is_judged_on_its_own_day(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    """Decided on the limit's last day, entered two working days later: in time."""
    case = await _notify_commit(client, auth)
    at("2026-10-15", clock)
    decided = await _decide(client, auth, case, on=LIMIT, late_entry_reason="系统故障，事后补录")
    assert (decided["decided_on"], decided["decision_late"]) == (LIMIT, False)
    step = _decision_step(decided)
    assert (step["late"], step["on"], step["late_entry"]["entered_on"]) == (
        False,
        LIMIT,
        "2026-10-15",
    )


async def test_a_late_decision_entered_later_still_is_late(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await _notify_commit(client, auth)
    at("2026-10-19", clock)
    decided = await _decide(client, auth, case, on=LATE_DAY, late_entry_reason="补录")
    assert (decided["decided_on"], decided["decision_late"]) == (LATE_DAY, True)


async def test_the_list_filters_late_decisions(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    late = await _notify_commit(client, auth)
    in_time = await _notify_commit(client, auth)
    undecided = await _notify_commit(client, auth)
    at(LIMIT, clock)
    await _decide(client, auth, in_time)
    at(LATE_DAY, clock)
    await _decide(client, auth, late)

    async def ids(**filters: Any) -> list[str]:
        page = await ok(await client.get(URL, params=filters, headers=auth("clerk")), 200)
        searched = await ok(
            await client.post(f"{URL}/search", json=filters, headers=auth("clerk")), 200
        )
        assert page == searched
        return [item["id"] for item in page["items"]]

    assert await ids(late=True) == [late["id"]]
    assert await ids(late=False) == [in_time["id"]]
    everything = await ok(await client.get(URL, headers=auth("clerk")), 200)
    flags = {item["id"]: item["decision_late"] for item in everything["items"]}
    assert flags == {late["id"]: True, in_time["id"]: False, undecided["id"]: None}


async def test_a_tolerance_completion_is_not_judged(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    """Tolerance has no completion limit of its own (DZ art. 7 ¶2): no flag."""
    case = await commitment(client, auth, "tolerance")
    await ok(
        await client.post(
            f"{URL}/{case['id']}/supplements",
            json={"materials": ["食品安全管理制度文本"], "compliant": True},
            headers=auth("clerk"),
        ),
        200,
    )
    at("2026-10-09", clock)
    decided = await _decide(client, auth, case)
    assert (decided["decision_late"], decided["decision_due_on"]) == (None, None)
    assert "late" not in _decision_step(decided)
