"""Serve the app, the work floor or the framework ceiling with the same uvicorn settings.

    python -m bench.serve api|floor|ceiling --port 8101

``api`` is what ``zwfw-credit serve --no-migrate`` runs (``create_app`` with the settings
from the environment); all three run in one process with uvloop and httptools, no
access log from uvicorn, proxy headers trusted from loopback.
"""

from __future__ import annotations

import argparse
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
        from app.config import load_settings
        from app.main import create_app

        settings = load_settings()
        if hasattr(settings, "keyring") and settings.data_key is not None:
            settings.keyring()  # as `zwfw-credit serve`: refuse to start without the keys
        return create_app(settings)
    if kind == "floor":
        from bench.floor import app as floor_app

        return floor_app
    from bench.ceiling import app as ceiling_app

    return ceiling_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("api", "floor", "ceiling"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--profile", help="write cProfile statistics to this file at exit")
    args = parser.parse_args()
    app = build(args.kind)
    if not args.profile:
        uvicorn.run(app, port=args.port, **UVICORN_SETTINGS)
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        uvicorn.run(app, port=args.port, **UVICORN_SETTINGS)
    finally:
        profiler.disable()
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
