"""Signing a commitment: affirmations, the check it rests on, materials, documents, lists."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from io import BytesIO

import httpx
import pytest
from pypdf import PdfReader

from app.core.clock import FixedClock
from tests.commitments.conftest import ALL_TRUE, commitment, passed_check, sign
from tests.conftest import TokenFactory
from tests.factories import GREEN, LINZI, ORG_ID, credit_check, ok


async def test_each_false_or_missing_affirmation_is_named(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    affirmations = {**ALL_TRUE, "materials_true": False}
    del affirmations["accepts_liability"]
    response = await sign(client, auth, "tolerance", affirmations=affirmations)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "affirmations_incomplete"
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("body.affirmations.materials_true", "affirmation_false"),
        ("body.affirmations.accepts_liability", "affirmation_missing"),
    }


@pytest.mark.parametrize("mode", ["tolerance", "green_channel"])
async def test_the_mode_must_be_one_the_check_allowed_with_a_commitment(
    client: httpx.AsyncClient, auth: TokenFactory, mode: str
) -> None:
    # The green channel has no commitment life cycle: fast handling, no promise to keep.
    check = await passed_check(client, auth, GREEN, mode="green_channel")
    response = await client.post(
        "/api/v1/commitments",
        json={
            "credit_check_id": check["id"],
            "mode": mode,
            "affirmations": ALL_TRUE,
            "signed_by": "张三",
            "signed_at": "2026-09-30T10:00:00+08:00",
        },
        headers=auth("clerk"),
    )
    assert (response.status_code, response.json()["code"]) == (422, "mode_not_allowed")


async def test_a_failed_check_backs_no_commitment(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    failed = await ok(await credit_check(client, auth))  # no consent
    body = {
        "credit_check_id": failed["id"],
        "mode": "tolerance",
        "missing_materials": ["食品安全管理制度文本"],
        "affirmations": ALL_TRUE,
        "signed_by": "张三",
        "signed_at": "2026-09-30T10:00:00+08:00",
    }
    response = await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))
    assert (response.status_code, response.json()["code"]) == (409, "credit_check_failed")


async def test_an_expired_check_backs_no_commitment(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    check = await passed_check(client, auth)
    assert check["valid_until"] == "2026-10-01"
    clock.at = datetime(2026, 10, 1, 16, 0, tzinfo=UTC)  # 00:00 on Oct 2 in Shanghai
    body = {
        "credit_check_id": check["id"],
        "mode": "tolerance",
        "missing_materials": ["食品安全管理制度文本"],
        "affirmations": ALL_TRUE,
        "signed_by": "张三",
        "signed_at": "2026-10-02T00:00:00+08:00",
    }
    response = await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))
    assert (response.status_code, response.json()["code"]) == (409, "credit_check_expired")


async def test_one_check_backs_one_commitment(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    body = {
        "credit_check_id": case["credit_check_id"],
        "mode": "tolerance",
        "missing_materials": ["食品安全管理制度文本"],
        "affirmations": ALL_TRUE,
        "signed_by": "张三",
        "signed_at": "2026-09-30T10:00:00+08:00",
    }
    again = await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))
    assert (again.status_code, again.json()["code"]) == (409, "credit_check_used")


@pytest.mark.parametrize("materials", [[], ["营业执照"]])
async def test_missing_materials_must_be_tolerable(
    client: httpx.AsyncClient, auth: TokenFactory, materials: list[str]
) -> None:
    response = await sign(client, auth, "tolerance", missing_materials=materials)
    assert (response.status_code, response.json()["code"]) == (422, "materials_not_tolerable")


async def test_another_agency_cannot_sign(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    check = await passed_check(client, auth)
    body = {
        "credit_check_id": check["id"],
        "mode": "notify_commit",
        "affirmations": ALL_TRUE,
        "signed_by": "张三",
        "signed_at": "2026-09-30T10:00:00+08:00",
    }
    response = await client.post(
        "/api/v1/commitments", json=body, headers=auth("clerk", department="370305-XZSP")
    )
    assert response.status_code == 403


async def test_notice_snapshot_survives_a_catalog_change(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "notify_commit")
    await ok(
        await client.patch(
            "/api/v1/matters/SPJ-FOOD-001",
            json={"legal_liability": "新的法律责任表述"},
            headers=auth("admin"),
        ),
        200,
    )
    read = await ok(
        await client.get(f"/api/v1/commitments/{case['id']}", headers=auth("clerk")), 200
    )
    assert read["notice"] == case["notice"]
    liability = [i for i in read["notice"]["items"] if i["heading"] == "不实承诺的法律责任"]
    assert liability[0]["lines"] == ["作出不实承诺的，依法撤销办理结果并承担法律责任。"]


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages)


async def test_the_notice_and_the_letter_print(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    notice = await client.get(f"{url}/notice.pdf", headers=auth("clerk"))
    assert notice.status_code == 200
    assert notice.headers["content-type"] == "application/pdf"
    text = _text(notice.content)
    assert "容缺受理一次性告知书" in text
    assert "食品经营许可（新办）" in text
    assert "2026年10月20日" in text  # the supplement deadline, across National Day
    assert "食品安全管理制度文本" in text
    # issued by the agency: its seal and the day of acceptance; a number, not the id
    assert "德州市行政审批服务局（盖章）" in text and "2026年9月30日" in text
    assert re.search(r"编号：371400-SPJ-GZ-2026-[0-9A-HJKMNP-TV-Z]{8}\n", text)
    assert case["id"] not in text
    assert b"/FontFile2" in notice.content and b"STSong" not in notice.content  # embedded
    letter = _text((await client.get(f"{url}/letter.pdf", headers=auth("clerk"))).content)
    assert "容缺受理承诺书" in letter and "食品经营许可（新办）" in letter
    assert "愿意承担不实承诺和未履行承诺的法律责任" in letter
    assert "2026年10月20日" in letter and ORG_ID in letter
    # DZ art. 7 ¶2: the letter states the materials, the deadline and the way to submit
    flat = letter.replace("\n", "")
    assert "补齐补正的材料、期限和方式（《德州市政务服务信用信息应用办法》第七条第二款）" in flat
    assert "补齐补正期限：2026年10月20日前（含当日）" in flat
    assert "提交方式：窗口提交或网上提交。" in flat
    assert "• 食品安全管理制度文本" in letter
    assert "德州市行政审批服务局（盖章）" in flat
    assert re.search(r"编号：371400-SPJ-CN-2026-[0-9A-HJKMNP-TV-Z]{8}\n", letter)
    assert case["id"] not in letter and "¶" not in letter
    assert (
        await client.get(f"{url}/letter.pdf", headers=auth("clerk", department="370305-XZSP"))
    ).status_code == 403


async def test_lists_are_department_scoped_and_filtered(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    tolerance = await commitment(client, auth, "tolerance")
    notify = await commitment(client, auth, "notify_commit")
    url = "/api/v1/commitments"
    everything = await ok(await client.get(url, headers=auth("clerk")), 200)
    both = {tolerance["id"], notify["id"]}
    assert {c["id"] for c in everything["items"]} == both
    due = await ok(
        await client.get(url, params={"due_before": "2026-10-01"}, headers=auth("clerk")), 200
    )
    assert [c["id"] for c in due["items"]] == [notify["id"]]  # decision due 2026-09-30
    by_subject = await ok(
        await client.get(
            url, params={"subject": ORG_ID.lower(), "limit": 1}, headers=auth("clerk")
        ),
        200,
    )
    assert len(by_subject["items"]) == 1
    page_two = await ok(
        await client.get(
            url,
            params={"subject": ORG_ID, "limit": 1, "cursor": by_subject["next_cursor"]},
            headers=auth("clerk"),
        ),
        200,
    )
    pages = by_subject["items"] + page_two["items"]
    assert sorted(c["id"] for c in pages) == sorted(both)  # no duplicate, nothing lost
    assert page_two["next_cursor"] is None
    other = await ok(await client.get(url, headers=auth("clerk", department="370305-XZSP")), 200)
    assert other["items"] == []
    forbidden = await client.get(
        url, params={"department": "371400-SPJ"}, headers=auth("clerk", department="370305-XZSP")
    )
    assert forbidden.status_code == 403


@pytest.mark.parametrize(
    "after",
    [[1], ["x", "y"], ["2026-09-30T02:00:00", "00000000-0000-0000-0000-000000000000"], "x", 7],
)
async def test_a_malformed_cursor_is_a_422_problem(
    client: httpx.AsyncClient, auth: TokenFactory, after: object
) -> None:
    raw = json.dumps({"after": after}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = await client.get(
        "/api/v1/commitments", params={"cursor": cursor}, headers=auth("clerk")
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_cursor"


async def test_a_check_for_a_matter_outside_the_catalog_backs_no_commitment(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    outside = await ok(await credit_check(client, auth, matter_code="NO-SUCH-MATTER"))
    assert outside["matter_version"] is None
    body = {
        "credit_check_id": outside["id"],
        "mode": "tolerance",
        "missing_materials": ["食品安全管理制度文本"],
        "affirmations": ALL_TRUE,
        "signed_by": "张三",
        "signed_at": "2026-09-30T10:00:00+08:00",
    }
    # The department that ran the check learns why (the check failed, DZ art. 5) ...
    own = await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))
    assert (own.status_code, own.json()["code"]) == (409, "credit_check_failed")
    # ... another department learns nothing of it.
    other = await client.post(
        "/api/v1/commitments", json=body, headers=auth("clerk", department=LINZI)
    )
    assert (other.status_code, other.json()["code"]) == (403, "department_forbidden")
