"""Ownership fails closed: a department-scoped token names its department, and every route
the matrix gives an owner refuses a second department — walked from MATRIX itself."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.web.auth import Role
from app.web.authz import MATRIX, Access, Owner
from tests.commitments.conftest import ALL_TRUE
from tests.conftest import TokenFactory
from tests.factories import (
    AGENCY,
    FOOD,
    LINZI,
    PERSON,
    REGULATOR,
    credit_check,
    matter_body,
    ok,
    record_consent,
    setup_catalog,
)
from tests.restrictions.conftest import at, published
from tests.test_authz import SPEC, _concrete

# The roles that act for a department, written out here rather than read from app.web.auth.
DEPARTMENT_SCOPED = (Role.clerk, Role.verifier, Role.regulator, Role.platform)
SCOPED_ROUTES = [
    (method, path, role)
    for (method, path), access in MATRIX.items()
    for role in DEPARTMENT_SCOPED
    if role in access.roles
]
OWNED = {key: access for key, access in MATRIX.items() if access.owner is not Owner.none}
A, B = AGENCY, LINZI  # B shares no case with A: neither agency, regulator nor verifier


def _body(method: str, path: str) -> dict[str, Any] | None:
    """The request body's own OpenAPI example (they validate), else an empty object."""
    if method not in ("POST", "PUT", "PATCH"):
        return None
    content = SPEC["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    schema = SPEC["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    examples = schema.get("examples") or [{}]
    return dict(examples[0])


@pytest.mark.parametrize(("method", "path", "role"), SCOPED_ROUTES)
async def test_a_department_scoped_token_without_a_department_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, method: str, path: str, role: Role
) -> None:
    response = await client.request(
        method,
        _concrete(path),
        json=_body(method, path),
        headers=auth(role.value, department=None),
    )
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "token_invalid"


async def test_admin_and_auditor_tokens_need_no_department(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    admin = await client.get("/api/v1/matters", headers=auth("admin", department=None))
    assert admin.status_code == 200, admin.text
    auditor = await client.get("/api/v1/audit-log", headers=auth("auditor", department=None))
    assert auditor.status_code == 200, auditor.text


# --- the matrix walk ----------------------------------------------------------------------

# Which department owns each row of a list: the field(s) naming it.
LIST_ROWS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/commitments"): lambda item: {item["department"]},
    ("POST", "/api/v1/commitments/search"): lambda item: {item["department"]},
    ("GET", "/api/v1/restrictions"): lambda item: {item["collecting_department"]},
    ("POST", "/api/v1/restrictions/search"): lambda item: {item["collecting_department"]},
    ("GET", "/api/v1/tasks"): lambda item: {item["department"]},
    ("GET", "/api/v1/supervision/targets"): lambda item: {
        listing["collecting_department"] for listing in item["listings"]
    },
    # The regulator's queue: A's commitments on the matters A's regulator regulates.
    ("GET", "/api/v1/supervision/commitments"): lambda item: {item["department"]},
    # A listing's events before its confirmation are its department's alone (LZ §5(1)4).
    ("GET", "/api/v1/events"): lambda item: (
        {item["data"]["collecting_department"]} if item["audience"] == "internal" else set()
    ),
}


