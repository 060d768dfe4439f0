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

import asyncio
import sqlite3
from collections import deque, namedtuple
from collections.abc import Callable
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


class DriverStatement:
    """A Core statement compiled once for SQLite's driver: its SQL, its parameters in the driver's
    order with SQLAlchemy's own conversions (a datetime as SQLAlchemy's SQLite text), and its rows'
    conversions (an Enum column read back as its value), as `Connection.execute` would apply them.
    An expanding parameter (`IN` a list) is rendered per call, as SQLAlchemy renders it
    (`bound`); `sql` and `parameters` are for statements without one."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        if not compiled.positional or compiled.literal_execute_params:
            raise ValueError("only statements with positional parameters run on the driver")
        self.statement = statement  # kept alive: the cache is keyed by its id
        self.sql = compiled.string
        self._compiled = compiled
        self._expanding = bool(compiled.post_compile_params)
        self._processors = {
            name: compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in compiled.binds
        }
        self._binds = tuple((name, self._processors[name]) for name in compiled.positiontup or ())
        columns = getattr(statement, "selected_columns", ())
        self._results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        self._converts = any(self._results)
        self._row_type = namedtuple("DriverRow", list(columns.keys()), rename=True) if len(columns) else None

    def parameters(self, values: dict[str, Any]) -> tuple:
        if self._expanding:
            raise ValueError("a statement with an expanding parameter is bound with `bound`")
        constructed = self._compiled.construct_params(values)
        return tuple(
            constructed[name] if process is None else process(constructed[name]) for name, process in self._binds
        )

    def bound(self, values: dict[str, Any]) -> tuple[str, tuple]:
        """The SQL and its parameters for `values`, expanding lists rendered as SQLAlchemy does."""
        if not self._expanding:
            return self.sql, self.parameters(values)
        expanded = self._compiled.construct_expanded_state(values)
        parameters = expanded.parameters
        processors = expanded.processors
        bound = []
        for name in expanded.positiontup:
            process = processors.get(name) or self._processors.get(name)
            bound.append(parameters[name] if process is None else process(parameters[name]))
        return expanded.statement, tuple(bound)

    def row(self, raw: tuple) -> tuple:
        if not self._converts:
            return tuple(raw)
        return tuple(value if process is None else process(value) for value, process in zip(raw, self._results))

    def named_row(self, raw: tuple) -> tuple:
        """The row converted, its values also read by column name (`row.code`), as SQLAlchemy's rows are."""
        return self._row_type._make(self.row(raw))


Step = tuple[str, Any, bool] | tuple[str, Any, bool, bool]
"""(SQL, parameters, executemany[, must change exactly one row]) of one statement of a direct transaction."""


class UnexpectedRowCount(Exception):
    """A statement of a direct transaction that had to change exactly one row did not: the
    transaction was rolled back. `index`: the statement's place in the transaction."""

    def __init__(self, index: int) -> None:
        super().__init__(f"statement {index} of the transaction did not change exactly one row")
        self.index = index


def _transaction(connection: sqlite3.Connection, steps: list[Step]) -> list:
    """In the worker thread: the statements in one transaction, committed, or rolled back and raised
    again; for each statement its rows (a statement that returns rows) or its row count."""
    outcomes = []
    try:
        for index, (sql, parameters, many, *checked) in enumerate(steps):
            cursor = connection.executemany(sql, parameters) if many else connection.execute(sql, parameters)
            try:
                outcomes.append(cursor.fetchall() if cursor.description else cursor.rowcount)
            finally:
                cursor.close()
            if checked and checked[0] and outcomes[-1] != 1:
                raise UnexpectedRowCount(index)
        connection.commit()
    except BaseException:
        if connection.in_transaction:
            connection.rollback()
        raise
    return outcomes


def _read(connection: sqlite3.Connection, steps: list[tuple[str, Any]]) -> list[list]:
    """In the worker thread: the reads in one read transaction (one snapshot of the database in WAL
    mode), ended at once; for each statement its rows."""
    outcomes = []
    connection.execute("BEGIN")
    try:
        for sql, parameters in steps:
            cursor = connection.execute(sql, parameters)
            try:
                outcomes.append(cursor.fetchall())
            finally:
                cursor.close()
    finally:
        if connection.in_transaction:
            connection.rollback()  # nothing was written: ending the read is all a COMMIT would do
    return outcomes


class DirectTransactions:
    """Short write transactions that the event loop hands over to SQLite's thread in one call, on an
    aiosqlite connection of their own (a SQLite file, never `:memory:`).

    Through SQLAlchemy's asyncio layer each statement of a transaction costs a greenlet, an
    execution context and a hand-over, and the transaction a pool check-out and check-in: ~0.25 ms
    of CPU each on the 2-core VM against ~0.08 ms for one hand-over. Every turn starts with such a
    transaction (the activity's claim, bot/prefetch.py's read); here it is one hand-over. Same
    guarantees as a unit of work on the engine: the statements commit together or not at all (the
    thread runs them, then COMMIT, or ROLLBACK on any error, before it takes the next call), in
    SQLite's legacy transaction mode as SQLAlchemy's pysqlite dialect uses it, with the engine's
    PRAGMAs (WAL, foreign keys, busy timeout); the transaction waits for this process's write turn
    (`SqliteWriterQueue`), as the engine's writers do. A turn's reads of several statements (the
    due list, the summary's versions and values) are one read transaction the same way (`read`).
    """

    def __init__(self, database_path: str, connect_args: dict, dialect: Any, writers: Any, pragmas: Any) -> None:
        self._path = database_path
        self._connect_args = connect_args
        self._dialect = dialect
        self._writers = writers
        self._pragmas = pragmas
        self._connection: PrefetchingConnection | None = None
        self._connecting = asyncio.Lock()
        self._statements: dict[int, DriverStatement] = {}
        self.observers: list[Callable[[list[str]], None]] = []
        """Called with the SQL of each transaction before it runs (tests, benchmarks/count_statements.py):
        these statements do not go through the engine's events."""

    def statement(self, statement: Any) -> DriverStatement:
        """`statement` compiled for the driver, once per statement object (build statements once)."""
        found = self._statements.get(id(statement))
        if found is None or found.statement is not statement:
            found = self._statements[id(statement)] = DriverStatement(statement, self._dialect)
        return found

    async def _connected(self) -> PrefetchingConnection:
        if self._connection is None:
            async with self._connecting:  # reads do not hold the write turn: one connection all the same
                if self._connection is None:
                    connection = await _connect(self._path, **self._connect_args)
                    try:
                        await connection._execute(self._pragmas, connection._conn, None)
                    except BaseException:
                        await connection.close()
                        raise
                    self._connection = connection
        return self._connection

    async def run(self, steps: list[Step]) -> list:
        """The steps in one transaction, in one hand-over; raises the driver's errors (sqlite3's)."""
        for observe in self.observers:
            observe([step[0] for step in steps])
        async with self._writers.writing():
            connection = await self._connected()
            return await connection._execute(_transaction, connection._conn, steps)

    async def read(self, steps: list[tuple[str, Any]]) -> list[list]:
        """(SQL, parameters) of reads run in one read transaction, in one hand-over, without waiting
        for this process's write turn (a read never waits for a writer in WAL mode); their raw rows."""
        for observe in self.observers:
            observe([sql for sql, _ in steps])
        connection = await self._connected()
        return await connection._execute(_read, connection._conn, steps)

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()
