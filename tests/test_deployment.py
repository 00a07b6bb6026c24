"""The production shape of compose.yaml: two API replicas and one worker on PostgreSQL and
Redis, each with a health check, started after the migrations ran once, with every secret
read from env files whose examples hold placeholders the service refuses to start with."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from app.core.config import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "deploy" / "env.example"
ENV_DIR = "${DEPLOY_ENV_DIR:-./deploy/env}/"
APP_SERVICES = ("migrate", "api", "worker")
# Settings that carry a secret: never written in compose.yaml itself.
SECRETS = ("PASSWORD", "SECRET", "KEY", "DATABASE_URL")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    found: dict[str, Any] = compose["services"]
    return found


def env_file(name: str) -> dict[str, str]:
    pairs = {}
    for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def test_two_api_replicas_and_one_worker_on_postgresql_and_redis(
    services: dict[str, Any],
) -> None:
    assert set(services) == {"migrate", "api", "worker", "postgres", "redis"}
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 1
    assert services["worker"]["command"] == ["zwfw-credit", "worker"]
    # The replicas never migrate at start-up, concurrently; the one-shot service does.
    assert "--no-migrate" in services["api"]["command"]
    assert services["migrate"]["command"] == ["zwfw-credit", "migrate"]
    assert services["migrate"]["restart"] == "no"


@pytest.mark.parametrize("name", ["api", "worker", "postgres", "redis"])
def test_every_long_running_service_has_a_health_check(services: dict[str, Any], name: str) -> None:
    check = services[name]["healthcheck"]
    assert not check.get("disable", False)
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert check["retries"] >= 3


def test_the_api_is_healthy_when_ready_not_merely_alive(services: dict[str, Any]) -> None:
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["api", "worker"])
def test_the_service_starts_after_the_migrations_on_healthy_backends(
    services: dict[str, Any], name: str
) -> None:
    assert services[name]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_secrets_come_from_env_files_only(services: dict[str, Any]) -> None:
    written = {
        f"{name}: {key}"
        for name, service in services.items()
        for key in service.get("environment", {})
        if any(word in key for word in SECRETS)
    }
    assert written == set()
    files = {
        name: service["env_file"] for name, service in services.items() if "env_file" in service
    }
    assert files == {
        **{name: [ENV_DIR + "zwfw-credit.env"] for name in APP_SERVICES},
        "postgres": [ENV_DIR + "postgres.env"],
    }
    assert sorted(p.name for p in EXAMPLES.iterdir()) == ["postgres.env", "zwfw-credit.env"]


def test_the_filled_in_env_files_stay_out_of_git_and_the_image() -> None:
    assert "deploy/env/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/env" in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()


def test_the_example_names_the_database_postgres_creates() -> None:
    url = make_url(env_file("zwfw-credit.env")["ZWFW_DATABASE_URL"])
    postgres = env_file("postgres.env")
    assert (url.drivername, url.host, url.port) == ("postgresql+asyncpg", "postgres", 5432)
    assert (url.username, url.password, url.database) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )
    assert env_file("zwfw-credit.env")["ZWFW_REDIS_URL"] == "redis://redis:6379/0"


@pytest.fixture
def example_environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in list(os.environ):
        if name.startswith("ZWFW_"):
            monkeypatch.delenv(name)
    settings = env_file("zwfw-credit.env")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return settings


@pytest.mark.usefixtures("example_environment")
def test_the_service_refuses_to_start_with_the_placeholders() -> None:
    with pytest.raises(SettingsError, match="ZWFW_JWT_SECRET"):
        load_settings()


def test_the_example_is_complete_once_its_placeholders_are_replaced(
    example_environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every variable of the example is a known setting, and replacing each `change-me` as
    its comment says is all a deployment needs."""
    assert {name for name, value in example_environment.items() if value == "change-me"} == {
        "ZWFW_JWT_SECRET",
        "ZWFW_DATA_KEY",
        "ZWFW_BLIND_INDEX_KEY",
    }
    key = base64.b64encode(bytes(range(32))).decode()
    monkeypatch.setenv("ZWFW_JWT_SECRET", "x" * 64)
    monkeypatch.setenv("ZWFW_DATA_KEY", f"k1:{key}")
    monkeypatch.setenv("ZWFW_BLIND_INDEX_KEY", key)
    settings = load_settings()
    assert re.fullmatch(
        r"postgresql\+asyncpg://zwfw:[^@]+@postgres:5432/zwfw", settings.database_url
    )
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.keyring() is not None


def test_the_image_installs_exactly_the_runtime_lock() -> None:
    """The Dockerfile installs as `make run` does: the lock with its hashes, the project
    without resolving anything, then the same check, with the Makefile's pip."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pip_version = re.search(r"^PIP_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert pip_version is not None
    runs = [
        line.removeprefix("RUN ") for line in dockerfile.splitlines() if line.startswith("RUN ")
    ]
    assert f"pip install --quiet pip=={pip_version.group(1)}" in runs
    assert "pip install --require-hashes -r requirements.lock" in runs
    assert (
        "pip install --no-deps --no-build-isolation . && pip check "
        "&& python check_lock.py requirements.lock"
    ) in runs
    assert not [run for run in runs if "pip install" in run and "-e" in run.split()]
