"""No personal data in clear: after a scenario that creates persons through every create route
that takes a person's identity, with an Idempotency-Key on each (and each sent twice), no
table column of PostgreSQL and nothing the server process wrote to stderr holds a scenario
ID number, name or address in clear.

The service runs as a real process (tests/server_process.py) on a migrated PostgreSQL
database, with its worker, a webhook subscription and the credit platform as loopback
receivers, so events and deliveries exist. Its clock is set by the test: dates below are
counted by hand from the 2026 calendar, as in tests/restrictions/conftest.py.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    make_settings,
    migrated_database,
    token_factory,
)
from tests.events.receiver import Receiver, running_receiver
from tests.factories import (
    AGENCY,
    FOOD,
    ORG,
    REGULATOR,
    consent_body,
    matter_body,
    resident_id,
)
from tests.privacy.clear_text import DatabaseScan, Hit, scan_database, scan_text
from tests.server_process import ServerProcess, running_server, set_clock

pytestmark = pytest.mark.postgres_only

SECRET = "receiver-shared-secret-0123456789"
RESTRICTIONS = "/api/v1/restrictions"

# Made-up citizens of Dezhou (3714xx), check digits from python-stdnum; none ends in X, so
# the clear form has one spelling.
LISTED = {
    "subject_type": "person",
    "id_number": resident_id("37140219790315201"),
    "name": "司马青崖",
    "address": "山东省德州市德城区青崖巷十七号",
}
OBJECTOR = {
    "subject_type": "person",
    "id_number": resident_id("37142119880723112"),
    "name": "欧阳紫陌",
    "address": "山东省德州市陵城区紫陌街二十九号",
}
APPLICANT = {
    "subject_type": "person",
    "id_number": resident_id("37140219920108326"),
    "name": "上官晓岚",
    "address": "山东省德州市德城区晓岚路三十一号",
}
AGENT = {
    "subject_type": "person",
    "id_number": resident_id("37142619751130417"),
    "name": "诸葛明远",
    "address": "山东省德州市庆云县明远胡同八号",
}
SECOND_APPLICANT = {
    "subject_type": "person",
    "id_number": resident_id("37148119830519235"),
    "name": "东方若水",
    "address": "山东省德州市禹城市若水大道六十六号",
}
JOINT = {
    "subject_type": "person",
    "id_number": resident_id("37140320010227548"),
    "name": "慕容秋白",
}
SIGNER = "闻人栖梧"  # signs the commitment for the applicant
SECOND_SIGNER = "公孙夜航"
PEOPLE = [LISTED, OBJECTOR, APPLICANT, AGENT, SECOND_APPLICANT, JOINT]


def needles() -> dict[str, str]:
    found: dict[str, str] = {}
    for person in PEOPLE:
        found[f"id_number of {person['name']}"] = person["id_number"]
        found[f"name {person['name']}"] = person["name"]
        if "address" in person:
            found[f"address of {person['name']}"] = person["address"]
    found[f"name {SIGNER}"] = SIGNER
    found[f"name {SECOND_SIGNER}"] = SECOND_SIGNER
    return found


def _in_use(response: httpx.Response) -> bool:
    return response.status_code == 409 and response.json().get("code") == "idempotency_key_in_use"


def shanghai_10am(day: str) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, 2, 0, tzinfo=UTC)


class Scenario:
    """Requests to the server process as clerk (of the agency) and admin.

    Kept answers are forgotten 24 hours after their request (by the worker), and the
    scenario's clock moves by months: so the database is also scanned each time before the
    clock moves, and what those scans find is kept in ``hits``.
    """

    def __init__(self, server: ServerProcess, url: str, clock_file: Path) -> None:
        self.http = httpx.Client(base_url=server.base_url, timeout=30)
        self.clock_file = clock_file
        self.dsn = plain_dsn(url)
        make = token_factory(make_settings(url))
        self.clerk = make("clerk", department=AGENCY, sub="clerk-1", ttl=3600)
        self.admin = make("admin", department=None, sub="admin-1", ttl=3600)
        self.creates = 0
        self.created_paths: list[str] = []
        self.checkpoints = 0
        self.hits: set[Hit] = set()

    def at(self, day: str) -> None:
        self.checkpoint()
        set_clock(self.clock_file, shanghai_10am(day))

    def checkpoint(self) -> None:
        self.hits |= set(asyncio.run(scan_database(self.dsn, needles())).hits)
        self.checkpoints += 1

    def create(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> dict[str, Any]:
        """POST with a fresh Idempotency-Key, 201; the same again is the kept answer."""
        sent = {**(headers or self.clerk), "Idempotency-Key": f"k-{uuid.uuid4().hex}"}
        first = self.http.post(path, json=body, content=content, headers=sent)
        assert first.status_code == 201, f"{path}: {first.status_code} {first.text}"
        again = self.http.post(path, json=body, content=content, headers=sent)
        deadline = time.monotonic() + 10
        while _in_use(again) and time.monotonic() < deadline:  # "retry shortly"
            time.sleep(0.1)
            again = self.http.post(path, json=body, content=content, headers=sent)
        assert again.status_code == 201, f"{path} replayed: {again.status_code} {again.text}"
        assert again.headers.get("idempotent-replayed") == "true", path
        assert again.json() == first.json(), path
        self.creates += 1
        self.created_paths.append(path)
        created: dict[str, Any] = first.json()
        return created

    def step(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(path, json=body or {}, headers=self.clerk)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = self.http.get(path, params=params, headers=self.clerk)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        result: dict[str, Any] = response.json()
        return result

    def collect(self, subject: dict[str, str]) -> str:
        body = {
            "subject": subject,
            # lifted early below: a listing for an untrue commitment (DZ art. 15 ¶1-2)
            "situation": "commitment_untrue",
            "source_channel": "investigation",
            "facts": "告知承诺办理食品经营许可后核查，经营场所达不到承诺内容",
            "legal_basis": "临政管办发〔2022〕3号 五(一)2",
            "legal_documents": ["德审批核〔2026〕12号"],
        }
        return str(self.create(RESTRICTIONS, body)["id"])

    def passed_check(
        self, subject: dict[str, str], mode: str, agent: dict[str, str] | None = None
    ) -> str:
        consent = self.create("/api/v1/consents", consent_body(subject))
        body: dict[str, Any] = {
            "subject": subject,
            "matter_code": FOOD,
            "mode": mode,
            "purpose": "credit_facilitation",
            "consent_id": consent["id"],
        }
        if agent is not None:
            body["agent"] = agent
        check = self.create("/api/v1/credit-checks", body)
        assert check["result"] == "pass", check
        return str(check["id"])

    def commitment(self, check_id: str, mode: str, signed_by: str) -> str:
        body = {
            "credit_check_id": check_id,
            "mode": mode,
            "missing_materials": ["食品安全管理制度文本"] if mode == "tolerance" else [],
            "affirmations": {
                "knows_notice": True,
                "meets_conditions": True,
                "materials_true": True,
                "true_intention": True,
                "accepts_liability": True,
            },
            "signed_by": signed_by,
            "signed_at": "2026-09-30T10:00:00+08:00",
        }
        return str(self.create("/api/v1/commitments", body)["id"])


def run_scenario(s: Scenario, hooks: Receiver) -> None:
    s.at("2026-03-02")  # Mon
    admin = s.admin
    s.create(
        "/api/v1/departments",
        {"code": AGENCY, "name": "德州市行政审批服务局", "region_code": "371400"},
        headers=admin,
    )
    s.create(
        "/api/v1/departments",
        {"code": REGULATOR, "name": "德州市市场监督管理局", "region_code": "371400"},
        headers=admin,
    )
    s.create("/api/v1/matters", matter_body(), headers=admin)
    s.create(
        "/api/v1/webhooks",
        {"name": "省平台", "url": hooks.url, "event_types": ["*"], "secret": SECRET},
        headers=admin,
    )

    # Two listings: one published, rectified and asked to be lifted; one objected to.
    listed = s.collect(LISTED)
    objected = s.collect(OBJECTOR)
    for listing in (listed, objected):
        s.step(f"{RESTRICTIONS}/{listing}/verification")
    s.at("2026-03-03")
    for listing in (listed, objected):
        s.step(f"{RESTRICTIONS}/{listing}/notice", {"method": "mail"})
    s.at("2026-03-04")
    for listing in (listed, objected):
        s.step(f"{RESTRICTIONS}/{listing}/notice/receipt", {"received_on": "2026-03-04"})
    objection = {"statement": "经营场所证明系出租方出具，本人不知情", "evidence_refs": ["租赁合同"]}
    s.create(f"{RESTRICTIONS}/{objected}/objections", objection)
    # Objection window from the receipt on Wed 03-04: Thu 5 (1), Fri 6 (2), Mon 9 (3).
    # The objected listing's breach is then taken to a penalty: the proposal is withdrawn.
    penalty = {"kind": "administrative_penalty", "decision_reference": "德市监处罚〔2026〕15号"}
    s.at("2026-03-05")
    assert s.create(f"{RESTRICTIONS}/{objected}/referrals", penalty)["status"] == "withdrawn"
    s.at("2026-03-10")
    assert s.step(f"{RESTRICTIONS}/{listed}/publication")["status"] == "effective"
    # After the window: a complaint that an entry is wrong, and proof of rectification.
    s.at("2026-03-20")
    complaint = {"received_on": "2026-03-20", "statement": "名单所载事实有误", "grounds": ["facts"]}
    s.create(f"{RESTRICTIONS}/{listed}/complaints", complaint)
    proof = {"statement": "已补交真实证明", "evidence_refs": ["经营场所证明"]}
    s.create(f"{RESTRICTIONS}/{listed}/repair-applications", proof)
    repair = {"statement": "已补交真实证明", "materials": ["fulfilment_proof"]}
    s.create(f"{RESTRICTIONS}/{listed}/credit-repair-applications", repair)  # waits: 一次性告知
    s.at("2026-04-01")
    s.step(f"{RESTRICTIONS}/{listed}/rectification", {"description": "已补交真实证明"})
    s.at("2026-04-02")
    s.create(f"{RESTRICTIONS}/{listed}/lifting-requests", {"reason": "已整改完毕"})

    # Applicants: consent, credit check (one with an agent), commitment, verification.
    s.at("2026-09-30")  # Wed
    first = s.commitment(s.passed_check(APPLICANT, "notify_commit", AGENT), "notify_commit", SIGNER)
    assert s.step(f"/api/v1/commitments/{first}/decision")["status"] == "decided"
    s.create(f"/api/v1/commitments/{first}/verifications", {"method": "onsite"})
    judicial = {"kind": "judicial", "decision_reference": "德公移字〔2026〕3号"}
    s.create(f"/api/v1/commitments/{first}/referrals", judicial)
    second = s.commitment(s.passed_check(SECOND_APPLICANT, "tolerance"), "tolerance", SECOND_SIGNER)
    s.step(f"/api/v1/commitments/{second}/withdrawal", {"reason": "申请人撤回申请"})

    # Joint punishment list: the person is known only from the import.
    csv = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on\n"
        f"person,{JOINT['id_number']},{JOINT['name']},失信被执行人名单,最高人民法院,2026-01-05,\n"
        f"organization,{ORG['id_number']},{ORG['name']},重大税收违法失信主体,国家税务总局,2026-02-01,\n"
    )
    imported = s.create(
        "/api/v1/joint-punishment/imports",
        content=csv.encode(),
        headers={**admin, "Content-Type": "text/csv"},
    )
    assert (imported["accepted"], imported["rejected"]) == (2, 0), imported


PROFILE_BY_PATH = ("get", "/api/v1/subjects/{subject_type}/{id_number}/credit-profile")
PROFILE_LOOKUP = ("post", "/api/v1/credit-profiles/lookup")
PUBLIC_BY_QUERY = ("get", "/api/v1/public/restrictions")
PUBLIC_SEARCH = ("post", "/api/v1/public/restrictions/search")


def call_lookups(s: Scenario, paths: set[tuple[str, str]]) -> int:
    """Every lookup by identifier the server offers: the GET forms (identifier in the URL)
    and their POST successors (in the body), whichever exist. Returns how many were called."""
    assert PROFILE_BY_PATH in paths or PROFILE_LOOKUP in paths, "no credit-profile lookup"
    assert PUBLIC_BY_QUERY in paths or PUBLIC_SEARCH in paths, "no public restriction search"
    calls: list[httpx.Response] = []
    if PROFILE_BY_PATH in paths:
        for person in (LISTED, APPLICANT, JOINT):
            url = f"/api/v1/subjects/person/{person['id_number']}/credit-profile"
            calls.append(s.http.get(url, headers=s.clerk))
    if PROFILE_LOOKUP in paths:
        for person in (LISTED, APPLICANT, JOINT):
            body = {"subject_type": "person", "id_number": person["id_number"]}
            calls.append(s.http.post(PROFILE_LOOKUP[1], json=body, headers=s.clerk))
    # Another person than in any path, so a query string written to a log shows on its own.
    searches = [{"id_number": OBJECTOR["id_number"]}, {"name": OBJECTOR["name"]}]
    if PUBLIC_BY_QUERY in paths:
        calls += [s.http.get(PUBLIC_BY_QUERY[1], params=params) for params in searches]
    if PUBLIC_SEARCH in paths:
        calls += [s.http.post(PUBLIC_SEARCH[1], json=body) for body in searches]
    for response in calls:
        assert response.status_code == 200, f"{response.url}: {response.text}"
    return len(calls)


def create_routes(paths: set[tuple[str, str]], spec: dict[str, Any]) -> set[str]:
    """The path templates of every POST answering 201 (the calendar's PUT of a year also
    answers 201; it holds no person)."""
    return {
        path
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method == "post" and (method, path) in paths and "201" in operation.get("responses", {})
    }


def template_of(path: str, templates: set[str]) -> str:
    for template in templates:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(f"{path} matches no create route")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)


def openapi(s: Scenario) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    response = s.http.get("/openapi.json")
    assert response.status_code == 200, response.text
    spec: dict[str, Any] = response.json()
    return spec, {(method, path) for path, item in spec["paths"].items() for method in item}


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def row_counts(dsn: str, tables: list[str]) -> dict[str, int]:
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        return {
            table: await connection.fetchval(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            for table in tables
        }
    finally:
        await connection.close()


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    with migrated_database("postgresql", tmp_path) as url:
        yield url


def test_no_scenario_identity_in_clear_in_any_column_or_in_stderr(
    postgres_url: str, tmp_path: Path
) -> None:
    clock_file = tmp_path / "now"
    set_clock(clock_file, shanghai_10am("2026-03-02"))
    with (
        running_receiver(Receiver(secret=SECRET)) as hooks,
        running_receiver(Receiver(secret=SECRET)) as platform,
    ):
        env = {
            "ZWFW_WORKER_INTERVAL_SECONDS": "0.3",
            "ZWFW_WEBHOOK_BACKOFF_SECONDS": "0.3",
            "ZWFW_CREDIT_PLATFORM_URL": platform.url,
            "ZWFW_CREDIT_PLATFORM_SECRET": SECRET,
        }
        with running_server(
            postgres_url, tmp_path, env=env, worker=True, clock_file=clock_file
        ) as server:
            s = Scenario(server, postgres_url, clock_file)
            run_scenario(s, hooks)
            spec, paths = openapi(s)
            lookups = call_lookups(s, paths)
            creates = create_routes(paths, spec)
            # Every create route of the service went through the scenario (a new one must
            # be added here, with a person in it if it takes one).
            assert {template_of(p, creates) for p in s.created_paths} == creates, creates

            def delivered() -> bool:
                types = {r["body"]["type"] for r in hooks.received}
                reports = {r["body"]["type"] for r in platform.received}
                return "restriction.publish" in types and "credit_record.appended" in reports

            wait_for(delivered, 60, "the worker delivers to the subscription and the platform")
            s.http.close()
        stderr = server.stderr_text()

    # The scenario really ran: every resource once, despite every create sent twice.
    dsn = plain_dsn(postgres_url)
    counts = asyncio.run(
        row_counts(
            dsn,
            [
                "subjects",
                "consents",
                "credit_checks",
                "commitments",
                "verifications",
                "restrictions",
                "restriction_objections",
                "restriction_lifting_requests",
                "joint_punishment_entries",
                "events",
                "webhook_deliveries",
                "audit_log",
            ],
        )
    )
    assert counts["subjects"] == 5, counts  # LISTED, OBJECTOR, APPLICANT, AGENT, SECOND
    assert (counts["consents"], counts["credit_checks"], counts["commitments"]) == (2, 2, 2)
    assert (counts["verifications"], counts["restrictions"]) == (1, 2), counts
    assert counts["restriction_objections"] == counts["restriction_lifting_requests"] == 1
    assert counts["joint_punishment_entries"] == 2, counts
    assert counts["events"] >= 5 and counts["webhook_deliveries"] >= 5, counts
    assert counts["audit_log"] >= s.creates, counts
    assert s.creates == 21 and lookups >= 5 and s.checkpoints >= 6
    assert hooks.bad_signatures == platform.bad_signatures == 0

    # Every text, JSON and binary column of every table.
    looked_for = needles()
    controls = {
        "department name": "德州市行政审批服务局",
        "tolerable material": "食品安全管理制度文本",
    }
    scan: DatabaseScan = asyncio.run(scan_database(dsn, {**looked_for, **controls}))
    assert len(scan.columns) > 150, scan.columns
    assert scan.values > 500, scan.values
    assert any(c.endswith("(json)") for c in scan.columns), scan.columns
    # The scan does find what is stored in clear: a department's name, a matter's terms.
    assert scan.hits_in("departments.name"), scan.hits
    assert scan.hits_in("matter_versions.modes"), scan.hits
    leaks = s.hits | {hit for hit in scan.hits if hit.label in looked_for}

    # Everything the server process wrote to stderr (access log, worker, errors).
    assert "Application startup complete" in stderr
    assert stderr.count('"logger": "app.request"') >= 2 * s.creates, stderr[-2000:]
    in_stderr = scan_text("stderr", stderr, looked_for)
    assert not leaks and not in_stderr, (
        "personal data in clear, in the database:\n"
        + _listing(leaks)
        + "\nin the server's stderr:\n"
        + _listing(in_stderr)
    )


def _listing(hits: Iterable[Hit]) -> str:
    return "\n".join(sorted({str(hit) for hit in hits})) or "(none)"


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


async def test_the_scan_finds_each_form_in_each_kind_of_column(empty_postgres_url: str) -> None:
    """The scanner itself: text, varchar, json (escaped), jsonb, bytea and text[] columns."""
    dsn = plain_dsn(empty_postgres_url)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        await connection.execute(
            "CREATE TABLE scan_probe (t text, v varchar(50), j json, jb jsonb, b bytea, a text[])"
        )
        await connection.execute(
            "INSERT INTO scan_probe VALUES ($1, $2, $3::json, $4::jsonb, $5, $6)",
            "前缀司马青崖后缀",
            "x371402197903152015y",
            '{"name": "\\u6b27\\u9633\\u7d2b\\u964c"}',  # 欧阳紫陌, escaped as json.dumps does
            '{"name": "上官晓岚"}',
            "住址：山东省德州市德城区晓岚路三十一号".encode(),
            ["甲", "诸葛明远"],
        )
    finally:
        await connection.close()
    found = await scan_database(
        dsn,
        {
            "a": "司马青崖",
            "b": "371402197903152015",
            "c": "欧阳紫陌",
            "d": "上官晓岚",
            "e": "山东省德州市德城区晓岚路三十一号",
            "f": "诸葛明远",
            "absent": "东方若水",
        },
    )
    where = {(hit.where, hit.label) for hit in found.hits}
    assert {
        ("scan_probe.t", "a"),
        ("scan_probe.v", "b"),
        ("scan_probe.j", "c"),
        ("scan_probe.jb", "d"),
        ("scan_probe.b", "e"),
        ("scan_probe.a", "f"),
    } <= where
    assert not [hit for hit in found.hits if hit.label == "absent"]
    assert scan_text("log", '{"msg": "\\u4e1c\\u65b9\\u82e5\\u6c34"}', {"x": "东方若水"})
