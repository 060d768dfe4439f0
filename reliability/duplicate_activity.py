"""Fault: the same activity (same id) delivered twice, as Teams does when it retries.

    .venv/bin/python reliability/duplicate_activity.py [--postgres URL]

The real `python app.py` on a SQLite file (or a throwaway PostgreSQL database); Teams-shaped
activities over HTTP; the fake Teams connector in its own process counts what each person receives.
Each case posts one activity twice with the same id and checks that it had one effect:

1. a value typed in the indicator dialog, re-delivered after it was answered: the copy must not be
   read as the next answer (the comment);
2. the confirmation « oui » of that value, twice at the same time: one value saved;
3. the lead's « oui » confirming a broadcast, twice at the same time: one broadcast, one message each;
4. the same « oui » delivered to two bot processes on the same database at the same time (a retry
   that lands on another instance): one broadcast, one message each;
5. an activity re-delivered after the bot was killed (SIGKILL) and started again: ignored, since
   the ids already handled are kept in the database, not in memory.

PASS when every case had exactly one effect, every copy got an HTTP 2xx (no 5xx) and no reply.
"""

from __future__ import annotations

import asyncio
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
    seed_indicators,
    seed_recipients,
    short,
    tear_down,
)
from sqlalchemy import func, select  # noqa: E402

from domain.outbox import DeliveryState, SourceKind  # noqa: E402
from storage.broadcasts.repository import Broadcast  # noqa: E402
from storage.indicators.tables import Indicator, IndicatorValue  # noqa: E402
from storage.outbox import Delivery  # noqa: E402
from storage.people import Directorate  # noqa: E402

RECIPIENTS = 20
NBSP = "\u00a0"


async def count(database, query) -> int:
    async with database.session() as session:
        return (await session.execute(query)).scalar_one()


