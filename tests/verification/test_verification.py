"""文书核验: every printed document carries a code that anyone can verify without login.

The listing notice of tests/restrictions/conftest.py: verified Mon 2026-03-02, notice
Tue 03-03, received Wed 03-04; objection window Thu 5 (1), Fri 6 (2), Mon 9 (3) -> 03-09;
from Tue 03-10 the lapsed window confirms the listing (derived by date).
"""

from __future__ import annotations

import hashlib
import re
from io import BytesIO
from typing import Any

import httpx
from pypdf import PdfReader

from app.core.clock import FixedClock
from app.documents.verification import code_hash, new_code
from tests.conftest import TokenFactory
from tests.factories import PERSON, ok
from tests.restrictions.conftest import at, notified, step

URL = "/api/v1/restrictions"
VERIFY = "/api/v1/public/documents"
CODE = re.compile(r"文书核验码：([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})")


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).replace("\n", "")


def code_of(content: bytes) -> str:
    match = CODE.search(pdf_text(content))
    assert match is not None, pdf_text(content)[-300:]
    return match.group(1)


async def _notice(client: httpx.AsyncClient, auth: TokenFactory, listing_id: str) -> bytes:
    response = await client.get(f"{URL}/{listing_id}/notice.pdf", headers=auth("clerk"))
    assert response.status_code == 200, response.text
    return response.content


async def _verify(client: httpx.AsyncClient, code: str) -> dict[str, Any]:
    result: dict[str, Any] = await ok(await client.get(f"{VERIFY}/{code}"), 200)
    return result


async def test_a_notice_code_verifies_and_its_hash_is_the_bytes_served(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, PERSON)
    content = await _notice(client, auth, listing_id)
    code = code_of(content)
    text = pdf_text(content)
    assert f"/api/v1/public/documents/{code}" in text
    assert "可通过" in text and "核验" in text

    response = await client.get(f"{VERIFY}/{code}")  # no token
    body = await ok(response, 200)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["kind"] == "listing_notice"
    assert body["title"] == "政务服务失信制约认定告知书"
    assert f"编号：{body['number']}" in text  # the number the notice prints
    assert body["number"].startswith("371400-SPJ-RD-2026-")
    assert body["issued_by"] == {"department": "371400-SPJ", "name": body["issued_by"]["name"]}
    assert body["issued_on"] == "2026-03-04"
    assert body["state"] == {"code": "notified", "label": "已告知", "as_of": "2026-03-04"}
    # Never the personal data the notice holds.
    assert PERSON["name"] not in response.text
    assert PERSON["id_number"] not in response.text
    assert "新湖大街" not in response.text

    # One byte changed: the public hash no longer matches.
    altered = bytearray(content)
    altered[len(altered) // 2] ^= 0x01
    assert hashlib.sha256(bytes(altered)).hexdigest() != body["sha256"]

    # Printed again unchanged: the same bytes, the same code, one registration.
    assert await _notice(client, auth, listing_id) == content


async def test_the_state_is_read_now_and_changed_content_is_a_new_document(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, PERSON)
    first = await _notice(client, auth, listing_id)
    code = code_of(first)
    at(clock, "2026-03-10")  # the window lapsed: the listing is confirmed from today
    assert (await _verify(client, code))["state"]["code"] == "confirmed"
    at(clock, "2026-03-12")
    await step(client, auth, f"{URL}/{listing_id}/publication")
    # The notice now states the determination date: another document, another code.
    second = await _notice(client, auth, listing_id)
    assert "认定日期2026年3月10日" in pdf_text(second)
    assert code_of(second) != code
    later = await _verify(client, code_of(second))
    assert later["sha256"] == hashlib.sha256(second).hexdigest()
    assert later["issued_on"] == "2026-03-12"
    earlier = await _verify(client, code)
    assert earlier["sha256"] == hashlib.sha256(first).hexdigest()
    assert earlier["state"] == {
        "code": "effective",
        "label": "已公布（管理期内）",
        "as_of": "2026-03-12",
    }


async def test_an_unknown_code_is_404_and_every_lookup_is_audited_without_the_code(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await notified(client, auth, clock, PERSON)
    real = code_of(await _notice(client, auth, listing_id))
    unknown = new_code()
    for code in (unknown, "not-a-code", real.lower().replace("-", " ")):
        response = await client.get(f"{VERIFY}/{code}")
        if code == unknown or code == "not-a-code":
            assert response.status_code == 404
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["code"] == "document_not_found"
        else:  # case, spaces and hyphens do not matter
            assert response.status_code == 200
    log = await client.get(
        "/api/v1/audit-log", params={"action": "document.verify"}, headers=auth("auditor")
    )
    entries = (await ok(log, 200))["items"]
    assert sorted(e["details"]["found"] for e in entries) == [False, False, True]
    prefixes = {e["details"]["code_sha256_prefix"] for e in entries}
    assert code_hash(unknown)[:12] in prefixes and code_hash(real)[:12] in prefixes
    assert unknown not in log.text and real not in log.text
    assert unknown.replace("-", "") not in log.text and real.replace("-", "") not in log.text


async def test_the_public_lookup_has_its_own_stricter_rate_limit(
    client: httpx.AsyncClient, app_harness: Any
) -> None:
    from app.main import create_app
    from tests.conftest import make_settings

    settings = make_settings(app_harness.settings.database_url, verification_rate_limit="2/minute")
    app = create_app(settings, app_harness.database)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as other:
        statuses = [(await other.get(f"{VERIFY}/{new_code()}")).status_code for _ in range(3)]
        assert statuses == [404, 404, 429]
        assert (await other.get("/api/v1/profiles")).status_code == 200  # others unaffected
