"""Latency of one indicator update turn through the real HTTP endpoint, against the bot's echo path.

Run: python benchmarks/bench_indicator_turn.py [--directorates-measured 40]

Data (SQLite file): 30 quarterly indicators over 40 directorates (each indicator reported by 10
directorates, the catalogue's maximum, so 7 or 8 per directorate), 10 years of quarterly history
(12,000 values); the quarter 2026-T3 is due everywhere. Every turn is a POST to
/api/messages of the real aiohttp app (CloudAdapter, middleware, SQL state storage, dialogs),
answered with `deliveryMode: expectReplies` so that no connector round trip is counted.

Measured, interleaved in the same run so that both see the same machine:
- update turns of the dialog `mettre à jour mes indicateurs`: the value (« 12 » read by the French
  recognizer → comment question), the comment (« aucun » → confirmation), and the save (« oui » →
  value recorded with its audit trail, next indicator asked). « One full update turn » is the save.
- the bot's echo path: the same endpoint, same bot and middleware, a message that only runs the
  per-turn work of every message (identity lookup, de-duplication, state read/write) and a fixed
  reply (« merci »). Target: the save turn p50 ≤ 1.5 × this p50.
- for context, a bare echo: a minimal ActivityHandler on the same aiohttp + CloudAdapter stack,
  without database.
Prints figures only; it is not a test and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from botbuilder.core import ActivityHandler, TurnContext  # noqa: E402
from botbuilder.schema import Activity  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app import ADAPTER, RUNTIME, create_adapter, create_app  # noqa: E402
from bot.console import (
    render_as_text,  # noqa: E402
    teams_activity,  # noqa: E402
)
from bot.http import messages_handler  # noqa: E402
from bot.settings import Settings  # noqa: E402
from domain.clock import FakeClock  # noqa: E402
from domain.indicators.catalogue import CATALOGUE_COLUMNS  # noqa: E402
from domain.indicators.periods import Frequency, Period  # noqa: E402
from domain.people import Role  # noqa: E402
from storage.indicators.reads import current_key_of  # noqa: E402
from storage.indicators.tables import IndicatorDirectorate, IndicatorValue  # noqa: E402
from storage.people import Person  # noqa: E402

INDICATORS = 30
DIRECTORATES = 40
PER_INDICATOR = 10
YEARS = 10
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
UNITS = ("%", "nombre", "heures", "€", "personnes", "jours")


def catalogue_csv() -> str:
    lines = [";".join(CATALOGUE_COLUMNS)]
    for n in range(INDICATORS):
        unit = UNITS[n % len(UNITS)]
        reporters = "|".join(f"D{(n * PER_INDICATOR + k) % DIRECTORATES + 1:02d}" for k in range(PER_INDICATOR))
        lines.append(f"B-{n + 1:02d};Indicateur de test {n + 1};social;{unit};{reporters};trimestrielle;10;50;2030;hausse;;non;oui")
    return "\n".join(lines)


async def seed(runtime) -> list[str]:
    """Directorates, one contributor each (Teams identity), the catalogue and 48,000 past values."""
    people = runtime.people
    aads = []
    for n in range(1, DIRECTORATES + 1):
        code = f"D{n:02d}"
        await runtime.directorates.add(code, f"Direction de test {n}")
        email = f"agent{n}@bench.fr"
        await people.assign(email, Role.CONTRIBUTOR, code, name=f"Agent {n}")

        async def lookup(email=email) -> str:
            return email

        await people.identify("local-tenant", f"aad-{n}", name=f"Agent {n}", email_lookup=lookup)
        aads.append(f"aad-{n}")
    await people.assign("echo@bench.fr", Role.CONTRIBUTOR, "D01", name="Écho")
    await people.identify("local-tenant", "aad-echo", name="Écho", email_lookup=_returning("echo@bench.fr"))
    await runtime.catalogue.import_catalogue(catalogue_csv())
    periods = []
    period = Period(2026, Frequency.QUARTERLY, 2)
    for _ in range(YEARS * 4):
        periods.append(period)
        period = period.previous()
    async with runtime.database.session() as session:
        links = list(await session.execute(select(IndicatorDirectorate.indicator_id, IndicatorDirectorate.directorate_id)))
        person_id = (await session.execute(select(Person.id).limit(1))).scalar_one()
        rows = [
            dict(
                indicator_id=indicator,
                directorate_id=directorate,
                period=p.code,
                value=Decimal(10 + (indicator + directorate) % 30),
                entered_by_id=person_id,
                entered_at=datetime.combine(p.end + timedelta(days=10), datetime.min.time(), tzinfo=UTC),
                current_key=current_key_of(indicator, directorate, p.code),
            )
            for indicator, directorate in links
            for p in periods
        ]
        for start in range(0, len(rows), 5000):
            await session.execute(insert(IndicatorValue.__table__), rows[start : start + 5000])
    return aads


def _returning(value: str):
    async def lookup() -> str:
        return value

    return lookup


class Poster:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.count = 0

    async def turn(self, aad: str, text: str) -> tuple[float, str]:
        """Seconds for one POST and the text of the replies."""
        self.count += 1
        activity = teams_activity(
            aad_object_id=aad, name=aad, conversation_id=f"a:{aad}", id=f"m{self.count}", text=text,
            delivery_mode="expectReplies",
        )
        body = activity.serialize()
        started = time.perf_counter()
        response = await self.client.post("/api/messages", json=body)
        payload = await response.json()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {payload}")
        replies = "\n".join(render_as_text(Activity().deserialize(reply)) for reply in payload.get("activities", []))
        return elapsed, replies


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(turn_context.activity.text or "")


async def bare_echo_client(settings: Settings) -> TestClient:
    adapter = create_adapter(settings)
    bot = EchoBot()
    app = web.Application()
    app.router.add_post("/api/messages", messages_handler(adapter, bot.on_turn, settings.max_body_bytes))
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


async def run(measured_directorates: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    settings = Settings(database_url=f"sqlite+aiosqlite:///{workdir / 'bench.db'}", scheduler_enabled=False)
    client = TestClient(TestServer(create_app(settings, clock=FakeClock(NOW))))
    await client.start_server()
    runtime = client.server.app[RUNTIME]
    assert client.server.app[ADAPTER] is not None
    started = time.perf_counter()
    aads = await seed(runtime)
    await runtime.start_warm_up()
    print(f"Seeded in {time.perf_counter() - started:.1f} s: {INDICATORS} indicators, {DIRECTORATES} directorates, "
          f"{await runtime.values.count_values():,} values ({workdir / 'bench.db'})")
    echo_client = await bare_echo_client(settings)
    poster, bare = Poster(client), Poster(echo_client)
    samples: dict[str, list[float]] = {"start": [], "value": [], "comment": [], "save": [], "echo": [], "bare": []}

    async def update_directorate(aad: str, record: bool) -> None:
        elapsed, replies = await poster.turn(aad, "mettre à jour mes indicateurs")
        due = int(re.search(r"(\d+) indicateur\(s\) à renseigner", replies).group(1))
        if record:
            samples["start"].append(elapsed)
        for _ in range(due):
            for kind, text, expected in (("value", "12", "commentaire"), ("comment", "aucun", "J'enregistre"), ("save", "oui", "Enregistré")):
                elapsed, replies = await poster.turn(aad, text)
                assert expected in replies.replace("\u2019", "'"), (kind, replies[:300])
                if record:
                    samples[kind].append(elapsed)
                echo_elapsed, echo_replies = await poster.turn("aad-echo", "merci")
                assert echo_replies, "the echo path answers"
                bare_elapsed, _ = await bare.turn("aad-bare", "merci")
                if record:
                    samples["echo"].append(echo_elapsed)
                    samples["bare"].append(bare_elapsed)

    await update_directorate(aads[-1], record=False)  # warm-up: caches, first parse, SQLite pages
    for aad in aads[:measured_directorates]:
        await update_directorate(aad, record=True)

    print(f"\n{'turn':<44}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}")
    labels = {
        "save": "update: save (« oui », value + audit trail)",
        "value": "update: value (« 12 », French recognizer)",
        "comment": "update: comment (« aucun »)",
        "start": "update: start (due list, 7-8 items)",
        "echo": "bot echo path (« merci »)",
        "bare": "bare echo (ActivityHandler, no DB)",
    }
    for key in ("save", "value", "comment", "start", "echo", "bare"):
        values = samples[key]
        print(f"{labels[key]:<44}{len(values):>6}{percentile(values, 50):>10.2f}{percentile(values, 99):>10.2f}")
    echo_p50 = percentile(samples["echo"], 50)
    update_all = samples["value"] + samples["comment"] + samples["save"]
    print(f"\nsave turn p50 / bot echo p50 = {percentile(samples['save'], 50) / echo_p50:.2f} (target ≤ 1.5)")
    print(f"all update turns p50 / bot echo p50 = {percentile(update_all, 50) / echo_p50:.2f}")
    print(f"save turn p99 / bot echo p99 = {percentile(samples['save'], 99) / percentile(samples['echo'], 99):.2f}")
    await echo_client.close()
    await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directorates-measured", type=int, default=DIRECTORATES - 1, help="directorates whose due indicators are entered")
    args = parser.parse_args()
    asyncio.run(run(args.directorates_measured))


if __name__ == "__main__":
    main()
