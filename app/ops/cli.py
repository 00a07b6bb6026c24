"""Command line: ``zwfw-credit serve|migrate|token|openapi``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.core.config import Settings, SettingsError, load_settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.main import create_app
    from app.ops.migrate import upgrade

    settings.keyring()  # personal data is encrypted: refuse to serve without the keys
    if not args.no_migrate:
        upgrade(settings.database_url)
    if args.demo:
        asyncio.run(_load_demo(settings))
    uvicorn.run(
        create_app(settings, with_worker=args.worker, settle_heap=True),
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


async def _load_demo(settings: Settings) -> None:
    from app.privacy import crypto

    crypto.configure(settings.keyring())
    from app.calendar.seed import seed_missing_years
    from app.core.db import Database
    from app.ops.demo import load_demo

    database = Database(settings.database_url)
    try:
        await seed_missing_years(database.sessionmaker)
        await load_demo(database.sessionmaker)
    finally:
        await database.dispose()


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from app.core.db import Database
    from app.core.logs import configure_logging
    from app.ops import heap
    from app.ops.worker import Worker
    from app.privacy import crypto

    configure_logging(settings.log_level)  # JSON lines on stderr, as the server writes
    crypto.configure(settings.keyring())

    async def run() -> None:
        database = Database(settings.database_url)
        worker = Worker(database, settings)
        try:
            if args.once:
                passes = await worker.run_until_idle()
                sys.stdout.write(json.dumps({"passes": passes}) + "\n")
            else:
                heap.settle()  # a long-running process (app.ops.heap)
                await worker.run_forever()
        finally:
            await worker.aclose()
            await database.dispose()

    try:
        asyncio.run(run())
    except (SQLAlchemyError, OSError):
        return 1  # the failed job has logged its line
    return 0


def _rotate_key(args: argparse.Namespace, settings: Settings) -> int:
    from app.core.db import Database
    from app.privacy import crypto
    from app.privacy.rotation import rotate

    crypto.configure(settings.keyring())

    async def run() -> dict[str, int]:
        database = Database(settings.database_url)
        try:
            return await rotate(database, batch=args.batch)
        finally:
            await database.dispose()

    sys.stdout.write(json.dumps(asyncio.run(run())) + "\n")
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from app.ops.migrate import downgrade, upgrade

    if args.revision.startswith("-") or args.revision == "base":
        downgrade(settings.database_url, args.revision)
    else:
        upgrade(settings.database_url, args.revision)
    return 0


def _token(args: argparse.Namespace, settings: Settings) -> int:
    from app.web.auth import DEPARTMENT_ROLES, Role, mint_token

    if settings.jwt_jwks_url is not None:
        # Tokens then come from the identity provider only; none is minted here.
        sys.stderr.write("ZWFW_JWT_JWKS_URL is set: tokens are issued by the identity provider\n")
        return 2
    known = {role.value for role in Role}
    unknown = [role for role in args.role if role not in known]
    if unknown:
        sys.stderr.write(f"unknown role(s): {', '.join(unknown)}; known: {sorted(known)}\n")
        return 2
    scoped = sorted(role for role in args.role if Role(role) in DEPARTMENT_ROLES)
    if scoped and not args.department:
        # The service would refuse it (401 token_invalid): say so now.
        sys.stderr.write(f"--department is required for the role(s): {', '.join(scoped)}\n")
        return 2
    private_key = Path(args.private_key).read_text() if args.private_key else None
    token = mint_token(
        settings,
        sub=args.sub,
        roles=args.role,
        department=args.department,
        ttl_seconds=args.ttl,
        private_key=private_key,
    )
    sys.stdout.write(token + "\n")
    return 0


def _openapi(_args: argparse.Namespace, settings: Settings) -> int:
    from app.main import create_app

    spec = create_app(settings).openapi()
    sys.stdout.write(json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwfw-credit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations and serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
    serve.add_argument(
        "--demo", action="store_true", help="load the demo departments and catalog first"
    )
    serve.add_argument("--worker", action="store_true", help="run one worker in the same process")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser(
        "worker", help="record time-driven transitions, sequence events, deliver webhooks"
    )
    worker.add_argument(
        "--once", action="store_true", help="work until nothing is left to do, then exit"
    )
    worker.set_defaults(handler=_worker)

    rotate = commands.add_parser(
        "rotate-key",
        help="re-encrypt personal data under the first key of ZWFW_DATA_KEY (resumable)",
    )
    rotate.add_argument("--batch", type=int, default=500, help="rows per committed batch")
    rotate.set_defaults(handler=_rotate_key)

    migrate = commands.add_parser("migrate", help="apply migrations (default: to head)")
    migrate.add_argument("revision", nargs="?", default="head")
    migrate.set_defaults(handler=_migrate)

    token = commands.add_parser("token", help="print a signed development token")
    token.add_argument("--role", action="append", required=True, help="repeat for several")
    token.add_argument("--department", default=None)
    token.add_argument("--sub", required=True)
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.add_argument("--private-key", default=None, help="PEM file for RS256")
    token.set_defaults(handler=_token)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(handler=_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args, load_settings())
    except SettingsError as exc:
        sys.stderr.write(f"zwfw-credit: {exc}\n")
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
