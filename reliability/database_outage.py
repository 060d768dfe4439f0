"""Fault: the database is unavailable for 10 seconds, then comes back; the bot is not restarted.

    .venv/bin/python reliability/database_outage.py [--postgres URL] [--seconds 10]

The real `python app.py`, a person in the middle of a dialog (the SPASER lead adding a directorate).
* PostgreSQL: the bot reaches a throwaway database through a TCP proxy on loopback; the outage
  closes every connection and stops listening (a server that is down: connections are refused).
  The machine's PostgreSQL server itself, which others use, is never stopped.
* SQLite: another process takes the database's write lock (`BEGIN IMMEDIATE`, as a backup tool or
  a `sqlite3` shell left in a transaction would) and holds it; every turn writes, so none can work.

During the outage the script asks /healthz, sends the next answer of the dialog (reply in the
HTTP body, `expectReplies`) and a message from someone else whose reply goes through the fake
Teams connector. Then the database comes back and the same dialog goes on.

PASS when, during the outage, /healthz is 503 and every message gets HTTP 200 within Teams' 15 s
and one reply: the French « base de données » message (always, on PostgreSQL), or — SQLite only, a
message that waited for the lock until it was released (5 s busy timeout, then this process's
writers one after the other) — the right answer, late; never a 5xx nor the generic error. After
it, without a restart, /healthz is 200 again and the dialog resumes at the question it was at.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
    LEAD_AAD,
    BotProcess,
    ConnectorProcess,
    TcpProxy,
    TeamsUser,
    ThrowawayDatabase,
    Turn,
    Verdict,
    contains,
    script_arguments,
    short,
    target_of,
    tear_down,
    through_proxy,
)
from sqlalchemy import select  # noqa: E402

from bot.runtime import DATABASE_DOWN_REPLY, TURN_ERROR_REPLY  # noqa: E402
from storage.people import Directorate  # noqa: E402

TEAMS_TIMEOUT_SECONDS = 15.0
"""Teams gives up on a bot that has not answered within 15 s (and retries)."""


class SqliteWriteLock:
    """Another process's write transaction on the SQLite file (opened here, outside the bot)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    async def cut(self) -> None:
        self._connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._connection.execute("BEGIN IMMEDIATE")

    async def restore(self) -> None:
        if self._connection is not None:
            self._connection.execute("ROLLBACK")
            self._connection.close()
            self._connection = None


