"""The access log masks every ID number and USCC in the path and query it writes."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest

from app.privacy.masking import mask_identifiers
from tests.conftest import TokenFactory
from tests.factories import ORG_ID, PERSON_ID

# The first generation of ID cards: 15 digits, born 85-06-12 (GB 11643-1989).
OLD_ID = "370102850612123"


def access_lines(output: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "app.request"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("370102198506121234", "3701**********1234"),
        ("37010219850612123x", "3701**********123X"),
        ("370102850612123", "3701*******2123"),
        ("91371400MA3C5AB12X", "9137**********B12X"),
        (
            "/subjects/person/370102198506121234/credit-profile",
            "/subjects/person/3701**********1234/credit-profile",
        ),
        ("id_number=3701 0219 8506 1212 34&limit=5", "id_number=3701**********1234&limit=5"),
        ("id_number=3701-0219-8506-1212-34", "id_number=3701**********1234"),
        ("ref370102198506121234", "ref3701**********1234"),
        # Not identifiers: 16 and 17 digits, a UUID, a word with a USCC's letters inside.
        ("3701028506121234", "3701028506121234"),
        ("37010219850612123", "37010219850612123"),
        (
            "/restrictions/0f8c6a52-3b1d-4e0a-9c55-2d7f1e9b6a01",
            "/restrictions/0f8c6a52-3b1d-4e0a-9c55-2d7f1e9b6a01",
        ),
        ("limit=50", "limit=50"),
    ],
)
def test_identifiers_are_masked_for_a_log_line(text: str, masked: str) -> None:
    assert mask_identifiers(text) == masked


async def test_no_full_id_number_reaches_the_access_log(
    client: httpx.AsyncClient, auth: TokenFactory, log_output: io.StringIO
) -> None:
    spaced = " ".join(PERSON_ID[i : i + 4] for i in range(0, 18, 4))
    requests = [
        (f"/api/v1/subjects/person/{PERSON_ID}/credit-profile", {"id_number": PERSON_ID}),
        (f"/api/v1/subjects/organization/{ORG_ID.lower()}/credit-profile", {"x": ORG_ID}),
        ("/api/v1/public/restrictions", {"id_number": PERSON_ID, "name": "张三丰"}),
        ("/api/v1/public/restrictions", {"id_number": spaced}),
        ("/api/v1/public/restrictions", {"id_number": OLD_ID}),
        ("/api/v1/restrictions", {"subject": PERSON_ID}),
    ]
    for path, params in requests:
        await client.get(path, params=params, headers=auth("clerk"))
    # Everything the service logged (the test's own HTTP client logs its URLs).
    written = "\n".join(
        line for line in log_output.getvalue().splitlines() if '"logger": "app.' in line
    )
    for secret in (PERSON_ID, ORG_ID, ORG_ID.lower(), OLD_ID, spaced, "张三丰"):
        assert secret not in written
    lines = access_lines(log_output)
    assert len(lines) == len(requests)
    person = PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    assert lines[0]["path"] == f"/api/v1/subjects/person/{person}/credit-profile"
    assert lines[0]["query"] == f"id_number={person}"
    assert lines[1]["path"].endswith(ORG_ID[:4] + "*" * 10 + ORG_ID[-4:] + "/credit-profile")
    assert lines[2]["query"] == f"id_number={person}&name=张*丰"
    assert lines[3]["query"] == f"id_number={person}"
    assert lines[4]["query"] == "id_number=3701*******2123"
    assert lines[5]["query"] == f"subject={person}"
    assert [line["status"] for line in lines] == [200, 200, 200, 200, 200, 200]


async def test_a_request_without_a_query_logs_none(
    client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    await client.get("/api/v1/profiles")
    (line,) = access_lines(log_output)
    assert (line["path"], line["query"], line["status"]) == ("/api/v1/profiles", None, 200)
