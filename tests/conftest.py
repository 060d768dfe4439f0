"""Shared fixtures: real SQLite and PostgreSQL databases, the real bot runtime, conversations."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from app import RUNTIME, create_app
from bot.console import ConsoleConversation
from bot.runtime import BotRuntime, build_runtime
from bot.settings import Settings
from domain.clock import FakeClock
from domain.indicators.values import warm_up
from storage.db import Database
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.indicators_support import seed

pytest_plugins = ["tests.files_support"]
POSTGRES_URL = os.environ.get("SPASER_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
_postgres_state: dict[str, str | None] = {}


async def postgres_unavailable_reason() -> str | None:
    """None when the test PostgreSQL answers; otherwise why the PostgreSQL tests skip."""
    if "reason" not in _postgres_state:
        dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
        try:
            connection = await asyncpg.connect(dsn, timeout=3)
            await connection.close()
            _postgres_state["reason"] = None
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            _postgres_state["reason"] = f"PostgreSQL not reachable at {POSTGRES_URL} ({error.__class__.__name__}); set SPASER_TEST_POSTGRES_URL"
    return _postgres_state["reason"]


async def make_database(kind: str, tmp_path) -> tuple[Database, callable]:
    """A fresh, empty database of `kind` and a function that removes it."""
    if kind == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")

        async def drop() -> None:
            await database.dispose()

        return database, drop
    reason = await postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    async with admin.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})

    async def drop() -> None:
        await database.dispose()
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()

    return database, drop


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path) -> AsyncIterator[Database]:
    db, drop = await make_database(request.param, tmp_path)
    await db.migrate()
    yield db
    await drop()


@pytest.fixture
async def sqlite_database(tmp_path) -> AsyncIterator[Database]:
    db, drop = await make_database("sqlite", tmp_path)
    await db.migrate()
    yield db
    await drop()


def make_settings(database_url: str = "sqlite+aiosqlite://", **overrides) -> Settings:
    values = dict(database_url=database_url, admins=("lead-aad",), scheduler_enabled=False)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def clock() -> FakeClock:
    from datetime import UTC, datetime

    return FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))


@pytest.fixture
async def runtime(sqlite_database, clock) -> AsyncIterator[BotRuntime]:
    """The real bot on a real SQLite file; the lead is the person whose AAD id is `lead-aad`."""
    built = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=clock)
    yield built


@pytest.fixture
def talk(runtime):
    """`talk(aad_object_id, name)` opens a personal chat with the bot as that person."""

    def open_conversation(aad_object_id: str | None = "lead-aad", name: str = "Camille Martin", **kwargs):
        return ConsoleConversation(runtime, aad_object_id=aad_object_id, name=name, **kwargs)

    return open_conversation


async def whole_help(conversation) -> str:
    """The help's summary and each of its sections in full (« aide comités »…), as one string: what
    a person can reach from « aide »."""
    from domain.cards import HELP_TOPICS

    said = [texts(await conversation.say("aide"))]
    for word in HELP_TOPICS.values():
        said.append(texts(await conversation.say(f"aide {word}")))
    return "\n".join(said)


def texts(activities) -> str:
    """Everything the bot said, as one string, cards included."""
    from bot.console import render_as_text

    return "\n".join(render_as_text(activity) for activity in activities)


@pytest.fixture
async def connector() -> AsyncIterator[FakeTeamsConnector]:
    """A fake Teams connector on loopback: proactive sends and replies land there, never outside."""
    fake = FakeTeamsConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def client(tmp_path, clock) -> AsyncIterator[TestClient]:
    """The real aiohttp app (`create_app`) on a SQLite file, with the example catalogue and its people
    (`tests.indicators_support.seed`) and the recognizers warm; the clock is the `clock` fixture's.
    A test file that needs another app defines its own `client`."""
    warm_up()
    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'http.db'}"), clock=clock)
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    await seed(test_client.server.app[RUNTIME])
    yield test_client
    await test_client.close()
