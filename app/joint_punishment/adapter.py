"""Client of an external joint punishment list service (联合奖惩名单查询接口).

Contract: ``GET {base_url}/entries?subject_type=&id_number=&as_of=`` answers 200 with
``{"hits": [{"list_name": "…", "source": "…", "listed_on": "YYYY-MM-DD",
"expires_on": "YYYY-MM-DD" | null, "list_type": "…" | null}]}``, the entries active on
``as_of``. ``list_type`` (optional) names the list's type; without it the type is the one
the list is published under by ``list_name``, else ``unclassified`` (the check cannot
apply it and is not performed). Anything else — a transport error, a timeout, another
status, a body that is not that shape — raises :class:`JointPunishmentUnavailable`; the
credit check is then not performed (``not_performed``), never failed.
"""

from __future__ import annotations

import asyncio
from datetime import date
from types import TracebackType

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.config import Settings
from app.core.errors import ServiceUnavailable
from app.core.identifiers import SubjectType
from app.joint_punishment.breaker import CircuitBreaker, TTLCache
from app.rules.eligibility import JointPunishmentHit
from app.rules.joint_punishment import list_type_of

# A real answer is a handful of hits; a larger body is not that service.
MAX_RESPONSE_BYTES = 1024 * 1024


class JointPunishmentUnavailable(ServiceUnavailable):
    """The external list service could not be consulted; ``reason`` holds no personal data."""

    code = "joint_punishment_unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__("The joint punishment list service could not be consulted.")
        self.reason = reason


class _ExternalHit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    list_name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    listed_on: date
    expires_on: date | None = None
    list_type: str | None = None


class _ExternalAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    hits: list[_ExternalHit]


class JointPunishmentClient:
    """One pooled ``httpx.AsyncClient`` for the life of the application."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        *,
        cache_seconds: float = 60.0,
        breaker_failures: int = 5,
        breaker_reset_seconds: float = 30.0,
    ) -> None:
        self.timeout = timeout
        self.breaker = CircuitBreaker(breaker_failures, breaker_reset_seconds)
        self.cache: TTLCache[tuple[str, str, date], list[JointPunishmentHit]] = TTLCache(
            cache_seconds
        )
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> JointPunishmentClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def lookup(
        self, subject_type: SubjectType, id_number: str, as_of: date
    ) -> list[JointPunishmentHit]:
        """Hits for one subject on ``as_of``; raises JointPunishmentUnavailable.

        Answers are cached for a short time; while the breaker is open the call fails at
        once without asking the service.
        """
        key = (subject_type.value, id_number, as_of)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if not self.breaker.allow():
            raise JointPunishmentUnavailable("circuit open")
        try:
            hits = await self._lookup(subject_type, id_number, as_of)
        except JointPunishmentUnavailable:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        self.cache.put(key, hits)
        return hits

    async def _lookup(
        self, subject_type: SubjectType, id_number: str, as_of: date
    ) -> list[JointPunishmentHit]:
        params = {
            "subject_type": subject_type.value,
            "id_number": id_number,
            "as_of": as_of.isoformat(),
        }
        try:
            # The httpx timeout bounds each phase; this bounds the whole exchange.
            async with asyncio.timeout(self.timeout):
                body = await self._fetch(params)
        except TimeoutError:
            raise JointPunishmentUnavailable("timeout") from None
        except httpx.TimeoutException:
            raise JointPunishmentUnavailable("timeout") from None
        except httpx.HTTPError as exc:
            raise JointPunishmentUnavailable(f"transport error: {type(exc).__name__}") from None
        try:
            answer = _ExternalAnswer.model_validate_json(body)
        except ValidationError:
            raise JointPunishmentUnavailable("malformed body") from None
        return [
            JointPunishmentHit(
                list_name=hit.list_name,
                source=hit.source,
                list_type=list_type_of(hit.list_name, hit.list_type),
            )
            for hit in answer.hits
        ]

    async def _fetch(self, params: dict[str, str]) -> bytes:
        async with self._http.stream("GET", "entries", params=params) as response:
            if response.status_code != httpx.codes.OK:
                raise JointPunishmentUnavailable(f"status {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise JointPunishmentUnavailable("response too large")
            return bytes(body)


def client_from_settings(settings: Settings) -> JointPunishmentClient | None:
    """The application's client when an external service is configured, else None."""
    if not settings.joint_punishment_url:
        return None
    return JointPunishmentClient(
        settings.joint_punishment_url,
        settings.joint_punishment_timeout,
        cache_seconds=settings.joint_punishment_cache_seconds,
        breaker_failures=settings.joint_punishment_breaker_failures,
        breaker_reset_seconds=settings.joint_punishment_breaker_reset_seconds,
    )
