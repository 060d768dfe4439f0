"""A turn's claim and its closing writes on a SQLite file, each as one hand-over to SQLite's thread
(`storage.sqlite_driver.DirectTransactions`, `UnitOfWork.write`): the statements SQLAlchemy would
send, committed together or not at all, a stale eTag refused as through the engine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from storage.activities import ClaimOutcome, ProcessedActivityRepository
from storage.bot_state import BotStateRepository, StateConflictError
from storage.people import _VIEW_AND_STATE

NOW = datetime(2026, 12, 6, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
async def stored_state(sqlite_database):
    async with sqlite_database.transaction() as connection:
        return await BotStateRepository.write_in(connection, "conv/1", '{"a": 1}', None)


async def _state(database) -> tuple[str, str] | None:
    async with database.transaction() as connection:
        return await BotStateRepository.read_in(connection, "conv/1")


async def test_a_sqlite_file_has_direct_transactions_and_an_in_memory_one_does_not(sqlite_database):
    from storage.db import Database

    in_memory = Database("sqlite+aiosqlite://")
    try:
        assert sqlite_database.direct is not None and in_memory.direct is None
    finally:
        await in_memory.dispose()


async def test_the_driver_gets_the_sql_and_parameters_sqlalchemy_sends(sqlite_database, stored_state):
    """Parameters converted as SQLAlchemy converts them (a datetime as its SQLite text), rows too."""
    from storage.activities import _CLAIM

    sent: list[tuple[str, tuple]] = []
    event.listen(sqlite_database.engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, parameters, *_a: sent.append((statement, tuple(parameters))))
    async with sqlite_database.transaction() as connection:
        await connection.execute(_CLAIM, {"key": "k1", "now": NOW})
        through_engine = (await connection.execute(
            _VIEW_AND_STATE, {"tenant": "t", "aad": "a", "wanted": "conv/1"})).one()
    direct = sqlite_database.direct
    claim, read = direct.statement(_CLAIM), direct.statement(_VIEW_AND_STATE)
    assert (claim.sql, claim.parameters({"key": "k1", "now": NOW})) == sent[0]
    assert (read.sql, read.parameters({"tenant": "t", "aad": "a", "wanted": "conv/1"})) == sent[1]
    [rows] = await direct.run([(read.sql, read.parameters({"tenant": "t", "aad": "a", "wanted": "conv/1"}), False)])
    assert read.row(rows[0]) == tuple(through_engine)


async def test_a_claim_reads_in_its_transaction_and_a_redelivery_is_refused(sqlite_database, stored_state):
    processed = ProcessedActivityRepository(sqlite_database)
    taken = []
    read = BotStateRepository.state_read("conv/1", taken.append)
    assert await processed.claim("msteams|a:1|m1", NOW, read) is ClaimOutcome.CLAIMED
    assert taken == [(stored_state, '{"a": 1}')]
    assert await processed.claim("msteams|a:1|m1", NOW, read) is ClaimOutcome.IN_PROGRESS
    assert taken == [(stored_state, '{"a": 1}')], "a refused claim reads nothing"


async def test_a_units_kept_writes_and_its_completion_commit_together(sqlite_database, stored_state):
    processed = ProcessedActivityRepository(sqlite_database)
    await processed.claim("msteams|a:1|m1", NOW)
    unit = sqlite_database.new_unit()
    write, new_etag = BotStateRepository.checked_write("conv/1", '{"a": 2}', stored_state)
    await unit.write(write)
    await unit.write(processed.completion("msteams|a:1|m1", NOW))
    assert unit.has_writes and not unit.is_open, "kept for the commit"
    assert not await processed.is_handled("msteams|a:1|m1")
    await unit.commit()
    assert await _state(sqlite_database) == (new_etag, '{"a": 2}')
    assert await processed.is_handled("msteams|a:1|m1")


async def test_a_stale_etag_at_the_commit_rolls_the_whole_unit_back(sqlite_database, stored_state):
    processed = ProcessedActivityRepository(sqlite_database)
    await processed.claim("msteams|a:1|m1", NOW)
    async with sqlite_database.transaction() as connection:  # another instance's turn, meanwhile
        other_etag = await BotStateRepository.write_in(connection, "conv/1", '{"a": 3}', stored_state)
    unit = sqlite_database.new_unit()
    write, _ = BotStateRepository.checked_write("conv/1", '{"a": 2}', stored_state)
    await unit.write(processed.completion("msteams|a:1|m1", NOW))
    await unit.write(write)
    with pytest.raises(StateConflictError):
        await unit.commit()
    assert await _state(sqlite_database) == (other_etag, '{"a": 3}')
    assert not await processed.is_handled("msteams|a:1|m1"), "the completion went back with the state"


async def test_kept_writes_run_first_when_the_unit_then_goes_through_the_engine(sqlite_database, stored_state):
    processed = ProcessedActivityRepository(sqlite_database)
    await processed.claim("msteams|a:1|m1", NOW)
    unit = sqlite_database.new_unit()
    write, new_etag = BotStateRepository.checked_write("conv/1", '{"a": 2}', stored_state)
    await unit.write(write)
    async with unit.joined() as connection:
        assert await BotStateRepository.read_in(connection, "conv/1") == (new_etag, '{"a": 2}')
        await processed.complete_in(connection, "msteams|a:1|m1", NOW)
    await unit.rollback()
    assert await _state(sqlite_database) == (stored_state, '{"a": 1}')
    assert not await processed.is_handled("msteams|a:1|m1")


async def test_on_postgresql_a_write_runs_at_once_in_the_units_transaction(database):
    if database.direct is not None:
        pytest.skip("SQLite file: kept for the commit (tests above)")
    async with database.transaction() as connection:
        etag = await BotStateRepository.write_in(connection, "conv/1", '{"a": 1}', None)
    unit = database.new_unit()
    write, new_etag = BotStateRepository.checked_write("conv/1", '{"a": 2}', etag)
    await unit.write(write)
    assert unit.is_open
    stale, _ = BotStateRepository.checked_write("conv/1", '{"a": 3}', etag)
    with pytest.raises(StateConflictError):
        await unit.write(stale)
    assert await _state(database) == (etag, '{"a": 1}'), "the refused write rolled the unit back"


async def test_observers_see_each_direct_transaction_as_it_runs(sqlite_database, stored_state):
    """benchmarks/count_statements.py and the tests count these statements: the engine's events do not see them."""
    processed = ProcessedActivityRepository(sqlite_database)
    seen: list[list[str]] = []
    sqlite_database.direct.observers.append(lambda statements: seen.append([sql.split()[0] for sql in statements]))
    await processed.claim("msteams|a:1|m1", NOW, BotStateRepository.state_read("conv/1", lambda _row: None))
    unit = sqlite_database.new_unit()
    write, _ = BotStateRepository.checked_write("conv/1", '{"a": 2}', stored_state)
    await unit.write(write)
    await unit.write(processed.completion("msteams|a:1|m1", NOW))
    await unit.commit()
    assert seen == [["INSERT", "SELECT"], ["UPDATE", "UPDATE"]]


