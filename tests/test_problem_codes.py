"""Every problem ``code`` the service can send is a member of :class:`ProblemCode`, and
every member is sent somewhere: the code is read for the literals that reach a problem."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import AppError, Problem
from app.core.problem_codes import ProblemCode, problem_code_table
from app.main import create_app
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
# The statuses of the generic errors of app/core/errors.py, the roots of every AppError.
BASE_STATUSES = {
    "AppError": 400,
    "NotAuthenticated": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "Conflict": 409,
    "PreconditionFailed": 412,
    "UnprocessableEntity": 422,
    "ServiceUnavailable": 503,
}
# Values that carry a problem code to an AppError later, with the position of the code
# among their arguments: rule refusals (409 through the life-cycle engine, 422 for dates
# and review amendments), identifier checks (422) and the consent form's field check.
CARRIERS = {
    "Refusal": 0,
    "StepDateRefusal": 0,
    "GuardFailed": 0,
    "InvalidIdentifier": 0,
    "_invalid": 1,
    "problem_response": 1,
    "problem_body": 1,
}
# Where a code is passed on from one of the carriers above, never invented.
FORWARDED = {
    ("app/core/errors.py", "code"),
    ("app/core/errors.py", "exc.code"),
    ("app/commitments/verifications.py", "early.code"),
    ("app/rules/lifecycles/tables.py", "refusal.code"),
    ("app/consents/service.py", "code"),
    ("app/lifecycle/refusals.py", "code"),
    ("app/restrictions/amendments.py", "refusal.code"),
    ("app/subjects/service.py", "exc.code"),
    ("app/documents/router.py", "DocumentNotFound.code"),
}
# Field errors carry codes of their own (the `errors[].code` of a problem).
NOT_A_PROBLEM = frozenset({"FieldError", "RowError"})


@dataclass(frozen=True, slots=True)
class Use:
    code: str
    status: int | None
    where: str


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(APP.rglob("*.py")):
        if path.name == "problem_codes.py":
            continue
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _integer(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


def _error_classes(modules: list[tuple[str, ast.Module]]) -> dict[str, int]:
    """Every AppError subclass in app/ with its status (its own, else its base's)."""
    bases: dict[str, list[str]] = {}
    own: dict[str, int] = {}
    for _, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            # Two classes of one name in different modules: both sets of bases count.
            bases.setdefault(node.name, []).extend(
                b.id for b in node.bases if isinstance(b, ast.Name)
            )
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "status" for t in statement.targets)
                    and _integer(statement.value) is not None
                ):
                    own[node.name] = _integer(statement.value) or 0

    def status(name: str, seen: frozenset[str] = frozenset()) -> int | None:
        if name in own:
            return own[name]
        if name in BASE_STATUSES:
            return BASE_STATUSES[name]
        for base in bases.get(name, []):
            if base not in seen:
                found = status(base, seen | {name})
                if found is not None:
                    return found
        return None

    def is_error(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in BASE_STATUSES:
            return True
        return any(b not in seen and is_error(b, seen | {name}) for b in bases.get(name, []))

    return {name: status(name) or 400 for name in bases | BASE_STATUSES if is_error(name)}


def codes_in_app() -> tuple[list[Use], list[tuple[str, str]]]:
    """The problem codes written in app/, and the non-literal codes passed to an error."""
    modules = list(_modules())
    errors = _error_classes(modules)
    uses: list[Use] = []
    forwarded: list[tuple[str, str]] = []
    for where, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for statement in node.body:
                    targets = (
                        statement.targets
                        if isinstance(statement, ast.Assign)
                        else [statement.target]
                        if isinstance(statement, ast.AnnAssign)
                        else []
                    )
                    if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                        assert isinstance(statement, ast.Assign | ast.AnnAssign)
                        code = _literal(statement.value)
                        assert code is not None, f"{where}:{statement.lineno}"
                        uses.append(Use(code, errors[node.name], where))
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "_HTTP_CODES" for t in node.targets
            ):
                assert isinstance(node.value, ast.Dict), f"{where}:{node.lineno}"
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    uses.append(Use(str(_literal(value)), _integer(key), where))
            elif isinstance(node, ast.Call):
                name = _callee(node)
                if name is None or name in NOT_A_PROBLEM:
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                argument: ast.AST | None = None
                sent_with: int | None = None
                if name in errors:
                    argument = keywords.get("code")
                    explicit = keywords.get("status")
                    sent_with = errors[name] if explicit is None else _integer(explicit)
                elif name in CARRIERS:
                    position = CARRIERS[name]
                    argument = node.args[position] if len(node.args) > position else None
                    argument = keywords.get("code", argument)
                    if name.startswith("problem_"):
                        sent_with = _integer(node.args[0])
                if argument is None:
                    continue
                code = _literal(argument)
                if code is None:
                    forwarded.append((where, ast.unparse(argument)))
                else:
                    uses.append(Use(code, sent_with, where))
    for where, tree in modules:  # the default code of an error's own constructor
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                for function in node.body:
                    if isinstance(function, ast.FunctionDef) and function.name == "__init__":
                        arguments = function.args
                        for arg, default in zip(
                            arguments.kwonlyargs, arguments.kw_defaults, strict=True
                        ):
                            code = _literal(default)
                            if arg.arg == "code" and code is not None:
                                uses.append(Use(code, errors[node.name], where))
    return uses, forwarded


