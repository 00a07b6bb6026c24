"""Settings (pydantic-settings, env prefix ``ZWFW_``).

Unknown ``ZWFW_*`` variables and invalid values fail at start-up with a message that
names the variable, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.privacy.crypto import Keyring, KeyringInvalid, parse_keyring

ENV_PREFIX = "ZWFW_"
# Variables read by the test suite and tooling, not by the service itself.
_FOREIGN_VARIABLES = frozenset({"ZWFW_TEST_POSTGRES_URL", "ZWFW_TEST_REDIS_URL"})
_MIN_HMAC_SECRET_BYTES = 32
_MIN_PLATFORM_SECRET = 16


class SettingsError(Exception):
    """Configuration that the service refuses to start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    database_url: str = "sqlite+aiosqlite:///./var/zwfw-credit.db"
    jwt_secret: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_public_key: str | None = None
    # Tokens of the platform's identity provider (统一身份认证, OIDC): its published keys
    # (RS256/ES256, app.web.jwks) instead of a fixed secret or key; issuer and audience
    # are then required and checked. Set, it is the only way a token verifies.
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = Field(default=None, min_length=1)
    jwt_audience: str | None = Field(default=None, min_length=1)
    jwt_jwks_cache_seconds: float = Field(default=300.0, ge=1, le=86400)
    jwt_jwks_min_refetch_seconds: float = Field(default=30.0, ge=0, le=3600)
    jwt_jwks_timeout: float = Field(default=3.0, gt=0, le=60)
    # The deployment's explicit profile for departments without one of their own; unset,
    # a department takes its region's (app.rules.regions). Never a silent default.
    profile: str | None = None
    timezone: str = "Asia/Shanghai"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_import_bytes: int = Field(default=512 * 1024 * 1024, ge=1024)
    rate_limit: str = "600/minute"
    # Public document verification (GET /api/v1/public/documents/{code}), per client on top
    # of ``rate_limit``: a code is unguessable, and this keeps guessing slow too.
    verification_rate_limit: str = "30/minute"
    # Where the public reaches this service: the base of the verification URL printed,
    # with its QR code, on every document.
    public_base_url: str = Field(default="http://localhost:8000", pattern=r"^https?://\S+$")
    redis_url: str | None = None
    cors_origins: str = ""
    joint_punishment_url: str | None = None
    joint_punishment_timeout: float = Field(default=3.0, gt=0, le=60)
    joint_punishment_cache_seconds: float = Field(default=60.0, ge=0, le=3600)
    joint_punishment_breaker_failures: int = Field(default=5, ge=1, le=100)
    joint_punishment_breaker_reset_seconds: float = Field(default=30.0, gt=0, le=3600)
    data_key: SecretStr | None = None
    blind_index_key: SecretStr | None = None
    credit_platform_url: str | None = None
    credit_platform_secret: SecretStr | None = None
    webhook_timeout: float = Field(default=5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    webhook_backoff_seconds: float = Field(default=2.0, gt=0, le=3600)
    # Deliveries in flight per subscription in one worker (app.webhooks.dispatch).
    webhook_concurrency: int = Field(default=16, ge=1, le=256)
    # PEM certificates of authorities trusted for webhook receivers besides the public
    # ones (a government network's own CA); https is what a personal-data grant needs.
    webhook_ca_file: str | None = None
    worker_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    # A CJK TrueType font (.ttf/.ttc) to embed in the statistics report; unset, the first
    # of the known system fonts found (app.statistics.report).
    report_font: str | None = None
    # Crash and outage tests only: ``began:<file>`` or ``committed:<file>`` pauses a keyed
    # create at that point of its transaction until the test removes the file
    # (app.web.idempotency.transaction). Never set in a deployment.
    fault_pause: str | None = Field(default=None, pattern=r"^(began|committed):.+$")

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with 'sqlite+aiosqlite://' or 'postgresql+asyncpg://'")
        return value

    @field_validator("joint_punishment_url", "credit_platform_url", "jwt_jwks_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("webhook_ca_file")
    @classmethod
    def _readable_file(cls, value: str | None) -> str | None:
        if value is not None and not os.path.isfile(value):
            raise ValueError(f"not a readable file: {value!r}")
        return value

    @field_validator("rate_limit", "verification_rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        if value.strip():
            try:
                parse_many(value)
            except ValueError as exc:
                raise ValueError(f"not a rate limit like '600/minute': {value!r}") from exc
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://")):
            raise ValueError("must start with 'redis://' or 'rediss://'")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: str) -> str:
        for origin in (part.strip() for part in value.split(",")):
            if origin and origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(f"not an origin like 'https://host[:port]': {origin!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str | None) -> str | None:
        from app.rules.profiles import PROFILES

        if value is not None and value not in PROFILES:
            raise ValueError(f"unknown profile {value!r}; known: {', '.join(sorted(PROFILES))}")
        return value

    @model_validator(mode="after")
    def _key_material(self) -> Settings:
        if self.jwt_jwks_url is not None:
            if self.jwt_secret is not None or self.jwt_public_key is not None:
                raise ValueError(
                    "ZWFW_JWT_JWKS_URL verifies every token: unset ZWFW_JWT_SECRET and "
                    "ZWFW_JWT_PUBLIC_KEY"
                )
            if self.jwt_issuer is None or self.jwt_audience is None:
                raise ValueError(
                    "ZWFW_JWT_ISSUER and ZWFW_JWT_AUDIENCE are required with ZWFW_JWT_JWKS_URL"
                )
        elif self.jwt_algorithm == "HS256":
            secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
            if len(secret.encode()) < _MIN_HMAC_SECRET_BYTES:
                raise ValueError(
                    f"ZWFW_JWT_SECRET must be set to at least {_MIN_HMAC_SECRET_BYTES} bytes "
                    "for HS256"
                )
        elif not self.jwt_public_key:
            raise ValueError("ZWFW_JWT_PUBLIC_KEY (PEM) is required for RS256")
        if self.data_key is not None or self.blind_index_key is not None:
            try:
                self.keyring()
            except SettingsError as exc:
                raise ValueError(str(exc)) from None
        if self.credit_platform_url and (
            self.credit_platform_secret is None
            or len(self.credit_platform_secret.get_secret_value()) < _MIN_PLATFORM_SECRET
        ):
            raise ValueError(
                f"ZWFW_CREDIT_PLATFORM_SECRET (at least {_MIN_PLATFORM_SECRET} characters) "
                "is required with ZWFW_CREDIT_PLATFORM_URL"
            )
        return self

    def keyring(self) -> Keyring:
        """The data keyring; raises SettingsError when the keys are missing or invalid."""
        if self.data_key is None or self.blind_index_key is None:
            raise SettingsError(
                "ZWFW_DATA_KEY and ZWFW_BLIND_INDEX_KEY are required: personal data is "
                "stored encrypted (see README, Configuration)"
            )
        try:
            return parse_keyring(
                self.data_key.get_secret_value(), self.blind_index_key.get_secret_value()
            )
        except KeyringInvalid as exc:
            raise SettingsError(str(exc)) from None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def cors_origin_list(self) -> list[str]:
        return [part.strip() for part in self.cors_origins.split(",") if part.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _unknown_variables() -> list[str]:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    return sorted(
        name
        for name in os.environ
        if name.upper().startswith(ENV_PREFIX)
        and name.upper() not in known
        and name.upper() not in _FOREIGN_VARIABLES
    )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise SettingsError with a readable message."""
    unknown = _unknown_variables()
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            name = ENV_PREFIX + field.upper() if field else "settings"
            lines.append(f"{name}: {error['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
