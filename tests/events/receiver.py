"""A real HTTP receiver on loopback for webhook tests (a thread running http.server);
with a TLS context it listens on https:// (tests.events.tls)."""

from __future__ import annotations

import json
import ssl
import threading
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
            self.send_response(503 if failing else 204)
            self.end_headers()

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