@pytest.fixture(scope="module")
def uses() -> list[Use]:
    found, _ = codes_in_app()
    return found


def test_the_reading_finds_codes_of_every_kind(uses: list[Use]) -> None:
    codes = {use.code for use in uses}
    # A class attribute, a keyword, a rule refusal, an identifier check, a middleware.
    assert {
        "objection_not_found",
        "matter_not_found",
        "objection_window_closed",
        "invalid_uscc",
        "rate_limited",
        "method_not_allowed",
        "consent_granted_in_future",
    } <= codes


def test_every_code_a_problem_can_carry_is_listed(uses: list[Use]) -> None:
    unlisted = sorted({f"{u.code} ({u.where})" for u in uses if u.code not in set(ProblemCode)})
    assert unlisted == []


def test_every_listed_code_is_sent_somewhere(uses: list[Use]) -> None:
    assert sorted(set(ProblemCode) - {use.code for use in uses}) == []


def test_each_code_is_listed_with_the_statuses_it_is_sent_with(uses: list[Use]) -> None:
    seen: dict[str, set[int]] = defaultdict(set)
    for use in uses:
        if use.status is not None:
            seen[use.code].add(use.status)
    wrong = {
        code: sorted(statuses)
        for code, statuses in seen.items()
        if code in set(ProblemCode) and not statuses <= set(ProblemCode(code).statuses)
    }
    assert wrong == {}


def test_a_code_is_only_passed_on_where_it_is_known_to_come_from_a_carrier() -> None:
    _, forwarded = codes_in_app()
    assert set(forwarded) <= FORWARDED


@pytest.mark.parametrize("code", list(ProblemCode))
def test_each_code_has_a_chinese_and_an_english_title(code: ProblemCode) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", code.value)
    assert re.search(r"[\u4e00-\u9fff]", code.title_zh), code
    assert (
        code.title_en
        and code.title_en.isascii()
        and not re.search(r"[\u4e00-\u9fff]", code.title_en)
    )
    assert code.statuses and all(400 <= s < 600 for s in code.statuses)


def test_an_error_without_a_listed_code_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="no_such_code"):

        class Unlisted(AppError):
            code = "no_such_code"


def test_the_document_lists_every_code_with_its_labels() -> None:
    spec: dict[str, Any] = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    schemas = spec["components"]["schemas"]
    listed = schemas["ProblemCode"]
    assert listed["enum"] == [code.value for code in ProblemCode]
    assert listed["x-enum-descriptions"] == [code.title_zh for code in ProblemCode]
    assert listed["x-enum-varnames"] == [code.name for code in ProblemCode]
    assert listed["x-problem-codes"]["objection_not_found"] == {
        "statuses": [404],
        "title_zh": ProblemCode.OBJECTION_NOT_FOUND.title_zh,
        "title_en": ProblemCode.OBJECTION_NOT_FOUND.title_en,
    }
    assert schemas["Problem"]["properties"]["code"] == {"$ref": "#/components/schemas/ProblemCode"}
    assert "code" in Problem.model_fields


def test_the_readme_carries_the_table_of_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert problem_code_table() in readme
