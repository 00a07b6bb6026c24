"""Alembic environment (async): PostgreSQL through asyncpg, SQLite through aiosqlite."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from app.core.db import create_engine
from app.models import metadata
from app.privacy import crypto

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata


def _configure_keyring() -> None:
    """Data migrations that encrypt need the keys; take them from settings when set."""
    try:
        crypto.keyring()
    except RuntimeError:
        from app.core.config import SettingsError, get_settings

        try:
            settings = get_settings()
            if settings.data_key is not None:
                crypto.configure(settings.keyring())
        except SettingsError:
            pass


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from app.core.config import get_settings

    return get_settings().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    is_sqlite = (url or _database_url()).startswith("sqlite")
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_database_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection, url=None)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_async())
        return
    # Called from code that already runs an event loop: migrate on a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _run_async()).result()


_configure_keyring()

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
