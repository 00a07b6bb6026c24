"""The layout keeps its promises: rules are pure, SQL lives in repositories, the two life
cycles share one engine, and no module grows past what one reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
MODULES = sorted(APP.rglob("*.py"))
# A module a reader can hold; the largest today are a router and the rule profiles.
MAX_LINES = 520
# Plumbing that opens sessions or builds the engine, not queries of a domain.
SQL_ALLOWED = {"core/db.py"}
SQL_CALLS = {"select", "insert", "update", "delete", "text", "literal_column"}
SESSION_SQL = {"execute", "scalar", "scalars", "get", "stream"}


def _name(path: Path) -> str:
    return path.relative_to(APP).as_posix()


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _sql_in(tree: ast.AST) -> list[str]:
    """Statements built from SQLAlchemy's constructors, and sessions asked to run them."""
    found = []
    sqlalchemy_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in SQL_CALLS & sqlalchemy_names:
            found.append(f"{func.id}() line {node.lineno}")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in SESSION_SQL
            and isinstance(func.value, ast.Name)
            and func.value.id == "session"
        ):
            found.append(f"session.{func.attr}() line {node.lineno}")
    return found


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    long = {
        _name(path): n
        for path in MODULES
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_sql_is_written_only_in_repositories() -> None:
    offenders = {
        _name(path): found
        for path in MODULES
        if path.name not in {"repository.py", "models.py"}
        and _name(path) not in SQL_ALLOWED
        and (found := _sql_in(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_rules_import_nothing_but_rules() -> None:
    offenders = {
        _name(path): sorted(
            name
            for name in _imports(ast.parse(path.read_text(encoding="utf-8")))
            if name.startswith("app.") and not name.startswith("app.rules")
        )
        for path in sorted((APP / "rules").rglob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize(
    ("domain", "history_model"),
    [("commitments", "CommitmentEvent"), ("restrictions", "RestrictionEvent")],
)
def test_each_life_cycle_runs_on_the_one_engine(domain: str, history_model: str) -> None:
    """Both domains record their steps through app.lifecycle.engine: neither has a
    recorder of its own, and a history row is built in one place, the ``history`` of the
    domain's LifeCycle, which only the engine calls."""
    modules = sorted((APP / domain).glob("*.py"))
    trees = {_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in modules}
    assert "app.lifecycle.engine" in set().union(*(_imports(t) for t in trees.values()))
    own_recorders = {
        f"{name}:{node.name}"
        for name, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in {"_record_event", "record_transition", "_catch_up_event"}
    }
    assert own_recorders == set()
    builders = [
        name
        for name, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == history_model
    ]
    assert builders == [f"{domain}/steps.py"]
