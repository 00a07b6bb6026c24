"""A terminated tolerance case records its ground; only non-submission proposes a listing.

LZ §5(1)2's third situation is "经催告后3个工作日内仍未提交": materials that came but fell
short (DZ art. 13 ¶1 "补齐补正不符合要求") end the case under DZ, and propose nothing.

2026 calendar: Oct 1-7 off, Sat Oct 10 a make-up working day. Signed Wed Sep 30: the
supplement deadline is Tue Oct 20 (10 working days: Oct 8, 9, 10, 12-16, 19, 20). Reminded
in person on Wed Oct 21, the reminder deadline is Mon Oct 26 (3 working days: Oct 22, 23,
26); terminated on Tue Oct 27.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.commitments.test_lifecycles import at, outcomes, post, proposals
from tests.conftest import TokenFactory

DEFICIENT = {"compliant": False, "materials": ["食品安全管理制度文本"], "note": "缺少签章"}


async def test_a_termination_for_non_submission_proposes_situation_3(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, session: AsyncSession
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at("2026-10-21", clock)
    reminded = await post(client, auth, f"{url}/reminders", {})
    assert reminded["deadlines"]["reminder_due"] == "2026-10-26"
    at("2026-10-27", clock)
    ended = await post(client, auth, f"{url}/termination", {"reason": "催告后仍未提交"})
    assert (ended["status"], ended["termination_ground"]) == ("terminated", "non_submission")
    assert ended["history"][-1]["event"] == "terminate"
    assert ended["history"][-1]["details"]["ground"] == "non_submission"
    assert await outcomes(session, case["id"]) == ["terminated"]
    assert await proposals(session, case["id"]) == [("proposed", "tolerance_unfulfilled")]


@pytest.mark.parametrize(
    "supplied_on",
    [
        "2026-10-15",  # within the supplement deadline, found wanting
        "2026-10-23",  # after the reminder, within its deadline, found wanting
    ],
)
async def test_a_termination_for_a_deficient_supplement_proposes_nothing(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    session: AsyncSession,
    supplied_on: str,
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    if supplied_on < "2026-10-21":
        at(supplied_on, clock)
        assert (await post(client, auth, f"{url}/supplements", DEFICIENT))["status"] == "accepted"
    at("2026-10-21", clock)
    await post(client, auth, f"{url}/reminders", {})
    if supplied_on > "2026-10-21":
        at(supplied_on, clock)
        assert (await post(client, auth, f"{url}/supplements", DEFICIENT))["status"] == "reminded"
    at("2026-10-27", clock)
    ended = await post(client, auth, f"{url}/termination", {"reason": "整改后仍不符合要求"})
    assert (ended["status"], ended["termination_ground"]) == ("terminated", "deficient_submission")
    assert ended["history"][-1]["details"]["ground"] == "deficient_submission"
    # Terminated under DZ art. 13 ¶1 and written to the credit record, but no listing.
    assert ended["history"][-1]["citation"] == "DZ art. 13 ¶1"
    assert await outcomes(session, case["id"]) == ["terminated"]
    assert await proposals(session, case["id"]) == []


async def test_an_open_case_has_no_ground(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    case = await commitment(client, auth, "tolerance")
    assert case["termination_ground"] is None
