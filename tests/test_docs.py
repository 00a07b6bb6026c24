"""The project explains itself: no file refers to a document outside the repository, and
the documents its code and README point to exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Generated or local to one machine, never part of the project.
SKIPPED_DIRS = frozenset(
    {".venv", "var", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)
SKIPPED_SUFFIXES = (".egg-info",)
# Spelled in parts so that this file does not name them itself.
OUTSIDE_DOCUMENTS = ("DOMAIN" + ".md", "API" + ".md", "shared" + "/spec")


def project_files() -> Iterator[Path]:
    stack = [ROOT]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                if entry.name not in SKIPPED_DIRS and not entry.name.endswith(SKIPPED_SUFFIXES):
                    stack.append(entry)
            elif entry.is_file():
                yield entry


def text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def test_the_walk_sees_the_code_the_tests_and_the_readme() -> None:
    seen = {path.relative_to(ROOT).as_posix() for path in project_files()}
    assert {"README.md", "app/main.py", "tests/test_docs.py", "pyproject.toml"} <= seen
    assert not any(name.startswith((".venv/", "var/", ".git/")) for name in seen)


@pytest.mark.parametrize("name", OUTSIDE_DOCUMENTS)
def test_no_file_refers_to_a_document_outside_the_repository(name: str) -> None:
    offenders = []
    for path in project_files():
        text = text_of(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if name in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


# A path under docs/ as the code, tests and README cite it.
_DOCS_PATH = re.compile(r"docs/[\w./-]+?\.md")


def test_every_document_the_project_cites_exists() -> None:
    cited: dict[str, str] = {}
    for path in project_files():
        if path.suffix not in {".py", ".md", ".toml", ".yaml"}:
            continue
        text = text_of(path) or ""
        for match in _DOCS_PATH.finditer(text):
            cited.setdefault(match.group(0), str(path.relative_to(ROOT)))
    assert "docs/domain.md" in cited
    missing = {doc: where for doc, where in cited.items() if not (ROOT / doc).is_file()}
    assert missing == {}


def test_the_documents_of_the_project_exist() -> None:
    for name in ("docs/architecture.md", "docs/domain.md", "docs/api.md", "CHANGELOG.md"):
        assert (ROOT / name).is_file(), name
    decisions = sorted(
        p.name for p in (ROOT / "docs" / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md")
    )
    assert len(decisions) >= 4, decisions
