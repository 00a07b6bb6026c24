"""Posting deliveries: HTTP/1.1 (h11) on the keep-alive connections of one lane.

A lane has at most ``ZWFW_WEBHOOK_CONCURRENCY`` posts in flight, so it needs no more
connections than that, and no pool to search: a post takes the connection freed last (or
opens one), writes its request in one piece, reads the answer's status line and headers,
reads its body through (kept nowhere), and gives the connection back when both sides
ended their messages cleanly and the receiver did not ask to close. The caller bounds the
whole exchange, connecting included. A connection unused for ``KEEPALIVE_SECONDS`` is
closed when the lane next posts. A post on a kept connection that the receiver closed
meanwhile (before a byte of answer) goes once more on a new one, as a browser does.

No redirect is followed, as before; TLS verifies the receiver against the public
authorities, plus ``ZWFW_WEBHOOK_CA_FILE`` when set. An HTTP proxy in the environment
(``HTTPS_PROXY`` …) is honoured by posting through an httpx client instead
(``ClientSender``).
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol
from urllib.parse import unquote, urlsplit

import h11
import httpx

KEEPALIVE_SECONDS = 5.0
_READ_CHUNK = 65536
_WRITE_HIGH_WATER = 65536

Headers = Sequence[tuple[str, str]]


class PostFailed(Exception):
    """No answer: ``reason`` names what went wrong (the exception's type)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    async def post(self, url: str, headers: Headers, body: bytes) -> int:
        """The receiver's status code; ``PostFailed`` when it gave none. The caller bounds
        the time it takes (``asyncio.timeout``)."""
        ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class _Target:
    origin: tuple[str, str, int]
    host: str  # the Host header
    path: str
    authorization: str | None  # from credentials in the URL


@lru_cache(maxsize=1024)
def _target(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise PostFailed("UnsupportedURL")
    default = 443 if scheme == "https" else 80
    port = parts.port or default
    name = parts.hostname.encode("idna").decode("ascii")
    host = f"[{name}]" if ":" in name else name
    if port != default:
        host = f"{host}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    authorization = None
    if parts.username is not None:
        user = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(user.encode()).decode("ascii")
    return _Target((scheme, parts.hostname, port), host, path, authorization)


@dataclass(slots=True)
class _Connection:
    origin: tuple[str, str, int]
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    state: h11.Connection = field(default_factory=lambda: h11.Connection(h11.CLIENT))
    idle_since: float = 0.0

    def close(self) -> None:
        self.writer.close()


class _Stale(Exception):
    """A kept connection the receiver had closed: nothing of an answer came."""


class LaneConnections:
    """One lane's connections to its receiver (``Sender``)."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        self.idle: list[_Connection] = []  # the longest unused first
        self.closed = False  # closed while posts were out: their connections are closed too

    async def post(self, url: str, headers: Headers, body: bytes) -> int:
        target = _target(url)
        try:
            kept = self._kept(target.origin)
            if kept is not None:
                try:
                    return await self._exchange(kept, target, headers, body, kept=True)
                except _Stale:
                    pass
            fresh = await self._connect(target)
            return await self._exchange(fresh, target, headers, body, kept=False)
        except (OSError, h11.ProtocolError, _Stale) as exc:
            raise PostFailed(type(exc).__name__) from exc

    def _kept(self, origin: tuple[str, str, int]) -> _Connection | None:
        expired = time.monotonic() - KEEPALIVE_SECONDS
        while self.idle and self.idle[0].idle_since < expired:
            self.idle.pop(0).close()
        while self.idle:
            connection = self.idle.pop()
            if connection.origin == origin and not connection.reader.at_eof():
                return connection
            connection.close()
        return None

    async def _connect(self, target: _Target) -> _Connection:
        scheme, host, port = target.origin
        tls = self.tls if scheme == "https" else None
        reader, writer = await asyncio.open_connection(
            host, port, ssl=tls, server_hostname=host if tls else None
        )
        return _Connection(target.origin, reader, writer)

    async def _exchange(
        self,
        connection: _Connection,
        target: _Target,
        headers: Headers,
        body: bytes,
        *,
        kept: bool,
    ) -> int:
        state = connection.state
        lines = [("Host", target.host), ("Content-Length", str(len(body))), *headers]
        if target.authorization is not None:
            lines.append(("Authorization", target.authorization))
        answered = False
        try:
            request = h11.Request(method="POST", target=target.path, headers=lines)
            data = state.send(request) or b""
            data += state.send(h11.Data(data=body)) or b""
            data += state.send(h11.EndOfMessage()) or b""
            connection.writer.write(data)
            if connection.writer.transport.get_write_buffer_size() > _WRITE_HIGH_WATER:
                await connection.writer.drain()
            status = 0
            while True:
                event = state.next_event()
                if event is h11.NEED_DATA:
                    chunk = await connection.reader.read(_READ_CHUNK)
                    if not chunk and kept and not answered:
                        raise _Stale
                    answered = answered or bool(chunk)
                    state.receive_data(chunk)
                elif isinstance(event, h11.Response):
                    status = event.status_code
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    raise h11.RemoteProtocolError("closed before the answer ended")
        except BaseException as exc:
            connection.close()
            if kept and not answered and isinstance(exc, ConnectionError):
                raise _Stale from exc
            raise
        if not self.closed and state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            connection.idle_since = time.monotonic()
            self.idle.append(connection)
        else:
            connection.close()
        return status

    async def aclose(self) -> None:
        self.closed = True
        for connection in self.idle:
            connection.close()
        self.idle.clear()


class ClientSender:
    """Posts through an httpx client: one given to the worker, or one per lane when the
    environment names an HTTP proxy."""

    def __init__(self, client: httpx.AsyncClient, *, owned: bool) -> None:
        self.client = client
        self.owned = owned

    async def post(self, url: str, headers: Headers, body: bytes) -> int:
        try:
            response = await self.client.post(url, content=body, headers=list(headers))
        except httpx.HTTPError as exc:
            raise PostFailed(type(exc).__name__) from exc
        return response.status_code

    async def aclose(self) -> None:
        if self.owned:
            await self.client.aclose()


def proxied() -> bool:
    """Whether the environment names a proxy (httpx would post through it)."""
    return bool(urllib.request.getproxies())
