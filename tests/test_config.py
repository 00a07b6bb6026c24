"""Settings fail at start-up with a clear message; the CLI mints usable tokens."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.config import SettingsError, load_settings
from app.ops.cli import main
from app.web.auth import Role, decode_token, mint_token
from tests.conftest import TEST_SECRET

SECRET = "x" * 40


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("ZWFW_") and name != "ZWFW_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./var/zwfw-credit.db"
    assert settings.profile is None  # no silent default: a department's region decides
    assert settings.timezone == "Asia/Shanghai"
    assert settings.jwt_algorithm == "HS256"


def test_unknown_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    monkeypatch.setenv("ZWFW_DATABSE_URL", "typo")
    with pytest.raises(SettingsError, match="ZWFW_DATABSE_URL"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ZWFW_PROFILE", "beijing-2030", "unknown profile"),
        ("ZWFW_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("ZWFW_DATABASE_URL", "mysql://x", "ZWFW_DATABASE_URL"),
        ("ZWFW_JWT_ALGORITHM", "none", "ZWFW_JWT_ALGORITHM"),
        ("ZWFW_JWT_SECRET", "short", "at least 32 bytes"),
    ],
)
def test_invalid_values_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_rs256_needs_a_public_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWFW_JWT_ALGORITHM", "RS256")
    with pytest.raises(SettingsError, match="ZWFW_JWT_PUBLIC_KEY"):
        load_settings()


def test_rs256_tokens_verify_with_the_public_key(monkeypatch: pytest.MonkeyPatch) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    monkeypatch.setenv("ZWFW_JWT_ALGORITHM", "RS256")
    monkeypatch.setenv("ZWFW_JWT_PUBLIC_KEY", public_pem)
    settings = load_settings()
    token = mint_token(
        settings,
        sub="p1",
        roles=["platform"],
        department="371400-SPJ",
        ttl_seconds=60,
        private_key=private_pem,
    )
    assert decode_token(token, settings).roles == frozenset({Role.platform})


def test_cli_token_prints_a_token_signed_with_the_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", TEST_SECRET)
    argv = ["token", "--role", "clerk", "--department", "371400-SPJ", "--sub", "alice"]
    assert main([*argv, "--ttl", "3600"]) == 0
    token = capsys.readouterr().out.strip()
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"])
    assert claims["sub"] == "alice"
    assert claims["roles"] == ["clerk"]
    assert claims["department"] == "371400-SPJ"
    assert claims["exp"] - claims["iat"] == 3600


def test_cli_reports_bad_settings_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    monkeypatch.setenv("ZWFW_PROFILE", "nowhere")
    assert main(["token", "--role", "clerk", "--sub", "a"]) == 2
    assert "ZWFW_PROFILE" in capsys.readouterr().err


def test_cli_refuses_an_unknown_role(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    assert main(["token", "--role", "superuser", "--sub", "a"]) == 2
    assert "unknown role" in capsys.readouterr().err


def test_cli_refuses_a_department_role_without_its_department(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZWFW_JWT_SECRET", SECRET)
    assert main(["token", "--role", "clerk", "--role", "auditor", "--sub", "a"]) == 2
    assert "--department is required for the role(s): clerk" in capsys.readouterr().err
    # An auditor acts for no department.
    assert main(["token", "--role", "auditor", "--sub", "a"]) == 0