async def run(postgres_url: str | None, seconds: float) -> int:
    verdict = Verdict(f"database unavailable for {seconds:.0f} s ({'PostgreSQL' if postgres_url else 'SQLite'})")
    connector = ConnectorProcess(enforce_limits=False)
    store = await ThrowawayDatabase.create("database-outage", postgres_url)
    bot = None
    try:
        service_url = await connector.start()
        await store.migrate()
        if store.kind == "postgresql":
            outage = TcpProxy(*target_of(store.url))
            await outage.restore()
            bot_url = through_proxy(store.url, outage)
            how = "TCP proxy closed: connections refused"
        else:
            outage = SqliteWriteLock(store.sqlite_path)
            bot_url = store.url
            how = "write lock held by another process"
        bot = BotProcess("bot", bot_url, store.folder)
        await bot.start()
        pid = bot.process.pid
        lead = TeamsUser(LEAD_AAD, "Camille Martin", service_url)
        other = TeamsUser("julie-aad", "Julie Moreau", service_url)
        asked = await lead.say(bot.url, "ajouter une direction")
        before, _, _ = await bot.health()
        verdict.check("before: /healthz 200 and the dialog asks for the code",
                      before == 200 and contains(asked.replies, "code court"), f"/healthz {before}; {short(asked.text)}")

        await outage.cut()
        cut_at = time.monotonic()
        verdict.step(f"outage started ({how})")
        health_during: list[tuple[int, float]] = []
        restored = asyncio.Event()

        async def restore_on_time() -> None:
            await asyncio.sleep(seconds)
            await outage.restore()
            restored.set()

        async def poll_health() -> None:
            """Every answer that came back before the database did."""
            while not restored.is_set():
                status, _, took = await bot.health()
                if not restored.is_set():
                    health_during.append((status, took))
                await asyncio.sleep(0.5)

        async def via_connector() -> Turn:
            """The replies are the texts the connector received for this person."""
            sent_before = len((await connector.stats())["conversations"])
            turn = await other.post(bot.url, other.activity("qui suis-je", expect_replies=False))
            stats = await connector.stats()
            turn.replies = [text for conversation, text in zip(stats["conversations"][sent_before:], stats["texts"][sent_before:])
                            if conversation == other.conversation_id]
            return turn

        restorer = asyncio.create_task(restore_on_time())
        _, answer, relayed = await asyncio.gather(poll_health(), lead.say(bot.url, "DAF"), via_connector())
        await restorer
        restored_at = cut_at + seconds
        verdict.step(f"outage ended after {seconds:.0f} s")

        recovery = None
        while time.monotonic() - restored_at < 30:
            status, _, _ = await bot.health(timeout=10)
            if status == 200:
                recovery = time.monotonic() - restored_at
                break
            await asyncio.sleep(0.2)
        # On SQLite a message that waited for the lock (5 s busy timeout, one writer at a time) may be
        # processed once the lock is gone, late but right: then the dialog has already moved on.
        processed_late = contains(answer.replies, "nom complet de la direction DAF")
        resumed = answer if processed_late else await lead.say(bot.url, "DAF")
        finished = await lead.say(bot.url, "Direction des affaires financières")
        database = store.open()
        async with database.session() as session:
            codes = list((await session.execute(select(Directorate.code).where(Directorate.code == "DAF"))).scalars())
        await database.dispose()

        statuses = sorted({status for status, _ in health_during})
        verdict.figure("database", f"{store.kind} ({how})")
        verdict.figure("outage", f"{seconds:.0f} s")
        verdict.figure("/healthz 200 again after", f"{recovery:.1f} s" if recovery is not None else "never (30 s)")
        verdict.figure("/healthz during the outage", f"{len(health_during)} calls, statuses {statuses}, "
                                                     f"slowest {max((t for _, t in health_during), default=0):.1f} s")
        verdict.check("during: /healthz is 503 every time", health_during and statuses == [503], statuses)
        during = {"dialog answer (reply in the HTTP body)": (answer, "nom complet de la direction DAF"),
                  "message answered through the connector": (relayed, "pas encore de rôle")}
        told = 0
        for name, (turn, when_processed) in during.items():
            outcome = ("told: database unavailable" if contains(turn.replies, DATABASE_DOWN_REPLY)
                       else "processed late, once the database was back" if contains(turn.replies, when_processed)
                       else "neither")
            told += outcome.startswith("told")
            verdict.figure(f"during: {name}", f"HTTP {turn.status} in {turn.seconds:.1f} s, {outcome}")
            verdict.check(f"during: {name}: HTTP 200 within Teams' {TEAMS_TIMEOUT_SECONDS:.0f} s, told in French or "
                          "processed right once the database was back — never the generic error",
                          turn.status == 200 and turn.seconds < TEAMS_TIMEOUT_SECONDS and outcome != "neither"
                          and len(turn.replies) == 1 and not contains(turn.replies, TURN_ERROR_REPLY[:40]),
                          f"{turn.seconds:.1f} s: {short(turn.text)}")
        verdict.figure("during: told in French", f"{told} of {len(during)}")
        if store.kind == "postgresql":  # refused at once; on SQLite a message may outwait the lock instead
            verdict.check("during: every message was answered with the French « base de données » message",
                          told == len(during), told)
        verdict.check("after: /healthz is 200 again, same process (no restart)",
                      recovery is not None and bot.process.poll() is None and bot.process.pid == pid and bot.starts == 1)
        verdict.check("after: the dialog resumes at the question it was at, and completes",
                      contains(resumed.replies, "nom complet de la direction DAF") and contains(finished.replies, "enregistrée")
                      and codes == ["DAF"], f"{short(resumed.text)} / {short(finished.text)}; {codes}")
    finally:
        await tear_down(verdict, store, connector, [bot])
    return verdict.finish()


def main() -> None:
    parser = script_arguments(__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the outage")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.postgres, args.seconds)))


if __name__ == "__main__":
    main()
