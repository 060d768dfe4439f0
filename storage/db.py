"""Async engine, session factory and start-up migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, exc, make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.sqlite_driver import (
    COMMIT_WITH_STATEMENT,
    DirectTransactions,
    commit_with_marked_statement,
    connect_with_prefetching,
)
from storage.sqlite_writers import SqliteWriterQueue
from storage.unit_of_work import UnitOfWork, note_write

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets the scheduler read while a turn writes; foreign keys are off by default in SQLite.

    With WAL, `synchronous=NORMAL` syncs the log at checkpoints instead of at every commit (a
    commit cost ~0.3 ms, up to 12 ms on a busy VM): a crash of the bot loses nothing, a power cut
    can lose the last commits but never corrupts the database (SQLite's documented guarantee).
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _roll_back_only_open_transactions(dbapi_connection, record, reset_state) -> None:
    """A connection going back to the pool is rolled back only if a transaction is still open (or
    a statement whose caller was cancelled is still queued for aiosqlite's thread).

    Sessions end with a commit or a rollback already; the pool's own unconditional rollback was
    one more round trip to aiosqlite's thread for every unit of work.
    """
    driver = record.driver_connection
    if reset_state.asyncio_safe and driver is not None and not driver.idle_outside_transaction:
        dbapi_connection.rollback()


def _revision_fields(path: Path) -> dict[str, object]:
    """The module-level `revision`, `down_revision` and `depends_on` of a migration file, read
    without running it."""
    fields: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("revision", "down_revision", "depends_on"):
                fields[name] = ast.literal_eval(node.value)
    return fields


def _as_set(value: object) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


@functools.cache
def migration_heads(versions_dir: Path = MIGRATIONS_DIR / "versions") -> frozenset[str]:
    """What `alembic_version` holds once every migration ran: the revisions no other revision
    follows or depends on (as Alembic records them). Read once per process: the files do not change
    while it runs, and parsing them at every start of a database once failed in the suite with
    CPython 3.11's « AST constructor recursion depth mismatch » SystemError."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in versions_dir.glob("*.py"):
        fields = _revision_fields(path)
        if "revision" not in fields:
            continue
        revisions.add(str(fields["revision"]))
        followed |= _as_set(fields.get("down_revision")) | _as_set(fields.get("depends_on"))
    return frozenset(revisions - followed)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


class Database:
    """Owns the engine; one per app, built from settings, disposed when the app stops."""

    def __init__(self, url: str, *, echo: bool = False, connect_args: dict | None = None) -> None:
        self.url = url
        self.connect_args = connect_args or {}
        engine_args: dict = {"echo": echo, "connect_args": connect_args or {}}
        if self.is_sqlite:
            engine_args["pool_reset_on_return"] = None
        else:
            engine_args["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **engine_args)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "do_connect", connect_with_prefetching)
            event.listen(self.engine.sync_engine, "connect", _enable_sqlite_pragmas)
            event.listen(self.engine.sync_engine.pool, "reset", _roll_back_only_open_transactions)
            event.listen(self.engine.sync_engine, "before_cursor_execute", commit_with_marked_statement)
        event.listen(self.engine.sync_engine, "before_cursor_execute", note_write)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writers = SqliteWriterQueue(self.engine) if self.is_sqlite else None
        sqlite_file = self.sqlite_file
        self.direct: DirectTransactions | None = None
        """Short transactions in one hand-over to SQLite's thread (a SQLite file only; None otherwise)."""
        if self._writers is not None and sqlite_file is not None:
            connect_args, connect_params = self.engine.dialect.create_connect_args(self.engine.url)
            self.direct = DirectTransactions(
                connect_args[0], {**connect_params, **self.connect_args}, self.engine.dialect, self._writers,
                _enable_sqlite_pragmas,
            )

    def _unit_of_work(self) -> AbstractAsyncContextManager:
        """On SQLite, the unit's writes queue behind this process's other writers (sqlite_writers.py)."""
        return self._writers.unit_of_work() if self._writers is not None else nullcontext()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def sqlite_file(self) -> Path | None:
        """The database file of a SQLite URL; None for PostgreSQL or an in-memory SQLite."""
        url = make_url(self.url)
        if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
            return None
        return Path(url.database).resolve()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed when the block ends normally, rolled back otherwise."""
        async with self._unit_of_work(), self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def new_unit(self) -> UnitOfWork:
        """A unit of work whose owner commits or rolls it back (a turn's)."""
        return UnitOfWork(self.transaction, self.direct)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work committed when the block ends normally, rolled back otherwise."""
        unit = self.new_unit()
        try:
            yield unit
        except BaseException:
            await unit.rollback()
            raise
        await unit.commit()

    @asynccontextmanager
    async def session_in(self, uow: UnitOfWork | None) -> AsyncIterator[AsyncSession]:
        """The ORM session of `uow`, or of a unit of work of its own when none is given."""
        if uow is None:
            async with self.session() as session:
                yield session
        else:
            yield await uow.session()

    @asynccontextmanager
    async def connection_in(self, uow: UnitOfWork | None) -> AsyncIterator[AsyncConnection]:
        """The connection of `uow`, or of a transaction of its own when none is given."""
        if uow is None:
            async with self.transaction() as connection:
                yield connection
        else:
            async with uow.joined() as connection:
                yield connection

    async def read(self, *reads: tuple[Any, dict]) -> list[list]:
        """The rows of each (statement, parameters), read in that order in one transaction: data read
        after a version is at least as new as it (on SQLite all from one snapshot). On a SQLite file
        one hand-over to SQLite's thread, each statement compiled once (build them once) and its rows
        converted as SQLAlchemy converts them; elsewhere through the engine. Rows are tuples whose
        values are also read by column name. For Core statements of plain columns."""
        if self.direct is not None:
            bound = [(self.direct.statement(statement), parameters) for statement, parameters in reads]
            steps = [statement.bound(parameters) for statement, parameters in bound]
            raw = await self.direct.read(steps)
            return [[statement.named_row(row) for row in rows] for (statement, _), rows in zip(bound, raw)]
        async with self.transaction() as connection:
            return [(await connection.execute(statement, parameters)).all() for statement, parameters in reads]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A unit of work on a plain connection, for the per-turn paths that need no ORM objects
        (about half the Python work of a session per statement); same commit/rollback rule."""
        async with self._unit_of_work(), self.engine.begin() as connection:
            yield connection

    async def migrate(self) -> None:
        """Bring the schema to the newest migration; an existing database keeps its data.

        Alembic (~0.6 s to import, ~15 MB) is loaded only when a migration is to run: a database
        already at the newest revisions is told by reading `alembic_version`.
        """
        if await self._applied_revisions() == migration_heads():
            log.info("Database schema is up to date (%s)", self.engine.url.render_as_string(hide_password=True))
            return

        def upgrade(connection) -> None:
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

        async with self.engine.begin() as connection:
            await connection.run_sync(upgrade)
        log.info("Database schema is up to date (%s)", self.engine.url.render_as_string(hide_password=True))

    async def _applied_revisions(self) -> frozenset[str] | None:
        """The revisions recorded in `alembic_version`; None when there is no such table yet."""
        try:
            async with self.engine.connect() as connection:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                return frozenset(row[0] for row in rows)
        except exc.DBAPIError:
            return None

    def queued_write(self) -> AbstractAsyncContextManager:
        """Hold this process's write turn (SQLite) for a write made outside the engine."""
        return self._unit_of_work()

    async def dispose(self) -> None:
        if self.direct is not None:
            await self.direct.close()
        await self.engine.dispose()


@dataclass(frozen=True)
class RowRead:
    """One read made in another repository's transaction (a turn's claim, bot/prefetch.py): a
    statement built once, its parameters, and what to do with its first row (None when there is
    none), given as a plain tuple. Run last in its transaction."""

    statement: Any
    parameters: dict
    take: Callable[[tuple | None], None]

    async def run_in(self, connection: AsyncConnection) -> None:
        """Through the engine, on the caller's connection; on SQLite the commit goes with it."""
        result = await connection.execute(
            self.statement, self.parameters, execution_options={COMMIT_WITH_STATEMENT: True}
        )
        row = result.first()
        self.take(None if row is None else tuple(row))


DRIVER_MODULES = ("asyncpg", "aiosqlite", "sqlalchemy.pool", "sqlalchemy.engine", "sqlalchemy.dialects")
POSTGRES_UNAVAILABLE = ("08", "57P01", "57P02", "57P03", "53300")
"""SQLSTATEs of a lost or refused connection: connection exceptions, administrator or crash
shutdown, server starting, too many connections."""
SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly", "disk is full")
"""What SQLite says when the file cannot be used right now; its other `OperationalError`s (no such
table, syntax) are bugs."""


def database_unavailable(error: BaseException) -> bool:
    """True when `error` means the database cannot be reached or used right now (server down or
    cut off, SQLite file locked by another process), as opposed to a bug.

    SQLAlchemy wraps what the drivers report as `OperationalError`/`InterfaceError`, or as a plain
    `DBAPIError` marked `connection_invalidated` (a connection closed under a statement); a server
    shutting the session down carries its SQLSTATE; sqlite3 reports them unwrapped for a transaction
    run on the driver (`Database.direct`); asyncpg's connection failures (refused, reset,
    timed out) come through unwrapped, as `OSError` or `TimeoutError` raised inside the driver,
    which the traceback tells.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, exc.OperationalError) and type(getattr(current, "orig", None)).__module__ == "sqlite3":
            if any(sign in str(current.orig).lower() for sign in SQLITE_UNAVAILABLE):
                return True
        elif isinstance(current, sqlite3.OperationalError):  # unwrapped: a transaction run on the driver (`direct`)
            if any(sign in str(current).lower() for sign in SQLITE_UNAVAILABLE):
                return True
        elif isinstance(current, (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError)):
            return True
        elif isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        if str(getattr(current, "sqlstate", "") or "").startswith(POSTGRES_UNAVAILABLE):
            return True
        if isinstance(current, (OSError, TimeoutError)) and _raised_in_driver(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _raised_in_driver(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.startswith(DRIVER_MODULES):
            return True
        traceback = traceback.tb_next
    return False
