"""The OpenAPI document declares the problems every layer answers, and create→read links."""

from __future__ import annotations

from typing import Any

import pytest

from app.main import create_app
from app.web.openapi import Link, add_links
from tests.conftest import make_settings

PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()


def test_shared_layers_are_declared_on_every_operation(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            label = f"{method.upper()} {path}"
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(responses), label
            if operation.get("security"):
                assert "401" in responses, label
            if path not in {"/healthz", "/readyz", "/metrics"}:
                assert "429" in responses, label
            if path != "/healthz":
                assert "503" in responses, label


def test_a_shared_problem_is_problem_json_with_retry_after(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/api/v1/consents"]["post"]["responses"]
    assert responses["413"]["content"] == PROBLEM_CONTENT
    assert "Retry-After" in responses["429"]["headers"]
    assert "Retry-After" in responses["503"]["headers"]
    # Health and metrics are not rate limited; liveness reads no database.
    assert "429" not in spec["paths"]["/healthz"]["get"]["responses"]
    assert "503" not in spec["paths"]["/healthz"]["get"]["responses"]


def test_fastapis_own_validation_error_is_replaced_by_the_problem(spec: dict[str, Any]) -> None:
    profile = spec["paths"]["/api/v1/profiles/{name}"]["get"]["responses"]["422"]
    assert "HTTPValidationError" not in str(profile)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "ValidationError" not in spec["components"]["schemas"]


def test_a_calendar_year_loaded_for_the_first_time_is_a_declared_201(
    spec: dict[str, Any],
) -> None:
    responses = spec["paths"]["/api/v1/calendar/{year}"]["put"]["responses"]
    assert {"200", "201"} <= set(responses)


@pytest.mark.parametrize(
    ("source", "name", "target", "parameter"),
    [
        ("/api/v1/consents", "ReadConsent", "/api/v1/consents/{consent_id}", "consent_id"),
        (
            "/api/v1/credit-checks",
            "ReadCreditCheck",
            "/api/v1/credit-checks/{check_id}",
            "check_id",
        ),
        ("/api/v1/matters", "ReadMatter", "/api/v1/matters/{code}", "code"),
        (
            "/api/v1/restrictions",
            "ReadRestriction",
            "/api/v1/restrictions/{restriction_id}",
            "restriction_id",
        ),
        (
            "/api/v1/commitments",
            "ReadCommitment",
            "/api/v1/commitments/{commitment_id}",
            "commitment_id",
        ),
    ],
)
def test_each_create_links_to_its_read(
    spec: dict[str, Any], source: str, name: str, target: str, parameter: str
) -> None:
    link = spec["paths"][source]["post"]["responses"]["201"]["links"][name]
    assert link["operationId"] == spec["paths"][target]["get"]["operationId"]
    assert set(link["parameters"]) == {parameter}
    assert link["parameters"][parameter].startswith("$response.body#/")


def test_a_link_to_a_field_the_created_resource_lacks_is_refused(spec: dict[str, Any]) -> None:
    wrong = Link(
        "ReadConsent",
        ("post", "/api/v1/consents"),
        ("get", "/api/v1/consents/{consent_id}"),
        "consent_id",
        "/consent_number",
        "No such field.",
    )
    with pytest.raises(ValueError, match="consent_number"):
        add_links(spec, (wrong,))
