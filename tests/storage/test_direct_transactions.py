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
