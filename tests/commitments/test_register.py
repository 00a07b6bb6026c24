"""The commitment register (信用承诺记录) and its public list (信用承诺公示), over HTTP.

Every case is signed on Wed 2026-09-30 (the default "now", 10:00 in Shanghai) at the food
matter's agency 371400-SPJ, so its number reads ``371400-20260930-NNNNNN``; serials count
from 1 in each test's database.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.commitments.conftest import ALL_TRUE, commitment
from tests.conftest import TokenFactory
from tests.factories import AGENT_ID, ORG_ID, PERSON, PERSON_ID, credit_check, ok, record_consent

URL = "/api/v1/commitments"
PUBLIC = "/api/v1/public/commitments"
NUMBER = re.compile(r"^371400-20260930-\d{6}$")


async def _person_commitment(
    client: httpx.AsyncClient, auth: TokenFactory, **overrides: Any
) -> dict[str, Any]:
    consent = await record_consent(client, auth, subject=PERSON)
    check = await ok(
        await credit_check(client, auth, consent_id=consent["id"], subject=PERSON), 201
    )
    assert check["result"] == "pass", check
    body: dict[str, Any] = {
        "credit_check_id": check["id"],
        "mode": "tolerance",
        "missing_materials": ["食品安全管理制度文本"],
        "affirmations": ALL_TRUE,
        "signed_by": "张三丰",
        "signed_at": "2026-09-30T10:00:00+08:00",
        **overrides,
    }
    created: dict[str, Any] = await ok(await client.post(URL, json=body, headers=auth("clerk")))
    return created


async def _public(client: httpx.AsyncClient, **body: Any) -> list[dict[str, Any]]:
    response = await client.post(f"{PUBLIC}/search", json=body)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_the_read_shows_number_type_disclosure_and_fulfilment(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    read = (await client.get(f"{URL}/{case['id']}", headers=auth("clerk"))).json()
    record = read["record"]
    assert NUMBER.match(record["number"]), record
    assert record["number"] == case["record"]["number"]
    assert (record["commitment_type"], record["type_label"]) == ("tolerance", "容缺受理")
    assert record["signed_on"] == "2026-09-30"
    assert record["department"] == "371400-SPJ"
    # an organisation's commitment: public unless the accepting unit chose otherwise
    assert (record["disclosure"], record["disclosure_label"]) == ("public", "可向社会公开")
    assert (record["fulfilment"], record["fulfilment_label"]) == ("in_progress", "履行期内")
    assert record["unfulfilled"] == []
    assert "食品安全管理制度文本" in record["content"][-1]
    assert record["cause"].endswith("（容缺受理）")
    assert record["liability"]


async def test_numbers_are_readable_unique_and_count_per_region_and_day(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    first = await commitment(client, auth, "tolerance")
    second = await commitment(client, auth, "notify_commit")
    # 01:30 on 2026-09-30 in Shanghai is 17:30 on 2026-09-29 in UTC: the Shanghai day counts
    third = await commitment(client, auth, "tolerance", signed_at="2026-09-29T17:30:00Z")
    numbers = [c["record"]["number"] for c in (first, second, third)]
    assert numbers == [
        "371400-20260930-000001",
        "371400-20260930-000002",
        "371400-20260930-000003",
    ]
    assert second["record"]["type_label"] == "告知承诺（证明事项、涉企经营许可）"


async def test_the_fulfilment_follows_the_case(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    clerk = auth("clerk")
    await ok(
        await client.post(
            f"{URL}/{case['id']}/supplements",
            json={"compliant": True, "materials": ["食品安全管理制度文本"]},
            headers=clerk,
        ),
        200,
    )
    done = await ok(await client.post(f"{URL}/{case['id']}/decision", json={}, headers=clerk), 200)
    assert (done["record"]["fulfilment"], done["record"]["fulfilment_label"]) == (
        "fulfilled",
        "全部履行",
    )
    other = await commitment(client, auth, "notify_commit")
    withdrawn = await ok(
        await client.post(
            f"{URL}/{other['id']}/withdrawal",
            json={"reason_category": "conditions_changed"},
            headers=clerk,
        ),
        200,
    )
    assert withdrawn["record"]["fulfilment"] == "withdrawn"


async def test_the_public_list_shows_only_disclosable_commitments(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    shown = await commitment(client, auth, "tolerance")
    hidden = await commitment(client, auth, "tolerance", disclosure="undisclosed")
    restricted = await commitment(client, auth, "notify_commit", disclosure="restricted")
    assert hidden["record"]["disclosure_label"] == "不公开"
    listed = (await client.get(PUBLIC)).json()["items"]
    numbers = {item["number"] for item in listed}
    assert numbers == {shown["record"]["number"]}
    assert hidden["record"]["number"] not in numbers
    assert restricted["record"]["number"] not in numbers
    (item,) = listed
    assert item["name"] == "德州市某某食品有限公司"
    assert item["id_number"] == ORG_ID
    assert item["department_name"]
    assert item["fulfilment_label"] == "履行期内"
    # nor by the organisation's code
    searched = {i["number"] for i in await _public(client, uscc=ORG_ID)}
    assert searched == {shown["record"]["number"]}


async def test_a_persons_commitment_is_restricted_by_default_and_masked_when_public(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    default = await _person_commitment(client, auth)
    assert default["record"]["disclosure"] == "restricted"
    public = await _person_commitment(client, auth, disclosure="public")
    listed = (await client.get(PUBLIC)).json()["items"]
    assert [item["number"] for item in listed] == [public["record"]["number"]]
    (item,) = listed
    assert item["subject_type"] == "person"
    assert item["name"] == "张*丰"
    assert item["id_number"] == PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    assert PERSON_ID not in str(listed) and "张三丰" not in str(listed)


async def test_searchable_by_the_organisations_code_in_the_body(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    spaced = " ".join([ORG_ID[:6], ORG_ID[6:]]).lower()
    assert [i["number"] for i in await _public(client, uscc=spaced)] == [case["record"]["number"]]
    assert await _public(client, uscc=AGENT_ID) == []  # another organisation's code
    # a person's ID number is no organisation's code
    await _person_commitment(client, auth, disclosure="public")
    assert await _public(client, uscc=PERSON_ID) == []
    # a code with a control character names no organisation: nothing, not an error
    assert await _public(client, uscc=ORG_ID[:9] + "\x00" + ORG_ID[9:]) == []


async def test_the_public_list_pages_newest_first(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    made = [await commitment(client, auth, "tolerance") for _ in range(3)]
    first = (await client.get(PUBLIC, params={"limit": 2})).json()
    assert [i["number"] for i in first["items"]] == [
        made[2]["record"]["number"],
        made[1]["record"]["number"],
    ]
    rest = (await client.get(PUBLIC, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [i["number"] for i in rest["items"]] == [made[0]["record"]["number"]]
    assert rest["next_cursor"] is None
    bad = await client.get(PUBLIC, params={"cursor": "bm90LWEtY3Vyc29y"})
    assert bad.status_code == 422


async def test_the_public_routes_take_no_identifier_in_the_url(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = spec["paths"][PUBLIC]["get"].get("parameters", [])
    assert {p["name"] for p in parameters} == {"limit", "cursor"}
    assert spec["paths"][PUBLIC]["get"].get("security") in (None, [])
    response = await client.post(f"{PUBLIC}/search", json={"uscc": ORG_ID, "name": "x"})
    assert response.status_code == 422


@pytest.mark.parametrize("disclosure", ["secret", ""])
async def test_an_unknown_disclosure_class_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, disclosure: str
) -> None:
    from tests.commitments.conftest import sign

    response = await sign(client, auth, "tolerance", disclosure=disclosure)
    assert response.status_code == 422


async def test_the_letter_states_the_number_and_the_disclosure_class(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    from tests.commitments.test_create import _text

    case = await commitment(client, auth, "tolerance", disclosure="undisclosed")
    pdf = await client.get(f"{URL}/{case['id']}/letter.pdf", headers=auth("clerk"))
    letter = _text(pdf.content)
    assert case["record"]["number"] in letter
    assert "公开范围：不公开" in letter
