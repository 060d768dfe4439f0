"""Exactly one process per PostgreSQL database runs the scheduler: the reminder jobs, the outbox
sender, the digests and reports. Several gunicorn workers (or instances) may serve turns; the one
holding a session-level advisory lock leads, the others keep their scheduler paused and try again
every `retry_seconds`, so that another takes over when the leader dies (its connection closes,
PostgreSQL frees the lock).

The lock is keyed by the schema as well (`current_schema()`), so databases that share a server
in separate schemas (the tests) do not elect one leader for all. SQLite keeps its lock file
(scheduler/instance_lock.py): one sending process per file, a second one refused at start.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger(__name__)

TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext(current_database() || '.' || current_schema() || :name))")
LOCK_NAME = {"name": "/spaser-scheduler"}
CHECK_SECONDS = 5.0


class PostgresLeadership:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    async def try_acquire(self) -> bool:
        """True when this process holds (or now takes) the scheduler's lock."""
        if self._connection is not None:
            return True
        connection = None
        try:
            connection = await self._database.engine.connect()
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            async with asyncio.timeout(CHECK_SECONDS):
                won = bool((await connection.execute(TRY_LOCK, LOCK_NAME)).scalar_one())
        except Exception:  # noqa: BLE001 - database out of reach: not the leader, try later
            log.warning("Could not try the scheduler lock", exc_info=True)
            won = False
        if not won:
            if connection is not None:
                await _close(connection)
            return False
        self._connection = connection
        return True

    async def still_held(self) -> bool:
        """The lock lives as long as its connection: a failed check means another process may lead."""
        if self._connection is None:
            return False
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                await self._connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - connection lost: the lock went with it
            log.warning("Lost the scheduler lock's connection", exc_info=True)
            await self.release()
            return False

    async def release(self) -> None:
        """Ends the lock's session (a connection merely returned to the pool would keep the lock)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.invalidate()
            await _close(connection)


async def _close(connection: AsyncConnection) -> None:
    try:
        await connection.close()
    except Exception:  # noqa: BLE001 - a broken connection cannot be closed cleanly
        await connection.invalidate()
