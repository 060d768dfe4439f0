"""What hostile input costs the bot: a 250 KB message posted to the real endpoint next to an
ordinary question, and a compressed PDF bomb handed to the bounded document worker.

Run: python benchmarks/bench_hostile_input.py
Targets (issue #15): the big message refused at once without delaying the other person; the bomb
refused in seconds, not minutes. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from app import RUNTIME, create_app  # noqa: E402
from domain.clock import FakeClock  # noqa: E402
from domain.indicators.values import warm_up  # noqa: E402
from domain.knowledge.document import organisation_entries_from_bytes  # noqa: E402
from domain.knowledge.errors import DocumentError  # noqa: E402
from storage.bounded_worker import run_bounded  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.fakes.teams_connector import FakeTeamsConnector  # noqa: E402
from tests.http_support import Sender  # noqa: E402
from tests.indicators_support import seed  # noqa: E402
from tests.storage.test_bounded_worker import compressed_text_bomb  # noqa: E402

BIG_MESSAGE = "quels indicateurs " * 14_000  # about 250 KB


async def timed(coroutine) -> tuple[float, str]:
    started = time.perf_counter()
    answer = await coroutine
    return time.perf_counter() - started, answer


async def big_message(folder: Path) -> None:
    warm_up()
    connector = FakeTeamsConnector()
    await connector.start()
    app = create_app(make_settings(f"sqlite+aiosqlite:///{folder / 'bench.db'}"), clock=FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)))
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        await seed(client.server.app[RUNTIME])
        stranger = Sender(client, connector, "stranger-aad", "Inconnu")
        nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
        alone, _ = await timed(nadia.say("aide"))
        (refused, answer), (beside, _) = await asyncio.gather(
            timed(stranger.say(BIG_MESSAGE)), timed(nadia.say("aide"))
        )
        print(f"message of {len(BIG_MESSAGE.encode()) // 1024} KB: answered in {refused:.3f} s "
              f"(« {answer[:40]}… »)")
        print(f"an ordinary question beside it: {beside:.3f} s (alone: {alone:.3f} s)")
    finally:
        await client.close()
        await connector.close()


async def pdf_bomb() -> None:
    bomb = compressed_text_bomb()
    started = time.perf_counter()
    try:
        await run_bounded(organisation_entries_from_bytes, bomb, "bombe.pdf")
        outcome = "imported (not refused!)"
    except DocumentError as error:
        outcome = f"refused: « {str(error)[:60]}… »"
    print(f"PDF bomb of {len(bomb) // 1024} KB: {outcome} in {time.perf_counter() - started:.1f} s")


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        await big_message(Path(folder))
    await pdf_bomb()


if __name__ == "__main__":
    asyncio.run(main())
