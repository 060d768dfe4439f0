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

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Begin = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


class _RolledBack(Exception):
    """Given to the transaction's context manager so that it rolls back."""


class UnitOfWork:
    def __init__(self, begin: Begin) -> None:
        """`begin` opens a transaction on a connection (`Database.transaction`)."""
        self._begin = begin
        self._stack: AsyncExitStack | None = None
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None

    @property
    def is_open(self) -> bool:
        """The transaction has begun (something ran in it)."""
        return self._connection is not None

    async def connection(self) -> AsyncConnection:
        """The unit's connection, its transaction begun on first use (Core statements)."""
        if self._connection is None:
            stack = AsyncExitStack()
            self._connection = await stack.enter_async_context(self._begin())
            self._stack = stack
        return self._connection

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
        if self._session is not None:
            try:
                await self._session.flush()
            except BaseException as error:
                await self._end(error)
                raise
        await self._end(None)

    async def rollback(self) -> None:
        await self._end(_RolledBack())

    async def _end(self, error: BaseException | None) -> None:
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
