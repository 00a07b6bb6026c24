"""One text type for every free-text field: no control characters, lengths declared."""

from __future__ import annotations

import types
import typing
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo
from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.calendar.models import CalendarYear
from app.calendar.schemas import CalendarYearWrite
from app.catalog.models import MatterVersion
from app.catalog.schemas import MatterCreate, MatterUpdate
from app.commitments.models import Verification
from app.commitments.schemas import VerificationResultCreate
from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentRevocation
from app.core.text import Text, text
from app.departments.models import Department
from app.departments.schemas import DepartmentCreate, DepartmentUpdate
from app.main import create_app
from app.restrictions.models import Restriction
from app.subjects.models import Subject
from app.subjects.schemas import SubjectIn
from app.webhooks.models import Subscription
from app.webhooks.schemas import SubscriptionCreate
from tests.conftest import TokenFactory, make_settings
from tests.factories import PERSON, consent_body, ok, record_consent, setup_catalog

CONSENTS = "/api/v1/consents"
RESTRICTIONS = "/api/v1/restrictions"
ADDRESS = "山东省德州市德城区新湖大街1号"
# NUL (PostgreSQL cannot store it) and BEL (any other control character).
BAD = pytest.mark.parametrize("bad", ["\x00", "\x07"], ids=["nul", "bel"])
# Identifiers with validators of their own, not free text: ID numbers (GB 32100, GB 11643)
# and page cursors (decoded, else invalid_cursor).
# Identifiers with checks of their own (a subject is normalised and checked as an ID number
# or a USCC by the service that looks it up; the public commitment search's `uscc` is
# normalised and looked up through the blind index, a code naming no organisation finding
# nothing).
IDENTIFIERS = {"id_number", "cursor", "subject", "uscc"}


# --- the type itself -------------------------------------------------------------------