async def _department_a(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> dict[str, str]:
    """Department A's resources, one of each kind an owned route acts on.

    A listing of PERSON collected by A and published on Tue 2026-03-10 (effective until
    2026-09-10: a key inspection target of A's regulator today); ORG's consent given to A,
    a passed credit check for a notify-commit commitment decided on the spot with an online
    verification (assigned to A itself), and a second passed check backing nothing. The
    matter puts its verification content under the regulator's in-process supervision
    (DZ art. 12 ¶1): the commitment is an item of A's regulator's queue.
    """
    await setup_catalog(client, auth)
    listing = await published(client, auth, clock, PERSON)
    at(clock, "2026-03-10")
    modes = matter_body()["modes"]
    modes["notify_commit"]["in_process_supervision"] = True
    await ok(
        await client.patch(f"/api/v1/matters/{FOOD}", json={"modes": modes}, headers=auth("admin")),
        200,
    )
    consent = await record_consent(client, auth)
    checks = []
    for _ in range(2):
        check = await ok(
            await credit_check(client, auth, consent_id=consent["id"], mode="notify_commit")
        )
        assert check["result"] == "pass", check
        checks.append(check["id"])
    case = await ok(
        await client.post(
            "/api/v1/commitments",
            json={
                "credit_check_id": checks[0],
                "mode": "notify_commit",
                "missing_materials": [],
                "affirmations": ALL_TRUE,
                "signed_by": "张三（法定代表人）",
                "signed_at": "2026-03-10T09:00:00+08:00",
            },
            headers=auth("clerk"),
        )
    )
    url = f"/api/v1/commitments/{case['id']}"
    await ok(await client.post(f"{url}/decision", json={}, headers=auth("clerk")), 200)
    verification = await ok(
        await client.post(f"{url}/verifications", json={"method": "online"}, headers=auth("clerk"))
    )
    return {
        "restriction_id": listing,
        "consent_id": consent["id"],
        "check_id": checks[0],
        "unused_check_id": checks[1],
        "commitment_id": case["id"],
        "verification_id": verification["id"],
        # Children are looked up under their listing, whose owner decides first.
        "objection_id": str(uuid.uuid4()),
        "request_id": str(uuid.uuid4()),
        "application_id": str(uuid.uuid4()),
        "duty_id": str(uuid.uuid4()),
    }


def _url(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"{path}: no department-A resource for {{{name}}}"
        return ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


async def _snapshot(
    client: httpx.AsyncClient, auth: TokenFactory, ids: dict[str, str]
) -> list[Any]:
    """Everything A has, read by A (commitment with its verifications, listing with its
    history, consent, credit check, the commitments A lists)."""
    reads = [
        f"/api/v1/commitments/{ids['commitment_id']}",
        f"/api/v1/restrictions/{ids['restriction_id']}",
        f"/api/v1/consents/{ids['consent_id']}",
        f"/api/v1/credit-checks/{ids['check_id']}",
        "/api/v1/commitments",
    ]
    return [await ok(await client.get(url, headers=auth("clerk")), 200) for url in reads]


def _roles(access: Access) -> list[Role]:
    # Auditors read every department's (their rows are reads): not a second department.
    return sorted(access.roles - {Role.auditor})


async def test_every_owned_route_gives_a_second_department_nothing(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    ids = await _department_a(client, auth, clock)
    before = await _snapshot(client, auth, ids)
    covered: set[tuple[str, str]] = set()
    for (method, path), access in OWNED.items():
        for role in _roles(access):
            other = auth(role.value, department=B)
            if (method, path) in LIST_ROWS:
                owners_of = LIST_ROWS[(method, path)]
                # Not vacuous: department A (A's regulator, for key inspection targets)
                # sees its own rows on the same list.
                targets = path.startswith("/api/v1/supervision/")
                own = auth(role.value, department=REGULATOR if targets else A)
                mine = await ok(await _list(client, method, path, own), 200)
                assert any(A in owners_of(item) for item in mine["items"]), (path, role)
                theirs = await ok(await _list(client, method, path, other), 200)
                leaked = [item for item in theirs["items"] if A in owners_of(item)]
                assert leaked == [], (path, role, leaked)
                # Asking for A's rows by name is refused, not answered.
                if "department" in _filters(method, path):
                    asked = await _list(client, method, path, other, {"department": A})
                    assert (asked.status_code, asked.json()["code"]) == (
                        403,
                        "department_forbidden",
                    ), (path, role)
            else:
                body = _body(method, path)
                if (method, path) == ("POST", "/api/v1/commitments"):
                    body = {
                        "credit_check_id": ids["unused_check_id"],
                        "mode": "notify_commit",
                        "missing_materials": [],
                        "affirmations": ALL_TRUE,
                        "signed_by": "李四",
                        "signed_at": "2026-03-10T09:30:00+08:00",
                    }
                response = await client.request(method, _url(path, ids), json=body, headers=other)
                refusal = (response.status_code, response.json().get("code"))
                assert refusal == (403, "department_forbidden"), (method, path, role, refusal)
            covered.add((method, path))
    assert covered == set(OWNED), "owned routes the walk does not cover"
    assert await _snapshot(client, auth, ids) == before, "a refused call changed something"


def _parameters(method: str, path: str) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = SPEC["paths"][path][method.lower()].get("parameters", [])
    return parameters


def _filters(method: str, path: str) -> set[str]:
    """The filters a list takes: its query parameters, or the fields of a search body."""
    if method == "GET":
        return {p["name"] for p in _parameters(method, path)}
    content = SPEC["paths"][path][method.lower()]["requestBody"]["content"]
    ref = content["application/json"]["schema"]["$ref"]
    return set(SPEC["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"])


async def _list(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    filters: dict[str, str] | None = None,
) -> httpx.Response:
    """A list read: the filters in the query of a GET, in the body of a search."""
    if method == "GET":
        return await client.get(path, params=filters, headers=headers)
    return await client.request(method, path, json=filters or {}, headers=headers)


def test_every_owned_row_is_walked_by_kind() -> None:
    """A new owner kind is a decision: list owners filter, every other one guards by id."""
    lists = {
        key for key, access in OWNED.items() if access.owner in (Owner.own_department, Owner.region)
    }
    assert lists == set(LIST_ROWS)


async def test_a_route_whose_owner_has_no_rule_refuses_everyone(
    client: httpx.AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.web import ownership

    await setup_catalog(client, auth)
    consent = await record_consent(client, auth)
    url = f"/api/v1/consents/{consent['id']}"
    assert (await client.get(url, headers=auth("clerk"))).status_code == 200
    monkeypatch.delitem(ownership.RESOLVERS, Owner.consent_departments)
    refused = await client.get(url, headers=auth("clerk"))
    assert (refused.status_code, refused.json()["code"]) == (403, "route_forbidden")


async def test_a_route_that_declares_no_owner_dependency_refuses_everyone(
    client: httpx.AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.web import authz

    monkeypatch.setattr(authz, "OWNER_ENFORCERS", set())
    monkeypatch.setattr(authz, "_declares_enforcer", {})
    refused = await client.get("/api/v1/tasks", headers=auth("clerk"))
    assert (refused.status_code, refused.json()["code"]) == (403, "route_forbidden")


async def test_a_create_naming_no_credit_check_is_refused_by_validation(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    """Signing names the credit check (hence the agency) in the body: without one the
    request never reaches the handler."""
    await setup_catalog(client, auth)
    for credit_check_id in (None, "not-a-uuid", 17):
        body: dict[str, Any] = {
            "mode": "notify_commit",
            "missing_materials": [],
            "affirmations": ALL_TRUE,
            "signed_by": "李四",
            "signed_at": "2026-09-30T09:30:00+08:00",
        }
        if credit_check_id is not None:
            body["credit_check_id"] = credit_check_id
        response = await client.post(
            "/api/v1/commitments", json=body, headers=auth("clerk", department=B)
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "body.credit_check_id"


async def test_a_malformed_id_is_422_before_any_owner_is_looked_up(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    response = await client.get("/api/v1/commitments/not-a-uuid", headers=auth("clerk"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "path.commitment_id"
