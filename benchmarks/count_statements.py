"""SQL statements and transactions per turn, by kind of turn, through the real HTTP endpoint.

    .venv/bin/python benchmarks/count_statements.py [--users 14] [--rounds 3] [--echo]
        [--profile FILE [--profile-kind KIND] [--profile-cpu]] [--show-sql]

The database of `load_200_users.py` (SQLite file: `spaser-bot demo` plus one contributor per user,
spread over the demo's directorates), the real aiohttp app in this process (scheduler off), and
the load test's turns, one user after the other so that every statement belongs to one turn: a
knowledge question, « quels indicateurs dois-je renseigner ? », the update dialog (start, value,
« oui » to confirm a value far from the previous one, comment, « oui », « annuler »; « corriger »
once the directorate has entered everything) and « synthèse ». The completion of a read-only
turn's claim (`ProcessedActivityRepository.complete_soon`) is counted where it happens: in that
turn, or in a later one whose transaction carries it; `--flush` writes it after each turn instead,
counted with its turn. Prints, per kind, the mean number of statements and of transactions
(BEGINs), and the mean over all turns. Counts, not times: it is deterministic for a given tree and seed.
It also prints each kind's median process CPU per turn; `--echo` sends each measured message to a
bare echo bot too, right after the bot's turn, so that the bot ÷ echo CPU ratio is measured under
the same conditions (the VM is shared); `--profile` writes a cProfile of the measured requests.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from botbuilder.core import ActivityHandler, TurnContext  # noqa: E402
from botbuilder.schema import Activity  # noqa: E402
from load_support import COMMENTS, catalogue_codes, fold, make_users, question_pool, seed  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import RUNTIME, create_adapter, create_app  # noqa: E402
from bot.console import render_as_text, teams_activity  # noqa: E402
from bot.http import messages_handler  # noqa: E402
from bot.settings import Settings  # noqa: E402


class Counter:
    def __init__(self, engine) -> None:
        self.statements = 0
        self.begins = 0
        self.sql: list[str] = []
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", self._begin)

    def direct_transaction(self, statements: list[str]) -> None:
        """A transaction run in one hand-over to SQLite's thread (`Database.direct`, the claim)."""
        self.begins += 1
        for statement in statements:
            self._statement(None, None, statement)

    def _statement(self, _connection, _cursor, statement, *_args) -> None:
        self.statements += 1
        self.sql.append(" ".join(statement.split())[:160])

    def _begin(self, _connection) -> None:
        self.begins += 1

    def take(self) -> tuple[int, int, list[str]]:
        taken = (self.statements, self.begins, self.sql)
        self.statements, self.begins, self.sql = 0, 0, []
        return taken


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(turn_context.activity.text or "")


