"""Oversight statistics through HTTP: a quarter (Q3 2026) across three departments, with
every figure counted by hand from the scenario below.

2026 calendar, Q3: no holiday in July and August; Sep 25-27 and Oct 1-7 off, Sun Sep 20
and Sat Oct 10 make-up working days. Every step is taken at 10:00 in Shanghai unless said.

Departments: SPJ (德州市行政审批服务局, agency of the food licence), ZJJ (德州市住建局,
agency of two building matters), SCJ (德州市市场监管局: on-site verifier, collects
listings, runs checks); Linzi's office does nothing and shows zeros.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from app.core.clock import FixedClock
from tests.commitments.conftest import ALL_TRUE
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    FOOD,
    GREEN,
    LINZI,
    ORG,
    REGULATOR,
    consent_body,
    create_department,
    matter_body,
    ok,
    setup_catalog,
    uscc,
)

ZJJ = "371400-ZJJ"
BUILD = "ZJJ-BUILD-001"
EXEMPT = "ZJJ-EXEMPT-001"
Q3 = {"from": "2026-07-01", "to": "2026-09-30"}
URL = "/api/v1/statistics"
S1, S2, S3, S4, S5 = (
    {"subject_type": "organization", "id_number": uscc(f"91371400MA3C5AB{n}1"), "name": name}
    for n, name in (
        (2, "某甲公司"),
        (3, "某乙公司"),
        (4, "某丙公司"),
        (5, "某丁公司"),
        (6, "某戊公司"),
    )
)


def at(clock: FixedClock, day: str, hour_utc: int = 2, minute: int = 0) -> None:
    y, m, d = (int(p) for p in day.split("-"))
    clock.at = datetime(y, m, d, hour_utc, minute, tzinfo=UTC)


async def post(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    department: str = AGENCY,
    role: str = "clerk",
    status: int = 200,
) -> dict[str, Any]:
    response = await client.post(path, json=body or {}, headers=auth(role, department=department))
    result: dict[str, Any] = await ok(response, status)
    return result


async def check(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    department: str,
    matter: str,
    mode: str,
    *,
    consent: bool = True,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": ORG,
        "matter_code": matter,
        "mode": mode,
        "purpose": "credit_facilitation",
    }
    if consent:
        given = await post(
            client, auth, "/api/v1/consents", consent_body(), department=department, status=201
        )
        body["consent_id"] = given["id"]
    return await post(
        client, auth, "/api/v1/credit-checks", body, department=department, status=201
    )


async def sign(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    department: str,
    matter: str,
    mode: str,
) -> str:
    """A passed check and the commitment signed on it, the same day."""
    passed = await check(client, auth, department, matter, mode)
    assert passed["result"] == "pass", passed
    signed_at = clock.at.astimezone(UTC).isoformat()
    body = {
        "credit_check_id": passed["id"],
        "mode": mode,
        "missing_materials": ["食品安全管理制度文本"] if mode == "tolerance" else [],
        "affirmations": ALL_TRUE,
        "signed_by": "张三（法定代表人）",
        "signed_at": signed_at,
    }
    created = await post(
        client, auth, "/api/v1/commitments", body, department=department, status=201
    )
    return f"/api/v1/commitments/{created['id']}"


async def verify(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    case: str,
    agency: str,
    method: str,
    verifier: str,
    **result: Any,
) -> None:
    opened = await post(
        client, auth, f"{case}/verifications", {"method": method}, department=agency, status=201
    )
    assert opened["assigned_department"] == verifier
    body = {"basis": "《行政许可法》", "description": "核查", **result}
    await post(
        client,
        auth,
        f"/api/v1/verifications/{opened['id']}/result",
        body,
        department=verifier,
        role="verifier",
    )


async def collect(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    department: str,
    subject: dict[str, Any],
    situation: str = "false_materials",
) -> str:
    body = {
        "subject": {**subject, "address": "山东省德州市德城区新湖大街1号"},
        "situation": situation,
        "source_channel": "investigation",
        "facts": "申请许可时提供虚假的经营场所证明",
        "legal_basis": "临政管办发〔2022〕3号 五(一)2",
        "legal_documents": ["德审批核〔2026〕12号"],
    }
    listing = await post(
        client, auth, "/api/v1/restrictions", body, department=department, status=201
    )
    url = f"/api/v1/restrictions/{listing['id']}"
    await post(client, auth, f"{url}/verification", department=department)
    return url


async def notify(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock, url: str, dep: str, day: str
) -> None:
    """Notice issued and received on ``day``."""
    at(clock, day)
    await post(client, auth, f"{url}/notice", {"method": "in_person"}, department=dep)
    await post(client, auth, f"{url}/notice/receipt", {"received_on": day}, department=dep)


async def object_and_review(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    url: str,
    dep: str,
    objected_on: str,
    reviewed_on: str,
    outcome: str,
) -> None:
    at(clock, objected_on)
    objected = await post(
        client, auth, f"{url}/objections", {"statement": "不知情"}, department=dep, status=201
    )
    (objection,) = objected["objections"]
    at(clock, reviewed_on)
    await post(
        client,
        auth,
        f"{url}/objections/{objection['id']}/review",
        {"outcome": outcome, "reasons": "复核"},
        department=dep,
    )


async def correct(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    clock: FixedClock,
    url: str,
    dep: str,
    discovered_on: str,
    on: str,
) -> None:
    at(clock, on)
    body = {
        "kind": "fix",
        "discovered_on": discovered_on,
        "reason": "事实表述有误",
        "changes": {"facts": "申请许可时提供虚假的租赁合同"},
    }
    await post(client, auth, f"{url}/corrections", body, department=dep)


@pytest.fixture
async def quarter(client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock) -> None:
    """The scenario, in the order of its days."""
    await setup_catalog(client, auth)
    await create_department(client, auth, ZJJ, "德州市住房和城乡建设局")
    admin = auth("admin")
    building = matter_body(
        BUILD,
        name="建筑工程施工许可",
        agency_department=ZJJ,
        regulator_department=REGULATOR,
        onsite_verification_department=REGULATOR,
    )
    building["modes"]["notify_commit"]["completion_limit"] = {"amount": 2, "unit": "working_days"}
    await ok(await client.post("/api/v1/matters", json=building, headers=admin))
    exempt = matter_body(EXEMPT, name="建筑业企业资质（简单变更）", agency_department=ZJJ)
    notify_commit = exempt["modes"]["notify_commit"]
    notify_commit |= {
        "exempt_from_verification": True,
        "verification_methods": [],
        "completion_limit": {"amount": 2, "unit": "working_days"},
    }
    notify_commit.pop("verification_limit")
    await ok(await client.post("/api/v1/matters", json=exempt, headers=admin))

    # Tue Jun 30, 23:30 in Shanghai (15:30 UTC): a check before the quarter.
    at(clock, "2026-06-30", hour_utc=15, minute=30)
    assert (await check(client, auth, AGENCY, FOOD, "tolerance"))["result"] == "pass"
    # Wed Jul 1, 00:30 in Shanghai (Jun 30 16:30 UTC): the quarter's first check; a1.
    at(clock, "2026-06-30", hour_utc=16, minute=30)
    a1 = await sign(client, auth, clock, AGENCY, FOOD, "tolerance")
    at(clock, "2026-07-01")
    a2 = await sign(client, auth, clock, AGENCY, FOOD, "tolerance")
    # L4 (SPJ): collected and verified Wed Jul 1; notice due 3 working days: Fri Jul 3.
    l4 = await collect(client, auth, AGENCY, S4)

    at(clock, "2026-07-02")
    green = await check(client, auth, AGENCY, GREEN, "green_channel")
    assert green["result"] == "pass"
    wrong_mode = await check(client, auth, AGENCY, FOOD, "green_channel")
    assert (wrong_mode["result"], [r["code"] for r in wrong_mode["reasons"]]) == (
        "fail",
        ["mode_not_offered"],
    )
    no_consent = await check(client, auth, AGENCY, FOOD, "tolerance", consent=False)
    assert (no_consent["result"], [r["code"] for r in no_consent["reasons"]]) == (
        "fail",
        ["consent_missing"],
    )

    at(clock, "2026-07-03")
    supplied = {"compliant": True, "materials": ["食品安全管理制度文本"]}
    await post(client, auth, f"{a1}/supplements", supplied)
    assert (await post(client, auth, f"{a1}/decision"))["status"] == "completed"
    # L4: notice Fri Jul 3 (2 working days after Jul 1: on time).
    await notify(client, auth, clock, l4, AGENCY, "2026-07-03")
    # L4: objection Mon Jul 6, reviewed (overturned) Tue Jul 7: 1 working day, on time.
    await object_and_review(
        client, auth, clock, l4, AGENCY, "2026-07-06", "2026-07-07", "overturned"
    )

    # a3 (notify-commit, decided on the spot): decided Mon Jul 6, verified on site by SCJ.
    at(clock, "2026-07-06")
    a3 = await sign(client, auth, clock, AGENCY, FOOD, "notify_commit")
    assert (await post(client, auth, f"{a3}/decision"))["status"] == "decided"
    # L1 (SCJ): collected and verified Mon Jul 6; notice due Thu Jul 9.
    l1 = await collect(client, auth, REGULATOR, S1)
    # a4: decided Tue Jul 7, verified online by the agency: nonconforming, then revoked.
    at(clock, "2026-07-07")
    a4 = await sign(client, auth, clock, AGENCY, FOOD, "notify_commit")
    await post(client, auth, f"{a4}/decision")
    at(clock, "2026-07-08")
    await verify(client, auth, a3, AGENCY, "onsite", REGULATOR, fulfilled=True)
    a5 = await sign(client, auth, clock, AGENCY, FOOD, "tolerance")
    # L1: notice Wed Jul 8 (2 working days: on time).
    await notify(client, auth, clock, l1, REGULATOR, "2026-07-08")
    at(clock, "2026-07-09")
    period = {"amount": 10, "unit": "working_days"}
    await verify(
        client, auth, a4, AGENCY, "online", AGENCY, fulfilled=False, rectification_period=period
    )
    await post(
        client,
        auth,
        f"{a5}/withdrawal",
        {"reason_category": "conditions_changed", "reason": "经营计划变更"},
    )
    at(clock, "2026-07-10")
    revoked = await post(
        client, auth, f"{a4}/revocation", {"reason": "不符合条件", "still_nonconforming": True}
    )
    assert revoked["status"] == "revoked"  # proposes a commitment_untrue listing (SPJ)
    # L1: objection Fri Jul 10: review due 15 working days later, Fri Jul 31 (Jul 13-17,
    # 20-24, 27-31); upheld Mon Aug 3: late, 16 working days.
    await object_and_review(
        client, auth, clock, l1, REGULATOR, "2026-07-10", "2026-08-03", "upheld"
    )

    # L2 (SCJ): collected and verified Mon Jul 13; notice due Thu Jul 16.
    at(clock, "2026-07-13")
    l2 = await collect(client, auth, REGULATOR, S2)
    # a2 missed its supplement deadline (10 working days from Jul 1: Wed Jul 15): reminded
    # Thu Jul 16 (3 working days: Jul 17, 20, 21), terminated Wed Jul 22.
    at(clock, "2026-07-16")
    await post(client, auth, f"{a2}/reminders")
    # L2: notice Mon Jul 20: late, 5 working days after Jul 13.
    await notify(client, auth, clock, l2, REGULATOR, "2026-07-20")
    at(clock, "2026-07-22")
    ended = await post(client, auth, f"{a2}/termination", {"reason": "催告后仍未补齐"})
    assert ended["status"] == "terminated"  # proposes a tolerance_unfulfilled listing (SPJ)
    # L2: objection window Jul 22, 23, 24; published Mon Jul 27.
    at(clock, "2026-07-27")
    await post(client, auth, f"{l2}/publication", department=REGULATOR)
    # L2: an error found Tue Jul 28 (due Thu Jul 30), corrected Mon Aug 3: late, 4 days.
    await correct(client, auth, clock, l2, REGULATOR, "2026-07-28", "2026-08-03")

    # ZJJ: b1 and b2 signed Mon Aug 3, decision due Wed Aug 5 (2 working days).
    at(clock, "2026-08-03")
    b1 = await sign(client, auth, clock, ZJJ, BUILD, "notify_commit")
    b2 = await sign(client, auth, clock, ZJJ, BUILD, "notify_commit")
    # L1 published after the review.
    await post(client, auth, f"{l1}/publication", department=REGULATOR)
    # L3 (SCJ, commitment_untrue): collected and verified Mon Aug 3; notice Tue Aug 4.
    l3 = await collect(client, auth, REGULATOR, S3, "commitment_untrue")
    at(clock, "2026-08-04")
    wrong = await check(client, auth, ZJJ, BUILD, "green_channel")
    assert (wrong["result"], [r["code"] for r in wrong["reasons"]]) == (
        "fail",
        ["mode_not_offered"],
    )
    await notify(client, auth, clock, l3, REGULATOR, "2026-08-04")
    at(clock, "2026-08-05")
    await post(client, auth, f"{b1}/decision", department=ZJJ)  # 2 working days: on time
    at(clock, "2026-08-06")
    await verify(client, auth, b1, ZJJ, "onsite", REGULATOR, fulfilled=True)
    at(clock, "2026-08-07")
    await post(client, auth, f"{b2}/decision", department=ZJJ)  # 4 working days: late
    # L3: window Aug 5, 6, 7; published Mon Aug 10.
    at(clock, "2026-08-10")
    await verify(client, auth, b2, ZJJ, "online", ZJJ, fulfilled=True)
    b3 = await sign(client, auth, clock, ZJJ, BUILD, "notify_commit")
    await post(client, auth, f"{l3}/publication", department=REGULATOR)
    # L1: an error found Mon Aug 10 (due Wed Aug 12), corrected Wed Aug 12: on time.
    await correct(client, auth, clock, l1, REGULATOR, "2026-08-10", "2026-08-12")
    at(clock, "2026-08-11")
    await post(client, auth, f"{b3}/withdrawal", {"reason": "项目暂缓"}, department=ZJJ)
    # b4 (exempt): signed Wed Aug 12, due Fri Aug 14, decided Thu Aug 13: 1 working day.
    at(clock, "2026-08-12")
    b4 = await sign(client, auth, clock, ZJJ, EXEMPT, "notify_commit")
    at(clock, "2026-08-13")
    assert (await post(client, auth, f"{b4}/decision", department=ZJJ))["status"] == "fulfilled"

    # L3: rectified and lifting asked Mon Aug 17 (decision due 5 days later, Sat Aug 22,
    # moved to Mon Aug 24); lifted Fri Aug 21: on time, 4 working days.
    at(clock, "2026-08-17")
    await post(client, auth, f"{l3}/rectification", {"description": "已整改"}, department=REGULATOR)
    asked = await post(
        client,
        auth,
        f"{l3}/lifting-requests",
        {"reason": "已整改"},
        department=REGULATOR,
        status=201,
    )
    (lifting,) = asked["lifting_requests"]
    assert lifting["decision_due"] == "2026-08-24"
    at(clock, "2026-08-21")
    await post(
        client,
        auth,
        f"{l3}/lifting-requests/{lifting['id']}/decision",
        {"outcome": "lifted", "reasons": "整改属实"},
        department=REGULATOR,
    )

    # SCJ's own checks: Tue Sep 1 passed, Wed Sep 2 without consent.
    at(clock, "2026-09-01")
    assert (await check(client, auth, REGULATOR, FOOD, "tolerance"))["result"] == "pass"
    at(clock, "2026-09-02")
    refused = await check(client, auth, REGULATOR, FOOD, "tolerance", consent=False)
    assert refused["result"] == "fail"

    # L5 (SPJ): verified Mon Sep 28; its notice (due Oct 8 across the holidays) Fri Oct 9,
    # after the quarter: at the quarter's end it is verified, and no notice is counted.
    at(clock, "2026-09-28")
    l5 = await collect(client, auth, AGENCY, S5)
    # b5: signed Tue Sep 29 (due Wed Sep 30), decided Thu Oct 8: after the quarter.
    at(clock, "2026-09-29")
    b5 = await sign(client, auth, clock, ZJJ, BUILD, "notify_commit")
    at(clock, "2026-10-08")
    await post(client, auth, f"{b5}/decision", department=ZJJ)
    await notify(client, auth, clock, l5, AGENCY, "2026-10-09")


def timeliness(**rows: tuple[int, int, float | None, float | None]) -> list[dict[str, Any]]:
    labels = {
        "notices": "告知书逾期发出",
        "reviews": "复核逾期作出",
        "corrections": "更正逾期完成",
        "lifting_decisions": "取消限制逾期决定",
        "decisions": "超过承诺办结时限",
    }
    return [
        {
            "measure": measure,
            "label": label,
            "due": rows.get(measure, (0, 0, None, None))[0],
            "late": rows.get(measure, (0, 0, None, None))[1],
            "late_share": rows.get(measure, (0, 0, None, None))[2],
            "median_working_days": rows.get(measure, (0, 0, None, None))[3],
        }
        for measure, label in labels.items()
    ]


def outcomes(
    fulfilled: int = 0,
    terminated: int = 0,
    revoked: int = 0,
    withdrawn: dict[str, int] | None = None,
) -> dict[str, Any]:
    """``withdrawn``: per reason category (DZ art. 10), as each withdrawal was filed."""
    return {
        "fulfilled": fulfilled,
        "terminated": terminated,
        "revoked": revoked,
        "withdrawn": sum((withdrawn or {}).values()),
        "withdrawal_reasons": withdrawn or {},
    }


# Counted by hand from the scenario.
EXPECTED: dict[str, dict[str, Any]] = {
    AGENCY: {
        "department": AGENCY,
        "name": "德州市行政审批服务局",
        # a1-a5 and the green channel passed (the Jun 30 check is before the quarter).
        "credit_checks": {
            "passed": 6,
            "failed": 2,
            "not_performed": 0,
            "failed_by_reason": {"consent_missing": 1, "mode_not_offered": 1},
        },
        "facilitations": {"green_channel": 1, "notify_commit": 2, "tolerance": 3},
        # a1 completed, a3 fulfilled; a2 terminated; a4 revoked; a5 withdrawn.
        "commitments": outcomes(
            fulfilled=2, terminated=1, revoked=1, withdrawn={"conditions_changed": 1}
        ),  # a5 withdrew for changed conditions
        "verifications": {"online": {"conforming": 0, "nonconforming": 1}},
        # L4 overturned (withdrawn), L5 verified, the proposals of a2 and a4.
        "listings": {
            "by_state": {"proposed": 2, "verified": 1, "withdrawn": 1},
            "by_situation": {
                "commitment_untrue": 1,
                "false_materials": 2,
                "tolerance_unfulfilled": 1,
            },
        },
        "timeliness": timeliness(
            notices=(1, 0, 0.0, 2.0),
            reviews=(1, 0, 0.0, 1.0),
            decisions=(2, 0, 0.0, 0.0),  # a3 and a4, each the day it was signed
        ),
    },
    ZJJ: {
        "department": ZJJ,
        "name": "德州市住房和城乡建设局",
        # b1-b5 passed (b5 signed Sep 29, in the quarter); the Aug 4 check failed.
        "credit_checks": {
            "passed": 5,
            "failed": 1,
            "not_performed": 0,
            "failed_by_reason": {"mode_not_offered": 1},
        },
        "facilitations": {"notify_commit": 5},
        "commitments": outcomes(
            fulfilled=3, withdrawn={"other": 1}
        ),  # b1, b2, b4; b3 by reason alone
        "verifications": {"online": {"conforming": 1, "nonconforming": 0}},
        "listings": {"by_state": {}, "by_situation": {}},
        # b1 2 days, b2 4 (late), b4 1: median 2; b5 decided after the quarter.
        "timeliness": timeliness(decisions=(3, 1, 0.3333, 2.0)),
    },
    REGULATOR: {
        "department": REGULATOR,
        "name": "德州市市场监督管理局",
        "credit_checks": {
            "passed": 1,
            "failed": 1,
            "not_performed": 0,
            "failed_by_reason": {"consent_missing": 1},
        },
        "facilitations": {},
        "commitments": outcomes(),
        "verifications": {"onsite": {"conforming": 2, "nonconforming": 0}},  # a3, b1
        "listings": {
            "by_state": {"effective": 2, "lifted": 1},
            "by_situation": {"commitment_untrue": 1, "false_materials": 2},
        },
        "timeliness": timeliness(
            notices=(3, 1, 0.3333, 2.0),  # L1 2 days, L2 5 (late), L3 1
            reviews=(1, 1, 1.0, 16.0),  # L1
            corrections=(2, 1, 0.5, 3.0),  # L1 2 days, L2 4 (late)
            lifting_decisions=(1, 0, 0.0, 4.0),  # L3
        ),
    },
    LINZI: {
        "department": LINZI,
        "name": "临淄区行政审批服务局",
        "credit_checks": {"passed": 0, "failed": 0, "not_performed": 0, "failed_by_reason": {}},
        "facilitations": {},
        "commitments": outcomes(),
        "verifications": {},
        "listings": {"by_state": {}, "by_situation": {}},
        "timeliness": timeliness(),
    },
}


@pytest.mark.usefixtures("quarter")
async def test_the_quarters_figures_are_the_ones_counted_by_hand(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    answer = await ok(await client.get(URL, params=Q3, headers=auth("admin")), 200)
    assert (answer["starts_on"], answer["ends_on"], answer["time_zone"]) == (
        "2026-07-01",
        "2026-09-30",
        "Asia/Shanghai",
    )
    by_department = {d["department"]: d for d in answer["departments"]}
    assert sorted(by_department) == sorted(EXPECTED)
    for code, expected in EXPECTED.items():
        assert by_department[code] == expected, code

    # One department, read by an auditor: the same figures.
    one = await ok(
        await client.get(URL, params={**Q3, "department": ZJJ}, headers=auth("auditor")), 200
    )
    assert one["departments"] == [EXPECTED[ZJJ]]


def csv_figures(department: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The department's expected figures as the CSV's (类别, 项目) -> 数值."""
    figures: dict[tuple[str, str], str] = {}
    checks = department["credit_checks"]
    for key in ("passed", "failed", "not_performed"):
        figures["信用核验", key] = str(checks[key])
    for code, n in checks["failed_by_reason"].items():
        figures["核验不通过原因", code] = str(n)
    for mode, n in department["facilitations"].items():
        figures["便利化措施", mode] = str(n)
    for key in ("fulfilled", "terminated", "revoked", "withdrawn"):
        figures["承诺结果", key] = str(department["commitments"][key])
    for category, n in department["commitments"]["withdrawal_reasons"].items():
        figures["撤回原因", category] = str(n)
    for method, result in department["verifications"].items():
        for key, n in result.items():
            figures["核查", f"{method}:{key}"] = str(n)
    for state, n in department["listings"]["by_state"].items():
        figures["名单状态", state] = str(n)
    for situation, n in department["listings"]["by_situation"].items():
        figures["失信情形", situation] = str(n)
    for line in department["timeliness"]:
        for key in ("due", "late", "late_share", "median_working_days"):
            value = line[key]
            figures["时效", f"{line['measure']}:{key}"] = "" if value is None else str(value)
    return figures


