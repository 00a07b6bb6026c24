"""lookup_joint_punishment: local entries by date, and a real external service on loopback."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app.core.db import Database
from app.core.identifiers import SubjectType
from app.joint_punishment.adapter import JointPunishmentClient, JointPunishmentUnavailable
from app.joint_punishment.dependencies import get_joint_punishment_client
from app.joint_punishment.service import lookup_joint_punishment
from app.main import create_app
from app.rules.eligibility import JointPunishmentHit, JointPunishmentLookup, Party
from app.rules.joint_punishment import ListType
from tests.conftest import Harness, TokenFactory, make_settings
from tests.joint_punishment.support import (
    CSV,
    IMPORTS,
    csv_body,
    valid_resident_id,
    valid_uscc,
)

ORG = valid_uscc(7)
AGENT = valid_resident_id(7)
AS_OF = date(2026, 6, 30)
LISTED = {
    "subject_type": "organization",
    "list_name": "重大税收违法失信主体",
    "source": "国家税务总局",
    "listed_on": "2026-01-15",
    "expires_on": None,
}
SLOW_SECONDS = 3.0
TIMEOUT = 0.3


@dataclass
class ExternalService:
    """A list service on 127.0.0.1: the first path segment picks its behaviour."""

    base_url: str
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)


@pytest.fixture(scope="module")
def external() -> Iterator[ExternalService]:
    release = threading.Event()
    service = ExternalService(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            service.requests.append((url.path, query))
            mode = url.path.strip("/").split("/")[0]
            if mode == "slow":
                release.wait(SLOW_SECONDS)
                self._send(200, b'{"hits": []}')
            elif mode == "error":
                self._send(500, b'{"error": "internal"}')
            elif mode == "malformed":
                self._send(200, b'{"hits": [')
            elif mode == "wrong-shape":
                self._send(200, b'{"hits": [{"list_name": "", "source": "x"}]}')
            elif url.path == "/ok/entries" and query.get("id_number") == [ORG]:
                self._send(200, json.dumps({"hits": [LISTED]}).encode())
            elif url.path == "/ok/entries":
                self._send(200, b'{"hits": []}')
            else:
                self._send(404, b"{}")

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield service
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


PARTIES = [
    (Party.SUBJECT, SubjectType.organization, ORG.lower()),
    (Party.AGENT, SubjectType.person, AGENT),
]
TAX_HIT = JointPunishmentHit(
    list_name="重大税收违法失信主体",
    source="国家税务总局",
    list_type=ListType.MAJOR_TAX_VIOLATION,
)


async def test_a_hit_from_the_external_service(
    session: AsyncSession, external: ExternalService
) -> None:
    async with JointPunishmentClient(external.base_url + "/ok", timeout=2.0) as client:
        result = await lookup_joint_punishment(session, client, PARTIES, AS_OF)
    assert result == JointPunishmentLookup(consulted=True, hits=(TAX_HIT,))
    asked = sorted(
        (query["subject_type"][0], query["id_number"][0], query["as_of"][0])
        for path, query in external.requests[-2:]
    )
    # The number is sent normalised; the date as ISO.
    assert asked == [("organization", ORG, "2026-06-30"), ("person", AGENT, "2026-06-30")]


async def test_no_hit_and_no_client_is_consulted_and_clean(session: AsyncSession) -> None:
    result = await lookup_joint_punishment(session, None, PARTIES, AS_OF)
    assert result == JointPunishmentLookup(consulted=True, hits=())


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/error", "status 500"),
        ("/malformed", "malformed body"),
        ("/wrong-shape", "malformed body"),
        ("/missing", "status 404"),
    ],
)
async def test_a_failing_service_is_not_consulted(
    session: AsyncSession,
    external: ExternalService,
    caplog: pytest.LogCaptureFixture,
    path: str,
    reason: str,
) -> None:
    async with JointPunishmentClient(external.base_url + path, timeout=2.0) as client:
        with pytest.raises(JointPunishmentUnavailable) as raised:
            await client.lookup(SubjectType.organization, ORG, AS_OF)
        assert raised.value.reason == reason
        with caplog.at_level(logging.WARNING, logger="app.joint_punishment"):
            result = await lookup_joint_punishment(session, client, PARTIES, AS_OF)
    assert result == JointPunishmentLookup(consulted=False, hits=())
    logged = [r for r in caplog.records if r.name == "app.joint_punishment"]
    assert logged and all(getattr(r, "reason", None) == reason for r in logged)
    for record in logged:
        text = record.getMessage() + json.dumps(record.__dict__, default=str)
        assert ORG not in text and AGENT not in text


async def test_a_service_that_is_down_is_not_consulted(session: AsyncSession) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with JointPunishmentClient(url, timeout=2.0) as client:
        with pytest.raises(JointPunishmentUnavailable) as raised:
            await client.lookup(SubjectType.organization, ORG, AS_OF)
        assert raised.value.reason.startswith("transport error")
        result = await lookup_joint_punishment(session, client, PARTIES, AS_OF)
    assert result.consulted is False


async def test_a_slow_service_times_out_and_is_not_consulted(
    session: AsyncSession, external: ExternalService
) -> None:
    async with JointPunishmentClient(external.base_url + "/slow", timeout=TIMEOUT) as client:
        with pytest.raises(JointPunishmentUnavailable) as raised:
            await client.lookup(SubjectType.organization, ORG, AS_OF)
        assert raised.value.reason == "timeout"
        started = time.perf_counter()
        result = await lookup_joint_punishment(session, client, PARTIES, AS_OF)
        elapsed = time.perf_counter() - started
    assert result.consulted is False
    # Both parties are asked at once, and neither waits for the slow answer.
    assert elapsed < SLOW_SECONDS / 2


async def _import(client: httpx.AsyncClient, auth: TokenFactory, rows: list[list[str]]) -> None:
    response = await client.post(IMPORTS, content=csv_body(rows), headers={**CSV, **auth("admin")})
    assert response.status_code == 201, response.text
    assert response.json()["rejected"] == 0, response.text


async def test_local_entries_count_only_while_active_on_the_day(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    org, person, other = ORG, AGENT, valid_uscc(8)
    await _import(
        client,
        auth,
        [
            # Active on 2026-06-30: listed that very day; expires that very day; open-ended.
            ["organization", org, "", "A 当日列入", "S1", "2026-06-30", ""],
            ["organization", org, "", "B 当日届满", "S2", "2025-07-01", "2026-06-30"],
            ["person", person, "", "C 无期限", "S3", "2020-01-01", ""],
            # Not active: expired the day before; listed the day after.
            ["organization", org, "", "D 已届满", "S4", "2025-01-01", "2026-06-29"],
            ["person", person, "", "E 尚未列入", "S5", "2026-07-01", ""],
            # Another subject, and the same number under the other subject type.
            ["organization", other, "", "F 他人", "S6", "2026-01-01", ""],
        ],
    )
    result = await lookup_joint_punishment(session, None, PARTIES, AS_OF)
    assert result.consulted is True
    assert sorted((hit.list_name, hit.party) for hit in result.hits) == [
        ("A 当日列入", Party.SUBJECT),
        ("B 当日届满", Party.SUBJECT),
        ("C 无期限", Party.AGENT),
    ]

    later = await lookup_joint_punishment(session, None, PARTIES, date(2026, 7, 1))
    assert sorted(hit.list_name for hit in later.hits) == ["A 当日列入", "C 无期限", "E 尚未列入"]
    earlier = await lookup_joint_punishment(session, None, PARTIES, date(2026, 6, 29))
    assert sorted(hit.list_name for hit in earlier.hits) == ["B 当日届满", "C 无期限", "D 已届满"]


async def test_local_hits_are_kept_when_the_external_service_fails(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    external: ExternalService,
) -> None:
    await _import(
        client, auth, [["person", AGENT, "", "失信被执行人", "最高人民法院", "2026-01-01", ""]]
    )
    async with JointPunishmentClient(external.base_url + "/error", timeout=2.0) as failing:
        result = await lookup_joint_punishment(session, failing, PARTIES, AS_OF)
    assert result.consulted is False
    assert result.hits == (
        JointPunishmentHit(
            list_name="失信被执行人",
            source="最高人民法院",
            party=Party.AGENT,
            list_type=ListType.DISHONEST_JUDGMENT_DEBTOR,
        ),
    )


async def test_a_hit_found_locally_and_externally_is_reported_once(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    external: ExternalService,
) -> None:
    await _import(
        client,
        auth,
        [["organization", ORG, "", TAX_HIT.list_name, TAX_HIT.source, "2026-01-15", ""]],
    )
    async with JointPunishmentClient(external.base_url + "/ok", timeout=2.0) as remote:
        result = await lookup_joint_punishment(session, remote, PARTIES, AS_OF)
    assert result == JointPunishmentLookup(consulted=True, hits=(TAX_HIT,))


async def test_the_app_holds_one_client_when_configured_and_closes_it_at_shutdown(
    app_harness: Harness,
) -> None:
    unconfigured = create_app(app_harness.settings, database=app_harness.database)
    assert unconfigured.state.joint_punishment_client is None

    url = app_harness.database.url
    settings = make_settings(
        url, joint_punishment_url="http://127.0.0.1:9/lists", joint_punishment_timeout=1.5
    )
    app = create_app(settings, database=Database(url))
    held = app.state.joint_punishment_client
    assert isinstance(held, JointPunishmentClient)
    assert held.timeout == 1.5

    scope = {"type": "http", "app": app, "headers": [], "method": "GET", "path": "/"}
    assert await get_joint_punishment_client(Request(scope)) is held
    async with app.router.lifespan_context(app):
        assert not held.closed
    assert held.closed


async def test_the_breaker_stops_calls_to_a_failing_service(external: ExternalService) -> None:
    """After the threshold the client fails at once, without another request, so the
    credit check is not performed at once instead of waiting on a dead service."""
    number = "91371400MA3C5AB12Y"
    async with JointPunishmentClient(
        external.base_url + "/error", timeout=2.0, breaker_failures=2
    ) as client:
        for _ in range(2):
            with pytest.raises(JointPunishmentUnavailable, match="consulted"):
                await client.lookup(SubjectType.organization, number, date(2026, 9, 30))
        before = len(external.requests)
        with pytest.raises(JointPunishmentUnavailable) as caught:
            await client.lookup(SubjectType.organization, number, date(2026, 9, 30))
        assert caught.value.reason == "circuit open"
        assert len(external.requests) == before


async def test_answers_are_cached_for_a_short_time(external: ExternalService) -> None:
    number = "91371400MA3C5AB12Y"
    async with JointPunishmentClient(external.base_url + "/ok", timeout=2.0) as client:
        before = len(external.requests)
        first = await client.lookup(SubjectType.organization, number, date(2026, 9, 30))
        second = await client.lookup(SubjectType.organization, number, date(2026, 9, 30))
        assert first == second
        assert len(external.requests) == before + 1
