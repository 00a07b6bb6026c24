"""Serve the app, the work floor or the framework ceiling with the same uvicorn settings.

    python -m bench.serve api|floor|ceiling --port 8101 [--reuse-port]

``api`` is what ``zwfw-credit serve --no-migrate`` runs (``create_app`` with the settings
from the environment), plus the audit chainer of the worker every
``worker_interval_seconds``, so the cost of chaining the audit entries the load writes is
counted in the API process. All three run in one process with uvloop and httptools, no
access log from uvicorn, proxy headers trusted from loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
from typing import Any

import uvicorn

UVICORN_SETTINGS: dict[str, Any] = {
    "host": "127.0.0.1",
    "workers": 1,
    "loop": "uvloop",
    "http": "httptools",
    "log_config": None,
    "access_log": False,
    "proxy_headers": True,
    "forwarded_allow_ips": "127.0.0.1",
}


def build(kind: str) -> Any:
    if kind == "api":
        from app.core.config import load_settings
        from app.main import create_app

        settings = load_settings()
        if hasattr(settings, "keyring") and settings.data_key is not None:
            settings.keyring()  # as `zwfw-credit serve`: refuse to start without the keys
        return create_app(settings, settle_heap=True)
    if kind == "floor":
        from bench.floor import app as floor_app

        return floor_app
    from bench.ceiling import app as ceiling_app

    return ceiling_app


def run(app: Any, kind: str, port: int, reuse_port: bool = False) -> None:
    if kind != "api" and not reuse_port:
        uvicorn.run(app, port=port, **UVICORN_SETTINGS)
        return
    import uvloop

    uvloop.run(_serve(app, kind, port, reuse_port))


def _socket(port: int) -> socket.socket:
    """A listening socket that other processes bind too (``SO_REUSEPORT``): the kernel
    spreads the connections over them, one server process per core."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    return sock


async def _serve(app: Any, kind: str, port: int, reuse_port: bool) -> None:
    from app.audit.service import chain_pending

    settings = {k: v for k, v in UVICORN_SETTINGS.items() if k != "workers"}
    server = uvicorn.Server(uvicorn.Config(app, port=port, **settings))
    sockets = [_socket(port)] if reuse_port else None
    if kind != "api":
        await server.serve(sockets=sockets)
        return

    async def chain_forever() -> None:
        interval = app.state.settings.worker_interval_seconds
        while True:
            await asyncio.sleep(interval)
            async with app.state.database.sessionmaker() as session, session.begin():
                await chain_pending(session)

    chainer = asyncio.create_task(chain_forever())
    try:
        await server.serve(sockets=sockets)
    finally:
        chainer.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("api", "floor", "ceiling"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--profile", help="write cProfile statistics to this file at exit")
    parser.add_argument(
        "--reuse-port", action="store_true", help="share the port with other server processes"
    )
    args = parser.parse_args()
    app = build(args.kind)
    if not args.profile:
        run(app, args.kind, args.port, args.reuse_port)
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        run(app, args.kind, args.port)
    finally:
        profiler.disable()
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
