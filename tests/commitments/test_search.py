"""Commitments searched with the filters in the body: no identifier in a URL.

``POST /api/v1/commitments/search`` answers what ``GET /api/v1/commitments`` answers for
the same filters; the GET form's ``subject`` parameter is deprecated, and only an answer to
a GET that gave it names the successor.

Both cases below are signed on 2026-09-30 for ORG by the agency 371400-SPJ: the tolerance
case's supplement is due 10 working days later (after the National Day week), the
notify-commit decision on the day itself, 2026-09-30.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.main import create_app
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory, make_settings
from tests.factories import AGENCY, LINZI, ORG_ID, PERSON_ID, ok
from tests.restrictions.test_lookups import DEPRECATION

LIST = "/api/v1/commitments"
SEARCH = "/api/v1/commitments/search"


async def _two_cases(client: httpx.AsyncClient, auth: TokenFactory) -> tuple[str, str]:
    tolerance = await commitment(client, auth, "tolerance")
    notify = await commitment(client, auth, "notify_commit")
    return str(tolerance["id"]), str(notify["id"])


async def test_the_post_search_answers_what_the_get_list_answers(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    tolerance, notify = await _two_cases(client, auth)
    filters: list[dict[str, Any]] = [
        {},
        {"subject": ORG_ID},
        {"subject": ORG_ID.lower()},
        {"subject": PERSON_ID},
        {"status": "accepted"},
        {"status": "committed", "subject": ORG_ID},
        {"due_before": "2026-10-01"},
        {"department": AGENCY},
        {"limit": 1},
    ]
    for headers in (auth("clerk"), auth("platform"), auth("auditor", department=None)):
        for params in filters:
            got = await ok(await client.get(LIST, params=params, headers=headers), 200)
            posted = await client.post(SEARCH, json=params, headers=headers)
            assert posted.status_code == 200, (params, posted.text)
            assert posted.json() == got, params
    due = await ok(
        await client.post(SEARCH, json={"due_before": "2026-10-01"}, headers=auth("clerk")), 200
    )
    assert [c["id"] for c in due["items"]] == [notify]  # decision due 2026-09-30
    accepted = await ok(
        await client.post(SEARCH, json={"status": "accepted"}, headers=auth("clerk")), 200
    )
    assert [c["id"] for c in accepted["items"]] == [tolerance]


async def test_the_post_search_pages_like_the_get_list(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    both = set(await _two_cases(client, auth))
    body: dict[str, Any] = {"subject": ORG_ID, "limit": 1}
    first = await ok(await client.post(SEARCH, json=body, headers=auth("clerk")), 200)
    cursor = first["next_cursor"]
    assert cursor is not None
    second = await ok(
        await client.post(SEARCH, json={**body, "cursor": cursor}, headers=auth("clerk")), 200
    )
    by_get = await ok(
        await client.get(LIST, params={**body, "cursor": cursor}, headers=auth("clerk")), 200
    )
    assert second == by_get
    assert second["next_cursor"] is None
    assert {c["id"] for c in first["items"] + second["items"]} == both


async def test_a_second_department_finds_none_of_the_first_ones_cases(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await _two_cases(client, auth)
    for role in ("clerk", "platform"):
        other = auth(role, department=LINZI)
        for body in ({}, {"subject": ORG_ID}, {"status": "accepted"}, {"department": LINZI}):
            theirs = await ok(await client.post(SEARCH, json=body, headers=other), 200)
            assert theirs == {"items": [], "next_cursor": None}, (role, body)
        asked = await client.post(SEARCH, json={"department": AGENCY}, headers=other)
        assert (asked.status_code, asked.json()["code"]) == (403, "department_forbidden")
    mine = await ok(await client.post(SEARCH, json={}, headers=auth("clerk")), 200)
    assert len(mine["items"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"limit": 0},
        {"limit": 201},
        {"cursor": "!"},
        {"subject": "1" * 19},
        {"status": "x" * 33},
        {"department": "x" * 33},
        {"due_before": "2026-13-01"},
        {"name": "德州市某某食品有限公司"},
    ],
)
async def test_the_post_search_refuses_what_the_get_list_refuses(
    client: httpx.AsyncClient, auth: TokenFactory, body: dict[str, Any]
) -> None:
    response = await client.post(SEARCH, json=body, headers=auth("clerk"))
    assert response.status_code == 422, response.text
    if "name" not in body:  # the GET ignores an unknown query parameter
        assert (await client.get(LIST, params=body, headers=auth("clerk"))).status_code == 422


async def test_the_post_search_is_not_a_create_and_keeps_the_roles_of_the_list(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    refused = await client.post(SEARCH, json={}, headers=auth("admin", department=None))
    assert (refused.status_code, refused.json()["code"]) == (403, "role_forbidden")
    for role in ("clerk", "platform", "verifier", "regulator"):
        assert (await client.post(SEARCH, json={}, headers=auth(role))).status_code == 200
    headers = {**auth("clerk"), "Idempotency-Key": "search-1"}
    first = await client.post(SEARCH, json={"subject": ORG_ID}, headers=headers)
    again = await client.post(SEARCH, json={"subject": PERSON_ID}, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "idempotent-replayed" not in again.headers


async def test_a_get_giving_the_subject_names_its_successor(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    with_subject = [
        (await client.get(LIST, params={"subject": ORG_ID}, headers=auth("clerk")), 200),
        (await client.get(LIST, params={"subject": ORG_ID}), 401),
        (
            await client.get(LIST, params={"subject": ORG_ID, "limit": 0}, headers=auth("clerk")),
            422,
        ),
        (
            await client.get(
                LIST, params={"subject": ORG_ID}, headers=auth("admin", department=None)
            ),
            403,
        ),
    ]
    for response, status in with_subject:
        assert response.status_code == status, response.text
        assert response.headers["deprecation"] == DEPRECATION
        assert response.headers["link"] == f'<{SEARCH}>; rel="successor-version"'
    without = [
        await client.get(LIST, headers=auth("clerk")),
        await client.get(LIST, params={"status": "accepted", "limit": 1}, headers=auth("clerk")),
        await client.post(SEARCH, json={"subject": ORG_ID}, headers=auth("clerk")),
    ]
    for response in without:
        assert response.status_code == 200, response.text
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