async def wait_until_broadcasts_final(database, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = await count(database, select(func.count()).select_from(Delivery).where(
            Delivery.source_kind == SourceKind.BROADCAST.value,
            Delivery.state.in_([DeliveryState.PENDING.value, DeliveryState.SENDING.value]),
        ))
        if not pending:
            return
        await asyncio.sleep(0.3)


async def received_per_recipient(connector: ConnectorProcess, recipients: set[str]) -> Counter:
    return Counter(c for c in (await connector.stats())["conversations"] if c in recipients)


def copy_ok(turn) -> bool:
    """A re-delivery is acknowledged (2xx, so Teams stops retrying) and answered with nothing."""
    return 200 <= turn.status < 300 and not turn.replies


async def broadcast_twice(verdict, lead: TeamsUser, first_bot: BotProcess, second_bot: BotProcess, database,
                          connector, recipients: set[str], label: str) -> None:
    before_rows = await count(database, select(func.count()).select_from(Broadcast))
    before = await received_per_recipient(connector, recipients)
    await lead.say(first_bot.url, "diffuser un message au COPIL")
    preview = await lead.say(first_bot.url, f"Message de test ({label}) : merci de confirmer votre présence.")
    confirm = lead.activity("oui")
    first, second = await asyncio.gather(lead.post(first_bot.url, confirm), lead.post(second_bot.url, confirm))
    await wait_until_broadcasts_final(database)
    await asyncio.sleep(1.0)
    after = await received_per_recipient(connector, recipients)
    got = Counter({c: after[c] - before[c] for c in recipients})
    rows = await count(database, select(func.count()).select_from(Broadcast)) - before_rows
    answered = [turn for turn in (first, second) if contains(turn.replies, "Message en cours d’envoi")]
    silent = [turn for turn in (first, second) if copy_ok(turn)]
    verdict.step(f"{label}: HTTP {first.status}/{second.status}, {rows} broadcast row(s), per recipient {dict(Counter(got.values()))}")
    verdict.figure(f"{label}: broadcasts recorded", rows)
    verdict.figure(f"{label}: messages per recipient", dict(sorted(Counter(got.values()).items())))
    verdict.check(f"{label}: the preview was shown", contains(preview.replies, "Aperçu de votre message"), short(preview.text))
    verdict.check(f"{label}: one broadcast recorded", rows == 1, rows)
    verdict.check(f"{label}: each of the {RECIPIENTS} recipients got the message exactly once",
                  set(got.values()) == {1} and len(got) == RECIPIENTS, dict(Counter(got.values())))
    verdict.check(f"{label}: one copy answered « Message en cours d’envoi », the other acknowledged silently",
                  len(answered) == 1 and len(silent) == 1, f"HTTP {first.status}/{second.status}")


async def run(postgres_url: str | None) -> int:
    verdict = Verdict(f"the same activity delivered twice ({'PostgreSQL' if postgres_url else 'SQLite'})")
    connector = ConnectorProcess(enforce_limits=True)
    store = await ThrowawayDatabase.create("duplicate-activity", postgres_url)
    bots: list[BotProcess] = []
    try:
        service_url = await connector.start()
        await seed_indicators(store.url)
        database = store.open()
        recipients = set(await seed_recipients(database, RECIPIENTS, service_url))
        bot = BotProcess("bot", store.url, store.folder)
        bots.append(bot)
        verdict.figure("first start", f"{await bot.start():.1f} s")
        nadia = TeamsUser("nadia-aad", "Nadia Benali", service_url)
        lead = TeamsUser(LEAD_AAD, "Camille Martin", service_url)

        # 1. a dialog answer re-delivered after it was answered
        await nadia.say(bot.url, "mettre à jour mes indicateurs")
        value = nadia.activity("45 %")
        first = await nadia.post(bot.url, value)
        copy = await nadia.post(bot.url, value)
        comment = await nadia.say(bot.url, "chiffre provisoire")
        verdict.step(f"value then its copy: HTTP {first.status}/{copy.status}; next answer: {short(comment.text, 70)}")
        verdict.check("1. a re-delivered dialog answer is acknowledged with no reply",
                      contains(first.replies, "Un commentaire sur IND-01") and copy_ok(copy), f"copy: HTTP {copy.status}, {copy.replies}")
        verdict.check("1. the copy was not taken as the next answer (the comment)",
                      contains(comment.replies, f"J'enregistre **45{NBSP}%** pour IND-01")
                      and contains(comment.replies, "« chiffre provisoire »"), short(comment.text))

        # 2. the confirmation twice at the same time
        confirm = nadia.activity("oui")
        results = await asyncio.gather(nadia.post(bot.url, confirm), nadia.post(bot.url, confirm))
        saved = await count(database, select(func.count()).select_from(IndicatorValue).join(
            Indicator, Indicator.id == IndicatorValue.indicator_id).where(Indicator.code == "IND-01"))
        verdict.figure("2. values saved for two identical « oui »", saved)
        verdict.check("2. two identical « oui » at once save one value",
                      saved == 1 and sum(contains(r.replies, " pour IND-01.") for r in results) == 1
                      and sum(copy_ok(r) for r in results) == 1,
                      f"{saved} value(s); HTTP {[r.status for r in results]}")

        # 3. a broadcast confirmed twice at the same time, one process
        await broadcast_twice(verdict, lead, bot, bot, database, connector, recipients, "3. one process")

        # 4. the same confirmation at two processes at the same time (SQLite: the second one web-only)
        second = BotProcess("bot-b", store.url, store.folder, scheduler=store.kind == "postgresql")
        bots.append(second)
        await second.start()
        await broadcast_twice(verdict, lead, bot, second, database, connector, recipients, "4. two processes")
        second.stop()

        # 5. a re-delivery after a crash and a restart
        creation = lead.activity("ajouter une direction DJ Direction juridique")
        created = await lead.post(bot.url, creation)
        bot.kill9()
        await bot.start()
        retried = await lead.post(bot.url, creation)
        directorates = await count(database, select(func.count()).select_from(Directorate).where(Directorate.code == "DJ"))
        verdict.step(f"after SIGKILL + restart, the copy got HTTP {retried.status} and {len(retried.replies)} reply(ies)")
        verdict.check("5. an activity re-delivered after a restart is ignored (one directorate DJ, no reply)",
                      contains(created.replies, "enregistrée") and copy_ok(retried) and directorates == 1,
                      f"{directorates} DJ; copy: {retried.replies}")
        await database.dispose()
        verdict.figure("database", store.kind)
    finally:
        await tear_down(verdict, store, connector, bots)
    return verdict.finish()


def main() -> None:
    parser = script_arguments(__doc__)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.postgres)))


if __name__ == "__main__":
    main()
