"""A referral mark (DZ art. 16 ¶1) in the credit profile: shown to a clerk of the
department that recorded it (the agency of the commitment, the collecting department of
the listing), never to another department, a regulator, the platform or the public list.

Dates (tests/restrictions/conftest.py): the tolerance commitment is signed Wed
2026-09-30; the listing verified Mon 10-12, notice received Wed 10-14, window Oct 15 (1),
16 (2), 19 (3), published Tue 10-20; the marks recorded Wed 10-21.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import AGENCY, LINZI, ORG, ORG_ID, REGULATOR, ok
from tests.restrictions.conftest import at, published, step

LOOKUP = "/api/v1/credit-profiles/lookup"
PENALTY = {
    "kind": "administrative_penalty",
    "decision_reference": "德市监处罚〔2026〕15号",
    "decided_on": "2026-10-20",
}
JUDICIAL = {"kind": "judicial", "decision_reference": "德公移字〔2026〕3号"}


async def _profile(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    body = {"subject_type": "organization", "id_number": ORG_ID}
    result: dict[str, Any] = await ok(await client.post(LOOKUP, json=body, headers=headers), 200)
    return result


async def test_a_referral_mark_shows_to_the_agencys_clerk_only(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    listing_id = await published(
        client,
        auth,
        clock,
        ORG,
        verify_on="2026-10-12",
        notice_on="2026-10-13",
        received_on="2026-10-14",
        publish_on="2026-10-20",
    )
    at(clock, "2026-10-21")
    await step(client, auth, f"/api/v1/commitments/{case['id']}/referrals", PENALTY, status=201)
    await step(client, auth, f"/api/v1/restrictions/{listing_id}/referrals", JUDICIAL, status=201)

    agency = await _profile(client, auth("clerk", department=AGENCY))
    # Both recorded the same instant: ordered by id after the day and the time.
    found = sorted(agency["referrals"], key=lambda m: str(m["kind"]))
    marks = [(m["kind"], m["decision_reference"], m["citation"]) for m in found]
    assert marks == [
        ("administrative_penalty", "德市监处罚〔2026〕15号", "DZ art. 16 ¶1"),
        ("judicial", "德公移字〔2026〕3号", "DZ art. 16 ¶1"),
    ]
    (on_commitment, on_listing) = found
    assert (on_commitment["commitment_id"], on_commitment["restriction_id"]) == (case["id"], None)
    assert on_listing["restriction_id"] == listing_id
    assert {m["recorded_on"] for m in agency["referrals"]} == {"2026-10-21"}

    # Another department, the matter's regulator, the platform: the profile without marks.
    for role, department in (("clerk", LINZI), ("regulator", REGULATOR), ("platform", AGENCY)):
        other = await _profile(client, auth(role, department=department))
        assert other["referrals"] == [], (role, department)
        assert other["restricted"] is True  # the listing's effect, as before
        assert "德市监处罚" not in str(other)

    # The public list shows the listing and never a mark.
    public = await client.post("/api/v1/public/restrictions/search", json={"id_number": ORG_ID})
    (entry,) = (await ok(public, 200))["items"]
    assert "referrals" not in entry
    assert "德市监处罚" not in public.text and "德公移字" not in public.text
