"""A listing's dates in the order things happened (besides test_step_dates.py): an error
is not discovered after today, and the same steps dated in order are accepted.
Dates by hand: the listing is collected at 10:00 on Mon 2026-03-02.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.core.clock import FixedClock
from tests.conftest import TokenFactory
from tests.factories import ORG
from tests.restrictions.conftest import at, collect, step

URL = "/api/v1/restrictions"


def _refused(response: httpx.Response, code: str, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (422, code)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    return problem


async def test_a_dishonest_act_dated_today_or_before_is_accepted(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG, occurred_on="2026-03-02")
    assert (listing["status"], listing["occurred_on"]) == ("collected", "2026-03-02")
    earlier = await collect(client, auth, ORG, occurred_on="2025-11-20")
    assert earlier["occurred_on"] == "2025-11-20"


async def test_an_error_discovered_in_the_future_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    response = await client.post(
        f"{URL}/{listing['id']}/corrections",
        json={"kind": "remove", "discovered_on": "2026-03-03", "reason": "身份被冒用，认定有误"},
        headers=auth("clerk"),
    )
    problem = _refused(response, "step_date_in_future", "body.discovered_on")
    assert (problem["step_date"], problem["today"]) == ("2026-03-03", "2026-03-02")


async def test_an_error_discovered_on_the_day_of_collection_is_corrected(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    at(clock, "2026-03-02")
    listing = await collect(client, auth, ORG)
    at(clock, "2026-03-03")
    removed = await step(
        client,
        auth,
        f"{URL}/{listing['id']}/corrections",
        {"kind": "remove", "discovered_on": "2026-03-02", "reason": "身份被冒用，认定有误"},
    )
    (correction,) = removed["corrections"]
    # 2 working days from Mon Mar 2: Tue 3 (1), Wed 4 (2).
    assert (correction["discovered_on"], correction["due_on"]) == ("2026-03-02", "2026-03-04")
    assert removed["status"] == "withdrawn"
