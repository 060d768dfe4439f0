"""Fault: several turns of one conversation at the same time — no lost update, no 500.

    .venv/bin/python reliability/concurrent_turns.py [--postgres URL] [--rounds 5] [--burst 4]

The real `python app.py` on a SQLite file (or a throwaway PostgreSQL database), Teams-shaped
activities over HTTP. Nadia (contributor) starts the indicator update dialog (10 indicators), then
sends `--burst` « passer » at the same instant (distinct activity ids, as a quick typist would):
each one that is applied moves the dialog one indicator on. A lost update would show as two turns
both answered « (3/10) » — both read the same state — with the dialog advanced by one only.
A probe « passer » then tells where the dialog really is.

* one process: the bot runs the turns of a conversation one after the other; all must be applied;
* two processes on the same database (a second instance behind a load balancer; on SQLite the
  second one is web-only): the in-process ordering does not reach across processes, the state's
  eTag does. A turn that loses the race must be told so in French (« renvoyez-le ») and not have
  shown the next question; every other turn must be applied.

PASS when no request got a 5xx or the generic error message, and in every round the dialog
advanced by exactly the number of turns that were not told to resend.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
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

from bot.runtime import CONFLICT_REPLY, TURN_ERROR_REPLY  # noqa: E402

POSITION = re.compile(r"\((\d+)/10\) \*\*IND-")


def position_in(replies: list[str]) -> int | None:
    found = [int(match) for reply in replies for match in POSITION.findall(reply)]
    return found[-1] if found else None


async def rounds_against(verdict: Verdict, label: str, nadia: TeamsUser, bots: list[BotProcess], rounds: int,
                         burst: int) -> dict[str, int]:
    totals = {"turns": 0, "applied": 0, "told to resend": 0, "5xx": 0, "generic error": 0, "lost": 0,
              "stale question shown": 0}
    for round_number in range(1, rounds + 1):
        start = await nadia.say(bots[0].url, "mettre à jour mes indicateurs")
        if position_in(start.replies) != 1:
            verdict.check(f"{label}: round {round_number} starts at indicator 1", False, short(start.text))
            continue
        turns = await asyncio.gather(
            *(nadia.say(bots[index % len(bots)].url, "passer") for index in range(burst))
        )
        probe = await nadia.say(bots[0].url, "passer")
        await nadia.say(bots[0].url, "annuler")
        told = [turn for turn in turns if contains(turn.replies, CONFLICT_REPLY)]
        applied = [turn for turn in turns if turn not in told and position_in(turn.replies) is not None]
        positions = sorted(position_in(turn.replies) for turn in applied)
        now_at = position_in(probe.replies)
        expected_positions = list(range(2, 2 + len(applied)))
        lost = len(applied) - ((now_at or 0) - 2)
        totals["turns"] += burst
        totals["applied"] += len(applied)
        totals["told to resend"] += len(told)
        totals["5xx"] += sum(turn.status >= 500 or turn.status == 0 for turn in turns + [probe])
        totals["generic error"] += sum(contains(turn.replies, TURN_ERROR_REPLY[:40]) for turn in turns + [probe])
        totals["lost"] += max(lost, 0)
        totals["stale question shown"] += sum(position_in(turn.replies) is not None for turn in told)
        verdict.step(f"{label} round {round_number}: answered at {positions}, told to resend {len(told)}, probe at "
                     f"{now_at}, HTTP {sorted(turn.status for turn in turns)}")
        verdict.check(
            f"{label} round {round_number}: each applied turn moved the dialog one step, none lost",
            positions == expected_positions and now_at == 2 + len(applied) and len(applied) + len(told) == burst,
            f"answered {positions}, expected {expected_positions}; probe at {now_at}; told to resend {len(told)}",
        )
    verdict.check(f"{label}: no 5xx, no generic error message", totals["5xx"] == 0 and totals["generic error"] == 0,
                  f"{totals['5xx']} × 5xx, {totals['generic error']} × generic error")
    verdict.check(f"{label}: a turn told to resend did not also show the next question", totals["stale question shown"] == 0,
                  f"{totals['stale question shown']} showed a question it then disowned")
    verdict.figure(label, ", ".join(f"{key} {value}" for key, value in totals.items()))
    return totals


async def run(postgres_url: str | None, rounds: int, burst: int) -> int:
    verdict = Verdict(f"concurrent turns on one conversation ({'PostgreSQL' if postgres_url else 'SQLite'})")
    connector = ConnectorProcess(enforce_limits=False)
    store = await ThrowawayDatabase.create("concurrent-turns", postgres_url)
    bots: list[BotProcess] = []
    try:
        service_url = await connector.start()
        await seed_indicators(store.url)
        first = BotProcess("bot", store.url, store.folder)
        second = BotProcess("bot-b", store.url, store.folder, scheduler=store.kind == "postgresql")
        bots += [first, second]
        await asyncio.gather(first.start(), second.start())
        nadia = TeamsUser("nadia-aad", "Nadia Benali", service_url)
        one = await rounds_against(verdict, "one process", nadia, [first], rounds, burst)
        await rounds_against(verdict, "two processes", nadia, [first, second], rounds, burst)  # checked round by round
        verdict.check("one process: every turn applied (turns of a conversation run one after the other)",
                      one["applied"] == one["turns"], f"{one['applied']} of {one['turns']}")
        verdict.figure("database", store.kind)
    finally:
        await tear_down(verdict, store, connector, bots)
    return verdict.finish()


def main() -> None:
    parser = script_arguments(__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--burst", type=int, default=4, help="turns sent at the same instant (at most 8)")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.postgres, args.rounds, min(args.burst, 8))))


if __name__ == "__main__":
    main()
