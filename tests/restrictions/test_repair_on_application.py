"""Credit repair on application (信用修复申请, national rules), over HTTP, dates counted by
hand.

Published Tue 2026-03-10 (conftest.py): the management period runs to Thu 2026-09-10, so
every application here is filed before the period end (minor dishonesty: 国办发〔2025〕22号
§二 "法定责任义务履行完毕即可申请修复"). 2026 calendar in June: Fri 06-19 to Sun 06-21
off (Dragon Boat), no make-up day.

Decision limit (profile `credit_repair_decision`, 5 working days from acceptance, the
acceptance day not counted):
- accepted Mon 06-15: Tue 16 (1), Wed 17 (2), Thu 18 (3), Mon 22 (4), Tue 23 (5)
  -> due 2026-06-23;
- accepted Tue 06-16: Wed 17 (1), Thu 18 (2), Mon 22 (3), Tue 23 (4), Wed 24 (5)
  -> due 2026-06-24.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.ops.worker import Worker
from tests.conftest import Harness, TokenFactory, make_settings
from tests.events.receiver import Receiver, running_receiver
from tests.factories import ORG, ORG_ID, credit_check, ok, record_consent
from tests.restrictions.conftest import at, published, step

URL = "/api/v1/restrictions"
SECRET = "receiver-shared-secret-0123456789"
COMPLETE = ["fulfilment_proof", "commitment_letter"]


@pytest.fixture
def platform() -> Iterator[Receiver]:
    with running_receiver(Receiver(secret=SECRET)) as receiver:
        yield receiver


async def _check(client: httpx.AsyncClient, auth: TokenFactory) -> str:
    consent = await record_consent(client, auth, subject=ORG)
    result = await ok(
        await credit_check(client, auth, consent_id=consent["id"], subject=consent["subject"])
    )
    return str(result["result"])


async def _public(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    body = (
        await client.post("/api/v1/public/restrictions/search", json={"id_number": ORG_ID})
    ).json()
    items: list[dict[str, Any]] = body["items"]
    return items


async def _apply(
    client: httpx.AsyncClient, auth: TokenFactory, listing: str, materials: list[str]
) -> dict[str, Any]:
    response = await client.post(
        f"{URL}/{listing}/credit-repair-applications",
        json={
            "statement": "原申请已撤回，失信行为已纠正",
            "materials": materials,
            "evidence_refs": ["撤回申请受理回执"],
        },
        headers=auth("platform"),
    )
    result: dict[str, Any] = await ok(response, 201)
    return result


def _pdf(content: bytes, tmp_path: Path, name: str) -> tuple[str, str, str]:
    """pdfinfo, pdffonts and pdftotext of ``content``."""
    path = tmp_path / name
    path.write_bytes(content)

    def run(*argv: str) -> str:
        return subprocess.run(  # noqa: S603 - poppler tools on a file the test wrote
            [*argv, str(path), *(["-"] if argv[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    return run("pdfinfo"), run("pdffonts"), run("pdftotext", "-layout")


def _a4_and_embedded(info: str, fonts: str) -> None:
    assert "(A4)" in info, info
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    # columns: name type encoding emb sub uni object ID
    assert all(row.split()[-5] == "yes" for row in rows), fonts


async def test_incomplete_materials_get_one_notice_and_the_application_waits(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-06-15")
    filed = await _apply(client, auth, listing, [])
    assert [m["code"] for m in filed["missing_materials"]] == COMPLETE  # everything, at once
    assert (filed["materials_requested_on"], filed["accepted_on"], filed["decision_due"]) == (
        "2026-06-15",
        None,
        None,
    )
    app_url = f"{URL}/{listing}/credit-repair-applications/{filed['id']}"
    early = await client.post(
        f"{app_url}/decision",
        json={"outcome": "granted", "reasons": "已履行"},
        headers=auth("clerk"),
    )
    assert (early.status_code, early.json()["code"]) == (409, "credit_repair_not_accepted")
    # a supplement still lacking one: refused, no second notice
    partial = await client.post(
        f"{app_url}/materials", json={"materials": ["fulfilment_proof"]}, headers=auth("platform")
    )
    assert (partial.status_code, partial.json()["code"]) == (409, "credit_repair_materials_missing")
    assert partial.json()["missing_materials"] == ["commitment_letter"]
    waiting = await ok(await client.get(app_url, headers=auth("clerk")), 200)
    assert [m["code"] for m in waiting["missing_materials"]] == COMPLETE
    assert waiting["accepted_on"] is None
    pending = await client.post(
        f"{URL}/{listing}/credit-repair-applications",
        json={"statement": "再次申请", "materials": COMPLETE},
        headers=auth("platform"),
    )
    assert (pending.status_code, pending.json()["code"]) == (409, "repair_application_pending")

    at(clock, "2026-06-16")
    accepted = await ok(
        await client.post(
            f"{app_url}/materials", json={"materials": COMPLETE}, headers=auth("platform")
        ),
        200,
    )
    assert (accepted["accepted_on"], accepted["decision_due"]) == ("2026-06-16", "2026-06-24")
    again = await client.post(
        f"{app_url}/materials", json={"materials": COMPLETE}, headers=auth("platform")
    )
    assert (again.status_code, again.json()["code"]) == (
        409,
        "credit_repair_not_awaiting_materials",
    )


async def test_granted_ends_publication_sharing_and_effects_the_same_day(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    app_harness: Harness,
    platform: Receiver,
    tmp_path: Path,
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-06-15")
    filed = await _apply(client, auth, listing, COMPLETE)
    assert (filed["accepted_on"], filed["decision_due"], filed["missing_materials"]) == (
        "2026-06-15",
        "2026-06-23",
        [],
    )
    at(clock, "2026-06-22")
    assert await _check(client, auth) == "fail"
    assert len(await _public(client)) == 1
    app_url = f"{URL}/{listing}/credit-repair-applications/{filed['id']}"
    decided = await step(
        client, auth, f"{app_url}/decision", {"outcome": "granted", "reasons": "已履行相关义务"}
    )
    assert (decided["outcome"], decided["decided_on"], decided["late"]) == (
        "granted",
        "2026-06-22",
        False,
    )
    assert decided["listing_status"] == "repaired"
    # the same day: off the public list, a passing credit check
    assert await _public(client) == []
    assert await _check(client, auth) == "pass"
    listing_read = await ok(await client.get(f"{URL}/{listing}", headers=auth("clerk")), 200)
    assert listing_read["status"] == "repaired"

    # the credit platform receives the repair: publication ended, sharing stopped
    settings = make_settings(
        app_harness.database.url, credit_platform_url=platform.url, credit_platform_secret=SECRET
    )
    worker = Worker(app_harness.database, settings, clock)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()
    (event,) = [
        r["body"]
        for r in platform.received
        if r["body"]["aggregate_id"] == listing
        and r["body"]["type"] == "restriction.grant_credit_repair"
    ]
    details = event["data"]["details"]
    assert (details["publication"], details["sharing"], details["restriction_effects"]) == (
        "ended",
        "stopped",
        "lifted",
    )
    assert event["data"]["to"] == "repaired"
    assert event["occurred_at"].startswith("2026-06-22")

    letter = await client.get(f"{app_url}/decision.pdf", headers=auth("platform"))
    assert (letter.status_code, letter.headers["content-type"]) == (200, "application/pdf")
    info, fonts, text = _pdf(letter.content, tmp_path, "decision.pdf")
    _a4_and_embedded(info, fonts)
    flat = "".join(text.split())
    for part in (
        "信用修复决定书",
        "予以信用修复",
        "终止公示",
        "停止共享和使用",
        "已履行相关义务",  # reasons
        "国家发展改革委令第36号",  # legal basis
        "2026年6月22日",  # date
        "德州市",  # issuing department (the demo department's name), over its seal
        "（盖章）",
    ):
        assert part in flat, part
    assert "救济途径" not in flat


async def test_refused_gives_reasons_and_remedy_and_stays_effective(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, tmp_path: Path
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-06-15")
    filed = await _apply(client, auth, listing, COMPLETE)
    at(clock, "2026-06-23")  # the last day of the limit
    app_url = f"{URL}/{listing}/credit-repair-applications/{filed['id']}"
    decided = await step(
        client,
        auth,
        f"{app_url}/decision",
        {"outcome": "refused", "reasons": "提交的证明材料不能证明原申请已撤回"},
    )
    assert (decided["outcome"], decided["late"], decided["listing_status"]) == (
        "refused",
        False,
        "effective",
    )
    assert "行政复议" in decided["remedy_zh"] and "复核" in decided["remedy_zh"]
    # the period-end view leaves the application to its own route
    repair = await ok(await client.get(f"{URL}/{listing}/repair", headers=auth("clerk")), 200)
    assert repair["applications"] == []
    other = await client.post(
        f"{URL}/{listing}/repair-applications/{filed['id']}/decision",
        json={"outcome": "rectified", "reasons": "x"},
        headers=auth("clerk"),
    )
    assert (other.status_code, other.json()["code"]) == (404, "repair_application_not_found")
    assert await _check(client, auth) == "fail"
    assert len(await _public(client)) == 1
    twice = await client.post(
        f"{app_url}/decision", json={"outcome": "granted", "reasons": "x"}, headers=auth("clerk")
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "repair_application_decided")

    letter = await client.get(f"{app_url}/decision.pdf", headers=auth("clerk"))
    info, fonts, text = _pdf(letter.content, tmp_path, "refusal.pdf")
    _a4_and_embedded(info, fonts)
    flat = "".join(text.split())
    for part in (
        "不予信用修复",
        "提交的证明材料不能证明原申请已撤回",
        "救济途径",
        "行政复议",
        "2026年6月23日",
        "（盖章）",
    ):
        assert part in flat, part


async def test_the_commitment_letter_is_a4_embedded_and_complete(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, tmp_path: Path
) -> None:
    listing = await published(client, auth, clock, ORG)
    at(clock, "2026-06-15")
    pdf = await client.get(f"{URL}/{listing}/credit-commitment.pdf", headers=auth("platform"))
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    info, fonts, text = _pdf(pdf.content, tmp_path, "commitment.pdf")
    _a4_and_embedded(info, fonts)
    flat = "".join(text.split())
    for part in (
        "信用承诺书",
        ORG["name"],
        "法定责任义务已履行完毕",
        "材料真实",
        "承诺人（签字或盖章）",
        "申请食品经营许可时提供虚假的经营场所证明",
    ):
        assert part in flat, part


async def test_the_profile_shows_repair_on_application_with_its_citations(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    body = await ok(await client.get("/api/v1/profiles", headers=auth("clerk")), 200)
    linzi = [p for p in body if p["credit_repair_on_application"]["applies"]]
    assert linzi
    rule = linzi[0]["credit_repair_on_application"]
    assert rule["before_period_end"] is True
    assert rule["citation"]["label"] == "国办发〔2025〕22号 §二"
    decision = linzi[0]["parameters"]["credit_repair_decision"]
    assert (decision["value"], decision["unit"], decision["basis"]) == (
        5,
        "working_days",
        "deployment_choice",
    )
    assert decision["citation"]["label"] == "国家发展改革委令第36号 art. 3 ¶1"
