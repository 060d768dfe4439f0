"""Full garbage collections skip what the bot keeps for its whole life (bot/gc_tuning.py)."""

from __future__ import annotations

import gc

from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
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