@pytest.mark.usefixtures("quarter")
async def test_the_csv_has_the_same_figures_with_a_bom_and_chinese_headers(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.get(URL, params=Q3, headers={**auth("admin"), "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["部门代码", "部门名称", "起始日期", "截止日期", "类别", "项目", "数值"]
    found: dict[str, dict[tuple[str, str], str]] = {}
    for code, name, start, end, category, item, value in rows[1:]:
        assert (start, end) == ("2026-07-01", "2026-09-30")
        assert name == EXPECTED[code]["name"]
        found.setdefault(code, {})[category, item] = value
    assert found == {code: csv_figures(expected) for code, expected in EXPECTED.items()}


def _operators(pdf: bytes) -> bytes:
    """The drawing operators of every page, decoded."""
    reader = PdfReader(io.BytesIO(pdf))
    return b"\n".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Each font the pages select (``Tf``), and whether its file is embedded (FontFile2
    for TrueType). reportlab lists Helvetica in every page's resources; unused, it is not
    in the file's text."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        used = set(re.findall(rb"/(\S+) [\d.]+ Tf", page.get_contents().get_data()))  # type: ignore[union-attr]
        resources: Any = page["/Resources"]
        for name, ref in resources["/Font"].items():
            if name[1:].encode() not in used:
                continue
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


# The chart colours as fill operators: on time #4f9a5b, late #c0504d, outcomes #3b6ea5.
ON_TIME = b".309804 .603922 .356863 rg"
LATE = b".752941 .313725 .301961 rg"
OUTCOME = b".231373 .431373 .647059 rg"
BAR = rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ re B\*"


def _bars(operators: bytes, colour: bytes) -> int:
    """Filled rectangles drawn in ``colour`` (each bar sets its colour, then fills)."""
    return len(re.findall(re.escape(colour) + rb"\s+(?:[^\n]*\n){0,6}?n " + BAR, operators))


@pytest.mark.usefixtures("quarter")
async def test_the_annual_report_has_its_charts_and_embeds_its_font(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    params: dict[str, str | int] = {"department": REGULATOR, "year": 2026}
    response = await client.get(f"{URL}/report.pdf", params=params, headers=auth("auditor"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    # Every font is embedded: a subset of a TrueType CJK font, no reader's CID font.
    fonts = _fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert b"STSong-Light" not in pdf
    operators = _operators(pdf)
    # SCJ's year: no commitment outcome; timeliness on time: notices 2, corrections 1,
    # lifting 1; late: notices 1, reviews 1, corrections 1.
    assert OUTCOME not in operators
    assert ON_TIME in operators and LATE in operators
    assert len(re.findall(BAR, operators)) >= 6


@pytest.mark.usefixtures("quarter")
async def test_the_report_of_a_department_with_outcomes_draws_the_outcome_bars(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    params: dict[str, str | int] = {"department": AGENCY, "year": 2026}
    response = await client.get(f"{URL}/report.pdf", params=params, headers=auth("admin"))
    assert response.status_code == 200
    operators = _operators(response.content)
    assert OUTCOME in operators
    # SPJ's year: fulfilled 2, terminated 1, revoked 1, withdrawn 1 -> four bars.
    assert _bars(operators, OUTCOME) == 4


async def test_who_may_read_the_statistics(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    for role in ("clerk", "verifier", "regulator", "platform"):
        refused = await client.get(URL, params=Q3, headers=auth(role))
        assert (refused.status_code, refused.json()["code"]) == (403, "role_forbidden"), role
    assert (await client.get(URL, params=Q3)).status_code == 401
    for role in ("admin", "auditor"):
        assert (await client.get(URL, params=Q3, headers=auth(role))).status_code == 200


async def test_a_period_that_runs_backwards_past_a_year_or_out_of_range_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    for period in (
        {"from": "2026-09-30", "to": "2026-07-01"},
        {"from": "2025-01-01", "to": "2026-01-02"},
        {"from": "0001-01-01", "to": "0001-01-02"},
        {"from": "9999-12-30", "to": "9999-12-31"},
    ):
        refused = await client.get(URL, params=period, headers=auth("admin"))
        assert (refused.status_code, refused.json()["code"]) == (422, "statistics_period_invalid")


async def test_the_report_of_an_unknown_department_is_404(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    params: dict[str, str | int] = {"department": "999999-XXX", "year": 2026}
    refused = await client.get(f"{URL}/report.pdf", params=params, headers=auth("admin"))
    assert (refused.status_code, refused.json()["code"]) == (404, "statistics_department_unknown")
