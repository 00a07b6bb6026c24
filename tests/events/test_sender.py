"""A lane's connections (app.webhooks.sender) against an HTTP/1.1 receiver on loopback
that keeps connections alive: posts reuse them, a connection the receiver closed while
unused is replaced without a failure, an answer asking to close is honoured, one unused
past the keep-alive is not reused, and a failure names what went wrong."""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from app.webhooks import sender as sender_module
from app.webhooks.dispatch import Claimed, post
from app.webhooks.sender import LaneConnections, PostFailed
from tests.conftest import make_settings

HEADERS = (("Content-Type", "application/json"), ("X-Zwfw-Event-Id", "e-1"))


@dataclass
class KeepAliveReceiver:
    """Answers each POST with ``status``; ``close_after`` answers per connection, then it
    closes it (0: never); ``close_header`` says ``Connection: close`` in every answer."""

    status: int = 204
    close_after: int = 0
    close_header: bool = False
    connections: int = 0
    bodies: list[bytes] = field(default_factory=list)
    hosts: list[bytes] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        answered = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                    if name.lower() == b"host":
                        self.hosts.append(value.strip())
                self.bodies.append(await reader.readexactly(length))
                extra = b"Connection: close\r\n" if self.close_header else b""
                sized = b"" if self.status == 204 else b"Content-Length: 2\r\n"
                writer.write(b"HTTP/1.1 %d X\r\n%s%s\r\n" % (self.status, extra, sized))
                if sized:
                    writer.write(b"ok")
                await writer.drain()
                answered += 1
                if self.close_header or answered == self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def receiving(receiver: KeepAliveReceiver) -> AsyncIterator[KeepAliveReceiver]:
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook?lane=1"
    try:
        yield receiver
    finally:
        server.close()


def _lane() -> LaneConnections:
    return LaneConnections(ssl.create_default_context())


async def test_posts_one_after_another_go_on_one_connection() -> None:
    lane = _lane()
    async with receiving(KeepAliveReceiver()) as receiver:
        codes = [await lane.post(receiver.url, HEADERS, b'{"n":%d}' % n) for n in range(5)]
        await lane.aclose()
    assert codes == [204] * 5
    assert receiver.connections == 1
    assert receiver.bodies == [b'{"n":%d}' % n for n in range(5)]
    port = receiver.url.split(":")[2].split("/")[0]
    assert set(receiver.hosts) == {f"127.0.0.1:{port}".encode()}


async def test_concurrent_posts_open_no_more_connections_than_posts_in_flight() -> None:
    lane = _lane()
    async with receiving(KeepAliveReceiver()) as receiver:
        for _ in range(3):
            await asyncio.gather(*(lane.post(receiver.url, HEADERS, b"{}") for _ in range(4)))
        await lane.aclose()
    assert len(receiver.bodies) == 12
    assert receiver.connections == 4


@pytest.mark.parametrize("seen", [True, False], ids=["close-seen", "close-unseen"])
async def test_a_connection_the_receiver_closed_while_unused_is_replaced_without_failing(
    seen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen closed, it is not reused; not yet seen (the close crossing the next request),
    the request goes again on a new connection."""
    lane = _lane()
    async with receiving(KeepAliveReceiver(close_after=1)) as receiver:
        first = await lane.post(receiver.url, HEADERS, b"1")
        await asyncio.sleep(0.05)  # the receiver has closed it
        (kept,) = lane.idle
        if not seen:
            monkeypatch.setattr(kept.reader, "at_eof", lambda: False)
        second = await lane.post(receiver.url, HEADERS, b"2")
        await lane.aclose()
    assert (first, second) == (204, 204)
    assert receiver.bodies == [b"1", b"2"]
    assert receiver.connections == 2


async def test_an_answer_that_asks_to_close_is_honoured() -> None:
    lane = _lane()
    async with receiving(KeepAliveReceiver(status=503, close_header=True)) as receiver:
        codes = [await lane.post(receiver.url, HEADERS, b"{}") for _ in range(3)]
        assert lane.idle == []
        await lane.aclose()
    assert codes == [503] * 3
    assert receiver.connections == 3


async def test_a_connection_unused_past_the_keepalive_is_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sender_module, "KEEPALIVE_SECONDS", 0.05)
    lane = _lane()
    async with receiving(KeepAliveReceiver()) as receiver:
        await lane.post(receiver.url, HEADERS, b"1")
        await asyncio.sleep(0.1)
        await lane.post(receiver.url, HEADERS, b"2")
        await lane.aclose()
    assert receiver.connections == 2


async def test_no_receiver_is_a_failure_named_by_its_cause() -> None:
    lane = _lane()
    async with receiving(KeepAliveReceiver()) as receiver:
        url = receiver.url
    with pytest.raises(PostFailed) as failed:
        await lane.post(url, HEADERS, b"{}")
    assert failed.value.reason == "ConnectionRefusedError"
    with pytest.raises(PostFailed) as unsupported:
        await lane.post("ftp://127.0.0.1/hook", HEADERS, b"{}")
    assert unsupported.value.reason == "UnsupportedURL"


async def test_a_post_is_bounded_as_a_whole_by_the_timeout() -> None:
    """A receiver that reads the request and never answers: the post fails after
    ``ZWFW_WEBHOOK_TIMEOUT`` as a receiver that looks down, its slot free again."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    claimed = Claimed(
        id=uuid.uuid4(),
        subscription_id=uuid.uuid4(),
        attempt=1,
        url=f"http://127.0.0.1:{port}/hook",
        secret="s" * 32,
        event_id=str(uuid.uuid4()),
        event_type="restriction.publish",
        body=b"{}",
    )
    settings = make_settings("sqlite+aiosqlite://", webhook_timeout=0.2)
    lane = _lane()
    started = time.monotonic()
    try:
        answer = await post(lane, settings, claimed)
    finally:
        await lane.aclose()
        server.close()
    assert time.monotonic() - started < 1.0
    assert (answer.ok, answer.status, answer.error, answer.receiver_down) == (
        False,
        None,
        "TimeoutError",
        True,
    )
    assert lane.idle == []


async def test_a_post_answered_after_the_lane_closed_keeps_no_connection() -> None:
    """The dispatcher closes its lanes while a post is still out: the connection that
    post answers on is closed too, not kept for a lane nobody will use again."""
    asked, answer, closed = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.partition(b":")[2])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        await reader.readexactly(length)
        asked.set()
        await answer.wait()
        writer.write(b"HTTP/1.1 204 X\r\n\r\n")
        await writer.drain()
        if await reader.read(1) == b"":  # the sender closed its side
            closed.set()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lane = _lane()
    try:
        post = asyncio.create_task(lane.post(f"http://127.0.0.1:{port}/hook", HEADERS, b"{}"))
        await asyncio.wait_for(asked.wait(), 5)
        await lane.aclose()
        answer.set()
        assert await asyncio.wait_for(post, 5) == 204
        await asyncio.wait_for(closed.wait(), 5)
        assert lane.idle == []
    finally:
        server.close()
