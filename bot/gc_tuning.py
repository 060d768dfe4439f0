"""Keeps CPython's full garbage collections off what the bot keeps for its whole life.

Once started, the process holds ~400,000 objects it never frees: the French number recognizers,
SQLAlchemy and botbuilder metadata, the summary's snapshots of every current value (~48,000 in a
10-year history). CPython's cyclic collector walks all of them at each full (generation 2)
collection, which it starts once enough new objects have survived: ~180 ms on a 2-vCPU VM,
landing on whatever runs at that moment — typically a « synthèse » right after a value was
recorded, since that rebuilds a snapshot. `gc.freeze()` after the start-up reads moves those
objects out of the collector's reach; everything allocated later is collected as before.

glibc's malloc keeps what Python frees (objects over 512 bytes, the compiled expressions' buffers,
SQLite's pages) for later use, in one heap per thread that ever allocated (up to 8 per core): after
a load, the process's memory stays at its peak. On Linux with glibc, the heaps are limited to two
(`limit_malloc_arenas`, before the threads start), and the free memory is given back to the system
after the start-up reads and after a full collection, at most every `TRIM_INTERVAL` seconds
(`MallocTrimmer`). Elsewhere (macOS, musl) these do nothing.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""mallopt's parameter for the number of heaps (glibc's malloc.h)."""
MALLOC_ARENAS = 2
TRIM_INTERVAL = 10.0
"""Seconds between two trims after full collections (a trim walks the free memory: ~1 ms)."""


def load_glibc(platform: str = sys.platform) -> ctypes.CDLL | None:
    """The process's C library when it is glibc (it has `malloc_trim` and `mallopt`), else None."""
    if not platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it (musl has no malloc_trim)
        libc.malloc_trim  # noqa: B018
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    return load_glibc()


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Keep glibc's malloc to `arenas` heaps for the threads started from now on; False elsewhere."""
    libc = _glibc()
    return libc is not None and libc.mallopt(M_ARENA_MAX, arenas) == 1


def trim_malloc() -> bool:
    """Give the free memory of glibc's heaps back to the system; False when there is no glibc."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


class MallocTrimmer:
    """Trims glibc's heaps after a full (generation 2) collection, at most every `interval` seconds:
    a full collection is when much of what a load built has just been freed."""

    def __init__(self, interval: float = TRIM_INTERVAL, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._monotonic = monotonic
        self._last = float("-inf")
        self.trims = 0

    def install(self) -> None:
        if _glibc() is not None and self._after_collection not in gc.callbacks:
            gc.callbacks.append(self._after_collection)

    def uninstall(self) -> None:
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)

    def _after_collection(self, phase: str, info: dict) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        now = self._monotonic()
        if now - self._last < self._interval:
            return
        self._last = now
        if trim_malloc():
            self.trims += 1


def freeze_long_lived_objects() -> None:
    """Exempt every object alive now from later collections.

    Only the young generations are collected first: right after start-up a full collection finds
    nothing to free (0 objects, measured) and costs ~170 ms, paid at every start of the test suite.
    """
    gc.collect(1)
    gc.freeze()
    log.info("%d long-lived objects exempted from garbage collection", gc.get_freeze_count())


def thaw_long_lived_objects() -> None:
    """Undo `freeze_long_lived_objects` (a stopped runtime's objects become collectable again)."""
    gc.unfreeze()
