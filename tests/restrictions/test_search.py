"""The department's listings searched with the filters in the body: no identifier in a URL.

``POST /api/v1/restrictions/search`` answers what ``GET /api/v1/restrictions`` answers for
the same filters; the GET form's ``subject`` parameter is deprecated, and only an answer to
a GET that gave it names the successor.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.main import create_app
from tests.conftest import TokenFactory, make_settings
from tests.factories import LINZI, ORG, ORG_ID, PERSON, PERSON_ID, ok
from tests.restrictions.conftest import at, collect, published
from tests.restrictions.test_lookups import DEPRECATION

LIST = "/api/v1/restrictions"
SEARCH = "/api/v1/restrictions/search"


async def _two_listings(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> tuple[str, str]:
    """PERSON's listing published on 2026-03-10 (effective until 2026-09-10) and ORG's
    collected on 2026-04-01, both by the clerk's department 371400-SPJ."""
    person = await published(client, auth, clock, PERSON)
    at(clock, "2026-04-01")
    org = await collect(client, auth, ORG)
    return person, str(org["id"])


async def test_the_post_search_answers_what_the_get_list_answers(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    person, org = await _two_listings(client, auth, clock)
    filters: list[dict[str, Any]] = [
        {},
        {"subject": PERSON_ID},
        {"subject": " " + PERSON_ID.lower()},
        {"subject": ORG_ID, "status": "collected"},
        {"status": "effective"},
        {"status": "lifted"},
        {"limit": 1},
    ]
    for headers in (auth("clerk"), auth("auditor", department=None)):
        for params in filters:
            got = await ok(await client.get(LIST, params=params, headers=headers), 200)
            posted = await client.post(SEARCH, json=params, headers=headers)
            assert posted.status_code == 200, (params, posted.text)
            assert posted.json() == got, params
    by_subject = await client.post(SEARCH, json={"subject": PERSON_ID}, headers=auth("clerk"))
    assert [i["id"] for i in by_subject.json()["items"]] == [person]
    assert by_subject.json()["items"][0]["status"] == "effective"
    collected = await client.post(SEARCH, json={"status": "collected"}, headers=auth("clerk"))
    assert [i["id"] for i in collected.json()["items"]] == [org]


async def test_the_post_search_pages_like_the_get_list(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await _two_listings(client, auth, clock)
    first = await ok(await client.post(SEARCH, json={"limit": 1}, headers=auth("clerk")), 200)
    assert first["next_cursor"] is not None
    cursor = first["next_cursor"]
    second = await ok(
        await client.post(SEARCH, json={"limit": 1, "cursor": cursor}, headers=auth("clerk")),
        200,
    )
    by_get = await ok(
        await client.get(LIST, params={"limit": 1, "cursor": cursor}, headers=auth("clerk")), 200
    )
    assert second == by_get
    assert second["next_cursor"] is None
    names = {i["subject"]["name"] for i in first["items"] + second["items"]}
    assert names == {PERSON["name"], ORG["name"]}


async def test_a_second_department_finds_none_of_the_first_ones_listings(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await _two_listings(client, auth, clock)
    other = auth("clerk", department=LINZI)
    for body in ({}, {"subject": PERSON_ID}, {"subject": ORG_ID}, {"status": "effective"}):
        theirs = await ok(await client.post(SEARCH, json=body, headers=other), 200)
        assert theirs == {"items": [], "next_cursor": None}, body
    mine = await ok(await client.post(SEARCH, json={}, headers=auth("clerk")), 200)
    assert len(mine["items"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"limit": 0},
        {"limit": 201},
        {"cursor": "!"},
        {"subject": "1" * 41},
        {"status": "x" * 33},
        {"department": "371400-SPJ"},
    ],
)
async def test_the_post_search_refuses_what_the_get_list_refuses(
    client: httpx.AsyncClient, auth: TokenFactory, body: dict[str, Any]
) -> None:
    response = await client.post(SEARCH, json=body, headers=auth("clerk"))
    assert response.status_code == 422, response.text
    if "department" not in body:  # the GET ignores an unknown query parameter
        assert (await client.get(LIST, params=body, headers=auth("clerk"))).status_code == 422


async def test_the_post_search_is_for_clerks_and_auditors_and_not_a_create(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    refused = await client.post(SEARCH, json={}, headers=auth("verifier"))
    assert (refused.status_code, refused.json()["code"]) == (403, "role_forbidden")
    assert (await client.post(SEARCH, json={})).status_code == 401
    headers = {**auth("clerk"), "Idempotency-Key": "search-1"}
    first = await client.post(SEARCH, json={"subject": PERSON_ID}, headers=headers)
    again = await client.post(SEARCH, json={"subject": ORG_ID}, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "idempotent-replayed" not in again.headers


async def test_a_get_giving_the_subject_names_its_successor(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    with_subject = [
        (await client.get(LIST, params={"subject": PERSON_ID}, headers=auth("clerk")), 200),
        (await client.get(LIST, params={"subject": ""}, headers=auth("clerk")), 200),
        (await client.get(LIST, params={"subject": PERSON_ID, "limit": 0}), 401),
        (
            await client.get(
                LIST, params={"subject": PERSON_ID, "limit": 0}, headers=auth("clerk")
            ),
            422,
        ),
        (await client.get(LIST, params={"subject": PERSON_ID}, headers=auth("verifier")), 403),
    ]
    for response, status in with_subject:
        assert response.status_code == status, response.text
        assert response.headers["deprecation"] == DEPRECATION
        assert response.headers["link"] == f'<{SEARCH}>; rel="successor-version"'
    without = [
        await client.get(LIST, headers=auth("clerk")),
        await client.get(LIST, params={"status": "effective", "limit": 1}, headers=auth("clerk")),
        await client.get(LIST, params={"limit": 0}, headers=auth("clerk")),
        await client.post(SEARCH, json={"subject": PERSON_ID}, headers=auth("clerk")),
    ]
    for response in without:
        assert response.status_code in (200, 422), response.text
        assert "deprecation" not in response.headers
        assert "link" not in response.headers


def test_the_document_deprecates_the_subject_parameter_not_the_list() -> None:
    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    get, post = spec["paths"][LIST]["get"], spec["paths"][SEARCH]["post"]
    assert "deprecated" not in get
    deprecated = {p["name"] for p in get["parameters"] if p.get("deprecated")}
    assert deprecated == {"subject"}
    headers = get["responses"]["200"]["headers"]
    assert set(headers) == {"Deprecation", "Link"}
    assert not any(header["required"] for header in headers.values())
    assert "deprecated" not in post
    assert "requestBody" in post and "parameters" not in post
    assert "200" in post["responses"] and "201" not in post["responses"]
    assert f"POST {SEARCH}" in get["description"]
