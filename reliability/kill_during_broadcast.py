"""Fault: `kill -9` of the bot in the middle of a 1,000-recipient broadcast.

    .venv/bin/python reliability/kill_during_broadcast.py [--postgres URL] [--recipients 1000] [--kill-at 0.3]

The real `python app.py` runs on a SQLite file (or a throwaway PostgreSQL database) with the
scheduler on; the fake Teams connector runs in its own process on loopback and enforces Teams'
limits (429 + Retry-After). 1,000 registered people, each with a personal conversation, are
written straight into the database; the SPASER lead then broadcasts « à tout le monde » through
the real endpoint (/api/messages: « diffuser un message à tout le monde », the text, « oui »).
When the connector has received `--kill-at` of the messages, the bot gets SIGKILL; it is started
again and the script waits until every delivery is final and the lead's report went out.

PASS when: every recipient got the message at least once; nobody got it more than twice; everyone
who got it twice is one of the rows the restarted bot logged as "possible duplicate" (rows caught in
"sending" by the kill); the outbox says 1,000 sent; the lead got exactly one report saying so.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
    LEAD_AAD,
    BotProcess,
    ConnectorProcess,
    TeamsUser,
    ThrowawayDatabase,
    Verdict,
    contains,
    script_arguments,
    seed_recipients,
    short,
    tear_down,
)
from sqlalchemy import func, select  # noqa: E402

from domain.indicators.units import format_number  # noqa: E402
from domain.outbox import SourceKind  # noqa: E402
from storage.broadcasts.repository import Broadcast  # noqa: E402
from storage.outbox import Delivery  # noqa: E402
from storage.people import Person  # noqa: E402

POSSIBLE_DUPLICATE = re.compile(r"Delivery (\d+) \(([^)]*)\) was being sent when the bot stopped")
STUCK_LEASE_SECONDS = 10
"""PostgreSQL only: rows left in "sending" are taken back after this lease (600 s by default, since another
instance may still be sending them); shortened here so that the script stays under two minutes."""


async def outbox_states(database) -> dict[str, int]:
    async with database.session() as session:
        rows = await session.execute(
            select(Delivery.state, func.count()).where(Delivery.source_kind == SourceKind.BROADCAST.value).group_by(Delivery.state)
        )
        return dict(rows.all())


async def sending_ids(database) -> set[int]:
    async with database.session() as session:
        rows = await session.execute(
            select(Delivery.id).where(Delivery.source_kind == SourceKind.BROADCAST.value, Delivery.state == "sending")
        )
        return set(rows.scalars())


async def conversation_of_delivery(database) -> dict[int, str]:
    async with database.session() as session:
        rows = await session.execute(
            select(Delivery.id, Person.aad_object_id)
            .join(Person, Person.id == Delivery.person_id)
            .where(Delivery.source_kind == SourceKind.BROADCAST.value)
        )
        return {delivery_id: f"a:{aad}" for delivery_id, aad in rows}


async def reported(database) -> bool:
    async with database.session() as session:
        return (await session.execute(select(Broadcast.reported_at))).scalar_one_or_none() is not None


async def run(recipients: int, postgres_url: str | None, kill_at: float, timeout: float) -> int:
    verdict = Verdict(f"kill -9 during a {recipients}-recipient broadcast ({'PostgreSQL' if postgres_url else 'SQLite'})")
    connector = ConnectorProcess(enforce_limits=True)
    store = await ThrowawayDatabase.create("kill-broadcast", postgres_url)
    bot = None
    try:
        service_url = await connector.start()
        await store.migrate()
        database = store.open()
        recipient_conversations = set(await seed_recipients(database, recipients, service_url))
        environment = {"SPASER_STUCK_LEASE_SECONDS": str(STUCK_LEASE_SECONDS)} if store.kind == "postgresql" else {}
        bot = BotProcess("bot", store.url, store.folder, **environment)
        verdict.figure("first start", f"{await bot.start():.1f} s")
        verdict.step(f"{recipients} people seeded; bot up at {bot.url}, connector at {service_url}")

        lead = TeamsUser(LEAD_AAD, "Camille Martin", service_url)
        asked = await lead.say(bot.url, "diffuser un message à tout le monde")
        preview = await lead.say(bot.url, "Le COPIL du 12 mars est confirmé : ordre du jour en pièce jointe.")
        started = time.monotonic()
        confirmed = await lead.say(bot.url, "oui")
        verdict.check("the lead's broadcast dialog went through the real endpoint",
                      contains(asked.replies, "Quel message") and contains(preview.replies, f"{format_number(recipients)} destinataires")
                      and contains(confirmed.replies, "Message en cours d’envoi"), short(confirmed.text))

        target = max(1, int(recipients * kill_at))
        while True:
            delivered = sum(1 for c in (await connector.stats())["conversations"] if c in recipient_conversations)
            if delivered >= target or time.monotonic() - started > timeout:
                break
            await asyncio.sleep(0.05)
        bot.kill9()
        killed_after = time.monotonic() - started
        at_kill = Counter(c for c in (await connector.stats())["conversations"] if c in recipient_conversations)
        states_at_kill = await outbox_states(database)
        caught_sending = await sending_ids(database)
        verdict.step(f"SIGKILL after {killed_after:.1f} s: {sum(at_kill.values())} delivered, outbox {states_at_kill}")
        verdict.check("the kill happened mid-broadcast", 0 < sum(at_kill.values()) < recipients,
                      f"{sum(at_kill.values())} of {recipients} delivered at the kill")

        restart_seconds = await bot.start()
        verdict.step(f"restarted in {restart_seconds:.1f} s; waiting for every delivery to be final and the report")
        deadline = time.monotonic() + timeout
        lead_reports: list[str] = []
        while time.monotonic() < deadline:
            states = await outbox_states(database)
            stats = await connector.stats()
            lead_reports = [c for c in stats["conversations"] if c == lead.conversation_id]
            if set(states) <= {"sent", "failed", "unreachable", "cancelled"} and await reported(database) and lead_reports:
                break
            await asyncio.sleep(0.5)
        finished_after = time.monotonic() - started
        await asyncio.sleep(2)  # anything still in flight would show up now

        stats = await connector.stats()
        received = Counter(c for c in stats["conversations"] if c in recipient_conversations)
        lead_reports = [c for c in stats["conversations"] if c == lead.conversation_id]
        logged = {int(match[1]) for match in POSSIBLE_DUPLICATE.finditer(bot.log_since_last_start())}
        conversations = await conversation_of_delivery(database)
        logged_conversations = {conversations[i] for i in logged if i in conversations}
        final_states = await outbox_states(database)

        missing = recipient_conversations - set(received)
        twice = {c for c, n in received.items() if n == 2}
        more = {c for c, n in received.items() if n > 2}
        unexplained = twice - logged_conversations
        verdict.figure("database", store.kind)
        verdict.figure("killed after", f"{killed_after:.1f} s, {sum(at_kill.values())} of {recipients} delivered")
        verdict.figure("outbox at the kill", dict(states_at_kill))
        verdict.figure("rows caught in 'sending'", len(caught_sending))
        verdict.figure("restart (to /healthz 200)", f"{restart_seconds:.1f} s")
        verdict.figure("logged as possible duplicates", len(logged))
        verdict.figure("received exactly once", sum(1 for n in received.values() if n == 1))
        verdict.figure("received twice", f"{len(twice)} (all logged: {not unexplained})")
        verdict.figure("never received", len(missing))
        verdict.figure("outbox at the end", dict(final_states))
        verdict.figure("429 answered / attempts", f"{stats['throttled']} / {stats['attempts']}")
        verdict.figure("broadcast to last delivery", f"{finished_after:.1f} s (including the restart)")
        if store.kind == "postgresql":
            verdict.figure("stuck-row lease", f"{STUCK_LEASE_SECONDS} s (SPASER_STUCK_LEASE_SECONDS; default 600 s)")

        verdict.check("every recipient got the message", not missing, f"{len(missing)} missing")
        verdict.check("nobody got it more than twice", not more, f"{len(more)} got it 3+ times")
        verdict.check("everyone who got it twice was logged as a possible duplicate", not unexplained,
                      f"{len(unexplained)} unexplained duplicate(s)")
        verdict.check("every row caught in 'sending' was logged as a possible duplicate", caught_sending <= logged,
                      f"{len(caught_sending - logged)} not logged")
        verdict.check("the outbox ends with every delivery sent", final_states == {"sent": recipients}, final_states)
        report_text = await lead_report_text(database)
        verdict.check("the lead got exactly one report, counting every recipient as sent",
                      len(lead_reports) == 1 and contains([report_text], f"bien reçu par {format_number(recipients)} personnes"),
                      f"{len(lead_reports)} report(s): {short(report_text.splitlines()[1] if report_text else '')}")
        await database.dispose()
    finally:
        await tear_down(verdict, store, connector, [bot])
    return verdict.finish()


async def lead_report_text(database) -> str:
    async with database.session() as session:
        texts = await session.execute(select(Delivery.text).where(Delivery.key.like("broadcast-report:%")))
        return "\n".join(texts.scalars())


def main() -> None:
    parser = script_arguments(__doc__)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="share of the messages delivered before SIGKILL")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for each phase")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.recipients, args.postgres, args.kill_at, args.timeout)))


if __name__ == "__main__":
    main()
