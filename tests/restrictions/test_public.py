"""What others see: the public list (masked), credit profiles, supervision, the notice."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import httpx
from pypdf import PdfReader

from app.core.clock import FixedClock
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ORG, ORG_ID, REGULATOR, ok, resident_id, uscc
from tests.restrictions.conftest import at, notified, published, step

PEOPLE = [
    {"subject_type": "person", "id_number": resident_id("37140219850612123"), "name": "张三丰"},
    {"subject_type": "person", "id_number": resident_id("37010219900101002"), "name": "李四"},
    {"subject_type": "person", "id_number": resident_id("11010519491231002"), "name": "欧阳修文"},
]
COMPANIES = [
    ORG,
    {
        "subject_type": "organization",
        "id_number": uscc("91370305MA3D00012"),
        "name": "临淄某某运输有限公司",
    },
]


async def test_the_public_list_never_shows_an_unmasked_person(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    for subject in PEOPLE + COMPANIES:
        await published(client, auth, clock, subject)
    at(clock, "2026-04-01")
    pages = [await client.get("/api/v1/public/restrictions")]
    for subject in PEOPLE + COMPANIES:
        pages.append(
            await client.get(
                "/api/v1/public/restrictions", params={"id_number": subject["id_number"]}
            )
        )
        pages.append(
            await client.get("/api/v1/public/restrictions", params={"name": subject["name"]})
        )
    everything = pages[0].json()["items"]
    assert len(everything) == len(PEOPLE) + len(COMPANIES)
    for page in pages:
        assert page.status_code == 200
        for person in PEOPLE:
            assert person["id_number"] not in page.text
            assert person["name"] not in page.text
    shown = {(i["name"], i["id_number"]) for i in everything}
    assert ("张*丰", PEOPLE[0]["id_number"][:4] + "*" * 10 + PEOPLE[0]["id_number"][-4:]) in shown
    assert ("李*", PEOPLE[1]["id_number"][:4] + "*" * 10 + PEOPLE[1]["id_number"][-4:]) in shown
    assert ("欧**文", PEOPLE[2]["id_number"][:4] + "*" * 10 + PEOPLE[2]["id_number"][-4:]) in shown
    for company in COMPANIES:  # organisations are public by law: shown in full
        assert (company["name"], company["id_number"]) in shown
    one = (
        await client.get(
            "/api/v1/public/restrictions", params={"id_number": PEOPLE[0]["id_number"]}
        )
    ).json()
    assert [i["name"] for i in one["items"]] == ["张*丰"]
    assert one["items"][0]["period_ends_on"] == "2026-09-10"


async def test_the_public_list_pages(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    for subject in COMPANIES:
        await published(client, auth, clock, subject)
    at(clock, "2026-04-01")
    first = (await client.get("/api/v1/public/restrictions", params={"limit": 1})).json()
    second = (
        await client.get(
            "/api/v1/public/restrictions", params={"limit": 1, "cursor": first["next_cursor"]}
        )
    ).json()
    names = {i["name"] for i in first["items"] + second["items"]}
    assert names == {c["name"] for c in COMPANIES}


async def test_a_lookup_finds_what_the_whole_list_shows_of_its_subject_and_pages_it(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    """A lookup reads its subjects' listings in one statement; it answers what the whole
    list (read in batches of candidates) shows of them, a page at a time alike."""
    for subject in PEOPLE + COMPANIES:
        await published(client, auth, clock, subject)
    at(clock, "2026-03-01")
    await published(client, auth, clock, PEOPLE[0], publish_on="2026-03-11")  # a second
    at(clock, "2026-04-01")
    path = "/api/v1/public/restrictions"
    everything = (await client.get(path, params={"limit": 100})).json()["items"]
    assert len(everything) == len(PEOPLE) + len(COMPANIES) + 1
    for subject in PEOPLE + COMPANIES:
        shown = [
            i
            for i in everything
            if (i["subject_type"], i["id_number"][:4], i["id_number"][-4:])
            == (subject["subject_type"], subject["id_number"][:4], subject["id_number"][-4:])
        ]
        lookups: list[dict[str, str | int]] = [
            {"id_number": subject["id_number"]},
            {"name": subject["name"]},
        ]
        for params in lookups:
            found = (await client.get(path, params={**params, "limit": 100})).json()
            assert found == {"items": shown, "next_cursor": None}
            paged: list[dict[str, Any]] = []
            cursor: str | None = None
            while True:
                query = {**params, "limit": 1} | ({"cursor": cursor} if cursor else {})
                page = (await client.get(path, params=query)).json()
                paged += page["items"]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert paged == shown
    assert len([i for i in everything if i["name"] == "张*丰"]) == 2
    unknown = {"id_number": resident_id("37140219700101123")}
    assert (await client.get(path, params=unknown)).json() == {"items": [], "next_cursor": None}


async def test_listings_not_yet_published_are_not_public(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await notified(client, auth, clock, PEOPLE[0])
    at(clock, "2026-03-20")
    assert (await client.get("/api/v1/public/restrictions")).json()["items"] == []


async def test_credit_profile_shows_other_departments_only_the_effect(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    url = f"/api/v1/subjects/organization/{ORG_ID.lower()}/credit-profile"
    own: dict[str, Any] = await ok(await client.get(url, headers=auth("clerk")), 200)
    assert (own["restricted"], own["restricted_until"]) == (True, "2026-09-10")
    assert own["listings"][0]["id"] == listing_id
    assert own["listings"][0]["facts"]
    other: dict[str, Any] = await ok(
        await client.get(url, headers=auth("clerk", department="370305-XZSP")), 200
    )
    assert (other["restricted"], other["restricted_until"]) == (True, "2026-09-10")
    assert other["listings"][0]["id"] is None
    assert other["listings"][0]["facts"] is None
    assert (await client.get(url, headers=auth("auditor"))).status_code == 403


async def test_credit_profile_of_an_unknown_subject(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    number = uscc("91371400MA3YYYYY1")
    url = f"/api/v1/subjects/organization/{number}/credit-profile"
    profile = await ok(await client.get(url, headers=auth("platform")), 200)
    assert (profile["restricted"], profile["listings"]) == (False, [])
    bad = await client.get(
        url[: -len("/credit-profile")] + "X/credit-profile", headers=auth("clerk")
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_uscc")


async def test_credit_profile_lists_commitments_and_credit_record(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "notify_commit")
    await step(client, auth, f"/api/v1/commitments/{case['id']}/withdrawal", {"reason": "撤回"})
    profile = await ok(
        await client.get(
            f"/api/v1/subjects/organization/{ORG_ID}/credit-profile", headers=auth("clerk")
        ),
        200,
    )
    assert [(c["id"], c["status"]) for c in profile["commitments"]] == [(case["id"], "withdrawn")]
    assert [e["outcome"] for e in profile["credit_record"]] == ["withdrawn"]


async def test_supervision_targets_in_the_regulators_remit(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    await published(client, auth, clock, ORG)
    at(clock, "2026-04-01")
    url = "/api/v1/supervision/targets"
    mine = await ok(await client.get(url, headers=auth("regulator", department=REGULATOR)), 200)
    assert [t["subject"]["id_number"] for t in mine["items"]] == [ORG_ID]
    assert mine["items"][0]["restricted_until"] == "2026-09-10"
    elsewhere = await ok(
        await client.get(url, headers=auth("regulator", department="370305-JTJ")), 200
    )
    assert elsewhere["items"] == []
    assert (await client.get(url, headers=auth("clerk"))).status_code == 403


async def test_the_listing_notice_prints_every_field(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, ORG)
    response = await client.get(
        f"/api/v1/restrictions/{listing_id}/notice.pdf", headers=auth("clerk")
    )
    assert response.headers["content-type"] == "application/pdf"
    assert b"/FontFile2" in response.content and b"STSong" not in response.content
    pages = PdfReader(BytesIO(response.content)).pages
    text = "".join(p.extract_text() for p in pages).replace("\n", "")
    for expected in (
        "政务服务失信制约认定告知书",
        ORG["name"],
        "德州市行政审批服务局",  # the window department
        "事实调查",  # the source channel
        "提供虚假的经营场所证明",  # the behaviour
        "3个工作日内提出陈述和申辩",
        "2026年3月9日",  # the objection deadline computed from the receipt
        "不收取任何费用",
        "联系电话",
        "2026年3月3日",  # issued on
    ):
        assert expected in text, expected


async def test_a_proposal_from_a_breached_commitment_is_taken_up(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    at(clock, "2026-10-21")
    await step(client, auth, f"{url}/reminders")
    at(clock, "2026-10-27")
    await step(client, auth, f"{url}/termination", {"reason": "逾期未补正"})
    proposals = await ok(
        await client.get(
            "/api/v1/restrictions", params={"status": "proposed"}, headers=auth("clerk")
        ),
        200,
    )
    (proposal,) = proposals["items"]
    assert proposal["situation"] == "tolerance_unfulfilled"
    taken = await step(client, auth, f"/api/v1/restrictions/{proposal['id']}/take-up")
    assert (taken["status"], taken["commitment_id"]) == ("collected", case["id"])
    verified = await step(client, auth, f"/api/v1/restrictions/{proposal['id']}/verification")
    # Verified Tue Oct 27: notice due Oct 28 (1), 29 (2), 30 (3).
    assert verified["dates"]["notice_due"] == "2026-10-30"


async def test_a_dezhou_only_department_keeps_no_list(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await ok(
        await client.post(
            "/api/v1/departments",
            json={
                "code": "371400-DZ",
                "name": "德州某局",
                "region_code": "371400",
                "profile": "dezhou-2023",
            },
            headers=auth("admin"),
        )
    )
    response = await client.post(
        "/api/v1/restrictions",
        json={
            "subject": ORG,
            "situation": "other",
            "source_channel": "other",
            "facts": "x",
            "legal_basis": "y",
        },
        headers=auth("clerk", department="371400-DZ"),
    )
    assert (response.status_code, response.json()["code"]) == (
        409,
        "listing_procedure_not_available",
    )
