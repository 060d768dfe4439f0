"""Fault: the bot is killed (SIGKILL) between two turns of a dialog; the next turn continues it.

    .venv/bin/python reliability/restart_mid_dialog.py [--postgres URL]

The real `python app.py` runs on a SQLite file (or a throwaway PostgreSQL database). Two people talk
to it over HTTP (/api/messages, Teams-shaped activities, replies in the body with `expectReplies`):
Nadia (contributor) updates an indicator — value, comment, confirmation — and the SPASER lead adds
a directorate — code, then name. Between every two turns the bot gets SIGKILL and is started again.

PASS when each turn after a restart is answered as the next step of the same dialog (no « Je n'ai
pas compris », no start from scratch), and the database ends with exactly one value for IND-01
(45,5, with its comment) and exactly one directorate DAF.
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
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
    short,
    tear_down,
)
from sqlalchemy import select  # noqa: E402

from storage.indicators.tables import Indicator, IndicatorValue  # noqa: E402
from storage.people import Directorate  # noqa: E402

NBSP = "\u00a0"
# (who, what they type, what the answer must contain to prove the dialog went on where it was)
SCRIPT = (
    ("nadia", "mettre à jour mes indicateurs", "(1/10) **IND-01**"),
    ("lead", "ajouter une direction", "code court"),
    ("nadia", "45,5 %", "Un commentaire sur IND-01"),
    ("lead", "DAF", "nom complet de la direction DAF"),
    ("nadia", "Source : recensement OECP", f"J'enregistre **45,5{NBSP}%** pour IND-01"),
    ("lead", "Direction des affaires financières", "enregistrée"),
    ("nadia", "oui", f"Enregistré : 45,5{NBSP}% pour IND-01."),
)


async def stored(database) -> tuple[list[tuple], list[str]]:
    async with database.session() as session:
        values = await session.execute(
            select(Indicator.code, IndicatorValue.value, IndicatorValue.comment)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .order_by(IndicatorValue.id)
        )
        codes = await session.execute(select(Directorate.code).where(Directorate.code == "DAF"))
        return [tuple(row) for row in values], list(codes.scalars())


async def run(postgres_url: str | None) -> int:
    verdict = Verdict(f"restart in the middle of a dialog ({'PostgreSQL' if postgres_url else 'SQLite'})")
    connector = ConnectorProcess(enforce_limits=False)
    store = await ThrowawayDatabase.create("restart-dialog", postgres_url)
    bot = None
    try:
        service_url = await connector.start()
        await seed_indicators(store.url)
        bot = BotProcess("bot", store.url, store.folder)
        verdict.figure("first start", f"{await bot.start():.1f} s")
        people = {
            "nadia": TeamsUser("nadia-aad", "Nadia Benali", service_url),
            "lead": TeamsUser(LEAD_AAD, "Camille Martin", service_url),
        }
        restarts: list[float] = []
        first_turns: list[float] = []
        for index, (who, said, expected) in enumerate(SCRIPT):
            if index:
                bot.kill9()
                restarts.append(await bot.start())
            turn = await people[who].say(bot.url, said)
            first_turns.append(turn.seconds)
            verdict.step(f"{who}: « {said} » -> HTTP {turn.status}, {short(turn.text, 80)}")
            verdict.check(
                f"after {'a SIGKILL and a restart' if index else 'the first start'}, {who}'s « {said} » is answered as the "
                "next step", turn.status == 200 and contains(turn.replies, expected) and not contains(turn.replies, "pas compris"),
                f"expected « {expected} », got « {short(turn.text)} »",
            )
        database = store.open()
        values, directorates = await stored(database)
        await database.dispose()
        verdict.check("exactly one value saved: IND-01 = 45.5 with its comment",
                      values == [("IND-01", Decimal("45.5"), "Source : recensement OECP")], values)
        verdict.check("exactly one directorate DAF", directorates == ["DAF"], directorates)
        verdict.figure("database", store.kind)
        verdict.figure("SIGKILLs (one between every two turns)", len(restarts))
        verdict.figure("restart to /healthz 200", f"min {min(restarts):.1f} s, max {max(restarts):.1f} s")
        verdict.figure("first turn after a restart", f"max {max(first_turns[1:]):.2f} s")
    finally:
        await tear_down(verdict, store, connector, [bot])
    return verdict.finish()


def main() -> None:
    parser = script_arguments(__doc__)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.postgres)))


if __name__ == "__main__":
    main()
