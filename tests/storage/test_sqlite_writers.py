"""Writers of one process queue in turn on a SQLite file instead of failing with "database is locked".

A write transaction keeps SQLite's lock across event-loop round trips; the other writers used to
wait in SQLite's busy handler and fail after `busy_timeout`, which the load test
(benchmarks/load_200_users.py) hit under 200 simultaneous users. Here SQLite's busy timeout is cut
to 50 ms so that any writer left to SQLite's busy handler fails at once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text

from domain.clock import FakeClock
from storage.db import Database, database_unavailable
from storage.health import DatabaseHealth, DatabaseState

SHORT_BUSY_TIMEOUT_MS = 50


def _short_busy_timeout(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SHORT_BUSY_TIMEOUT_MS}")
    cursor.close()


@pytest.fixture
async def database(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}")
    event.listen(database.engine.sync_engine, "connect", _short_busy_timeout)
    await database.migrate()
    async with database.transaction() as connection:
        await connection.execute(text("CREATE TABLE entry (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)"))
    yield database
    await database.dispose()


async def _insert(session, writer: str) -> None:
    await session.execute(text("INSERT INTO entry (writer) VALUES (:writer)"), {"writer": writer})


async def _writers(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.execute(text("SELECT writer FROM entry ORDER BY id"))).scalars())


async def test_a_writer_waits_for_the_open_write_transaction_of_another_instead_of_failing(database):
    first_wrote, release_first = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with database.session() as session:
            await _insert(session, "first")
            first_wrote.set()
            await release_first.wait()

    async def second() -> None:
        await first_wrote.wait()
        async with database.session() as session:
            await _insert(session, "second")

    holder, waiter = asyncio.create_task(first()), asyncio.create_task(second())
    await first_wrote.wait()
    await asyncio.sleep(SHORT_BUSY_TIMEOUT_MS / 1000 * 4)  # SQLite's busy handler would have given up by now
    assert not waiter.done(), "the second writer waits while the first transaction is open"
    release_first.set()
    await asyncio.gather(holder, waiter)

    assert await _writers(database) == ["first", "second"]


async def test_many_writers_at_once_all_commit(database):
    async def write(number: int) -> None:
        async with database.session() as session:
            await _insert(session, f"w{number:03d}")
            await asyncio.sleep(0.005)  # the transaction stays open across event-loop round trips

    await asyncio.gather(*(write(number) for number in range(60)))

    assert sorted(await _writers(database)) == [f"w{number:03d}" for number in range(60)]


async def test_reads_do_not_wait_for_a_writer(database):
    release_writer = asyncio.Event()
    wrote = asyncio.Event()

    async def writer() -> None:
        async with database.session() as session:
            await _insert(session, "open")
            wrote.set()
            await release_writer.wait()

    task = asyncio.create_task(writer())
    await wrote.wait()
    assert await _writers(database) == [], "a reader sees the last committed state without waiting"
    release_writer.set()
    await task
    assert await _writers(database) == ["open"]


async def test_plain_transactions_and_the_health_ping_take_their_turn_too(database):
    release_writer = asyncio.Event()
    wrote = asyncio.Event()

    async def writer() -> None:
        async with database.session() as session:
            await _insert(session, "session")
            wrote.set()
            await release_writer.wait()

    async def plain() -> None:
        async with database.transaction() as connection:
            await connection.execute(text("INSERT INTO entry (writer) VALUES ('transaction')"))

    task = asyncio.create_task(writer())
    await wrote.wait()
    waiting = [asyncio.create_task(plain()), asyncio.create_task(DatabaseHealth(database, FakeClock(datetime(2026, 11, 30, tzinfo=UTC))).check())]
    await asyncio.sleep(SHORT_BUSY_TIMEOUT_MS / 1000 * 4)
    release_writer.set()
    await task
    _, healthy = await asyncio.gather(*waiting)

    assert healthy is DatabaseState.OK
    assert await _writers(database) == ["session", "transaction"]


async def test_a_writer_waiting_too_long_fails_as_an_unavailable_database(database):
    database._writers._max_wait = 0.05
    release_writer = asyncio.Event()
    wrote = asyncio.Event()

    async def writer() -> None:
        async with database.session() as session:
            await _insert(session, "slow")
            wrote.set()
            await release_writer.wait()

    task = asyncio.create_task(writer())
    await wrote.wait()
    with pytest.raises(Exception) as raised:
        async with database.session() as session:
            await _insert(session, "late")
    release_writer.set()
    await task

    assert "database is locked" in str(raised.value)
    assert database_unavailable(raised.value), "the turn gets the French 'database unavailable' answer"
    assert await _writers(database) == ["slow"]


async def test_a_unit_nested_in_a_writing_unit_of_the_same_task_does_not_wait_for_itself(database):
    async with database.session() as outer:
        await _insert(outer, "outer")
        async with database.session() as inner:
            rows = (await inner.execute(text("SELECT count(*) FROM entry"))).scalar_one()

    assert rows == 0, "the inner unit read the committed state, without waiting for the outer one"
    assert await _writers(database) == ["outer"]
