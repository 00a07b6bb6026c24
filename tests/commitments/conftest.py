"""Commitments start from a passed credit check for the food-business licence matter.

Catalog terms (tests/factories.py): tolerance supplement within 10 working days;
notify-commit decided on the spot (0 working days), verified within 20 working days,
online or on site; agency 371400-SPJ, regulator and on-site verifier 371400-SCJ.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import TokenFactory
from tests.factories import FOOD, credit_check, ok, record_consent, setup_catalog

ALL_TRUE = {
    "knows_notice": True,
    "meets_conditions": True,
    "materials_true": True,
    "true_intention": True,
    "accepts_liability": True,
}


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)


async def passed_check(
    client: httpx.AsyncClient, auth: TokenFactory, matter_code: str = FOOD, mode: str = "tolerance"
) -> dict[str, Any]:
    consent = await record_consent(client, auth)
    check: dict[str, Any] = await ok(
        await credit_check(
            client, auth, consent_id=consent["id"], matter_code=matter_code, mode=mode
        )
    )
    assert check["result"] == "pass", check
    return check


async def sign(
    client: httpx.AsyncClient, auth: TokenFactory, mode: str, **overrides: Any
) -> httpx.Response:
    check = await passed_check(client, auth, overrides.pop("matter_code", FOOD))
    body: dict[str, Any] = {
        "credit_check_id": check["id"],
        "mode": mode,
        "missing_materials": ["食品安全管理制度文本"] if mode == "tolerance" else [],
        "affirmations": ALL_TRUE,
        "signed_by": "张三（法定代表人）",
        "signed_at": "2026-09-30T10:00:00+08:00",
    }
    body.update(overrides)
    return await client.post("/api/v1/commitments", json=body, headers=auth("clerk"))


async def commitment(
    client: httpx.AsyncClient, auth: TokenFactory, mode: str, **overrides: Any
) -> dict[str, Any]:
    created: dict[str, Any] = await ok(await sign(client, auth, mode, **overrides))
    return created
