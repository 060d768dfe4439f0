"""Benchmark of the status summary read from the database, as the bot builds it for a chat turn.

30 indicators × 40 directorates × 10 years of quarterly values (≈ 46,000 current values, the
synthetic history of bench_summary.py) are loaded into SQLite (a temporary file) and PostgreSQL
(a temporary schema), then through the real runtime (`build_runtime`):

- card data  = database reads (catalogue, current values, directorates, next meetings, cadence)
               + compute_summary + the card JSON with its signed chart link (target ≤ 200 ms);
- detail     = the same with the detail card (« synthèse détaillée »), where the code has one;
- with chart = card data + the card's chart PNG (target ≤ 1 s; Teams fetches it by URL after the
               card arrived, so it is off the card's critical path);
- contributor = card data for one directorate (reads only that directorate's values).

Card data is measured with the summary's snapshot cache warm (the steady state), cold (first
summary after a start), and right after a value was recorded (the cache reads the new rows only).
The runtime is started as the app starts it (`BotRuntime.start`: start-up read of the values,
then the long-lived objects are frozen out of the garbage collector, bot/gc_tuning.py); the cold
runs use throw-away caches, then the start-up cache is put back, as a running app has it.

    cd /work/main && .venv/bin/python benchmarks/bench_summary_db.py [--runs 30] \
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test | --no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from benchmarks.bench_summary import TODAY, synthetic_catalogue  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from domain.clock import FakeClock  # noqa: E402
from domain.committees.cadence import CommitteeKind  # noqa: E402
from domain.indicators.rules import ValueEntry  # noqa: E402
from domain.people import Role  # noqa: E402
from domain.summary.chart import card_chart_png  # noqa: E402
from domain.summary.model import Scope  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue  # noqa: E402
from storage.people import Directorate, Person  # noqa: E402
from storage.summary.service import SnapshotCache  # noqa: E402

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
WEIGHTED = frozenset({"IND-01", "IND-13", "IND-25"})
"""Percentages averaged with weights (the number of contracts of IND-04), the others plainly."""
WEIGHTING_BASE = "IND-04"
CHUNK = 2000


async def load(database: Database) -> int:
    """The synthetic catalogue and its history, inserted in bulk; returns the number of values."""
    snapshots, infos = synthetic_catalogue()
    async with database.session() as session:
        lead = Person(email="lead@bench.fr", name="Responsable", role=Role.LEAD)
        session.add(lead)
        session.add_all(Directorate(code=info.code, name=info.name) for info in infos)
        await session.flush()
        directorate_ids = {
            code: id_ for id_, code in await session.execute(text("SELECT id, code FROM directorate"))
        }
        indicator_ids = {}
        for snapshot in snapshots:
            row = Indicator(
                code=snapshot.code, label=snapshot.label, axis=snapshot.axis.value, unit=snapshot.unit.value,
                frequency=snapshot.frequency.value, baseline=snapshot.baseline, target=snapshot.target,
                target_year=snapshot.target_year, direction=snapshot.direction.value, source="benchmark",
                aggregation="moyenne pondérée" if snapshot.code in WEIGHTED else None,
                weighting_base=WEIGHTING_BASE if snapshot.code in WEIGHTED else None,
            )
            session.add(row)
            await session.flush()
            indicator_ids[snapshot.code] = row.id
        await session.execute(
            insert(IndicatorDirectorate),
            [
                {"indicator_id": indicator_ids[s.code], "directorate_id": directorate_ids[code]}
                for s in snapshots
                for code in s.directorates
            ],
        )
        rows = [
            {
                "indicator_id": indicator_ids[s.code],
                "directorate_id": directorate_ids[v.directorate],
                "period": v.period.code,
                "value": v.value,
                "comment": v.comment or None,
                "entered_by_id": lead.id,
                "entered_at": datetime(2026, 10, 1, tzinfo=UTC),
                "current_key": f"{indicator_ids[s.code]}|{directorate_ids[v.directorate]}|{v.period.code}",
            }
            for s in snapshots
            for v in s.values
        ]
        for start in range(0, len(rows), CHUNK):
            await session.execute(insert(IndicatorValue), rows[start : start + CHUNK])
    return len(rows)


def has_detail(links) -> bool:
    """Whether this code has a detail card (the benchmark also runs on the code before it)."""
    return "detail" in inspect.signature(links.card_content).parameters


async def measure(work, runs: int, prepare=None) -> tuple[float, float]:
    """p50 and p99 in ms, after one warm-up call (connections, imports, font cache); `prepare`
    runs before each call, untimed."""
    await work()
    timings = []
    for _ in range(runs):
        if prepare is not None:
            await prepare()
        started = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]


async def bench(name: str, database: Database, runs: int) -> None:
    await database.migrate()
    started = time.perf_counter()
    count = await load(database)
    loaded = time.perf_counter() - started
    clock = FakeClock(datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=9))
    settings = Settings(database_url=database.url, scheduler_enabled=False, download_secret="b" * 40)
    runtime = build_runtime(settings, database=database, clock=clock)
    await runtime.committees.plan(CommitteeKind.COPIL, datetime(2027, 1, 21, 9, 30, tzinfo=UTC))
    await runtime.start()
    await runtime.settled()
    service, links = runtime.summary, runtime.summary_links
    started_cache = service.cache
    lead = await runtime.people.get_by_email("lead@bench.fr")
    everyone = Scope.everything()
    one_directorate = Scope.only("D07")

    async def card_data():
        summary = await service.summary(everyone)
        return links.card_content(summary, 1)

    async def detail_card():
        summary = await service.summary(everyone)
        return links.card_content(summary, 1, detail=True)

    async def with_chart():
        summary = await service.summary(everyone)
        links.card_content(summary, 1)
        return card_chart_png(summary)

    async def contributor():
        summary = await service.summary(one_directorate)
        return links.card_content(summary, 1)

    async def read_only():
        return await service.repository.current_values()

    async def cold():
        service.cache = SnapshotCache(service.repository)

    async def running():
        """Back to the cache the app built at start-up, after the cold runs' throw-away ones."""
        service.cache = started_cache

    corrections = iter(range(10_000))

    async def new_value():
        """A directorate corrects a value (a new row, as the bot records it): the cache catches up."""
        step = next(corrections)
        entry = ValueEntry(f"IND-{step % 30 + 1:02d}", "2026-T3", Decimal(step % 90 + 1))
        await runtime.values.record_value(lead, "D07", entry, runtime.values.today())

    print(f"\n{name} : {count} valeurs chargées en {loaded:.1f} s")
    print(f"{'mesure':<58}{'p50 (ms)':>10}{'p99 (ms)':>10}")
    for label, work, n, prepare in (
        ("lecture des valeurs courantes (1 requête, sans cache)", read_only, runs, None),
        ("données de la carte, cache froid (démarrage)", card_data, max(5, runs // 2), cold),
        ("données de la carte (cible 200 ms)", card_data, runs, running),
        ("données de la carte juste après une saisie", card_data, runs, new_value),
        ("données de la carte détaillée", detail_card if has_detail(links) else None, runs, None),
        ("données de la carte, une direction (contributeur)", contributor, runs, None),
        ("carte + graphique (cible 1 000 ms)", with_chart, max(5, runs // 2), None),
    ):
        if work is None:
            continue
        p50, p99 = await measure(work, n, prepare)
        print(f"{label:<58}{p50:>10.1f}{p99:>10.1f}")
    await runtime.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        try:
            await bench("SQLite (fichier)", database, options.runs)
        finally:
            await database.dispose()
    if options.no_postgres:
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = Database(options.postgres)
    async with admin.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(options.postgres, connect_args={"server_settings": {"search_path": schema}})
    try:
        await bench("PostgreSQL", database, options.runs)
    finally:
        await database.dispose()
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
