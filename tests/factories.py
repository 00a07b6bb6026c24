"""Test data through the API, and valid identifiers computed by an independent implementation.

Check characters come from python-stdnum's `calc_check_digit` functions, not from the code
under test (app/core/identifiers.py only uses them for the final comparison).
"""

from __future__ import annotations

from typing import Any

import httpx
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from tests.conftest import TokenFactory


def uscc(first17: str) -> str:
    assert len(first17) == 17
    return first17 + stdnum_uscc.calc_check_digit(first17)


def resident_id(first17: str) -> str:
    assert len(first17) == 17
    return first17 + stdnum_ric.calc_check_digit(first17 + "0")


def wrong_check(number: str) -> str:
    """The same number with another check character."""
    last = number[-1]
    return number[:-1] + ("1" if last != "1" else "2")


ORG_ID = uscc("91371400MA3C5AB12")
AGENT_ID = uscc("91371402MA3D7XY9K")
PERSON_ID = resident_id("37140219850612123")  # born 1985-06-12, Dezhou Decheng
# A department-code letter first (N: 农业): python-stdnum's validator would refuse it.
N_ORG_ID = uscc("N2371400MF8800047")

ORG = {"subject_type": "organization", "id_number": ORG_ID, "name": "德州市某某食品有限公司"}
AGENT = {"subject_type": "organization", "id_number": AGENT_ID, "name": "德州某某代理服务有限公司"}
PERSON = {"subject_type": "person", "id_number": PERSON_ID, "name": "张三丰"}

AGENCY = "371400-SPJ"
REGULATOR = "371400-SCJ"
LINZI = "370305-XZSP"

FOOD = "SPJ-FOOD-001"
GREEN = "SPJ-GREEN-001"
RISKY = "SPJ-RISK-001"


def matter_body(code: str = FOOD, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "name": "食品经营许可（新办）",
        "agency_department": AGENCY,
        "regulator_department": REGULATOR,
        "onsite_verification_department": REGULATOR,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "legal_liability": "作出不实承诺的，依法撤销办理结果并承担法律责任。",
        # In effect all year, so tests may move the clock back before "now".
        "effective_from": "2026-01-01T00:00:00+08:00",
        "modes": {
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
    body.update(overrides)
    return body


async def ok(response: httpx.Response, status: int = 201) -> Any:
    """The JSON body, after asserting the status."""
    assert response.status_code == status, response.text
    return response.json()


async def create_department(
    client: httpx.AsyncClient, auth: TokenFactory, code: str, name: str, **extra: Any
) -> dict[str, Any]:
    body = {"code": code, "name": name, "region_code": code[:6], **extra}
    created: dict[str, Any] = await ok(
        await client.post("/api/v1/departments", json=body, headers=auth("admin"))
    )
    return created


async def setup_catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    """Three departments; a matter with tolerance and notify-commit; a green-channel one."""
    await create_department(client, auth, AGENCY, "德州市行政审批服务局")
    await create_department(client, auth, REGULATOR, "德州市市场监督管理局")
    await create_department(client, auth, LINZI, "临淄区行政审批服务局", profile="linzi-2022")
    admin = auth("admin")
    await ok(await client.post("/api/v1/matters", json=matter_body(), headers=admin))
    green = matter_body(
        GREEN,
        name="公共场所卫生许可",
        modes={"green_channel": {"services": ["快速办理", "专人帮办"]}},
    )
    await ok(await client.post("/api/v1/matters", json=green, headers=admin))


def consent_body(subject: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": subject or ORG,
        "purpose": "credit_facilitation",
        "scope": ["restriction_list", "joint_punishment"],
        "method": "written_signature",
        "expires_on": "2026-12-31",
        "evidence_ref": "SQ-2026-000123",
    }
    body.update(overrides)
    return body


async def record_consent(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    subject: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    body = consent_body(subject, **overrides)
    consent: dict[str, Any] = await ok(
        await client.post("/api/v1/consents", json=body, headers=auth("clerk"))
    )
    return consent


async def credit_check(
    client: httpx.AsyncClient, auth: TokenFactory, **overrides: Any
) -> httpx.Response:
    body: dict[str, Any] = {
        "subject": ORG,
        "matter_code": FOOD,
        "mode": "tolerance",
        "purpose": "credit_facilitation",
    }
    body.update(overrides)
    return await client.post("/api/v1/credit-checks", json=body, headers=auth("clerk"))
