"""Claims on incoming activities, so that a Teams re-delivery has no second effect."""

from __future__ import annotations

import asyncio
import enum
import logging
import sqlite3
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import Field, SQLModel

from storage.columns import timestamp, utcnow
from storage.db import Database, RowRead
from storage.sqlite_driver import COMMIT_WITH_STATEMENT
from storage.unit_of_work import RowWrite

log = logging.getLogger(__name__)


class ProcessedActivity(SQLModel, table=True):
    """Incoming activity ids: claimed when their turn starts, completed in the turn's own commit, so
    that a Teams re-delivery has no second effect and a turn cut short by a crash runs again."""

    __tablename__ = "processed_activity"

    activity_key: str = Field(primary_key=True, max_length=600)
    received_at: datetime = timestamp(index=True)
    completed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class ClaimOutcome(enum.Enum):
    CLAIMED = "claimed"  # this turn runs the activity
    HANDLED = "handled"  # a turn that ran it has committed: a re-delivery, no second effect
    IN_PROGRESS = "in_progress"  # a turn elsewhere is running it and its lease has not run out


COMPLETION_DELAY_S = 0.1
"""How long the completion of a turn that wrote nothing waits for the next claim to carry it (see
`ProcessedActivityRepository.complete_soon`) before it is written in a transaction of its own."""
CLAIM_LEASE = timedelta(seconds=10)
"""How long a claimed activity is left to the turn that claimed it. Teams gives a turn 15 s; a turn
still running after 10 s is stuck or its process died, and its state was not committed (the claim
is completed in the same commit), so running the activity again loses nothing and doubles nothing."""


_COMPLETE = (
    update(ProcessedActivity.__table__)
    .where(ProcessedActivity.__table__.c.activity_key == bindparam("key"))
    .values(completed_at=bindparam("now"))
)
# Built once: a statement made anew each turn has its SQL cache key computed each time (~0.3 ms).
_CLAIM = insert(ProcessedActivity.__table__).values(activity_key=bindparam("key"), received_at=bindparam("now"))
_COMPLETE_MANY = (
    update(ProcessedActivity.__table__)
    .where(ProcessedActivity.__table__.c.activity_key.in_(bindparam("keys", expanding=True)))
    .values(completed_at=bindparam("now"))
)


