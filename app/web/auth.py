"""Bearer JWT authentication and role checks.

Claims: ``sub`` (the person or service account), ``roles`` (list), ``department``
(the department code the caller acts for, e.g. ``371400-SPJ``; required with a
department-scoped role: clerk, verifier, regulator, platform).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.config import Settings
from app.core.errors import Forbidden, NotAuthenticated
from app.web.jwks import JWKS_ALGORITHMS, KeySet


class Role(StrEnum):
    """Roles (角色): admin 政务服务管理机构, clerk 窗口工作人员, verifier 核查人员,
    regulator 行业主管部门, auditor 审计员, platform 平台服务账号."""

    admin = "admin"
    clerk = "clerk"
    verifier = "verifier"
    regulator = "regulator"
    auditor = "auditor"
    platform = "platform"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    sub: str
    roles: frozenset[Role]
    department: str | None

    def has_any(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles & roles)


# Who the current HTTP request is answered to: ANONYMOUS when a request starts, the
# principal once authenticated (masking reads it). Outside a request — the worker
# reporting to the credit platform — it is None: internal use.
viewer_var: ContextVar[Principal | None] = ContextVar("viewer", default=None)
MAX_SUB_LENGTH = 200
MAX_DEPARTMENT_LENGTH = 32
ANONYMOUS = Principal(sub="anonymous", roles=frozenset(), department=None)
# Roles that act for a department (their cases, listings, tasks are the department's):
# a token holding one names the department, or it is refused (fail closed). admin and
# auditor act for the service as a whole.
DEPARTMENT_ROLES = frozenset({Role.clerk, Role.verifier, Role.regulator, Role.platform})

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    description="JWT with claims `sub`, `roles` (list) and `department`.",
)


def _verification_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "RS256":
        assert settings.jwt_public_key is not None
        return settings.jwt_public_key
    assert settings.jwt_secret is not None
    return settings.jwt_secret.get_secret_value()


# Tokens already verified, with their expiry: a client sends the same token with every
# request, and the rate limiter and the authentication both read it. The key includes
# the algorithm, the verification key and the issuer and audience checked, so a token is
# never trusted under another key or other checks.
VERIFIED_TOKENS_MAX = 4096
_CacheKey = tuple[str, ...]
_verified: OrderedDict[_CacheKey, tuple[Principal, float]] = OrderedDict()


def _remembered(key: _CacheKey) -> Principal | None:
    known = _verified.get(key)
    if known is None:
        return None
    principal, expires_at = known
    if time.time() < expires_at:
        return principal
    del _verified[key]
    return None


def _remember(key: _CacheKey, principal: Principal, expires_at: float) -> None:
    _verified[key] = (principal, expires_at)
    if len(_verified) > VERIFIED_TOKENS_MAX:
        _verified.popitem(last=False)


def decode_token(token: str, settings: Settings) -> Principal:
    """The principal a token signed with the fixed secret or key names; 401 otherwise."""
    key = (settings.jwt_algorithm, _verification_key(settings), *_checks(settings), token)
    principal = _remembered(key)
    if principal is None:
        claims = _claims(token, _verification_key(settings), [settings.jwt_algorithm], settings)
        principal = _principal(claims)
        _remember(key, principal, float(claims["exp"]))
    return principal


class TokenVerifier:
    """Verifies the bearer tokens of one app: with the fixed secret or public key of the
    settings, or with the keys the identity provider publishes (``ZWFW_JWT_JWKS_URL``)."""

    def __init__(self, settings: Settings, key_set: KeySet | None = None) -> None:
        self.settings = settings
        self.key_set = key_set

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenVerifier:
        if settings.jwt_jwks_url is None:
            return cls(settings)
        key_set = KeySet(
            settings.jwt_jwks_url,
            cache_seconds=settings.jwt_jwks_cache_seconds,
            min_refetch_seconds=settings.jwt_jwks_min_refetch_seconds,
            timeout=settings.jwt_jwks_timeout,
        )
        return cls(settings, key_set)

    async def aclose(self) -> None:
        if self.key_set is not None:
            await self.key_set.aclose()

    async def principal(self, token: str) -> Principal:
        """The principal ``token`` names: 401 when it does not verify, 503 when the
        identity provider's keys cannot be read."""
        if self.key_set is None:
            return decode_token(token, self.settings)
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            raise NotAuthenticated("The token is invalid.", code="token_invalid") from None
        if kid is not None and not isinstance(kid, str):
            raise NotAuthenticated("The token is invalid.", code="token_invalid")
        jwk = await self.key_set.key(kid)
        cache_key = ("jwks", self.key_set.url, str(jwk.key_id), *_checks(self.settings), token)
        principal = _remembered(cache_key)
        if principal is None:
            claims = _claims(token, jwk, list(JWKS_ALGORITHMS), self.settings)
            principal = _principal(claims)
            _remember(cache_key, principal, float(claims["exp"]))
        return principal


