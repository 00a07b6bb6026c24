"""Client generators and a linter nobody here wrote accept the document.

openapi-python-client (a test extra) generates a typed client with no warning; the npm
tools of ``tools/contract`` (pinned by its ``package-lock.json``, installed with ``npm ci``
into a cache outside the repository) generate TypeScript types that compile and lint the
document with Redocly's recommended rules without an error. Without node the npm tests
are skipped on a workstation and fail in CI (``CI=true``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "contract"
METHODS = frozenset({"get", "put", "post", "patch", "delete"})
NPM_TIMEOUT = 300
TOOL_TIMEOUT = 120
# No telemetry, no update check: the tools run on a machine with no internet as well.
QUIET = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "REDOCLY_SUPPRESS_NOTIFICATIONS": "true",
    "NO_COLOR": "1",
}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    spec = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    path = tmp_path_factory.mktemp("contract") / "openapi.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, spec


def _run(
    command: list[str], cwd: Path, timeout: int = TOOL_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed commands of pinned tools
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **QUIET},
        check=False,
    )


def _typed_answers(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Operation id -> the 2xx statuses that answer with a body."""
    typed: dict[str, set[str]] = {}
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in METHODS:
                typed[operation["operationId"]] = {
                    status
                    for status, response in operation["responses"].items()
                    if status.startswith("2") and response.get("content")
                }
    return typed


def test_openapi_python_client_generates_every_operation_typed_without_warnings(
    document: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, spec = document
    generator = Path(sys.executable).with_name("openapi-python-client")
    assert generator.exists(), "openapi-python-client is a test extra: pip install -e '.[test]'"
    result = _run(
        [
            str(generator),
            "generate",
            "--path",
            str(path),
            "--output-path",
            str(tmp_path / "client"),
            "--meta",
            "none",
            "--config",
            str(TOOLS / "openapi-python-client.yaml"),
        ],
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    modules = {module.stem: module for module in (tmp_path / "client" / "api").rglob("*.py")}
    for operation_id, statuses in _typed_answers(spec).items():
        assert operation_id in modules, f"{operation_id} was not generated"
        source = modules[operation_id].read_text(encoding="utf-8")
        for status in statuses:
            branch = re.search(rf"status_code == {status}:\n\s+response_{status} = (.+)", source)
            assert branch is not None, f"{operation_id} {status}: no parser"
            assert "cast(Any, None)" not in branch.group(1), f"{operation_id} {status}: untyped"


def _node_tools() -> Path:
    """The ``node_modules/.bin`` of the locked tools, installed with ``npm ci`` if needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        message = "node and npm are needed for the contract tools (Debian: apt-get install npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    lock = (TOOLS / "package-lock.json").read_bytes()
    base = Path(
        os.environ.get("ZWFW_TOOLS_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zwfw-credit"
    )
    home = base / f"contract-tools-{hashlib.sha256(lock).hexdigest()[:16]}"
    bin_dir = home / "node_modules" / ".bin"
    if not (bin_dir / "redocly").exists() or not (bin_dir / "openapi-typescript").exists():
        home.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(TOOLS / name, home / name)
        installed = _run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], home, NPM_TIMEOUT
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
    return bin_dir


@pytest.fixture(scope="module")
def node_tools() -> Path:
    return _node_tools()


def test_openapi_typescript_generates_types_that_compile(
    document: tuple[Path, dict[str, Any]], node_tools: Path, tmp_path: Path
) -> None:
    path, _ = document
    types = tmp_path / "api.d.ts"
    result = _run(
        [str(node_tools / "openapi-typescript"), str(path), "--enum", "-o", str(types)], tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = types.read_text(encoding="utf-8")
    assert "run_credit_check: {" in text
    # Named constants with their Chinese labels, from x-enum-varnames and -descriptions.
    assert '// 申辩不存在\n    OBJECTION_NOT_FOUND = "objection_not_found",' in text
    assert '// 自然人\n    PERSON = "person",' in text
    compiled = _run(
        [str(node_tools / "tsc"), "--noEmit", "--strict", "--skipLibCheck", str(types)], tmp_path
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


def test_redocly_recommended_rules_find_no_error(
    document: tuple[Path, dict[str, Any]], node_tools: Path, tmp_path: Path
) -> None:
    path, _ = document
    result = _run(
        [
            str(node_tools / "redocly"),
            "lint",
            "--config",
            str(TOOLS / "redocly.yaml"),
            "--format",
            "json",
            str(path),
        ],
        tmp_path,
    )
    report = json.loads(result.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [], json.dumps(errors, ensure_ascii=False, indent=1)[:4000]
    assert report["totals"]["errors"] == 0
    assert result.returncode == 0, result.stderr
