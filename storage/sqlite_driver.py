"""aiosqlite with one hand-over to its thread per statement, under SQLAlchemy's aiosqlite dialect.

aiosqlite runs every sqlite3 call in a worker thread, and SQLAlchemy's adapter makes four calls
per statement (open a cursor, execute, fetch, close) plus one per commit, even for a transaction
that only read. Each call is a hand-over between two threads: ~0.1 ms on a quiet machine, often
a millisecond or more when the CPUs are busy, for statements SQLite runs in microseconds. A bot
turn makes a dozen statements, so most of its database time was spent handing over.

`PrefetchingConnection` runs the four calls of a statement as one (the rows are fetched with
the statement, as SQLAlchemy's adapter does anyway) and skips a commit or rollback when no
transaction is open and nothing is still queued for the thread (sqlite3 would do nothing).
A statement run with the execution option `COMMIT_WITH_STATEMENT` commits in the same call, for a
unit of work whose last statement is known (a turn's claim completion): SQLAlchemy's commit that
follows finds no transaction open and costs nothing. Installed by `storage.db.Database` for SQLite.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from functools import partial
from typing import Any

import aiosqlite

ITER_CHUNK_SIZE = 64
COMMIT_WITH_STATEMENT = "spaser_commit_with_statement"
"""Execution option: commit the transaction right after this statement, in the same call."""


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, many: bool, commit: bool = False) -> tuple:
    """In the worker thread: the statement, its rows and what SQLAlchemy reads from the cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        # sqlite3 updates rowcount of a statement with RETURNING once its rows are fetched.
        outcome = cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()
    if commit:
        connection.commit()
    return outcome


def commit_with_marked_statement(connection, _cursor, _statement, _parameters, context, _executemany) -> None:
    """SQLAlchemy `before_cursor_execute` listener: passes `COMMIT_WITH_STATEMENT` to the driver."""
    if context is not None and context.execution_options.get(COMMIT_WITH_STATEMENT):
        connection.connection.driver_connection.commit_after_next_statement = True


class PrefetchedCursor:
    """What SQLAlchemy's adapter uses of an aiosqlite cursor, with rows fetched at execute."""

    def __init__(self, connection: PrefetchingConnection) -> None:
        self._connection = connection
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self.arraysize = 1
        self._rows: deque = deque()

    async def __aenter__(self) -> PrefetchedCursor:
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.close()

    async def _run(self, sql: str, parameters: Any, many: bool) -> PrefetchedCursor:
        connection = self._connection._conn
        commit, self._connection.commit_after_next_statement = self._connection.commit_after_next_statement, False
        self.description, self.rowcount, self.lastrowid, rows = await self._connection._execute(
            _run, connection, sql, parameters, many, commit
        )
        self._rows = deque(rows)
        return self

    async def execute(self, sql: str, parameters: Any = None) -> PrefetchedCursor:
        return await self._run(sql, () if parameters is None else parameters, False)

    async def executemany(self, sql: str, parameters: Any) -> PrefetchedCursor:
        return await self._run(sql, parameters, True)

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    async def fetchall(self) -> list:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()


class PrefetchingConnection(aiosqlite.Connection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handed_over = 0  # calls queued for the thread; written by the event loop only
        self._done = 0  # the last of them the thread has finished; written by the thread only
        self.commit_after_next_statement = False

    def cursor(self) -> PrefetchedCursor:  # type: ignore[override]
        return PrefetchedCursor(self)

    async def _execute(self, fn, *args: Any, **kwargs: Any) -> Any:
        self._handed_over += 1
        number = self._handed_over

        def counted() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                self._done = number

        return await super()._execute(counted)

    @property
    def idle_outside_transaction(self) -> bool:
        """Nothing queued or running in the thread, and no transaction open: a commit or rollback
        would do nothing. (A statement whose caller was cancelled may still be queued; it could
        open a transaction after the check, so the check then answers False.)"""
        in_transaction = self._connection is not None and self._connection.in_transaction
        return self._done == self._handed_over and not in_transaction

    async def commit(self) -> None:
        self.commit_after_next_statement = False
        if not self.idle_outside_transaction:
            await super().commit()

    async def rollback(self) -> None:
        self.commit_after_next_statement = False  # a marked statement that never ran commits nothing later
        if not self.idle_outside_transaction:
            await super().rollback()


async def _connect(database: str, **kwargs: Any) -> PrefetchingConnection:
    connection = PrefetchingConnection(partial(sqlite3.connect, database, **kwargs), ITER_CHUNK_SIZE)
    connection._thread.daemon = True  # as SQLAlchemy's dialect does: never keep the process alive
    return await connection


def connect_with_prefetching(dialect, _record, cargs: list, cparams: dict):
    """SQLAlchemy `do_connect` listener: the dialect's own arguments, our connection class."""
    return dialect.dbapi.connect(*cargs, async_creator_fn=_connect, **cparams)