def _checks(settings: Settings) -> tuple[str, str]:
    return settings.jwt_issuer or "", settings.jwt_audience or ""


def _claims(
    token: str, key: str | jwt.PyJWK, algorithms: list[str], settings: Settings
) -> dict[str, Any]:
    """The claims of a token whose signature, expiry, issuer and audience (when
    configured) verify; 401 otherwise."""
    required = ["sub", "exp"]
    if settings.jwt_issuer is not None:
        required.append("iss")
    if settings.jwt_audience is not None:
        required.append("aud")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated("The token has expired.", code="token_expired") from None
    except jwt.InvalidTokenError:
        raise NotAuthenticated("The token is invalid.", code="token_invalid") from None
    return claims


def _principal(claims: dict[str, Any]) -> Principal:
    raw_roles = claims.get("roles", [])
    if not isinstance(raw_roles, list) or not all(isinstance(r, str) for r in raw_roles):
        raise NotAuthenticated("The roles claim must be a list.", code="token_invalid")
    known = {role.value for role in Role}
    department = claims.get("department")
    if department is not None and not isinstance(department, str):
        raise NotAuthenticated("The department claim must be a string.", code="token_invalid")
    # What acts is recorded (audit actor, created_by, …: 200 characters; department codes:
    # 32): a claim too long to record is refused here, not by the database mid-write.
    sub = str(claims["sub"])
    if not 1 <= len(sub) <= MAX_SUB_LENGTH:
        raise NotAuthenticated(
            f"The sub claim must be 1 to {MAX_SUB_LENGTH} characters.", code="token_invalid"
        )
    if department is not None and not 1 <= len(department) <= MAX_DEPARTMENT_LENGTH:
        raise NotAuthenticated(
            f"The department claim must be 1 to {MAX_DEPARTMENT_LENGTH} characters.",
            code="token_invalid",
        )
    roles = frozenset(Role(r) for r in raw_roles if r in known)
    if department is None and roles & DEPARTMENT_ROLES:
        raise NotAuthenticated(
            "A clerk, verifier, regulator or platform token names its department.",
            code="token_invalid",
        )
    return Principal(sub=sub, roles=roles, department=department)


def mint_token(
    settings: Settings,
    *,
    sub: str,
    roles: list[str],
    department: str | None,
    ttl_seconds: int,
    private_key: str | None = None,
    now: datetime | None = None,
) -> str:
    """Sign a token for development and tests (HS256 with the secret, RS256 with a key)."""
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": sub,
        "roles": roles,
        "iat": issued,
        "exp": issued + timedelta(seconds=ttl_seconds),
    }
    if department is not None:
        claims["department"] = department
    if settings.jwt_issuer is not None:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience is not None:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_algorithm == "RS256":
        if private_key is None:
            raise ValueError("RS256 needs a private key to sign with")
        return jwt.encode(claims, private_key, algorithm="RS256")
    return jwt.encode(claims, _verification_key(settings), algorithm="HS256")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("A bearer token is required.", code="not_authenticated")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.principal(credentials.credentials)
    request.state.principal = principal
    viewer_var.set(principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets in callers holding any of ``roles``; others get 403."""
    allowed = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(allowed):
            raise Forbidden(
                "This operation needs one of the roles: "
                + ", ".join(sorted(role.value for role in allowed)),
                code="role_forbidden",
            )
        return principal

    return dependency
