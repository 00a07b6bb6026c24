"""A real HTTP receiver on loopback for webhook tests (a thread per request,
http.server); with a TLS context it listens on https:// (tests.events.tls).

``delay`` makes it answer that many seconds late; with ``hold`` set, every request after the
first ``answer_first`` waits until the test sets ``release``. It counts how many requests
it had in hand at once (``most_in_flight``) and notes when each arrived and was answered.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.webhooks.signing import verify


@dataclass
class Receiver:
    secret: str
    fail_first: int = 0  # answer 503 to this many requests before accepting
    never_recover: bool = False
    url: str = ""
    attempts: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    delay: float = 0.0
    hold: bool = False
    answer_first: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    most_in_flight: int = 0
    arrived_at: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def event_ids(self) -> list[str]:
        return [r["headers"]["x-zwfw-event-id"] for r in self.received]


@contextmanager
def running_receiver(receiver: Receiver, tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.attempts += 1
                arrival = receiver.attempts
                receiver.arrived_at.append(time.monotonic())
                receiver.in_flight += 1
                receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                failing = receiver.never_recover or receiver.attempts <= receiver.fail_first
                if not failing:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    if not verify(
                        receiver.secret,
                        int(headers["x-zwfw-timestamp"]),
                        body,
                        headers["x-zwfw-signature"],
                    ):
                        receiver.bad_signatures += 1
                    receiver.received.append(
                        {"headers": headers, "body": json.loads(body), "raw": body}
                    )
            if receiver.delay:
                time.sleep(receiver.delay)
            if receiver.hold and arrival > receiver.answer_first:
                receiver.release.wait(timeout=60)
            with receiver.lock:
                receiver.in_flight -= 1
                receiver.answered_at.append(time.monotonic())
            try:
                self.send_response(503 if failing else 204)
                self.end_headers()
            except OSError:
                return  # the sender is gone (a killed worker)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls is not None else "http"
    receiver.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
