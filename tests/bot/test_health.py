"""GET /healthz on a real SQLite file: 503 as soon as what the bot saves would not be kept (the
file deleted, swapped for another database, or no longer writable)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from tests.conftest import make_settings


@pytest.fixture
async def served(tmp_path):
    path = tmp_path / "health.db"
    client = TestClient(TestServer(create_app(make_settings(f"sqlite+aiosqlite:///{path}"))))
    await client.start_server()
    await client.server.app[RUNTIME].settled()
    yield client, path
    await client.close()


async def health(client: TestClient) -> tuple[int, str]:
    response = await client.get("/healthz")
    return response.status, (await response.json())["database"]


async def test_a_deleted_database_file_is_503(served):
    client, path = served
    assert await health(client) == (200, "ok")
    path.unlink()
    assert await health(client) == (503, "replaced")


async def test_a_database_that_cannot_be_written_is_503(served):
    client, path = served
    assert await health(client) == (200, "ok")
    locked = [candidate for candidate in (path, Path(f"{path}-wal")) if candidate.exists()]
    try:
        for candidate in locked:
            made_immutable = subprocess.run(["chattr", "+i", str(candidate)], capture_output=True)
            if made_immutable.returncode != 0:
                candidate.chmod(0o444)
        assert await health(client) == (503, "read-only")
    finally:
        for candidate in locked:
            subprocess.run(["chattr", "-i", str(candidate)], capture_output=True)
            candidate.chmod(0o644)


async def test_a_database_that_cannot_be_opened_is_503(served):
    client, path = served
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.mkdir()
    assert await health(client) == (503, "unreachable")
