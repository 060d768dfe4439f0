"""The health check's database verdict on real SQLite and PostgreSQL: a committed write to the
marker row of the database found at start-up."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain.clock import FakeClock
from storage.db import Database
from storage.health import DatabaseHealth, DatabaseState


@pytest.fixture
def health(database, clock) -> DatabaseHealth:
    return DatabaseHealth(database, clock)


async def test_the_database_found_at_start_up_is_ok_and_its_marker_records_the_check(database, health, clock: FakeClock):
    await health.adopt()
    assert await health.check() is DatabaseState.OK
    async with database.transaction() as connection:
        checked = (await connection.execute(text("SELECT checked_at FROM database_marker"))).scalar()
    assert checked is not None


async def test_another_database_in_its_place_is_replaced(database, health):
    await health.adopt()
    async with database.transaction() as connection:
        await connection.execute(text("UPDATE database_marker SET token = 'restored-elsewhere'"))
    assert await health.check() is DatabaseState.REPLACED


async def test_a_database_emptied_of_its_tables_is_replaced_or_unreachable(database, health):
    await health.adopt()
    async with database.transaction() as connection:
        await connection.execute(text("DROP TABLE database_marker"))
    assert await health.check() in (DatabaseState.REPLACED, DatabaseState.UNREACHABLE)


async def test_a_read_only_postgresql_database_is_read_only(tmp_path, clock):
    from tests.conftest import make_database

    database, drop = await make_database("postgresql", tmp_path)
    await database.migrate()
    search_path = database.connect_args["server_settings"]["search_path"]
    read_only = Database(
        database.url,
        connect_args={"server_settings": {"search_path": search_path, "default_transaction_read_only": "on"}},
    )
    try:
        assert await DatabaseHealth(read_only, clock).check() is DatabaseState.READ_ONLY
        assert await DatabaseHealth(database, clock).check() is DatabaseState.OK
    finally:
        await read_only.dispose()
        await drop()
