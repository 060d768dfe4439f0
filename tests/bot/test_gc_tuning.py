"""Full garbage collections skip what the bot keeps for its whole life (bot/gc_tuning.py)."""

from __future__ import annotations

import gc

from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from bot.gc_tuning import MallocTrimmer, limit_malloc_arenas, load_glibc, trim_malloc
from tests.conftest import make_settings


async def test_a_started_app_freezes_its_start_up_objects_and_a_stopped_one_releases_them(tmp_path):
    client = TestClient(TestServer(create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'gc.db'}"))))
    await client.start_server()
    try:
        await client.server.app[RUNTIME].settled()
        frozen = gc.get_freeze_count()
    finally:
        await client.close()

    assert frozen > 10_000, "the recognizers, the libraries' metadata and the summary's values are frozen"
    assert gc.get_freeze_count() == 0



def _rss_kb() -> int:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_trim_gives_back_the_memory_freed_in_the_middle_of_the_heap():
    if load_glibc() is None:
        assert trim_malloc() is False
        return
    chunks = [bytes(4000) + bytes([i % 256]) for i in range(25_000)]  # ~100 MB from malloc
    kept = chunks[::100]
    del chunks
    before = _rss_kb()
    assert trim_malloc() is True
    after = _rss_kb()
    assert before - after > 50_000, (before, after)
    assert len(kept) == 250


def test_the_malloc_tuning_does_nothing_off_glibc():
    assert load_glibc("darwin") is None
    assert load_glibc("win32") is None


def test_full_collections_trim_at_most_once_per_interval():
    now = [100.0]
    trimmer = MallocTrimmer(interval=10, monotonic=lambda: now[0])
    trimmer.install()
    try:
        gc.collect()
        gc.collect()
        now[0] += 11
        gc.collect(1)
        gc.collect()
    finally:
        trimmer.uninstall()
    gc.collect()
    expected = 2 if load_glibc() is not None else 0
    assert trimmer.trims == expected
    assert trimmer._after_collection not in gc.callbacks


def test_the_arena_limit_is_set_on_glibc():
    assert limit_malloc_arenas() is (load_glibc() is not None)
