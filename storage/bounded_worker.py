"""Work on untrusted files in a separate process, bounded in time and memory.

A crafted PDF can make a parser spin for minutes or take gigabytes; in the bot's own process that
would freeze every conversation. Here the function runs in a fresh (spawned) Python process whose
address space is capped, and the process is killed past the deadline: the caller gets a French
refusal and nothing was imported.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable
from typing import Any

from domain.errors import DomainError
from domain.text import counted

DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024


class WorkerLimitExceeded(DomainError):
    """The work took longer, or more memory, than it is given."""


def _run(connection, memory_bytes: int, func: Callable, args: tuple) -> None:
    """In the child: cap the memory, run, send back the result or the error."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        connection.send(("ok", func(*args)))
    except MemoryError:
        connection.send(("memory", None))
    except BaseException as error:  # noqa: BLE001 - sent back to the parent, which raises it
        connection.send(("error", error))
    finally:
        connection.close()


async def run_bounded(
    func: Callable[..., Any],
    *args: Any,
    seconds: float = DEFAULT_SECONDS,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    what: str = "Ce fichier",
) -> Any:
    """`func(*args)` in a child process; its exceptions are raised here, and a run past `seconds`
    or `memory_bytes` raises `WorkerLimitExceeded` (French). `func` must be importable by name."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(sending, memory_bytes, func, args), daemon=True)
    process.start()
    sending.close()
    try:
        ready = await asyncio.to_thread(receiving.poll, seconds)
        outcome, value = receiving.recv() if ready else ("timeout", None)
    except EOFError:
        outcome, value = "memory", None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join, 5)
    if outcome == "ok":
        return value
    if outcome == "error":
        raise value
    limit = counted(round(seconds), "seconde") if outcome == "timeout" else "la mémoire qui lui est réservée"
    raise WorkerLimitExceeded(f"{what} demande plus de travail que prévu ({limit}) : il n’a pas été importé.")