async def test_a_read_gets_the_rows_sqlalchemy_gives_expanding_lists_included(database):
    """`Database.read`, on a SQLite file one hand-over to SQLite's thread: the SQL and parameters
    SQLAlchemy sends (an `IN` list rendered per call), rows converted as SQLAlchemy converts them
    (a datetime, a Decimal), read by position and by name; on PostgreSQL, the engine's rows."""
    from sqlalchemy import bindparam, select

    from storage.bot_state import BotStateRecord
    from storage.knowledge.repository import FINGERPRINT_COLUMNS
    from storage.summary.repository import _RECORDED_AFTER, _VERSIONS

    async with database.transaction() as connection:
        for key in ("conv/1", "conv/2", "conv/3"):
            await BotStateRepository.write_in(connection, key, '{"a": 1}', None)

    listed = select(BotStateRecord.key, BotStateRecord.etag, BotStateRecord.updated_at).where(
        BotStateRecord.key.in_(bindparam("keys", expanding=True)), BotStateRecord.key != bindparam("other")
    ).order_by(BotStateRecord.key)
    reads = [
        (listed, {"keys": ["conv/1", "conv/3", "conv/9"], "other": "conv/3"}),
        (select(*FINGERPRINT_COLUMNS), {}),
        (_VERSIONS, {"reader": 0}),
        (_RECORDED_AFTER, {"after_id": 0}),
    ]
    sent: list[tuple[str, tuple]] = []
    event.listen(database.engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, parameters, *_a: sent.append((statement, tuple(parameters))))
    async with database.transaction() as connection:
        through_engine = [(await connection.execute(statement, parameters)).all() for statement, parameters in reads]
    found = await database.read(*reads)
    assert [[tuple(row) for row in rows] for rows in found] == [[tuple(row) for row in rows] for rows in through_engine]
    assert [row.key for row in found[0]] == ["conv/1"] and found[0][0].updated_at == through_engine[0][0].updated_at
    if database.direct is not None:
        assert database.direct.statement(listed).bound(reads[0][1]) == sent[0]


async def test_a_read_does_not_wait_for_the_write_turn(sqlite_database, stored_state):
    """A read in WAL mode never waits for a writer: not even for this process's write turn, held meanwhile."""
    import asyncio

    from sqlalchemy import select

    from storage.bot_state import BotStateRecord

    async with sqlite_database.transaction() as connection:  # takes the write turn and SQLite's write lock
        await BotStateRepository.write_in(connection, "conv/2", '{"b": 1}', None)
        [[row]] = await asyncio.wait_for(
            sqlite_database.read((select(BotStateRecord.key).where(BotStateRecord.key == "conv/1"), {})), 5
        )
    assert row.key == "conv/1"
