"""One transaction for what a turn records and the dialog state that says it was recorded.

A save turn of the update dialog wrote twice: the value (with its audit trail), then, when the
turn ended, the dialog state that moved on to the next indicator — two transactions, two commits.
Recorded through the turn's `TurnTransaction`, the value stays uncommitted until the state is
written in the same transaction, and both are committed once, after the turn has run
(`bot.middleware.TurnTransactionMiddleware`), or both rolled back if the turn failed: a turn whose
state is refused (stale eTag, another instance) no longer leaves its value behind. The activity's
claim is completed in the same commit (`ProcessedActivityRepository.complete_in`): a turn is either
committed whole and known as handled, or not at all and run again when Teams re-delivers it.

Only what is written last in a turn may join: until the commit the transaction holds SQLite's
write lock, and another unit of work of the same turn that writes would wait for it. The turn's
replies are held until the turn has ended (`HoldRepliesMiddleware`), so « Enregistré » is never
shown for a value that was then rolled back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from botbuilder.core import TurnContext
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

TURN_TRANSACTION_KEY = "spaser.turn_transaction"


class _RolledBack(Exception):
    """Given to the transaction's context manager so that it rolls back."""


class TurnTransaction:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._stack: AsyncExitStack | None = None
        self._connection: AsyncConnection | None = None

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    @asynccontextmanager
    async def join(self) -> AsyncIterator[AsyncConnection]:
        """The turn's connection, its transaction begun on first use and left open at the end of
        the block; an error inside rolls the whole transaction back and is raised again."""
        if self._connection is None:
            stack = AsyncExitStack()
            self._connection = await stack.enter_async_context(self._database.transaction())
            self._stack = stack
        try:
            yield self._connection
        except BaseException as error:
            await self._end(error)
            raise

    async def commit(self) -> None:
        await self._end(None)

    async def rollback(self) -> None:
        await self._end(_RolledBack())

    async def _end(self, error: BaseException | None) -> None:
        stack, self._stack, self._connection = self._stack, None, None
        if stack is None:
            return
        if error is None:
            await stack.aclose()
        else:
            await stack.__aexit__(type(error), error, error.__traceback__)


def turn_transaction(turn_context: TurnContext) -> TurnTransaction | None:
    """The turn's transaction, None where no `TurnTransactionMiddleware` runs (then write alone)."""
    return turn_context.turn_state.get(TURN_TRANSACTION_KEY)