async def echo_client() -> TestClient:
    """A bare echo bot (benchmarks/echo_bot.py's handler) behind the same adapter and front door."""
    settings = Settings()
    app = web.Application()
    app.router.add_post("/api/messages", messages_handler(create_adapter(settings), EchoBot().on_turn, settings.max_body_bytes))
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="count-statements-"))
    url = f"sqlite+aiosqlite:///{workdir / 'spaser.db'}"
    users = make_users(args.users)
    await seed(url, users, workdir)
    client = TestClient(TestServer(create_app(Settings(database_url=url, scheduler_enabled=False))))
    await client.start_server()
    runtime = client.server.app[RUNTIME]
    await runtime.start_warm_up()
    counter = Counter(runtime.database.engine.sync_engine)
    if runtime.database.direct is not None:
        runtime.database.direct.observers.append(counter.direct_transaction)
    codes = catalogue_codes()
    on_topic, _ = question_pool()
    rng = random.Random(args.seed)
    per_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    cpu_per_kind: dict[str, list[float]] = defaultdict(list)
    samples: dict[str, dict[int, list[str]]] = defaultdict(dict)
    sequence = iter(range(1, 10**9))
    echo = await echo_client() if args.echo else None
    echo_cpu: list[float] = []
    profiler = cProfile.Profile(time.thread_time if args.profile_cpu else time.perf_counter) if args.profile else None

    async def say(user, kind: str, text: str, measured: bool) -> str:
        activity = teams_activity(aad_object_id=user.aad, name=user.name, conversation_id=f"a:{user.aad}",
                                  id=f"{user.aad}-{next(sequence)}", text=text, delivery_mode="expectReplies")
        counter.take()
        profiled = profiler is not None and measured and args.profile_kind in (None, kind)
        if profiled:
            profiler.enable()
        started = time.process_time()
        response = await client.post("/api/messages", json=activity.serialize())
        body = await response.json()
        if args.flush:
            await runtime.processed_activities.flush()
        cpu_per_kind[kind].append(time.process_time() - started)
        if profiled:
            profiler.disable()
        if echo is not None and measured:  # the same message to the echo bot, right after: same conditions
            started = time.process_time()
            echoed = await echo.post("/api/messages", json=activity.serialize())
            echo_body = await echoed.json()
            fold("\n".join(render_as_text(Activity().deserialize(reply)) for reply in echo_body.get("activities", [])))
            echo_cpu.append(time.process_time() - started)
        statements, begins, sql = counter.take()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status} for {text!r}")
        if measured:
            per_kind[kind].append((statements, begins))
            samples[kind].setdefault(statements, sql)
        return fold("\n".join(render_as_text(Activity().deserialize(reply)) for reply in body.get("activities", [])))

    async def update(user, measured: bool) -> None:
        reply = await say(user, "update: start", "mettre à jour mes indicateurs", measured)
        if "Quelle valeur" not in reply:
            reply = await say(user, "update: correct", f"corriger {rng.choice(codes[user.directorate])}", measured)
            if "Quelle valeur" not in reply:
                await say(user, "update: cancel", "annuler", measured)
                return
        reply = await say(user, "update: value", str(rng.randint(1, 99)), measured)
        if "Confirmez-vous" in reply:
            reply = await say(user, "update: confirm", "oui", measured)
        reply = await say(user, "update: comment", rng.choice(COMMENTS), measured)
        reply = await say(user, "update: save", "oui", measured)
        if "Quelle valeur" in reply:
            await say(user, "update: cancel", "annuler", measured)

    cpu_started = 0.0
    for round_number in range(args.rounds + 1):
        measured = round_number > 0  # the first round warms the caches, as a running bot's are
        if round_number == 1:
            cpu_started = time.process_time()
        for user in users:
            blocks = ["question", "due", "update", "summary"]
            rng.shuffle(blocks)
            for block in blocks:
                if block == "question":
                    await say(user, "question", rng.choice(on_topic), measured)
                elif block == "due":
                    await say(user, "due list", "quels indicateurs dois-je renseigner ?", measured)
                elif block == "summary":
                    await say(user, "summary", "synthèse", measured)
                else:
                    await update(user, measured)
    cpu_seconds = time.process_time() - cpu_started
    if profiler is not None:
        profiler.dump_stats(args.profile)
    await client.close()
    if echo is not None:
        await echo.close()

    print(f"\n{'turn':<20}{'n':>6}{'statements':>12}{'transactions':>14}{'CPU ms':>8}")
    total_statements = total_begins = total_turns = 0
    for kind in sorted(per_kind):
        counts = per_kind[kind]
        statements = sum(s for s, _ in counts)
        begins = sum(b for _, b in counts)
        total_statements += statements
        total_begins += begins
        total_turns += len(counts)
        cpu = statistics.median(cpu_per_kind[kind][-len(counts):])
        print(f"{kind:<20}{len(counts):>6}{statements / len(counts):>12.2f}{begins / len(counts):>14.2f}{1000 * cpu:>8.2f}")
    print(f"{'all turns':<20}{total_turns:>6}{total_statements / total_turns:>12.2f}{total_begins / total_turns:>14.2f}")
    print(f"process CPU per measured turn: {1000 * cpu_seconds / total_turns:.2f} ms (the bot and this client in one "
          "process, expectReplies: compare trees run alike, not with the load test)")
    if echo_cpu:
        bot_cpu = [cpu for kind in per_kind for cpu in cpu_per_kind[kind][-len(per_kind[kind]):]]
        print(f"each measured turn, then the same message to a bare echo bot (same client): CPU per turn, bot "
              f"{1000 * statistics.mean(bot_cpu):.2f} ms, echo {1000 * statistics.mean(echo_cpu):.2f} ms; "
              f"bot ÷ echo: {statistics.mean(bot_cpu) / statistics.mean(echo_cpu):.2f}×")
    if args.show_sql:
        for kind, by_count in sorted(samples.items()):
            for count, sql in sorted(by_count.items()):
                seen = sum(1 for s, _ in per_kind[kind] if s == count)
                print(f"\n-- {kind}: {count} statements ({seen} of {len(per_kind[kind])} turns)")
                for line in sql:
                    print("  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds, after one round of warm-up")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flush", action="store_true", help="write read-only turns' completions after each turn")
    parser.add_argument("--show-sql", action="store_true", help="print the statements of one turn of each kind")
    parser.add_argument("--echo", action="store_true", help="each measured turn's message also to a bare echo bot: CPU per turn and ratio")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the measured turns' requests into FILE (pstats)")
    parser.add_argument("--profile-kind", help="profile only the turns of this kind (e.g. 'update: comment')")
    parser.add_argument("--profile-cpu", action="store_true", help="profile in this thread's CPU time (slower) instead of wall time")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
