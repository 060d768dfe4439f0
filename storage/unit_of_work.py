"""One database transaction shared by several repository calls, committed or rolled back once.

This is the only way two writes are made atomic together: a service opens a unit
(`Database.unit_of_work()`), passes it explicitly to each repository call (`uow=`), and the
block's end commits everything or nothing. A repository call given no unit opens its own. A bot
turn is one unit too: its values, its dialog state and its activity claim commit together.

The transaction begins on first use, so a unit that only read never opens one. `WriteJournal`
tells a turn whether any unit it ran wrote something (from SQLAlchemy's statement kind, not the
SQL text): a turn that wrote outside its own unit completes its activity claim at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.sqlite_driver import DirectTransactions, UnexpectedRowCount

Begin = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


@dataclass(frozen=True)
class RowWrite:
    """One data-changing statement (built once) and its parameters, for `UnitOfWork.write`.
    `conflict`: the statement must change exactly one row, else this is raised (a stale eTag)."""

    statement: Any
    parameters: dict
    conflict: Exception | None = None

    async def run_in(self, connection: AsyncConnection) -> None:
        result = await connection.execute(self.statement, self.parameters)
        if self.conflict is not None and result.rowcount != 1:
            raise self.conflict


class _RolledBack(Exception):
    """Given to the transaction's context manager so that it rolls back."""


class UnitOfWork:
    def __init__(self, begin: Begin, direct: DirectTransactions | None = None) -> None:
        """`begin` opens a transaction on a connection (`Database.transaction`); `direct`, on a
        SQLite file, runs a unit made only of `write`s in one hand-over at its commit."""
        self._begin = begin
        self._direct = direct
        self._stack: AsyncExitStack | None = None
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._deferred: list[RowWrite] = []

    @property
    def is_open(self) -> bool:
        """The transaction has begun on the engine (something ran in it)."""
        return self._connection is not None

    @property
    def has_writes(self) -> bool:
        """Something ran in the unit, or a `write` waits for its commit."""
        return self._connection is not None or bool(self._deferred)

    async def connection(self) -> AsyncConnection:
        """The unit's connection, its transaction begun on first use (Core statements); the writes
        kept for the commit run first, in their order."""
        if self._connection is None:
            stack = AsyncExitStack()
            self._connection = await stack.enter_async_context(self._begin())
            self._stack = stack
            deferred, self._deferred = self._deferred, []
            try:
                for write in deferred:
                    await write.run_in(self._connection)
            except BaseException as error:
                await self._end(error)
                raise
        return self._connection

    async def write(self, write: RowWrite) -> None:
        """A write of the unit. On a SQLite file, while nothing else ran in the unit, it is kept for
        the commit, which then runs the unit's writes and COMMIT in one hand-over to SQLite's thread
        (`DirectTransactions`): the same statements in the same transaction, a `conflict` raised by
        the commit instead. Anything else joining the unit runs the kept writes first. Elsewhere it
        runs at once on the unit's connection."""
        if self._direct is not None and self._connection is None:
            self._deferred.append(write)
            return
        async with self.joined() as connection:
            await write.run_in(connection)

    async def session(self) -> AsyncSession:
        """An ORM session on the unit's connection; flushed, never committed, by the unit."""
        if self._session is None:
            self._session = AsyncSession(bind=await self.connection(), expire_on_commit=False)
        return self._session

    @asynccontextmanager
    async def joined(self) -> AsyncIterator[AsyncConnection]:
        """The connection for a block; an error inside rolls the whole unit back and is raised again."""
        try:
            yield await self.connection()
        except BaseException as error:
            await self._end(error)
            raise

    async def commit(self) -> None:
        if self._deferred:  # nothing ran on the engine: the writes and COMMIT in one hand-over
            deferred, self._deferred = self._deferred, []
            await self._run_directly(deferred)
            return
        if self._session is not None:
            try:
                await self._session.flush()
            except BaseException as error:
                await self._end(error)
                raise
        await self._end(None)

    async def rollback(self) -> None:
        await self._end(_RolledBack())

    async def _run_directly(self, writes: list[RowWrite]) -> None:
        steps = []
        for write in writes:
            statement = self._direct.statement(write.statement)
            steps.append((statement.sql, statement.parameters(write.parameters), False, write.conflict is not None))
        try:
            await self._direct.run(steps)
        except UnexpectedRowCount as error:
            raise writes[error.index].conflict from None

    async def _end(self, error: BaseException | None) -> None:
        self._deferred = []
        stack, session = self._stack, self._session
        self._stack, self._connection, self._session = None, None, None
        if session is not None:
            await session.close()
        if stack is None:
            return
        if error is None:
            await stack.aclose()
        else:
            await stack.__aexit__(type(error), error, error.__traceback__)


@dataclass
class WriteJournal:
    """Whether a statement that changes data ran inside the watched block."""

    wrote: bool = False


_journal: ContextVar[WriteJournal | None] = ContextVar("spaser_write_journal", default=None)


@contextmanager
def journal_writes() -> Iterator[WriteJournal]:
    """Notes any data-changing statement run by this task (and what it awaits) until the block ends."""
    journal = WriteJournal()
    token = _journal.set(journal)
    try:
        yield journal
    finally:
        _journal.reset(token)


def note_write(_connection, _cursor, _statement, _parameters, context, _executemany) -> None:
    """SQLAlchemy `before_cursor_execute` listener; runs in the task that executes the statement."""
    journal = _journal.get()
    if journal is not None and not journal.wrote and context is not None:
        if context.isinsert or context.isupdate or context.isdelete:
            journal.wrote = True
