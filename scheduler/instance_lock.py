"""One sending process per SQLite file, enforced with an exclusive lock file next to the database.

SQLite has no `SKIP LOCKED`: two processes draining the same outbox could both send a row. The
second process that would send (scheduler on) is refused at start-up with a clear message;
PostgreSQL needs no such lock (rows are claimed with `FOR UPDATE SKIP LOCKED`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)


class InstanceLockError(RuntimeError):
    """Another process already sends from this SQLite database."""


class SenderLock:
    def __init__(self, database_file: Path | None) -> None:
        """`database_file`: the SQLite file (`Database.sqlite_file`); None for PostgreSQL (no lock)."""
        self.path = database_file.with_name(database_file.name + ".sender.lock") if database_file else None
        self._lock = FileLock(str(self.path), timeout=0) if self.path else None

    def acquire(self) -> None:
        if self._lock is None or self._lock.is_locked:
            return
        try:
            self._lock.acquire()
        except Timeout as error:
            raise InstanceLockError(
                f"Une autre instance de l’assistant du SPASER envoie déjà les messages depuis cette base SQLite "
                f"(verrou {self.path}). Avec SQLite, une seule instance peut tourner avec le planificateur : "
                "arrêtez l’autre, lancez celle-ci avec SPASER_SCHEDULER=off ou passez à PostgreSQL pour "
                "plusieurs instances."
            ) from error
        log.info("Holding the SQLite sender lock %s", self.path)

    def release(self) -> None:
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()
