"""SQLite through `storage.sqlite_driver`: one hand-over to aiosqlite's thread per statement, with
the results, counts, errors and transactions SQLAlchemy expects from aiosqlite."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage.sqlite_driver import COMMIT_WITH_STATEMENT, PrefetchingConnection, _connect
from tests.conftest import texts
from tests.indicators_support import seed, value_rows

metadata = MetaData()
item = Table("driver_item", metadata, Column("id", Integer, primary_key=True), Column("name", String, unique=True))


@pytest.fixture
async def database(sqlite_database):
    async with sqlite_database.transaction() as connection:
        await connection.run_sync(metadata.create_all)
    return sqlite_database


@pytest.fixture
def hand_overs(monkeypatch):
    """The calls handed to aiosqlite's thread, by function name."""
    calls: list[str] = []
    handed_over = PrefetchingConnection._execute

    async def counting(self, function, *args, **kwargs):
        calls.append(getattr(function, "__name__", repr(function)))
        return await handed_over(self, function, *args, **kwargs)

    monkeypatch.setattr(PrefetchingConnection, "_execute", counting)
    return calls


async def test_rows_counts_and_new_ids_come_back_as_sqlalchemy_expects(database):
    async with database.transaction() as connection:
        first = await connection.execute(insert(item).values(name="a"))
        await connection.execute(insert(item), [{"name": "b"}, {"name": "c"}])
        renamed = await connection.execute(update(item).where(item.c.name != "a").values(name=item.c.name + "!"))
        returned = await connection.execute(
            update(item).where(item.c.name == "a").values(name="A").returning(item.c.id)
        )
        rows = (await connection.execute(select(item.c.name).order_by(item.c.id))).scalars().all()

    assert first.inserted_primary_key == (1,)
    assert renamed.rowcount == 2
    assert returned.scalars().all() == [1]
    assert rows == ["A", "b!", "c!"]


async def test_an_orm_unit_of_work_gets_the_ids_it_inserted(database):
    async with database.session() as session:
        result = await session.execute(insert(item).values(name="orm").returning(item.c.id))
        assert result.scalar_one() == 1
        assert (await session.execute(text("SELECT count(*) FROM driver_item"))).scalar_one() == 1


async def test_a_refused_statement_raises_and_its_transaction_leaves_nothing(database):
    with pytest.raises(IntegrityError):
        async with database.transaction() as connection:
            await connection.execute(insert(item).values(name="same"))
            await connection.execute(insert(item).values(name="same"))
    async with database.transaction() as connection:
        assert (await connection.execute(select(item.c.name))).all() == []


async def test_each_statement_is_one_hand_over_and_a_read_only_unit_commits_nothing(database, hand_overs):
    async with database.transaction() as connection:
        await connection.execute(select(item.c.id).where(item.c.name == "x"))
        await connection.execute(select(item.c.id))
    assert hand_overs == ["_run", "_run"]

    hand_overs.clear()
    async with database.transaction() as connection:
        await connection.execute(insert(item).values(name="y"))
    assert hand_overs == ["_run", "commit"]


async def test_a_statement_marked_to_commit_with_it_commits_its_transaction_in_the_same_hand_over(database, hand_overs):
    async with database.transaction() as connection:
        await connection.execute(insert(item).values(name="first"))
        await connection.execute(
            update(item).where(item.c.name == "first").values(name="renamed"),
            execution_options={COMMIT_WITH_STATEMENT: True},
        )
    assert hand_overs == ["_run", "_run"], "SQLAlchemy's commit after it found nothing to commit"
    async with database.engine.connect() as elsewhere:
        assert (await elsewhere.execute(select(item.c.name))).scalars().all() == ["renamed"]


async def test_a_marked_statement_that_fails_commits_nothing(database):
    async with database.transaction() as connection:
        await connection.execute(insert(item).values(name="taken"))
    with pytest.raises(IntegrityError):
        async with database.transaction() as connection:
            await connection.execute(insert(item).values(name="half of a refused unit"))
            await connection.execute(insert(item).values(name="taken"), execution_options={COMMIT_WITH_STATEMENT: True})
    async with database.transaction() as connection:
        assert (await connection.execute(select(item.c.name))).scalars().all() == ["taken"]


async def test_a_marked_statement_stopped_before_it_ran_leaves_the_next_unit_committed_only_at_its_end(database):
    """Marked, then refused by a later listener (as the writer queue refuses after waiting too long):
    the mark must not make the connection's next statement, in another unit, commit at once."""

    def refuse_marked(_connection, _cursor, _statement, _parameters, context, _many):
        if context.execution_options.get(COMMIT_WITH_STATEMENT):
            raise RuntimeError("refused before it reached the driver")

    event.listen(database.engine.sync_engine, "before_cursor_execute", refuse_marked)
    with pytest.raises(RuntimeError):
        async with database.transaction() as connection:
            await connection.execute(insert(item).values(name="marked, then refused"), execution_options={COMMIT_WITH_STATEMENT: True})
    with pytest.raises(ValueError):
        async with database.transaction() as connection:
            await connection.execute(insert(item).values(name="written before the unit failed"))
            raise ValueError("the unit fails after its statement")
    async with database.transaction() as connection:
        assert (await connection.execute(select(item.c.name))).scalars().all() == []


async def test_a_connection_given_back_mid_transaction_is_rolled_back(database):
    """Written straight through the driver, unknown to SQLAlchemy: the pool's check still undoes it."""
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.execute("INSERT INTO driver_item (name) VALUES ('half-written')")
        assert raw.driver_connection.in_transaction
    async with database.transaction() as connection:
        assert (await connection.execute(select(item.c.name))).all() == []
        await connection.execute(insert(item).values(name="next writer is not blocked"))


async def test_a_statement_still_queued_when_its_caller_gave_up_is_rolled_back_not_left_open(tmp_path):
    """The rollback is only skipped when nothing is queued: here the insert runs after it is asked."""
    connection = await _connect(str(tmp_path / "queued.db"))
    try:
        await connection.execute("CREATE TABLE queued (name TEXT)")
        await connection.commit()
        busy = asyncio.create_task(connection._execute(time.sleep, 0.2))
        await asyncio.sleep(0)
        insert_row = asyncio.create_task(connection.cursor().execute("INSERT INTO queued VALUES ('late')"))
        await asyncio.sleep(0)
        insert_row.cancel()
        await connection.rollback()
        await busy

        assert not connection.in_transaction
        async with connection.execute("SELECT count(*) FROM queued") as rows:
            assert (await rows.fetchone())[0] == 0
    finally:
        await connection.close()


async def test_a_save_turn_commits_its_value_state_and_claim_with_its_last_statement(runtime, talk, hand_overs):
    """The update dialog's « oui »: the value, the dialog state and the activity's claim are one
    transaction, committed in the hand-over of its last statement; the claim's own transaction, when
    the turn starts, commits with its last read (the dialog state, bot/prefetch.py): no commit is
    handed over alone."""
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")
    for answer in ("mettre à jour mes indicateurs", "45", "aucun"):
        await nadia.say(answer)
    hand_overs.clear()

    saved = await nadia.say("oui")

    assert " pour IND-01." in texts(saved)
    assert hand_overs.count("commit") == 0
    assert [row[0] for row in await value_rows(runtime)] == ["IND-01"]
