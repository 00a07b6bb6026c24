"""What makes the OpenAPI document a contract client generators accept.

Short stable operation ids (the route function's name), problems declared only as
``application/problem+json``, public operations marked ``security: []``, every
enumeration value labelled in Chinese, and the list of problem codes with their statuses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.problem_codes import ProblemCode
from app.web.descriptions_zh import add_chinese_descriptions
from app.web.enum_labels import enum_class, label_zh

Document = dict[str, Any]

_METHODS = frozenset({"get", "put", "post", "patch", "delete"})
_OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
OPERATION_ID_MAX_LENGTH = 40


def operation_id(route: APIRoute) -> str:
    """The operation id of ``route``: its function's name, e.g. ``run_credit_check``."""
    return route.name


def _operations(document: Document) -> list[dict[str, Any]]:
    return [
        operation
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in _METHODS
    ]


def check_operation_ids(document: Document) -> None:
    """Refuse a document whose operation ids are not unique, short snake_case names."""
    seen: set[str] = set()
    for operation in _operations(document):
        name = operation["operationId"]
        if name in seen or not _OPERATION_ID.match(name) or len(name) > OPERATION_ID_MAX_LENGTH:
            raise ValueError(f"operation id {name!r} is repeated, too long or not snake_case")
        seen.add(name)


_SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_REF_PREFIX = "#/components/schemas/"


def _rewrite_refs(node: Any, renamed: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            name = ref.removeprefix(_REF_PREFIX)
            node["$ref"] = _REF_PREFIX + renamed.get(name, name)
        for value in node.values():
            _rewrite_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, renamed)


def name_schemas_by_title(document: Document) -> None:
    """A schema is named by its title: a generic ``Page[TaskRead]`` (keyed by FastAPI as
    ``Page_TaskRead_``) becomes ``TaskReadPage``; names must then be unique."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    renamed = {
        name: schema["title"]
        for name, schema in schemas.items()
        if _SCHEMA_NAME.match(str(schema.get("title", ""))) and schema["title"] != name
    }
    clash = set(renamed.values()) & (set(schemas) - set(renamed))
    if clash or len(set(renamed.values())) != len(renamed):
        raise ValueError(f"schema titles are not unique: {sorted(clash)}")
    document["components"]["schemas"] = {
        renamed.get(name, name): schema for name, schema in schemas.items()
    }
    _rewrite_refs(document, renamed)


def _models(cls: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for subclass in cls.__subclasses__():
        found.append(subclass)
        found.extend(_models(subclass))
    return found


def restore_example_nulls(document: Document) -> None:
    """Put back the ``null`` members of the schema examples, which FastAPI drops when it
    writes the document (``exclude_none``): without them an example lacks required fields."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    for model in _models(BaseModel):
        schema = schemas.get(model.__name__)
        extra = model.model_config.get("json_schema_extra")
        if schema is None or "examples" not in schema or not isinstance(extra, dict):
            continue
        examples = extra.get("examples")
        if isinstance(examples, list) and len(examples) == len(schema["examples"]):
            schema["examples"] = json.loads(json.dumps(examples))


def declare_public_operations(document: Document) -> None:
    """An operation without a security requirement is public: say so (``security: []``)."""
    for operation in _operations(document):
        operation.setdefault("security", [])


def problems_only(document: Document) -> None:
    """Errors are sent as ``application/problem+json`` only: drop the ``application/json``
    FastAPI adds for a response ``model``."""
    for operation in _operations(document):
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            if status[0] in "45" and PROBLEM_MEDIA_TYPE in content:
                content.pop("application/json", None)


def type_file_answers(document: Document) -> None:
    """A PDF or a text answer declared without a schema is declared as what it is (a
    binary file, a string), so that generated clients return it instead of nothing."""
    for operation in _operations(document):
        for response in operation["responses"].values():
            for media_type, content in response.get("content", {}).items():
                if "schema" in content:
                    continue
                if media_type.startswith("text/"):
                    content["schema"] = {"type": "string"}
                else:
                    content["schema"] = {"type": "string", "format": "binary"}


def label_enums(document: Document) -> None:
    """``x-enum-varnames`` and ``x-enum-descriptions`` (Chinese) on every enumeration;
    an enumeration without a label for each value is an error."""
    schemas = document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if "enum" not in schema:
            continue
        cls = enum_class(name, schema["enum"])
        if cls is None:
            raise ValueError(f"schema {name}: no enumeration of that name and values")
        schema["x-enum-varnames"] = [member.name.upper() for member in cls]
        schema["x-enum-descriptions"] = [label_zh(name, member) for member in cls]
    for operation in _operations(document):
        for response in operation["responses"].values():
            for header in response.get("headers", {}).values():
                if header["schema"].get("enum") == ["true"]:
                    header["schema"]["x-enum-varnames"] = ["TRUE"]
                    header["schema"]["x-enum-descriptions"] = ["重放的应答"]


def describe_problem_codes(document: Document) -> None:
    """The ``ProblemCode`` schema also carries each code's statuses and both titles."""
    schema = document["components"]["schemas"]["ProblemCode"]
    schema["x-problem-codes"] = {
        code.value: {
            "statuses": list(code.statuses),
            "title_zh": code.title_zh,
            "title_en": code.title_en,
        }
        for code in ProblemCode
    }


def complete_contract(document: Document) -> None:
    check_operation_ids(document)
    name_schemas_by_title(document)
    restore_example_nulls(document)
    add_chinese_descriptions(
        {operation["operationId"]: operation for operation in _operations(document)},
        document["components"]["schemas"],
    )
    declare_public_operations(document)
    problems_only(document)
    type_file_answers(document)
    label_enums(document)
    describe_problem_codes(document)
