"""Async engine, session factory and start-up migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets the scheduler read while a turn writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


class Database:
    """Owns the engine; one per app, built from settings, disposed when the app stops."""

    def __init__(self, url: str, *, echo: bool = False, connect_args: dict | None = None) -> None:
        self.url = url
        self.connect_args = connect_args or {}
        engine_args: dict = {"echo": echo, "connect_args": connect_args or {}}
        if not self.is_sqlite:
            engine_args["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **engine_args)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _enable_sqlite_pragmas)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed when the block ends normally, rolled back otherwise."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def migrate(self) -> None:
        """Bring the schema to the newest migration; an existing database keeps its data."""

        def upgrade(connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

        async with self.engine.begin() as connection:
            await connection.run_sync(upgrade)
        log.info("Database schema is up to date (%s)", self.engine.url.render_as_string(hide_password=True))

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable" for the health check
            log.warning("Database ping failed", exc_info=True)
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
