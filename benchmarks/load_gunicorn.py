"""Load with the production server: gunicorn and aiohttp's worker on PostgreSQL, 1 then 2 workers,
the same 200 simulated users as load_200_users.py, and one reminder delivered during the load.

    .venv/bin/python benchmarks/load_gunicorn.py [--workers 1 2] [--users 200] [--duration 30]
        [--think 0] [--postgres URL] [--json FILE]

Each run starts `gunicorn app:gunicorn_app -c gunicorn.conf.py --workers N` on a database of its
own (seeded like load_200_users.py: the demo organisation and one contributor per user), the
streaming fake Teams connector and the load generator of load_200_users.py. Before the load
starts, a comité technique is planned 7 days and 40 s ahead: its J-7 reminder falls due during
the load, to the 200 contributors and the lead. Whichever worker holds the scheduler's lock sends
it; the run counts, per conversation, the reminders the connector received (each must be 1).
Reports turns/s and HTTP latency; CPU of the gunicorn processes (master and workers). Not a
test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp  # noqa: E402
from load_200_users import LoadGenerator, latency_figures  # noqa: E402
from load_support import (  # noqa: E402
    CLK_TCK,
    DEFAULT_POSTGRES,
    ROOT,
    Child,
    PostgresDatabase,
    bot_environment,
    free_port,
    make_users,
    seed,
    wait_healthy,
)

from bot.services import build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from domain.clock import SystemClock  # noqa: E402
from domain.committees.cadence import CommitteeKind  # noqa: E402
from domain.committees.reminder_plan import ReminderSettings  # noqa: E402
from domain.committees.settings import CommitteeSettings  # noqa: E402
from storage.db import Database  # noqa: E402


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and of all its descendants still alive (the gunicorn master and its workers)."""
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return total


async def plan_reminder(database_url: str) -> None:
    """A comité technique 7 days and 40 s from now: its J-7 member reminder is due in 40 s."""
    database = Database(database_url)
    settings = Settings(database_url=database_url, scheduler_enabled=False)
    services = build_services(settings, database, SystemClock(), committee_settings=CommitteeSettings(
        reminders=ReminderSettings(working_days_only=False, data_collection_offsets_days=())))
    await services.committees.plan(CommitteeKind.COTECH, SystemClock().now() + timedelta(days=7, seconds=40))
    await database.dispose()


async def run(workers: int, args: argparse.Namespace, database_url: str) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"load-gunicorn-{workers}-"))
    users = make_users(args.users)
    print(f"\n== gunicorn, {workers} worker(s), PostgreSQL: {len(users)} users; files in {workdir}", flush=True)
    children = []
    try:
        connector = Child("connector", [sys.executable, str(ROOT / "benchmarks" / "streaming_connector.py")], workdir,
                          capture_first_line=True)
        children.append(connector)
        connector_url = (await connector.first_line()).rstrip("/")
        await seed(database_url, users, workdir)
        port = free_port()
        environment = {**bot_environment(database_url, port), "WEB_CONCURRENCY": str(workers), "PORT": str(port),
                       "SPASER_OUTBOX_INTERVAL": "2", "SPASER_LOG_FORMAT": "json"}
        server = Child("gunicorn", [sys.executable, "-m", "gunicorn", "app:gunicorn_app", "-c", str(ROOT / "gunicorn.conf.py"),
                                    "--bind", f"127.0.0.1:{port}"], workdir, env=environment)
        children.append(server)
        bot_url = f"http://127.0.0.1:{port}"
        await wait_healthy(bot_url, server, timeout=180)
        await plan_reminder(database_url)
        generator = LoadGenerator(bot_url, connector_url, args, "bot")
        start = time.monotonic() + 1.0
        generator.window = (start + args.warmup, start + args.warmup + args.duration)

        async def sample() -> tuple[float, float]:
            await asyncio.sleep(max(0.0, generator.window[0] - time.monotonic()))
            before = tree_cpu_seconds(server.pid)
            await asyncio.sleep(max(0.0, generator.window[1] - time.monotonic()))
            return before, tree_cpu_seconds(server.pid)

        sampler = asyncio.create_task(sample())
        await generator.run(users, start)
        cpu_before, cpu_after = await sampler
        reminders: Counter = Counter()
        for _ in range(120):  # the sweep picks up a reminder planned by another process within a minute
            async with aiohttp.ClientSession() as session, session.get(f"{connector_url}/_stats") as response:
                stats = await response.json()
            reminders = Counter(stats["reminders"])
            if len(reminders) >= len(users):  # the simulated users (the demo's people never opened the assistant)
                break
            await asyncio.sleep(1)
        wall = generator.window[1] - generator.window[0]
        turns = generator.turns
        log = (workdir / "gunicorn.log").read_text(errors="replace")
        return {
            "workers": workers,
            "turns_per_s": round(len(turns) / wall, 1),
            **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in latency_figures(turns).items()},
            "errors": sum(1 for t in turns if t.error),
            "cpu_cores": round((cpu_after - cpu_before) / wall, 2),
            "reminder_recipients": len(reminders),
            "reminder_deliveries": sum(reminders.values()),
            "reminder_delivered_twice": sum(1 for count in reminders.values() if count > 1),
            "workers_leading": log.count("Scheduler: leading"),
            "workers_standing_by": log.count("this one stands by"),
        }
    finally:
        for child in reversed(children):
            child.stop()


async def main_async(args: argparse.Namespace) -> None:
    results = []
    for workers in args.workers:
        database = PostgresDatabase(args.postgres)
        try:
            results.append(await run(workers, args, await database.create()))
        finally:
            await database.drop()
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    print(f"\n{'workers':>8}{'turns/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU':>6}{'reminders (once / twice)':>28}")
    for r in results:
        print(f"{r['workers']:>8}{r['turns_per_s']:>9}{r['http_p50_ms']:>9}{r['http_p99_ms']:>9}{r['errors']:>8}"
              f"{r['cpu_cores']:>6}{r['reminder_deliveries'] - 2 * r['reminder_delivered_twice']:>20} / {r['reminder_delivered_twice']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"command": " ".join(sys.argv), "results": results}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--ramp", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--think", type=float, default=0)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--teams-limits", action="store_true")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--json")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