class ProcessedActivityRepository:
    """Incoming activity ids, so that Teams' re-deliveries have no second effect.

    A claim is taken when the turn starts (shared by every instance through the database) and
    completed in the commit of the turn's state (`complete_in`). A process killed during a turn
    leaves its claim incomplete: the re-delivery takes it over once the lease has run out, instead
    of being ignored while nothing of the first turn was kept.

    A turn that wrote nothing has no commit to complete its claim in: `complete_soon` completes
    such claims in batches, after the answer, rather than with one more transaction per turn on the
    answer's path. The next claim's transaction, a write already, carries the batch (one statement
    more in it, one transaction fewer); without a claim within `completion_delay` seconds the batch
    is written on its own. A crash before the batch is written costs at most one repeated answer to
    a question, never a repeated write; a re-delivery meanwhile waits for it as for a turn running.
    """

    def __init__(
        self, database: Database, lease: timedelta = CLAIM_LEASE, completion_delay: float = COMPLETION_DELAY_S
    ) -> None:
        self._db = database
        self.lease = lease
        self._completion_delay = completion_delay
        self._pending: dict[str, datetime] = {}
        self._writer: asyncio.Task | None = None
        self._wake: asyncio.Future | None = None
        self._flushing = 0

    async def claim(self, activity_key: str, now: datetime, read: RowRead | None = None) -> ClaimOutcome:
        """Every turn starts here: plain connections, without an ORM session's work.

        `read` runs in the claim's own transaction, right after the claim is taken and before it
        commits: what the turn reads first (the person, the dialog state) comes in the same round
        trip. It does not run when the claim is not taken at once (a re-delivery, a lease taken
        over): the turn then reads as usual. The completions waiting for a batch (`complete_soon`)
        are written in the same transaction; if it fails they wait for the next.

        On a SQLite file the whole transaction (claim, completions, read, commit) is one hand-over
        to SQLite's thread (`Database.direct`); elsewhere it goes through the engine.
        """
        key = activity_key[:600]
        batch, self._pending = self._pending, {}
        try:
            if self._db.direct is not None:
                await self._claim_directly(key, now, batch, read)
            else:
                async with self._db.transaction() as connection:
                    await connection.execute(_CLAIM, {"key": key, "now": now})
                    if batch:
                        await connection.execute(_COMPLETE_MANY, {"keys": list(batch), "now": max(batch.values())})
                    if read is not None:
                        await read.run_in(connection)
            return ClaimOutcome.CLAIMED
        except (IntegrityError, sqlite3.IntegrityError):
            self._keep_pending(batch)
        except BaseException:
            self._keep_pending(batch)
            raise
        async with self._db.transaction() as connection:
            taken_over = await connection.execute(
                update(ProcessedActivity)
                .where(
                    ProcessedActivity.activity_key == key,
                    ProcessedActivity.completed_at.is_(None),
                    ProcessedActivity.received_at <= now - self.lease,
                )
                .values(received_at=now)
            )
            if taken_over.rowcount == 1:
                return ClaimOutcome.CLAIMED
            completed_at = (
                await connection.execute(select(ProcessedActivity.completed_at).where(ProcessedActivity.activity_key == key))
            ).first()
        if completed_at is None:  # released meanwhile by a failed turn: claim it afresh
            return await self.claim(activity_key, now)
        return ClaimOutcome.HANDLED if completed_at[0] is not None else ClaimOutcome.IN_PROGRESS

    async def _claim_directly(self, key: str, now: datetime, batch: dict[str, datetime], read: RowRead | None) -> None:
        """The claim's transaction as one call in SQLite's thread: the same statements as through
        the engine (the completions as one statement per key), committed together."""
        direct = self._db.direct
        claim = direct.statement(_CLAIM)
        steps = [(claim.sql, claim.parameters({"key": key, "now": now}), False)]
        if batch:
            complete = direct.statement(_COMPLETE)
            at = max(batch.values())
            steps.append((complete.sql, [complete.parameters({"key": done, "now": at}) for done in batch], True))
        reader = None if read is None else direct.statement(read.statement)
        if reader is not None:
            steps.append((reader.sql, reader.parameters(read.parameters), False))
        outcomes = await direct.run(steps)
        if reader is not None:
            rows = outcomes[-1]
            read.take(reader.row(rows[0]) if rows else None)

    @staticmethod
    def completion(activity_key: str, now: datetime) -> RowWrite:
        """`complete_in` as a `UnitOfWork.write`: committed with the turn's other writes."""
        return RowWrite(_COMPLETE, {"key": activity_key[:600], "now": now})

    async def complete_in(
        self, connection: AsyncConnection, activity_key: str, now: datetime, *, last_statement: bool = False
    ) -> None:
        """Mark the activity handled inside the turn's transaction: committed with its effects.

        `last_statement`: the transaction commits right after, with nothing else run in it; on
        SQLite the commit then goes with this statement, in one hand-over to the driver's thread.
        """
        await connection.execute(
            _COMPLETE, {"key": activity_key[:600], "now": now}, execution_options={COMMIT_WITH_STATEMENT: last_statement}
        )

    async def is_handled(self, activity_key: str) -> bool:
        """Whether the activity's turn committed: asked when the answer to its COMMIT was lost."""
        async with self._db.transaction() as connection:
            row = (
                await connection.execute(
                    select(ProcessedActivity.completed_at).where(ProcessedActivity.activity_key == activity_key[:600])
                )
            ).first()
        return row is not None and row[0] is not None

    def complete_soon(self, activity_key: str, now: datetime) -> None:
        """Mark the activity of a turn that wrote nothing handled, with the next claim or batch."""
        self._pending[activity_key[:600]] = now
        self._schedule_writer()

    def _keep_pending(self, batch: dict[str, datetime]) -> None:
        """Completions a failed claim did not write: back in the queue, for the next claim or batch."""
        if batch:
            for key, at in batch.items():
                self._pending.setdefault(key, at)
            self._schedule_writer()

    def _schedule_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_pending())

    async def flush(self) -> None:
        """Wait until the pending completions are written, without waiting for a claim (tests, shut-down)."""
        self._flushing += 1
        try:
            while self._writer is not None and not self._writer.done():
                if self._wake is not None and not self._wake.done():
                    self._wake.set_result(None)
                await asyncio.shield(self._writer)
        finally:
            self._flushing -= 1

    async def _write_pending(self) -> None:
        """What no claim carried within `completion_delay` seconds, in transactions of its own."""
        if not self._flushing:
            self._wake = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait([self._wake], timeout=self._completion_delay)
            finally:
                self._wake = None
        while self._pending:
            batch, self._pending = self._pending, {}
            try:
                async with self._db.transaction() as connection:
                    await connection.execute(
                        _COMPLETE_MANY,
                        {"keys": list(batch), "now": max(batch.values())},
                        execution_options={COMMIT_WITH_STATEMENT: True},
                    )
            except Exception:  # noqa: BLE001 - a background write: logged, and a re-delivery reruns a read-only turn
                log.warning("Could not mark %s answered activities as handled", len(batch), exc_info=True)

    async def release(self, activity_key: str) -> None:
        """Forget a key whose turn failed, so that Teams' retry is processed."""
        async with self._db.session() as session:
            await session.execute(delete(ProcessedActivity).where(ProcessedActivity.activity_key == activity_key[:600]))

    async def prune(self, older_than: timedelta, now: datetime | None = None) -> int:
        cutoff = (now or utcnow()) - older_than
        async with self._db.session() as session:
            result = await session.execute(delete(ProcessedActivity).where(ProcessedActivity.received_at < cutoff))
            return result.rowcount or 0
