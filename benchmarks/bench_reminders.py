"""Benchmark: one reminder to 1,000 people through a fake Teams connector that enforces Teams' limits.

    .venv/bin/python benchmarks/bench_reminders.py [--recipients 1000] [--postgres URL]

Everything runs on real time: the sender's limiter uses time.monotonic and asyncio.sleep, the
connector (loopback aiohttp, in its own process so that its work does not slow the bot's event
loop) counts sends on its own monotonic clock and answers 429 with a Retry-After whenever a send
exceeds a window (per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h;
per app 50/1 s). The business clock runs in real time too, only shifted to the reminder's send
instant. Each person has a personal conversation, so the app-wide 50 per second binds: with N
sends the last one cannot start before (ceil(N / 50) - 1) seconds after the first. The script
prints the wall time of the drain against that bound, checks that every person got the reminder
exactly once, and exits non-zero otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.services import build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from domain.committees.cadence import CommitteeKind  # noqa: E402
from domain.committees.reminder_plan import ReminderSettings  # noqa: E402
from domain.committees.settings import CommitteeSettings  # noqa: E402
from domain.outbox import (  # noqa: E402
    RateLimits,
    SendingSettings,  # noqa: E402
    Window,
)
from domain.people import Role  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.people import ConversationRef, Person  # noqa: E402

APP_LIMIT = 50
UNLIMITED = RateLimits(per_conversation=(Window(10**6, 1),), per_app=(Window(10**6, 1),))


class ShiftedClock:
    """Real time, shifted so that "now" starts at a chosen instant and then flows normally."""

    def __init__(self, start: datetime) -> None:
        self.start_at(start)

    def start_at(self, start: datetime) -> None:
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


async def add_people(database: Database, count: int, service_url: str) -> None:
    async with database.session() as session:
        for index in range(count):
            aad = f"aad-{index:05d}"
            session.add(Person(tenant_id="t", aad_object_id=aad, email=f"elu{index:05d}@ville.fr", name=f"Élu {index}", role=Role.OFFICIAL))
            reference = {
                "bot": {"id": "28:spaser-bot"},
                "channelId": "msteams",
                "conversation": {"id": f"a:{aad}", "conversationType": "personal", "tenantId": "t"},
                "serviceUrl": service_url,
                "user": {"id": f"29:{aad}", "aadObjectId": aad},
            }
            session.add(
                ConversationRef(
                    conversation_id=f"a:{aad}",
                    tenant_id="t",
                    aad_object_id=aad,
                    conversation_type="personal",
                    service_url=service_url,
                    reference_json=json.dumps(reference),
                )
            )


async def run_sql(database_url: str, statement: str) -> None:
    """Create or drop the benchmark's own schema: nothing is left in the database afterwards."""
    admin = Database(database_url)
    async with admin.engine.begin() as connection:
        await connection.execute(text(statement))
    await admin.dispose()


async def start_connector(enforce_limits: bool) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "tests.fakes.teams_connector"] + ([] if enforce_limits else ["--no-limits"])
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    url = await asyncio.to_thread(process.stdout.readline)
    return process, url.strip()


async def connector_stats(url: str) -> dict:
    async with aiohttp.ClientSession() as session, session.get(f"{url.rstrip('/')}/_stats") as response:
        return await response.json()


async def run(recipients: int, database_url: str | None, enforce_limits: bool = True) -> int:
    connector, service_url = await start_connector(enforce_limits)
    schema = None
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="bench-reminders-")
        database_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        database = Database(database_url)
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        await run_sql(database_url, f'CREATE SCHEMA "{schema}"')
        database = Database(database_url, connect_args={"server_settings": {"search_path": schema}})
    await database.migrate()
    await add_people(database, recipients, service_url)

    meeting_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    clock = ShiftedClock(datetime.now(UTC))
    settings = Settings(database_url=database_url, scheduler_enabled=False)
    feature = build_services(
        settings,
        database,
        clock,
        committee_settings=CommitteeSettings(
            reminders=ReminderSettings(member_offsets_days=(1,), data_collection_offsets_days=()),
            sending=SendingSettings() if enforce_limits else SendingSettings(limits=UNLIMITED),
        ),
    )
    planned = await feature.committees.plan(CommitteeKind.COPIL, meeting_at)
    [reminder] = planned.reminders
    clock.start_at(reminder.send_at)

    fan_out_started = time.perf_counter()
    outcome = await feature.jobs.engine.fire(reminder.id)
    fan_out_seconds = time.perf_counter() - fan_out_started

    drain_started = time.perf_counter()
    report = await feature.jobs.sender.drain()
    drain_seconds = time.perf_counter() - drain_started

    stats = await connector_stats(service_url)
    per_conversation = Counter(stats["conversations"])
    states = await feature.outbox.counts()
    await feature.jobs.close()
    await database.dispose()
    if schema is not None:
        await run_sql(database_url, f'DROP SCHEMA "{schema}" CASCADE')
    connector.terminate()
    connector.wait(timeout=10)

    lower_bound = (math.ceil(recipients / APP_LIMIT) - 1) * 1.0
    ratio = drain_seconds / lower_bound if lower_bound else float("nan")
    all_once = len(per_conversation) == recipients and set(per_conversation.values()) == {1}
    print(f"database                 {database_url.split('://')[0]}")
    print(f"fan-out                  {outcome.value}: {recipients} deliveries queued in {fan_out_seconds:.2f} s")
    print(f"delivered                {len(stats['conversations'])} messages to {len(per_conversation)} people; each exactly once: {all_once}")
    print(f"outbox states            {dict(states)}")
    print(f"sender report            sent={report.sent} retried={report.retried} failed={report.failed} unreachable={report.unreachable}")
    print(f"429 answered by Teams    {stats['throttled']} (of {stats['attempts']} attempts)")
    print(f"drain wall time          {drain_seconds:.2f} s")
    print(f"lower bound (50/s app)   {lower_bound:.2f} s  = (ceil({recipients}/{APP_LIMIT}) - 1) x 1 s")
    note = "(target <= 1.2)" if enforce_limits else "(no limits on either side: the sender's own speed)"
    print(f"ratio                    {ratio:.3f}  {note}")
    print(f"throughput               {len(stats['conversations']) / drain_seconds:.1f} messages/s")
    ok = all_once and report.sent == recipients and (ratio <= 1.2 or not enforce_limits)
    print("RESULT                   " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument(
        "--postgres", metavar="URL", help="postgresql+asyncpg://… (a throwaway schema) instead of a temporary SQLite file"
    )
    parser.add_argument("--no-limits", action="store_true", help="no limits on either side: the sender's own speed")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.recipients, args.postgres, not args.no_limits)))


if __name__ == "__main__":
    main()
