"""Fault: the bot is killed (SIGKILL) while Microsoft Graph creates, moves and cancels a meeting's
Outlook invitation; each time it is started again. Exactly one event must exist, moved once and
cancelled once.

    .venv/bin/python reliability/kill_during_outlook.py [--postgres URL]

The real `python app.py` runs with Outlook invitations on, against the fake Graph and identity
platform (tests/fakes/graph.py) in its own process over TLS on loopback. The SPASER lead plans a
COPIL, moves it, then cancels it, by chat over HTTP. For each of the three, the fake Graph does
the work and then holds its answer for 20 s; the bot is killed in that window, so the outbox row
is left "sending" with Graph's work done but unrecorded, and the restarted bot does it again.

PASS when the fake Graph ends with one event (the creation retried with the meeting's transaction
id gave back the same event), at the new date, cancelled, and every Outlook row of the outbox is
"sent".
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp  # noqa: E402
from _support import (  # noqa: E402
    LEAD_AAD,
    ROOT,
    BotProcess,
    ConnectorProcess,
    TeamsUser,
    ThrowawayDatabase,
    Verdict,
    script_arguments,
    short,
    tear_down,
)

from domain.outbox import SourceKind  # noqa: E402
from tests.fakes.graph import CLIENT_ID, CLIENT_SECRET, ORGANISER, TENANT  # noqa: E402

HOLD_SECONDS = 20


class GraphProcess:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="spaser-graph-"))
        self.process: subprocess.Popen | None = None
        self.url = ""

    async def start(self) -> str:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.fakes.graph", str(self.folder)], cwd=ROOT,
                                        stdout=subprocess.PIPE, text=True)
        self.url = (await asyncio.to_thread(self.process.stdout.readline)).strip()
        return self.url

    @property
    def cert(self) -> str:
        return str(self.folder / "cert.pem")

    async def call(self, method: str, path: str, body: dict | None = None) -> dict:
        async with aiohttp.ClientSession() as session, session.request(
            method, f"{self.url}{path}", json=body, ssl=False
        ) as response:
            return await response.json()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


async def wait_for(predicate, seconds: float = 60.0) -> bool:
    for _ in range(int(seconds / 0.25)):
        if await predicate():
            return True
        await asyncio.sleep(0.25)
    return False


async def outlook_rows(store: ThrowawayDatabase) -> list[str]:
    from storage.outbox import OutboxRepository

    database = store.open()
    try:
        return [row.state for row in await OutboxRepository(database).list(SourceKind.OUTLOOK_EVENT)]
    finally:
        await database.dispose()


async def main() -> int:
    args = script_arguments(__doc__).parse_args()
    verdict = Verdict("kill -9 while Graph creates, moves and cancels an Outlook invitation")
    store = await ThrowawayDatabase.create("outlook", args.postgres)
    connector, graph, bot = ConnectorProcess(), GraphProcess(), None
    try:
        await store.migrate()
        await connector.start()
        await graph.start()
        bot = BotProcess(
            "bot", store.url, store.folder,
            SPASER_GRAPH_URL=graph.url, SPASER_LOGIN_URL=graph.url, SPASER_GRAPH_TENANT_ID=TENANT,
            SPASER_GRAPH_CLIENT_ID=CLIENT_ID, SPASER_GRAPH_CLIENT_SECRET=CLIENT_SECRET,
            SPASER_OUTLOOK_ORGANISER=ORGANISER, SPASER_OUTBOX_INTERVAL="1", SPASER_STUCK_LEASE_SECONDS="3",
            SSL_CERT_FILE=graph.cert, REQUESTS_CA_BUNDLE=graph.cert,
        )
        await bot.start()
        lead = TeamsUser(LEAD_AAD, "Camille Martin", connector.url)
        await lead.say(bot.url, "affecter helene.dubois@ville.fr élue nom Hélène Dubois")

        steps = (
            ("create_event", ["planifier un COPIL le 12 mars à 14h", "salle du conseil", "Bilan 2026", "oui"],
             lambda s: len(s["events"]) >= 1),
            ("update_event", ["déplacer le prochain COPIL au 19 mars à 10h", "oui"],
             lambda s: any(e["patches"] for e in s["events"])),
            ("cancel_event", ["annuler le comité n° 1", "oui"], lambda s: any(e["cancelled"] for e in s["events"])),
        )
        for kind, lines, done in steps:
            await graph.call("POST", "/_setup", {"hold": {kind: HOLD_SECONDS}})
            for line in lines:
                turn = await lead.say(bot.url, line)
                verdict.step(f"lead: {line} -> {short(turn.text, 90)}")

            async def graph_did_it():
                return done(await graph.call("GET", "/_stats"))

            verdict.check(f"{kind}: Graph did the work", await wait_for(graph_did_it))
            bot.kill9()
            verdict.check(f"{kind}: the row was left in flight", "sending" in await outlook_rows(store),
                          await outlook_rows(store))
            await bot.start()

            async def all_sent():
                return set(await outlook_rows(store)) == {"sent"}

            verdict.check(f"{kind}: redone and recorded after the restart", await wait_for(all_sent),
                          await outlook_rows(store))

        stats = await graph.call("GET", "/_stats")
        events = stats["events"]
        verdict.figure("events in the organiser mailbox", len(events))
        verdict.figure("Graph calls", {kind: stats["calls"].count(kind) for kind in ("create_event", "update_event", "cancel_event")})
        verdict.check("exactly one event", len(events) == 1, events)
        verdict.check("at the new date", events and events[0]["start"]["dateTime"].endswith("T09:00:00"), events)
        verdict.check("cancelled", events and events[0]["cancelled"], events)
        verdict.check("Hélène invited", events and events[0]["attendees"] >= 1, events)
    finally:
        graph.stop()
        await tear_down(verdict, store, connector, [bot])
    return verdict.finish()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
