"""botbuilder's conversation and user state, stored as JSON text with an eTag (read and written by
`bot/state/storage.py`, which turns the text into state objects).

A write carrying a stale eTag fails with `StateConflictError`; `*` or no eTag writes
unconditionally; every write issues a new eTag.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Column, Text, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import Field, SQLModel

from storage.columns import timestamp, utcnow
from storage.db import Database, RowRead
from storage.sqlite_driver import COMMIT_WITH_STATEMENT
from storage.unit_of_work import RowWrite


class BotStateRecord(SQLModel, table=True):
    """Conversation and user state of botbuilder, as JSON with an eTag."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=512)
    etag: str = Field(max_length=64)
    data: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = timestamp(onupdate=utcnow)


class StateConflictError(Exception):
    """Someone else wrote this state since it was read (stale eTag)."""


# Every turn reads and most turns write the state: the statements are built once, since building
# one and computing its cache key costs SQLAlchemy about as much as running it.
_STATE = BotStateRecord.__table__
_STATE_COLUMNS = (_STATE.c.key, _STATE.c.etag, _STATE.c.data)
_READ_ONE = select(*_STATE_COLUMNS).where(_STATE.c.key == bindparam("wanted"))
_READ_MANY = select(*_STATE_COLUMNS).where(_STATE.c.key.in_(bindparam("wanted", expanding=True)))
_NEW_VALUES = dict(etag=bindparam("new_etag"), data=bindparam("new_data"), updated_at=bindparam("now"))
_REPLACE = update(_STATE).where(_STATE.c.key == bindparam("wanted")).values(**_NEW_VALUES)
_REPLACE_IF_UNCHANGED = (
    update(_STATE)
    .where(_STATE.c.key == bindparam("wanted"), _STATE.c.etag == bindparam("expected"))
    .values(**_NEW_VALUES)
)
_CREATE = insert(_STATE).values(key=bindparam("wanted"), **_NEW_VALUES)


class BotStateRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def read(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """(key, eTag, JSON text) of the keys that are stored."""
        if not keys:
            return []
        statement = _READ_ONE if len(keys) == 1 else _READ_MANY
        async with self._db.transaction() as connection:
            return (await connection.execute(statement, {"wanted": keys[0] if len(keys) == 1 else keys})).all()

    @staticmethod
    async def read_in(connection: AsyncConnection, key: str, *, last_statement: bool = False) -> tuple[str, str] | None:
        """(eTag, JSON text) of `key` in the caller's transaction; None when nothing is stored.

        `last_statement`: the transaction commits right after (on SQLite, with this statement)."""
        row = (
            await connection.execute(
                _READ_ONE, {"wanted": key}, execution_options={COMMIT_WITH_STATEMENT: last_statement}
            )
        ).first()
        return None if row is None else (row[1], row[2])

    @staticmethod
    def state_read(key: str, take: Callable[[tuple[str, str] | None], None]) -> RowRead:
        """`read_in` of `key` as a read for another repository's transaction (a turn's claim)."""
        return RowRead(_READ_ONE, {"wanted": key}, lambda row: take(None if row is None else (row[1], row[2])))

    @staticmethod
    def checked_write(key: str, data: str, expected: str | None) -> tuple[RowWrite, str] | None:
        """`write_in` as a `UnitOfWork.write` when `expected` is a stored eTag: (the write, the new
        eTag); its unit's commit raises `StateConflictError` when the eTag is stale. None for an
        unconditional write (`write_in` then)."""
        if expected in (None, "", "*"):
            return None
        new_etag = uuid.uuid4().hex
        values = {"wanted": key, "new_etag": new_etag, "new_data": data, "now": utcnow(), "expected": expected}
        conflict = StateConflictError(f"state {key!r} was changed by another turn (stale eTag)")
        return RowWrite(_REPLACE_IF_UNCHANGED, values, conflict), new_etag

    @staticmethod
    async def write_in(connection: AsyncConnection, key: str, data: str, expected: str | None) -> str:
        """Store `data` under `key` in the caller's transaction; returns the new eTag.

        Raises `StateConflictError` when `expected` is an eTag that is no longer the stored one.
        """
        new_etag = uuid.uuid4().hex
        values = {"wanted": key, "new_etag": new_etag, "new_data": data, "now": utcnow()}
        if expected in (None, "", "*"):
            changed = await connection.execute(_REPLACE, values)
            if changed.rowcount == 0:
                try:
                    async with connection.begin_nested():
                        await connection.execute(_CREATE, values)
                except IntegrityError:
                    await connection.execute(_REPLACE, values)
        else:
            changed = await connection.execute(_REPLACE_IF_UNCHANGED, {**values, "expected": expected})
            if changed.rowcount != 1:
                raise StateConflictError(f"state {key!r} was changed by another turn (stale eTag)")
        return new_etag

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._db.transaction() as connection:
            await connection.execute(delete(_STATE).where(_STATE.c.key.in_(list(keys))))
