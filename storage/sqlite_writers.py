"""The writers of one process take turns on a SQLite file in an asyncio queue, first come first served.

SQLite lets one connection write at a time. The others wait in its busy handler, which sleeps and
polls again (1 ms, 2 ms… then every 100 ms), lets a newcomer pass before a writer that has been
waiting, and gives up after `busy_timeout` (5 s). With aiosqlite a write transaction keeps the
lock across event-loop round trips (statement, then commit), so the lock is busy most of the time
once many turns run at once: under 200 simultaneous users a few writers in every thousand waited
past 5 s and their turns failed with "database is locked" (benchmarks/load_200_users.py).

Here a unit of work (`Database.session()` / `transaction()`) about to write first takes an
`asyncio.Lock`, held until the unit ends: waiting writers queue in order, hold no SQLite lock and
no thread, and SQLite's busy handler is left to other processes. Reads never wait. A unit nested in
another of the same task does not wait for it (it would wait for itself): it meets SQLite's own
lock as before.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

DATA_CHANGES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
WRITE_STATEMENTS = (*DATA_CHANGES, "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")
MAX_WAIT_SECONDS = 30.0


@dataclass(eq=False)
class _Unit:
    queue: SqliteWriterQueue
    writing: bool = False


_current_unit: ContextVar[_Unit | None] = ContextVar("sqlite_unit_of_work", default=None)


class SqliteWriterQueue:
    def __init__(self, engine: AsyncEngine, max_wait_seconds: float = MAX_WAIT_SECONDS) -> None:
        self._lock = asyncio.Lock()
        self._writer_task: asyncio.Task | None = None
        self._max_wait = max_wait_seconds
        event.listen(engine.sync_engine, "before_cursor_execute", self._before_execute)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """Around a session or transaction: its writes wait their turn, and free it when it ends."""
        unit = _Unit(self)
        token = _current_unit.set(unit)
        try:
            yield
        finally:
            _current_unit.reset(token)
            if unit.writing:
                self._writer_task = None
                self._lock.release()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """This process's write turn for a transaction run outside the engine
        (`storage.sqlite_driver.DirectTransactions`), held until the block ends. A task whose unit
        of work writes already holds it: it does not wait for itself."""
        task = asyncio.current_task()
        if task is not None and task is self._writer_task:
            yield
            return
        unit = _Unit(self)
        await self._acquire(unit, task)
        try:
            yield
        finally:
            self._writer_task = None
            self._lock.release()

    def _before_execute(self, connection, _cursor, statement: str, *_args) -> None:
        """Runs in SQLAlchemy's greenlet, inside the task that executes the statement."""
        unit = _current_unit.get()
        if unit is None or unit.queue is not self or unit.writing:
            return
        if not statement.lstrip().upper().startswith(WRITE_STATEMENTS):
            return
        task = asyncio.current_task()
        if task is not None and task is self._writer_task:
            return
        connection.connection.dbapi_connection.run_async(lambda _driver: self._acquire(unit, task))

    async def _acquire(self, unit: _Unit, task: asyncio.Task | None) -> None:
        """Marks the unit as writing with no await after the lock is taken: a task cancelled on
        its way back (a crash in a task group) still releases the lock when its unit ends."""
        try:
            async with asyncio.timeout(self._max_wait):
                await self._lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked (waited {self._max_wait:g} s for this process's other writers)"
            ) from None
        unit.writing = True
        self._writer_task = task
