"""Lookups by identifier take it in the body; the GET forms are deprecated for one release."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.main import create_app
from tests.conftest import Harness, TokenFactory, make_settings
from tests.factories import LINZI, ORG, ORG_ID, ok, resident_id
from tests.restrictions.conftest import at, published
from tests.test_app import assert_problem

LOOKUP = "/api/v1/credit-profiles/lookup"
SEARCH = "/api/v1/public/restrictions/search"
PUBLIC = "/api/v1/public/restrictions"
PERSON = {"subject_type": "person", "id_number": resident_id("37140219850612123"), "name": "张三丰"}
# 2026-12-01T00:00:00Z: 56 years of 365 days, 14 leap days (1972-2024) and 334 days of
# 2026 up to December: 20788 days of 86400 s.
DEPRECATION = "@1796083200"


def profile_path(subject: dict[str, Any]) -> str:
    return f"/api/v1/subjects/{subject['subject_type']}/{subject['id_number']}/credit-profile"


def assert_deprecated(response: httpx.Response, successor: str) -> None:
    assert response.headers["deprecation"] == DEPRECATION
    assert response.headers["link"] == f'<{successor}>; rel="successor-version"'


async def test_the_post_lookup_answers_what_the_get_form_answers(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    for headers in (auth("clerk"), auth("clerk", department=LINZI), auth("platform")):
        got = await client.get(profile_path(ORG), headers=headers)
        posted = await client.post(
            LOOKUP, json={"subject_type": "organization", "id_number": ORG_ID}, headers=headers
        )
        assert posted.status_code == 200, posted.text
        assert posted.json() == await ok(got, 200)
    own = (
        await client.post(
            LOOKUP,
            json={"subject_type": "organization", "id_number": ORG_ID.lower()},
            headers=auth("clerk"),
        )
    ).json()
    assert (own["restricted"], own["restricted_until"]) == (True, "2026-09-10")
    assert own["listings"][0]["id"] == listing_id
    other = (
        await client.post(
            LOOKUP,
            json={"subject_type": "organization", "id_number": ORG_ID},
            headers=auth("clerk", department=LINZI),
        )
    ).json()
    assert (other["listings"][0]["id"], other["listings"][0]["facts"]) == (None, None)


async def test_the_post_lookup_checks_the_identifier_and_the_role(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    bad = await client.post(
        LOOKUP,
        json={"subject_type": "organization", "id_number": ORG_ID[:-1] + "X"},
        headers=auth("clerk"),
    )
    assert_problem(bad, 422, "invalid_uscc")
    assert [e["field"] for e in bad.json()["errors"]] == ["body.id_number"]
    unknown = await client.post(
        LOOKUP,
        json={"subject_type": "person", "id_number": PERSON["id_number"]},
        headers=auth("regulator"),
    )
    assert (await ok(unknown, 200))["restricted"] is False
    refused = await client.post(
        LOOKUP,
        json={"subject_type": "person", "id_number": PERSON["id_number"]},
        headers=auth("auditor"),
    )
    assert_problem(refused, 403, "role_forbidden")
    anonymous = await client.post(
        LOOKUP, json={"subject_type": "person", "id_number": PERSON["id_number"]}
    )
    assert anonymous.status_code == 401
    extra = await client.post(
        LOOKUP,
        json={"subject_type": "person", "id_number": PERSON["id_number"], "name": "张三丰"},
        headers=auth("clerk"),
    )
    assert_problem(extra, 422, "validation_failed")


async def test_the_post_search_answers_what_the_get_form_answers(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    for subject in (PERSON, ORG):
        await published(client, auth, clock, subject)
    at(clock, "2026-04-01")
    filters: list[dict[str, Any]] = [
        {},
        {"id_number": PERSON["id_number"]},
        {"id_number": " " + PERSON["id_number"].lower()},
        {"name": PERSON["name"]},
        {"name": ORG["name"], "id_number": ORG_ID},
        {"name": "无此名称"},
        {"limit": 1},
    ]
    for params in filters:
        got = await ok(await client.get(PUBLIC, params=params), 200)
        posted = await client.post(SEARCH, json=params)
        assert posted.status_code == 200, (params, posted.text)
        assert posted.json() == got, params
        assert PERSON["id_number"] not in posted.text
        assert PERSON["name"] not in posted.text
    one = (await client.post(SEARCH, json={"id_number": PERSON["id_number"]})).json()
    assert [(i["name"], i["id_number"]) for i in one["items"]] == [
        ("张*丰", PERSON["id_number"][:4] + "*" * 10 + PERSON["id_number"][-4:])
    ]
    first = (await client.post(SEARCH, json={"limit": 1})).json()
    second = (await client.post(SEARCH, json={"limit": 1, "cursor": first["next_cursor"]})).json()
    by_get = (await client.get(PUBLIC, params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert second == by_get
    assert {i["name"] for i in first["items"] + second["items"]} == {"张*丰", ORG["name"]}


@pytest.mark.parametrize(
    "body",
    [{"limit": 0}, {"limit": 201}, {"name": ""}, {"cursor": "!"}, {"id_number": "1" * 41}],
)
async def test_the_post_search_refuses_what_the_get_form_refuses(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post(SEARCH, json=body)
    assert response.status_code == 422, response.text
    assert (await client.get(PUBLIC, params=body)).status_code == 422


async def test_the_get_forms_say_they_are_deprecated_on_every_answer(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    answers = [
        (await client.get(PUBLIC), 200),
        (await client.get(PUBLIC, params={"limit": 0}), 422),
    ]
    for response, status in answers:
        assert response.status_code == status
        assert_deprecated(response, SEARCH)
    answers = [
        (await client.get(profile_path(ORG), headers=auth("clerk")), 200),
        (await client.get(profile_path(ORG), headers=auth("auditor")), 403),
        (await client.get(profile_path(ORG)), 401),
        (
            await client.get(
                profile_path(ORG).replace(ORG_ID, ORG_ID[:-1] + "X"), headers=auth("clerk")
            ),
            422,
        ),
    ]
    for response, status in answers:
        assert response.status_code == status
        assert_deprecated(response, LOOKUP)
    # The successors and the rest of the API are not deprecated.
    for response in (
        await client.post(SEARCH, json={}),
        await client.post(
            LOOKUP,
            json={"subject_type": "organization", "id_number": ORG_ID},
            headers=auth("clerk"),
        ),
        await client.get("/api/v1/profiles"),
    ):
        assert response.status_code == 200
        assert "deprecation" not in response.headers
        assert "link" not in response.headers


async def test_a_post_lookup_is_not_a_create_for_the_idempotency_key(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    headers = {**auth("clerk"), "Idempotency-Key": "lookup-1"}
    first = await client.post(
        LOOKUP, json={"subject_type": "organization", "id_number": ORG_ID}, headers=headers
    )
    again = await client.post(
        LOOKUP,
        json={"subject_type": "person", "id_number": PERSON["id_number"]},
        headers=headers,
    )
    assert (first.status_code, again.status_code) == (200, 200)
    assert "idempotent-replayed" not in again.headers
    assert again.json()["subject"]["id_number"] == PERSON["id_number"]


def test_the_document_names_the_post_forms_as_the_way_to_call() -> None:
    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    paths = spec["paths"]
    for old, new in (
        (paths[PUBLIC]["get"], paths[SEARCH]["post"]),
        (
            paths["/api/v1/subjects/{subject_type}/{id_number}/credit-profile"]["get"],
            paths[LOOKUP]["post"],
        ),
    ):
        assert old["deprecated"] is True
        assert "deprecated" not in new
        assert set(old["responses"]["200"]["headers"]) == {"Deprecation", "Link"}
        assert "200" in new["responses"] and "201" not in new["responses"]
        assert "requestBody" in new and "parameters" not in new
    assert f"POST {SEARCH}" in paths[PUBLIC]["get"]["description"]


async def test_the_post_search_is_rate_limited_like_the_get_form(
    app_harness: Harness, database_url: str
) -> None:
    settings = make_settings(database_url, rate_limit="2/minute")
    app = create_app(settings, database=app_harness.database)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        statuses = [
            (await client.post(SEARCH, json={"id_number": PERSON["id_number"]})).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]
