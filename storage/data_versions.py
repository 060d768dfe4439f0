"""Versions of the tables that readers keep in memory between turns, moved by the database itself.

Triggers (migration 0013) add one to a row of `data_version` on every insert, update or delete of
the tables it watches, whoever writes: the chat, an import, the CLI, a cascade, another instance.
A reader reads the versions in its turn's transaction and keeps what it built while they do not
change; it must read them before the data it keeps, so that kept data is never older than its
version. A missing row (a table emptied by hand) reads as None: never cache under it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import BigInteger, Column, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import Field, SQLModel

CATALOGUE = "catalogue"
"""`indicator` and `indicator_directorate`."""
DIRECTORATES = "directorates"
"""`directorate`."""
COMMITTEES = "committees"
"""`committee_type` and `meeting`."""


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    name: str = Field(primary_key=True, max_length=32)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


def version_of(name: str):
    """A scalar subquery for one version, to read several in one statement with other figures."""
    return select(DataVersion.version).where(DataVersion.name == name).scalar_subquery()


Versions = tuple[int | None, ...]
Key = TypeVar("Key", bound=Hashable)
Kept = TypeVar("Kept")


class VersionedCache(Generic[Key, Kept]):
    """What a reader built from some tables, per key, kept while their versions stay the same.

    The reader reads the versions first in its transaction (`versions`, or the same columns within
    a statement of its own), then asks `get`; on a miss it builds from the tables in that same
    transaction and `keep`s the result, which is therefore never older than the versions it is kept
    under. Nothing is kept under a missing version. Keep plain values or frozen objects, never ORM
    rows: what is kept outlives the session that read it. The least recently used keys are dropped
    beyond `capacity`.
    """

    def __init__(self, *names: str, capacity: int = 1) -> None:
        self.columns = tuple(version_of(name) for name in names)
        """The versions as columns, to read them first in a statement that reads other figures too."""
        self.statement = select(*self.columns) if names else None
        """The versions in one statement (built once), e.g. for `Database.read` with the data after."""
        self._capacity = capacity
        self._kept: OrderedDict[Key, tuple[Versions, Kept]] = OrderedDict()

    async def versions(self, executor: AsyncConnection | AsyncSession) -> Versions:
        """The versions of the tables named at construction, in one statement (built once). A session
        is taken as it is: asking it for its connection first would cost one more hand-over to the
        driver on SQLite (the transaction's start, then the statement)."""
        assert self.statement is not None, "no tables named: read the versions with your own statement"
        return tuple((await executor.execute(self.statement)).one())

    def get(self, key: Key, versions: Versions) -> Kept | None:
        found = self._kept.get(key)
        if found is None or found[0] != versions or None in versions:
            return None
        self._kept.move_to_end(key)
        return found[1]

    def latest(self, key: Key) -> tuple[Versions, Kept] | None:
        """What is kept for `key` and the versions it is kept under, whatever they are now: for a
        reader that reads the versions with data that depends on what is kept, and uses both only if
        the versions it read are these (`get` is the check)."""
        return self._kept.get(key)

    def keep(self, key: Key, versions: Versions, value: Kept) -> Kept:
        if None not in versions:
            self._kept[key] = (versions, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self._capacity:
                self._kept.popitem(last=False)
        return value

    async def get_or_build(self, key: Key, versions: Versions, build: Callable[[], Awaitable[Kept]]) -> Kept:
        """What is kept for `key` under `versions`, or what `build()` reads now, kept."""
        found = self.get(key, versions)
        return found if found is not None else self.keep(key, versions, await build())

    def clear(self) -> None:
        self._kept.clear()
