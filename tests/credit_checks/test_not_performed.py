"""A joint-punishment service outage is not a failed check (DZ art. 6 ¶2 "核验未通过"), and
a hit bars what its list's memorandum provides (LZ §3 "从其规定处理"), over HTTP.

The external list service is a real HTTP server on 127.0.0.1 whose answer each test sets.
"Now" is 2026-09-30 10:00 in Shanghai (tests/conftest.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FixedClock
from app.main import create_app
from tests.conftest import Harness, TokenFactory, check_problem, make_settings
from tests.factories import (
    ORG_ID,
    ok,
    record_consent,
    setup_catalog,
)
from tests.factories import (
    credit_check as post_check,
)

ALL_MODES = "SPJ-ALL-001"
ALL_TRUE = {
    "knows_notice": True,
    "meets_conditions": True,
    "materials_true": True,
    "true_intention": True,
    "accepts_liability": True,
}


@dataclass
class ListService:
    """The external list service: ``answer`` is what it does next ("error", "ok")."""

    base_url: str = ""
    answer: str = "error"
    hits: list[dict[str, Any]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def list_service() -> Iterator[ListService]:
    service = ListService()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            service.asked.append(self.path)
            if service.answer == "ok":
                self._send(200, json.dumps({"hits": service.hits}).encode())
            else:
                self._send(503, b'{"error": "maintenance"}')

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def service(list_service: ListService) -> ListService:
    list_service.answer, list_service.hits = "error", []
    list_service.asked.clear()
    return list_service


@pytest.fixture
def app(app_harness: Harness, clock: FixedClock, service: ListService) -> FastAPI:
    """The app with the external list service configured; no answer cached, and the breaker
    opens after two failures."""
    settings = make_settings(
        app_harness.settings.database_url,
        joint_punishment_url=service.base_url,
        joint_punishment_timeout=2.0,
        joint_punishment_cache_seconds=0,
        joint_punishment_breaker_failures=2,
    )
    return create_app(settings, database=app_harness.database, clock=clock)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            event_hooks={"response": [check_problem]},
        ) as c:
            yield c
    finally:
        await app.state.joint_punishment_client.aclose()


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)
    every_mode = {
        "code": ALL_MODES,
        "name": "食品经营许可（变更）",
        "agency_department": "371400-SPJ",
        "regulator_department": "371400-SCJ",
        "onsite_verification_department": "371400-SCJ",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "legal_liability": "作出不实承诺的，依法撤销办理结果并承担法律责任。",
        "effective_from": "2026-01-01T00:00:00+08:00",
        "modes": {
            "green_channel": {"services": ["快速办理", "专人帮办"]},
            "tolerance": {
                "tolerable_missing_materials": ["食品安全管理制度文本"],
                "supplement_deadline": {"amount": 10, "unit": "working_days"},
                "submission_method": "窗口提交或网上提交",
            },
            "notify_commit": {
                "conditions": "具有与经营的食品品种、数量相适应的经营场所",
                "material_requirements": ["食品经营许可申请书"],
                "completion_limit": {"amount": 0, "unit": "working_days"},
                "verification_limit": {"amount": 20, "unit": "working_days"},
                "verification_methods": ["online", "onsite"],
            },
        },
    }
    await ok(await client.post("/api/v1/matters", json=every_mode, headers=auth("admin")))


async def _check(client: httpx.AsyncClient, auth: TokenFactory, **body: Any) -> dict[str, Any]:
    check: dict[str, Any] = await ok(await post_check(client, auth, **body))
    return check


def _codes(check: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in check["reasons"]]


async def test_an_outage_is_not_performed_never_fail(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService, session: AsyncSession
) -> None:
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"])
    assert service.asked, "the external service was asked"
    assert check["result"] == "not_performed"
    assert _codes(check) == ["joint_punishment_unavailable"]
    # The ordinary procedure now; no mode is known to be open.
    assert (check["next_step"], check["eligible_modes"]) == ("ordinary", [])
    assert check["reasons"][0]["citation"] == "DZ art. 6 ¶2"
    # Stored and audited as not performed: no failure is recorded against the applicant.
    read = await ok(
        await client.get(f"/api/v1/credit-checks/{check['id']}", headers=auth("clerk")), 200
    )
    assert read["result"] == "not_performed"
    entry = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "credit_check.create", AuditEntry.target_id == check["id"]
            )
        )
    ).one()
    assert entry.details is not None
    assert (entry.details["result"], entry.details["joint_punishment_consulted"]) == (
        "not_performed",
        False,
    )
    # A check not performed never backs a commitment.
    commitment = await client.post(
        "/api/v1/commitments",
        json={
            "credit_check_id": check["id"],
            "mode": "tolerance",
            "missing_materials": ["食品安全管理制度文本"],
            "affirmations": ALL_TRUE,
            "signed_by": "张三",
            "signed_at": "2026-09-30T10:00:00+08:00",
        },
        headers=auth("clerk"),
    )
    assert (commitment.status_code, commitment.json()["code"]) == (
        409,
        "credit_check_not_performed",
    )


async def test_an_open_breaker_is_not_performed_and_the_check_runs_again_once_it_recovers(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService, app: FastAPI
) -> None:
    consent = await record_consent(client, auth)
    for _ in range(2):
        assert (await _check(client, auth, consent_id=consent["id"]))["result"] == "not_performed"
    asked = len(service.asked)
    # The breaker is open: the service is not asked, and the answer is still not_performed.
    held = await _check(client, auth, consent_id=consent["id"])
    assert (held["result"], _codes(held)) == ("not_performed", ["joint_punishment_unavailable"])
    assert len(service.asked) == asked
    # The service answers again (the breaker lets a trial through once it resets): the same
    # applicant is checked again and passes.
    service.answer = "ok"
    breaker = app.state.joint_punishment_client.breaker
    breaker.opened_at -= breaker.reset_seconds
    again = await _check(client, auth, consent_id=consent["id"])
    assert (again["result"], again["next_step"]) == ("pass", "facilitation")
    assert again["eligible_modes"] == ["tolerance", "notify_commit"]


async def test_a_definite_bar_still_fails_while_the_service_is_down(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    # The consent states another purpose: a failure of its own, and no list is read.
    consent = await record_consent(client, auth, purpose="rating_consultation")
    check = await _check(client, auth, consent_id=consent["id"])
    assert (check["result"], _codes(check)) == ("fail", ["consent_purpose_mismatch"])


async def test_the_service_is_not_asked_without_a_consent_that_covers_it(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService
) -> None:
    consent = await record_consent(client, auth, scope=["restriction_list"])
    check = await _check(client, auth, consent_id=consent["id"])
    assert _codes(check) == ["consent_scope_insufficient"]
    no_consent = await _check(client, auth)
    assert _codes(no_consent) == ["consent_missing"]
    # No identifier left for the external service under either.
    assert service.asked == []


async def test_a_list_that_bars_some_modes_leaves_the_others_eligible(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService
) -> None:
    service.answer = "ok"
    service.hits = [
        {
            "list_name": "重大税收违法失信主体",
            "source": "国家税务总局",
            "listed_on": "2026-03-01",
            "expires_on": None,
            "list_type": "major_tax_violation",
        }
    ]
    consent = await record_consent(client, auth)
    # Its memorandum (as configured) bars tolerance and notify-commit, not the green channel.
    tolerance = await _check(client, auth, consent_id=consent["id"], matter_code=ALL_MODES)
    assert (tolerance["result"], tolerance["eligible_modes"]) == ("fail", ["green_channel"])
    (reason,) = tolerance["reasons"]
    assert reason["code"] == "joint_punishment_listed"
    assert reason["barred_modes"] == ["tolerance", "notify_commit"]
    assert reason["citation"] == "LZ §3"
    assert "对重大税收违法案件当事人实施联合惩戒措施的合作备忘录" in reason["message"]
    green = await _check(
        client, auth, consent_id=consent["id"], matter_code=ALL_MODES, mode="green_channel"
    )
    assert (green["result"], green["next_step"]) == ("pass", "facilitation")
    assert green["eligible_modes"] == ["green_channel"]


async def test_a_list_that_bars_every_mode_leaves_none(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService
) -> None:
    service.answer = "ok"
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on,list_type\n"
        f"organization,{ORG_ID},某某公司,失信被执行人,最高人民法院,2026-01-05,,"
        "dishonest_judgment_debtor\n"
    )
    response = await client.post(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**auth("admin"), "Content-Type": "text/csv"},
    )
    assert (await ok(response))["accepted"] == 1
    consent = await record_consent(client, auth)
    check = await _check(
        client, auth, consent_id=consent["id"], matter_code=ALL_MODES, mode="green_channel"
    )
    assert (check["result"], check["eligible_modes"]) == ("fail", [])
    assert "发改财金〔2016〕141号" in check["reasons"][0]["message"]


async def test_a_hit_of_an_unknown_list_type_is_not_performed(
    client: httpx.AsyncClient, auth: TokenFactory, service: ListService
) -> None:
    service.answer = "ok"
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on\n"
        f"organization,{ORG_ID},某某公司,某领域严重失信主体名单,某部门,2026-01-05,\n"
    )
    response = await client.post(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**auth("admin"), "Content-Type": "text/csv"},
    )
    assert (await ok(response))["accepted"] == 1
    consent = await record_consent(client, auth)
    check = await _check(client, auth, consent_id=consent["id"])
    assert (check["result"], check["next_step"]) == ("not_performed", "ordinary")
    assert _codes(check) == ["joint_punishment_list_type_unknown"]


async def test_an_import_row_naming_an_unknown_list_type_is_rejected(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on,list_type\n"
        f"organization,{ORG_ID},某某公司,失信被执行人,最高人民法院,2026-01-05,,no_such_type\n"
    )
    response = await client.post(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**auth("admin"), "Content-Type": "text/csv"},
    )
    result = await ok(response)
    assert (result["accepted"], result["rejected"]) == (0, 1)
    assert result["rejected_rows"][0]["errors"][0]["code"] == "invalid_list_type"


async def test_the_list_types_are_public_with_their_memorandum_and_citation(
    client: httpx.AsyncClient,
) -> None:
    rules = await ok(await client.get("/api/v1/joint-punishment/list-types"), 200)
    by_code = {item["code"]: item for item in rules["list_types"]}
    tax = by_code["major_tax_violation"]
    assert (tax["barred_modes"], tax["open_modes"]) == (
        ["tolerance", "notify_commit"],
        ["green_channel"],
    )
    assert tax["basis"] == "deployment_choice"
    assert tax["memorandum"]["document_number"] is None  # not confirmed: not invented
    assert tax["citation"]["label"] == "LZ §3"
    assert "从其规定处理" in tax["citation"]["text_zh"]
    court = by_code["dishonest_judgment_debtor"]
    assert court["memorandum"]["document_number"] == "发改财金〔2016〕141号"
    assert rules["not_performed"]["result"] == "not_performed"
    assert [c["label"] for c in rules["not_performed"]["citations"]] == [
        "DZ art. 6 ¶2",
        "LZ §4(1)",
    ]
