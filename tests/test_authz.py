"""The authorisation matrix covers every route and is what the service enforces."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.web.auth import Role
from app.web.authz import MATRIX
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory, make_settings
from tests.factories import AGENCY, LINZI, ORG, REGULATOR, ok, setup_catalog
from tests.restrictions.conftest import collect

SPEC = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
OPERATIONS = [
    (method.upper(), path, bool(op.get("security")))
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
]
PARAMS = {"year": "2026", "code": "NO-SUCH-1", "name": "linzi-2022", "subject_type": "person"}


def _concrete(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "code" and "departments" in path:
            return "371400-NONE"
        if name == "id_number":
            return "11010519491231002X"
        return PARAMS.get(name, str(uuid.uuid4()))

    return re.sub(r"\{(\w+)\}", value, path)


def test_every_route_has_exactly_one_row() -> None:
    keys = {(m, p) for m, p, _ in OPERATIONS}
    assert keys - set(MATRIX) == set(), "routes without a row in app/web/authz.py"
    assert set(MATRIX) - keys == set(), "rows for routes that do not exist"
    for method, path, secured in OPERATIONS:
        assert MATRIX[(method, path)].public is not secured, (method, path)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, secured in OPERATIONS if secured])
async def test_roles_outside_a_row_are_refused_and_inside_let_in(
    client: httpx.AsyncClient, auth: TokenFactory, method: str, path: str
) -> None:
    access = MATRIX[(method, path)]
    url = _concrete(path)
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    for role in Role:
        response = await client.request(method, url, json=body, headers=auth(role.value))
        refused = response.status_code == 403 and response.json()["code"] == "role_forbidden"
        assert refused is (role not in access.roles), (role, response.status_code, response.text)


async def test_a_department_cannot_touch_another_departments_cases(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    listing = await collect(client, auth, ORG)
    case = await commitment(client, auth, "notify_commit")
    await ok(
        await client.post(
            f"/api/v1/commitments/{case['id']}/decision", json={}, headers=auth("clerk")
        ),
        200,
    )
    verification = await ok(
        await client.post(
            f"/api/v1/commitments/{case['id']}/verifications",
            json={"method": "onsite"},
            headers=auth("clerk"),
        )
    )
    other = auth("clerk", department=LINZI)
    attempts = [
        ("GET", f"/api/v1/restrictions/{listing['id']}", None),
        ("POST", f"/api/v1/restrictions/{listing['id']}/verification", {}),
        (
            "POST",
            f"/api/v1/restrictions/{listing['id']}/corrections",
            {"kind": "remove", "discovered_on": "2026-09-30", "reason": "x"},
        ),
        ("GET", f"/api/v1/restrictions/{listing['id']}/notice.pdf", None),
        ("GET", f"/api/v1/commitments/{case['id']}", None),
        ("GET", f"/api/v1/commitments/{case['id']}/letter.pdf", None),
        ("POST", f"/api/v1/commitments/{case['id']}/withdrawal", {"reason": "x"}),
        ("POST", f"/api/v1/commitments/{case['id']}/verifications", {"method": "online"}),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, json=body, headers=other)
        assert (response.status_code, response.json()["code"]) == (403, "department_forbidden"), url
    wrong_verifier = await client.post(
        f"/api/v1/verifications/{verification['id']}/result",
        json={"basis": "b", "description": "d", "fulfilled": True},
        headers=auth("verifier", department=LINZI),
    )
    assert wrong_verifier.status_code == 403
    right_verifier = await client.post(
        f"/api/v1/verifications/{verification['id']}/result",
        json={"basis": "b", "description": "d", "fulfilled": True},
        headers=auth("verifier", department=REGULATOR),
    )
    assert right_verifier.status_code == 200
    # ...while the listing's effect is visible to every department on a credit profile.
    profile = await ok(
        await client.get(
            f"/api/v1/subjects/organization/{ORG['id_number']}/credit-profile", headers=other
        ),
        200,
    )
    assert profile["subject"]["id_number"] == ORG["id_number"]
    assert AGENCY != LINZI
