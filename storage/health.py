"""Is the database the bot writes to still the one it started on, and does it take a write?

`SELECT 1` on a pooled connection answers long after the SQLite file was deleted (the pool keeps
the unlinked file open, every « Enregistré » is lost at restart) or made read-only. So the check
commits a real write to the marker row created with the database (migration 0010): on SQLite
through a new connection that may not create the file, on PostgreSQL through the pool.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Column, DateTime, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, SQLModel

from domain.clock import Clock
from storage.db import Database

log = logging.getLogger(__name__)

SQLITE_CHECK_TIMEOUT_S = 5.0
_TOUCH = "UPDATE database_marker SET checked_at = :now WHERE id = 1 AND token = :token"
_READ_ONLY_SQLSTATE = "25006"


class DatabaseMarker(SQLModel, table=True):
    __tablename__ = "database_marker"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    token: str = Field(max_length=32)
    checked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class DatabaseState(StrEnum):
    OK = "ok"
    UNREACHABLE = "unreachable"
    READ_ONLY = "read-only"
    REPLACED = "replaced"
    """Deleted, recreated empty, or another database: the bot's data is not where it writes."""


class DatabaseHealth:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._token: str | None = None

    async def adopt(self) -> None:
        """Remember the marker of the database found at start-up (after the migrations)."""
        async with self._database.transaction() as connection:
            self._token = (await connection.execute(text("SELECT token FROM database_marker WHERE id = 1"))).scalar()

    async def check(self) -> DatabaseState:
        now = self._clock.now()
        try:
            if self._token is None:
                await self.adopt()
            sqlite_file = self._database.sqlite_file
            if sqlite_file is not None:
                async with self._database.queued_write():
                    return await asyncio.to_thread(_touch_sqlite, sqlite_file, self._token, now)
            async with self._database.transaction() as connection:
                touched = (await connection.execute(text(_TOUCH), {"now": now, "token": self._token})).rowcount
            return DatabaseState.OK if touched == 1 else DatabaseState.REPLACED
        except DBAPIError as error:
            log.warning("Database health check failed", exc_info=True)
            read_only = getattr(error.orig, "sqlstate", None) == _READ_ONLY_SQLSTATE
            return DatabaseState.READ_ONLY if read_only else DatabaseState.UNREACHABLE
        except Exception:  # noqa: BLE001 - any other failure means the database cannot be used
            log.warning("Database health check failed", exc_info=True)
            return DatabaseState.UNREACHABLE


def _touch_sqlite(path: Path, token: str, now: datetime) -> DatabaseState:
    if not path.exists():
        return DatabaseState.REPLACED
    connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=SQLITE_CHECK_TIMEOUT_S)
    try:
        touched = connection.execute(_TOUCH, {"now": now.isoformat(sep=" "), "token": token}).rowcount
        connection.commit()
    except sqlite3.OperationalError as error:
        log.warning("SQLite health check failed: %s", error)
        if "no such table" in str(error):
            return DatabaseState.REPLACED
        if "readonly" in str(error) or "read-only" in str(error):
            return DatabaseState.READ_ONLY
        return DatabaseState.UNREACHABLE
    finally:
        connection.close()
    return DatabaseState.OK if touched == 1 else DatabaseState.REPLACED
