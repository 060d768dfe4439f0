"""The SQL a piece of code runs, whichever way it goes: through the engine, or on a SQLite file as
one hand-over to SQLite's thread (`Database.direct`, whose statements the engine's events do not see)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_run(database) -> Iterator[list[str]]:
    """Every statement run meanwhile, in order, as one-line SQL."""
    seen: list[str] = []

    def on_statement(_connection, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    def on_direct(statements: list[str]) -> None:
        seen.extend(" ".join(sql.split()) for sql in statements)

    engine = database.engine.sync_engine
    direct = database.direct.observers if database.direct is not None else []
    event.listen(engine, "before_cursor_execute", on_statement)
    direct.append(on_direct)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        direct.remove(on_direct)
