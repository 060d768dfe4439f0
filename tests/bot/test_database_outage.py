"""The database out of reach for a while: turns get a clear French answer (not the generic error),
the health check says 503, the dialog in progress is kept, and everything works again when the
database is back, without a restart. Long version: reliability/database_outage.py."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import text

from bot.console import ConsoleConversation
from bot.runtime import DATABASE_DOWN_REPLY, build_runtime
from storage.db import Database, database_unavailable
from tests.committees_support import postgres_database  # noqa: F401 - fixture
from tests.conftest import make_settings, texts
from tests.fakes.tcp_proxy import TcpProxy, free_port, target_of, through_proxy

pytestmark = pytest.mark.reliability


async def test_a_turn_while_postgresql_is_cut_off_gets_the_french_message_and_the_dialog_resumes_after(
    postgres_database, clock  # noqa: F811 - fixture
):
    proxy = TcpProxy(*target_of(postgres_database.url))
    await proxy.restore()
    proxied = Database(through_proxy(postgres_database.url, proxy), connect_args=postgres_database.connect_args)
    runtime = build_runtime(make_settings(proxied.url), database=proxied, clock=clock)
    lead = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille Martin")
    try:
        assert "code court" in texts(await lead.say("ajouter une direction"))
        await proxy.cut()
        during = texts(await lead.say("DAF"))
        health_during = await runtime.health()
        await proxy.restore()
        health_after = await runtime.health()
        resumed = texts(await lead.say("DAF"))
    finally:
        await proxy.cut()
        await proxied.dispose()

    assert during == DATABASE_DOWN_REPLY
    assert health_during["status"] == "unavailable" and health_during["database"] == "unreachable"
    assert health_after["status"] == "ok"
    assert "nom complet de la direction DAF" in resumed, "the dialog was kept, not dropped"


async def test_while_another_process_holds_the_sqlite_write_lock_turns_and_health_say_unavailable(runtime, talk, sqlite_database):
    """`SELECT 1` still answers under another process's write lock, yet no turn can work: the
    health check must take the write lock to tell. (Waits SQLite's 5 s busy timeout once.)"""
    lead = talk()
    assert "code court" in texts(await lead.say("ajouter une direction"))
    other_process = sqlite3.connect(sqlite_database.url.split("///", 1)[1], isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    try:
        during, health_during = await asyncio.gather(lead.say("DAF"), runtime.health())
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    resumed = texts(await lead.say("DAF"))

    assert texts(during) == DATABASE_DOWN_REPLY
    assert health_during["status"] == "unavailable"
    assert (await runtime.health())["status"] == "ok"
    assert "nom complet de la direction DAF" in resumed


async def test_what_counts_as_the_database_being_unavailable(sqlite_database):
    unreachable = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none")  # nobody listens there
    try:
        with pytest.raises(OSError) as refused:
            async with unreachable.session() as session:
                await session.execute(text("SELECT 1"))
    finally:
        await unreachable.dispose()
    with pytest.raises(Exception) as missing_table:
        async with sqlite_database.session() as session:
            await session.execute(text("SELECT * FROM no_such_table"))

    assert database_unavailable(refused.value), "connection refused inside the driver"
    assert not database_unavailable(missing_table.value), "a bug, not an outage"
    assert not database_unavailable(ConnectionRefusedError("raised by something else than the database driver"))
    assert not database_unavailable(ValueError("bad input"))
    # sqlite3's own errors, unwrapped, from a transaction run on the driver (Database.direct: the claim)
    assert database_unavailable(sqlite3.OperationalError("database is locked"))
    assert not database_unavailable(sqlite3.OperationalError("no such table: processed_activity"))


async def test_a_card_save_whose_commit_answer_is_lost_is_confirmed_once(postgres_database, clock):  # noqa: F811
    from tests.indicators_support import seed, value_rows

    proxy = TcpProxy(*target_of(postgres_database.url))
    await proxy.restore()
    proxied = Database(through_proxy(postgres_database.url, proxy), connect_args=postgres_database.connect_args)
    runtime = build_runtime(make_settings(proxied.url), database=proxied, clock=clock)
    await seed(runtime)
    nadia = ConsoleConversation(runtime, aad_object_id="nadia-aad", name="Nadia Benali")
    card = {"action": "indicators.submit", "card_id": "lost-commit", "directorate": "DCP", "valeur|IND-01|2026-T3": "12"}
    try:
        proxy.cut_on(b"COMMIT", after_the_server_ran_it=True, once_sent=b"UPDATE processed_activity")
        said = texts(await nadia.submit(card))
        rows = await value_rows(runtime)
    finally:
        await proxy.cut()
        await proxied.dispose()

    assert proxy.sprung.is_set()
    print(said)
    assert "Enregistré pour la direction DCP" in said
    assert len(rows) == 1


async def test_a_connection_lost_under_a_turn_gets_the_database_message_and_keeps_the_dialog(postgres_database, clock):  # noqa: F811
    proxy = TcpProxy(*target_of(postgres_database.url))
    await proxy.restore()
    url = through_proxy(postgres_database.url, proxy) + "?prepared_statement_cache_size=0"
    connect_args = {**postgres_database.connect_args, "statement_cache_size": 0}
    proxied = Database(url, connect_args=connect_args)
    runtime = build_runtime(make_settings(proxied.url), database=proxied, clock=clock)
    lead = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille Martin")
    try:
        assert "code court" in texts(await lead.say("ajouter une direction"))
        proxy.cut_on(b"UPDATE bot_state")  # its text is sent each time: no prepared statements
        during = texts(await lead.say("DAF"))
        resumed = texts(await lead.say("DAF"))
    finally:
        await proxy.cut()
        await proxied.dispose()

    assert proxy.sprung.is_set()
    assert during == DATABASE_DOWN_REPLY
    assert "nom complet de la direction DAF" in resumed, "the dialog was kept, not dropped"


async def test_a_session_ended_by_the_server_counts_as_the_database_being_unavailable(postgres_database):  # noqa: F811
    """`pg_terminate_backend`, as a failover or an administrator does: asyncpg's AdminShutdownError."""
    async with postgres_database.engine.connect() as doomed:
        pid = (await doomed.execute(text("SELECT pg_backend_pid()"))).scalar()
        async with postgres_database.engine.connect() as administrator:
            await administrator.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(Exception) as ended:
            await doomed.execute(text("SELECT 1"))
        await doomed.invalidate()
    assert database_unavailable(ended.value)