def _refused(adapter: TypeAdapter[Any], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError as error:
        assert [e["type"] for e in error.errors()] == ["control_character"], error
        return True
    return False


def test_every_control_character_is_refused_and_nothing_else() -> None:
    single = TypeAdapter(Annotated[str, text(10)])
    multi = TypeAdapter(Annotated[str, text(10, multiline=True)])
    for point in range(0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue  # lone surrogates: pydantic's own string_unicode, tested below
        char = chr(point)
        control = unicodedata.category(char) == "Cc"
        assert _refused(single, f"a{char}b") is control, hex(point)
        assert _refused(multi, f"a{char}b") is (control and char not in "\n\r\t"), hex(point)
    for point in (0x1F600, 0x20000, 0x10FFFD):  # beyond the BMP: emoji, CJK Ext. B
        assert not _refused(single, chr(point))


def test_a_multiline_text_keeps_line_breaks_and_tabs_and_a_line_does_not() -> None:
    value = "第一行\r\n\t第二行"
    assert TypeAdapter(Annotated[str, text(20, multiline=True)]).validate_python(value) == value
    for char in "\n\r\t":
        assert _refused(TypeAdapter(Annotated[str, text(20)]), f"张{char}三")


def test_lengths_are_checked_and_declared() -> None:
    adapter = TypeAdapter(Annotated[str, text(3)])
    assert adapter.json_schema() == {"type": "string", "minLength": 1, "maxLength": 3}
    optional = TypeAdapter(Annotated[str, text(3, min_length=0)])
    assert optional.json_schema() == {"type": "string", "maxLength": 3}
    assert optional.validate_python("") == ""
    for value, code in (("", "string_too_short"), ("四个字符", "string_too_long")):
        with pytest.raises(ValidationError) as caught:
            adapter.validate_python(value)
        assert [e["type"] for e in caught.value.errors()] == [code]
    with pytest.raises(ValueError, match="min_length"):
        text(3, min_length=4)


# --- every request schema uses it -----------------------------------------------------


def _app_spec() -> dict[str, Any]:
    return create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()


SPEC = _app_spec()


def _json_request_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                yield f"{method.upper()} {path}", content["application/json"]["schema"]


def _walk(
    spec: dict[str, Any], node: Any, where: str, seen: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema reachable from ``node``, each with where it was found."""
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _walk(spec, spec["components"]["schemas"][name], name, seen)
        return
    yield where, node
    for key, child in node.get("properties", {}).items():
        yield from _walk(spec, child, f"{where}.{key}", seen)
    for key in ("items", "additionalProperties"):
        yield from _walk(spec, node.get(key), f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for child in node.get(key, []):
            yield from _walk(spec, child, where, seen)


def _request_component_names(spec: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for _, schema in _json_request_schemas(spec):
        for _ in _walk(spec, schema, "", names):
            pass
    return names


def test_no_request_body_takes_unbounded_text() -> None:
    unbounded = []
    walked = 0
    for operation, schema in _json_request_schemas(SPEC):
        for where, node in _walk(SPEC, schema, operation, set()):
            types_ = node.get("type")
            if types_ == "string" or (isinstance(types_, list) and "string" in types_):
                walked += 1
                if not {"maxLength", "pattern", "format", "enum", "const"} & set(node):
                    unbounded.append(where)
    assert walked > 50
    assert unbounded == []


def _request_models() -> dict[str, type[BaseModel]]:
    """Every model a JSON request body reaches, by its OpenAPI name."""
    models: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("app."):
                models.setdefault(sub.__name__, sub)
    names = {name.removesuffix("-Input") for name in _request_component_names(SPEC)}
    found = {name: models[name] for name in names if name in models}
    enums = {name for name in names if "enum" in SPEC["components"]["schemas"].get(name, {})}
    assert names - enums == set(found), "a request schema that is not a model of app/"
    return found


def _leaves(annotation: Any) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Each string leaf of an annotation with its own Annotated metadata."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = typing.get_args(annotation)
        for leaf, more in _leaves(inner):
            yield leaf, (*metadata, *more)
    elif origin in (typing.Union, types.UnionType, list, dict):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg)
    elif annotation is str:
        yield annotation, ()


def _text_of(field: FieldInfo, metadata: tuple[Any, ...]) -> Text | None:
    return next((m for m in (*metadata, *field.metadata) if isinstance(m, Text)), None)


def _has_pattern(field: FieldInfo, metadata: tuple[Any, ...]) -> bool:
    constraints = [
        c
        for m in (*metadata, *field.metadata)
        for c in (m.metadata if isinstance(m, FieldInfo) else [m])
    ]
    return any(getattr(c, "pattern", None) for c in constraints)


REQUEST_MODELS = _request_models()
TEXT_FIELDS = sorted(
    (name, field_name)
    for name, model in REQUEST_MODELS.items()
    for field_name, field in model.model_fields.items()
    for _, metadata in _leaves(field.annotation)
    if _text_of(field, metadata) is not None
)


def test_every_free_text_field_of_a_request_is_of_the_text_type() -> None:
    plain = sorted(
        (name, field_name)
        for name, model in REQUEST_MODELS.items()
        for field_name, field in model.model_fields.items()
        for _, metadata in _leaves(field.annotation)
        if _text_of(field, metadata) is None and not _has_pattern(field, metadata)
    )
    assert plain and {field_name for _, field_name in plain} <= IDENTIFIERS, plain
    # Names, addresses, reasons, facts and references of the bodies the issue names.
    assert {
        ("SubjectIn", "name"),
        ("SubjectIn", "address"),
        ("ConsentCreate", "evidence_ref"),
        ("ConsentRevocation", "reason"),
        ("RestrictionCreate", "facts"),
        ("RestrictionCreate", "legal_documents"),
        ("CorrectionCreate", "reason"),
        ("MatterCreate", "name"),
        ("ReasonCreate", "reason"),
    } <= set(TEXT_FIELDS)


def _invalid_value(field: FieldInfo, bad: str) -> Any:
    rule = next(_text_of(field, metadata) for _, metadata in _leaves(field.annotation))
    assert rule is not None
    value = "甲" * max(rule.min_length - 1, 1) + bad
    return [value] if list in _origins(field.annotation) else value


def _origins(annotation: Any) -> set[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    return {origin, *(o for arg in args for o in _origins(arg))} if origin else set()


@pytest.mark.parametrize(("model_name", "field_name"), TEXT_FIELDS)
@BAD
def test_every_text_field_of_a_request_refuses_control_characters(
    model_name: str, field_name: str, bad: str
) -> None:
    field = REQUEST_MODELS[model_name].model_fields[field_name]
    annotation: Any = field.annotation
    probe = create_model("Probe", value=(annotation, field))
    with pytest.raises(ValidationError) as caught:
        probe.model_validate({"value": _invalid_value(field, bad)})
    assert [e["type"] for e in caught.value.errors()] == ["control_character"]


# Fields stored in a String(n) column: the declared limit fits the column.
STORED_IN: list[tuple[type[BaseModel], str, InstrumentedAttribute[Any]]] = [
    (SubjectIn, "name", Subject.name_clear),
    (SubjectIn, "address", Subject.address_clear),
    (ConsentCreate, "evidence_ref", Consent.evidence_ref),
    (ConsentRevocation, "reason", Consent.revocation_reason),
    (MatterCreate, "name", MatterVersion.name),
    (MatterUpdate, "name", MatterVersion.name),
    (CalendarYearWrite, "source", CalendarYear.source),
    (DepartmentCreate, "name", Department.name),
    (DepartmentCreate, "profile", Department.profile),
    (DepartmentCreate, "contact_phone", Department.contact_phone),
    (DepartmentUpdate, "name", Department.name),
    (DepartmentUpdate, "profile", Department.profile),
    (DepartmentUpdate, "contact_phone", Department.contact_phone),
    (VerificationResultCreate, "verification_number", Verification.verification_number),
    (SubscriptionCreate, "name", Subscription.name),
    (SubscriptionCreate, "secret", Subscription.secret),
]


@pytest.mark.parametrize(
    ("model", "field_name", "column"),
    STORED_IN,
    ids=[f"{model.__name__}.{name}" for model, name, _ in STORED_IN],
)
def test_a_text_that_passes_fits_its_column(
    model: type[BaseModel], field_name: str, column: InstrumentedAttribute[Any]
) -> None:
    field = model.model_fields[field_name]
    rules = [_text_of(field, metadata) for _, metadata in _leaves(field.annotation)]
    assert isinstance(column.type, String) and column.type.length is not None
    assert rules and all(r is not None and r.max_length <= column.type.length for r in rules)


# --- through HTTP ---------------------------------------------------------------------


def _field_errors(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "validation_failed"
    return [(error["field"], error["code"]) for error in problem["errors"]]


async def _count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _restriction_body(subject: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "situation": "false_materials",
        "source_channel": "investigation",
        "facts": "申请食品经营许可时提供虚假的经营场所证明",
        "legal_basis": "临政管办发〔2022〕3号 五(一)2",
        "legal_documents": ["德审批核〔2026〕12号"],
        **overrides,
    }


@pytest.mark.parametrize("path", [CONSENTS, RESTRICTIONS])
@pytest.mark.parametrize("field", ["name", "address"])
@BAD
async def test_a_person_name_or_address_with_a_control_character_is_refused(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    path: str,
    field: str,
    bad: str,
) -> None:
    await setup_catalog(client, auth)
    subject = {**PERSON, "address": ADDRESS}
    subject[field] = f"{subject[field][:2]}{bad}{subject[field][2:]}"
    body = consent_body(subject) if path == CONSENTS else _restriction_body(subject)
    response = await client.post(path, json=body, headers=auth("clerk"))
    assert _field_errors(response) == [(f"body.subject.{field}", "control_character")]
    assert await _count(session, Subject) == 0


@BAD
async def test_a_reason_with_a_control_character_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, bad: str
) -> None:
    await setup_catalog(client, auth)
    consent = await record_consent(client, auth)
    revoked = await client.post(
        f"{CONSENTS}/{consent['id']}/revocation",
        json={"reason": f"申请人{bad}书面撤回授权"},
        headers=auth("clerk"),
    )
    assert _field_errors(revoked) == [("body.reason", "control_character")]
    stored = await session.get(Consent, uuid.UUID(consent["id"]))
    assert stored is not None and stored.revoked_at is None


@BAD
async def test_facts_and_a_correction_reason_with_a_control_character_are_refused(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, bad: str
) -> None:
    await setup_catalog(client, auth)
    facts = await client.post(
        RESTRICTIONS,
        json=_restriction_body(PERSON, facts=f"虚假{bad}证明", legal_documents=[f"德{bad}12号"]),
        headers=auth("clerk"),
    )
    assert sorted(_field_errors(facts)) == [
        ("body.facts", "control_character"),
        ("body.legal_documents.0", "control_character"),
    ]
    assert await _count(session, Restriction) == 0
    listing = await ok(
        await client.post(RESTRICTIONS, json=_restriction_body(PERSON), headers=auth("clerk"))
    )
    corrected = await client.post(
        f"{RESTRICTIONS}/{listing['id']}/corrections",
        json={"kind": "remove", "discovered_on": "2026-09-30", "reason": f"身份{bad}被冒用"},
        headers=auth("clerk"),
    )
    assert _field_errors(corrected) == [("body.reason", "control_character")]


async def test_multiline_text_keeps_its_line_breaks_and_a_name_may_not_break(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    await setup_catalog(client, auth)
    facts = "一、提供虚假的经营场所证明；\r\n二、\t隐瞒真实情况。"
    listing = await ok(
        await client.post(
            RESTRICTIONS, json=_restriction_body(PERSON, facts=facts), headers=auth("clerk")
        )
    )
    assert listing["facts"] == facts
    broken = await client.post(
        CONSENTS, json=consent_body({**PERSON, "name": "张三\n丰"}), headers=auth("clerk")
    )
    assert _field_errors(broken) == [("body.subject.name", "control_character")]


async def test_a_lone_surrogate_is_refused(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    # JSON can escape a lone surrogate; no UTF-8 text (nor the cipher's input) can hold it.
    await setup_catalog(client, auth)
    raw = consent_body({**PERSON, "address": "ADDRESS"})
    content = httpx.Request("POST", "/", json=raw).content.replace(b"ADDRESS", b"\\ud800")
    response = await client.post(
        CONSENTS, content=content, headers={**auth("clerk"), "Content-Type": "application/json"}
    )
    assert _field_errors(response) == [("body.subject.address", "string_unicode")]
    assert await _count(session, Subject) == 0
