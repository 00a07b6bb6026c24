"""The OpenAPI document is a contract client generators accept: unique meaningful names,
short operation ids, formats, Chinese labels and descriptions, examples that validate."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from app.main import create_app
from app.web.contract import OPERATION_ID_MAX_LENGTH
from tests.conftest import make_settings

Spec = dict[str, Any]
METHODS = frozenset({"get", "put", "post", "patch", "delete"})
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Identifiers that are not UUIDs: the request id is 32 hex digits; an audit target and an
# event's aggregate may be a code (a department's, a matter's).
NOT_UUIDS = frozenset(
    {
        ("Problem", "request_id"),
        ("AuditEntryRead", "request_id"),
        ("AuditEntryRead", "target_id"),
        ("EventRead", "aggregate_id"),
    }
)


@pytest.fixture(scope="module")
def spec() -> Spec:
    return create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()


def operations(spec: Spec) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def test_schema_names_are_unique_meaningful_and_their_titles(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name
        assert schema.get("title", name) == name
    titles = [schema.get("title", name) for name, schema in schemas.items()]
    assert len(titles) == len(set(titles))
    assert "TaskReadPage" in schemas


def test_operation_ids_are_short_unique_snake_case_route_names(spec: Spec) -> None:
    ids = [operation["operationId"] for _, operation in operations(spec)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", operation_id), operation_id
        assert len(operation_id) <= OPERATION_ID_MAX_LENGTH, operation_id
    assert spec["paths"]["/api/v1/credit-checks"]["post"]["operationId"] == "run_credit_check"


def _string_formats(schema: dict[str, Any]) -> tuple[set[str | None], bool]:
    variants = [schema, *schema.get("anyOf", [])]
    strings = [
        v
        for v in variants
        if v.get("type") == "string"
        or "string" in (v.get("type") if isinstance(v.get("type"), list) else [])
    ]
    return {v.get("format") for v in strings}, bool(strings)


def test_identifiers_dates_and_times_carry_their_format(spec: Spec) -> None:
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            formats, is_string = _string_formats(prop)
            if not is_string:
                continue
            if (field == "id" or field.endswith("_id")) and (name, field) not in NOT_UUIDS:
                expected = "uuid"
            elif field.endswith("_on") or field in {"date", "due"}:
                expected = "date"
            elif field.endswith("_at"):
                expected = "date-time"
            else:
                continue
            if formats != {expected}:
                missing.append(f"{name}.{field}: {expected}")
    assert missing == []
    for _, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            formats, is_string = _string_formats(parameter["schema"])
            if is_string and name.endswith(("_before", "_after", "_on", "_from", "_to")):
                assert formats <= {"date", "date-time"}, name


def test_every_enumeration_value_has_a_chinese_label(spec: Spec) -> None:
    for pointer, node in walk(spec):
        if "enum" in node and isinstance(node["enum"], list):
            labels = node.get("x-enum-descriptions")
            assert labels is not None and len(labels) == len(node["enum"]), pointer
            assert all(CHINESE.search(label) for label in labels), pointer
            names = node["x-enum-varnames"]
            assert len(names) == len(node["enum"]), pointer
            assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", n) for n in names), pointer


def test_every_operation_has_a_chinese_description(spec: Spec) -> None:
    missing = [
        label
        for label, operation in operations(spec)
        if not CHINESE.search(operation.get("description", ""))
    ]
    assert missing == []


def _body_schemas(spec: Spec) -> Iterator[str]:
    schemas = spec["components"]["schemas"]
    seen: set[str] = set()

    def visit(node: Any) -> Iterator[str]:
        for _, child in walk(node):
            ref = child.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    yield name
                    yield from visit(schemas[name])

    for _, operation in operations(spec):
        yield from visit(operation.get("requestBody", {}))


def test_every_field_of_a_request_body_has_a_description(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    missing = [
        f"{name}.{field}"
        for name in _body_schemas(spec)
        for field, prop in schemas[name].get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []


def _examples(spec: Spec) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example of the document."""
    for pointer, node in walk(spec):
        if pointer.startswith("/components/schemas/") and pointer.count("/") == 3:
            for index, example in enumerate(node.get("examples", [])):
                yield f"{pointer}/examples/{index}", node, example
        if "schema" in node and isinstance(node["schema"], dict):
            if "example" in node:
                yield f"{pointer}/example", node["schema"], node["example"]
            for key, example in node.get("examples", {}).items():
                if isinstance(example, dict) and "value" in example:
                    yield f"{pointer}/examples/{key}", node["schema"], example["value"]
        if pointer.endswith(("/properties", "/parameters")):
            continue
        if "example" in node and "schema" not in node and "type" in node:
            yield f"{pointer}/example", node, node["example"]


def test_every_example_is_valid_against_its_schema(spec: Spec) -> None:
    components = json.loads(json.dumps(spec["components"]))
    invalid = []
    count = 0
    for where, schema, example in _examples(spec):
        count += 1
        validator = jsonschema_rs.Draft202012Validator({**schema, "components": components})
        errors = [error.message for error in validator.iter_errors(example)]
        if errors:
            invalid.append(f"{where}: {errors[0]}")
    assert count > 50
    assert invalid == []


def test_errors_are_declared_as_problem_json_only(spec: Spec) -> None:
    for label, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert set(response["content"]) == {"application/problem+json"}, (label, status)


def test_every_operation_says_whether_it_needs_a_token(spec: Spec) -> None:
    public = set()
    for label, operation in operations(spec):
        assert "security" in operation, label
        if operation["security"] == []:
            public.add(label)
            assert "401" not in operation["responses"], label
    assert {"GET /healthz", "GET /api/v1/calendar/deadline"} <= public
    assert spec["servers"]
