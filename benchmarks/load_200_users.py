"""Load test: 200 simulated Teams users talking to the real bot at once, against a bare echo bot.

    .venv/bin/python benchmarks/load_200_users.py [--users 200] [--duration 60] [--think 0]
        [--postgres [URL]] [--no-sqlite] [--no-echo] [--unpaced] [--json FILE]

Runs, one after the other in one invocation: the echo bot, the bot on SQLite, and with
`--postgres` the bot on PostgreSQL; each with its own fresh processes:
- the bot: `python app.py` (local mode, no authentication, scheduler on) on a fresh SQLite file,
  or on a database of its own created on the `--postgres` server (default
  postgresql+asyncpg://postgres@127.0.0.1:5432/test) and dropped afterwards; seeded before it
  starts with `spaser-bot demo` (7 directorates, 20 indicators, past values) plus one contributor
  per simulated user (spread over the 7 directorates), registered through the repositories and
  linked to their Teams identity;
- or the echo bot (`benchmarks/echo_bot.py`): the same aiohttp + CloudAdapter + front door, a
  handler that echoes;
- the fake Teams connector (`benchmarks/streaming_connector.py`, a FakeTeamsConnector): the bots
  post their replies to it, at the activity's `serviceUrl`, as they would to Teams; it streams
  each reply to this process with the instant it arrived;
- this process, the load generator (aiohttp client): one personal conversation per user.

Workload, closed loop by default: each user sends a message, waits for the HTTP answer and the
bot's replies, reads them, and sends the next one at once; `--think S` makes each user pause
between two messages for an exponentially distributed time of mean S seconds (reading, typing).
Users start one after the other over `--ramp` seconds. A user repeats sessions of four blocks in
a random order: a question to the knowledge base (phrasings of the evaluation set, one in ten
off-topic), « quels indicateurs dois-je renseigner ? », an update dialog (« mettre à jour mes
indicateurs », a value (« oui » when the bot asks to confirm a value far from the previous one),
a comment, « oui », then « annuler » if more is due; once the directorate
has entered everything — its ~28 users do so within seconds — « corriger IND-xx », a value, a
comment and « oui » instead), and « synthèse ». The echo bot gets the same messages, unbranched.

Measured over `--duration` seconds starting `--warmup` seconds after the first user started
(turns answered in that window): turns/s; per turn, the time from sending the request to its
HTTP response, and to the first reply arriving at the connector (CLOCK_MONOTONIC is one clock for
every process); errors (non-2xx, timeouts after `--timeout` s, connection errors, a turn with no
reply, French error replies of the bot) and turns slower than Teams' 15 s; replies that do not
follow the dialog; the bot's VmRSS / VmHWM after the run; the CPU used by each process and by the
whole machine (other load, PostgreSQL server included), and the warnings the bot logged. Prints a
table, writes everything as JSON with `--json`. Not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp  # noqa: E402
from load_support import (  # noqa: E402
    COMMENTS,
    DEFAULT_POSTGRES,
    ERROR_REPLIES,
    ROOT,
    TEAMS_TIMEOUT_SECONDS,
    Child,
    PostgresDatabase,
    User,
    bot_environment,
    catalogue_codes,
    cpu_seconds,
    fold,
    free_port,
    machine_cpu,
    main_thread_schedstat,
    make_users,
    memory_of,
    postgres_cpu,
    postgres_cpu_between,
    question_pool,
    seed,
    wait_healthy,
)

from bot.console import teams_activity  # noqa: E402

# ----- load generator ----------------------------------------------------------------------------


@dataclass
class Turn:
    kind: str
    sent: float
    answered: float
    status: int | None
    first_reply: float | None = None
    replies: int = 0
    error: str | None = None
    unexpected: bool = False
    text: str = ""

    @property
    def http_seconds(self) -> float:
        return self.answered - self.sent

    @property
    def reply_seconds(self) -> float | None:
        return None if self.first_reply is None else self.first_reply - self.sent


@dataclass
class ReplyStream:
    """Replies streamed by the connector, by the id of the activity they answer, and a watermark:
    every reply the connector received before `watermark` (its clock instant) has been read."""

    replies: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    watermark: float = 0.0
    waiters: list = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)

    def feed(self, events: list[dict]) -> None:
        for event in events:
            if "tick" in event:
                self.watermark = max(self.watermark, event["tick"])
            else:
                self.replies[event["reply_to"]].append(event)
                self.watermark = max(self.watermark, event["at"])
        while self.waiters and self.waiters[0][0] <= self.watermark:
            _, _, future = heapq.heappop(self.waiters)
            if not future.done():
                future.set_result(None)

    async def caught_up(self, instant: float) -> None:
        if self.watermark >= instant:
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiters, (instant, next(self.counter), future))
        await future


class LoadGenerator:
    def __init__(self, bot_url: str, connector_url: str, args: argparse.Namespace, mode: str) -> None:
        self.bot_url = bot_url.rstrip("/") + "/api/messages"
        self.connector_url = connector_url.rstrip("/")
        self.args = args
        self.mode = mode
        self.stream = ReplyStream()
        self.turns: list[Turn] = []
        self.unexpected_samples: list[dict] = []
        self.error_samples: list[dict] = []
        self.codes = catalogue_codes()
        self.on_topic, self.off_topic = question_pool()
        self.sequence = itertools.count(1)
        self.window = (0.0, 0.0)

    async def _read_stream(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        async for message in socket_:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.stream.feed(json.loads(message.data))
            else:
                break

    async def run(self, users: list[User], start: float) -> None:
        """Users start one after the other over `--ramp` seconds from `start`; `window` must be set."""
        timeout = aiohttp.ClientTimeout(total=self.args.timeout)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
            async with aiohttp.ClientSession() as stream_session, stream_session.ws_connect(
                f"{self.connector_url}/_stream", max_msg_size=0
            ) as stream:
                reader = asyncio.create_task(self._read_stream(stream))
                await asyncio.gather(*(self._user(session, user, start + self.args.ramp * user.index / len(users)) for user in users))
                reader.cancel()

    # --- one turn ---

    async def turn(self, session: aiohttp.ClientSession, user: User, template: dict, kind: str, message: str) -> Turn:
        activity_id = f"{user.aad}-{next(self.sequence)}"
        body = dict(template, id=activity_id, text=message)
        payload = json.dumps(body).encode()
        sent = time.monotonic()
        status = None
        error = None
        try:
            async with session.post(self.bot_url, data=payload, headers={"Content-Type": "application/json"}) as response:
                status = response.status
                await response.read()
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
        except asyncio.TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as failure:
            error = f"connection error ({failure.__class__.__name__})"
        answered = time.monotonic()
        try:
            await asyncio.wait_for(self.stream.caught_up(answered), timeout=10)
        except asyncio.TimeoutError:
            error = error or "reply stream stalled"
        events = self.stream.replies.pop(activity_id, [])
        turn = Turn(kind, sent, answered, status, replies=len(events), error=error)
        if events:
            turn.first_reply = min(event["arrived"] for event in events)
            turn.text = fold("\n".join(event["text"] for event in events))
        elif error is None and status == 200:
            turn.error = "no reply"
        for marker, label in ERROR_REPLIES.items():
            if marker in turn.text:
                turn.error = turn.error or label
        if self.window[0] <= answered <= self.window[1]:
            self.turns.append(turn)
            if turn.error and len(self.error_samples) < 20:
                self.error_samples.append({"kind": kind, "sent": message, "error": turn.error, "reply": turn.text[:300]})
        return turn

    def _expect(self, turn: Turn, *markers: str) -> bool:
        """True when the reply shows the dialog went where it should; records it otherwise."""
        if turn.error:
            return False
        if any(fold(marker) in turn.text for marker in markers):
            return True
        turn.unexpected = True
        if len(self.unexpected_samples) < 20 and self.window[0] <= turn.answered <= self.window[1]:
            self.unexpected_samples.append({"kind": turn.kind, "expected": markers, "reply": turn.text[:300]})
        return False

    async def _think(self, rng: random.Random) -> None:
        if self.args.think > 0:
            pause = min(rng.expovariate(1 / self.args.think), 5 * self.args.think)
            await asyncio.sleep(max(0.0, min(pause, self.window[1] - time.monotonic())))

    # --- one user ---

    async def _user(self, session: aiohttp.ClientSession, user: User, start: float) -> None:
        rng = random.Random(self.args.seed * 100_003 + user.index)
        template = teams_activity(
            aad_object_id=user.aad, name=user.name, conversation_id=f"a:{user.aad}", type="message", text=""
        ).serialize()
        template["serviceUrl"] = self.connector_url + "/"
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        end = self.window[1]

        async def say(kind: str, message: str) -> Turn:
            turn = await self.turn(session, user, template, kind, message)
            await self._think(rng)
            return turn

        blocks = ["question", "due", "update", "summary"]
        while time.monotonic() < end:
            rng.shuffle(blocks)
            for block in blocks:
                if time.monotonic() >= end:
                    return
                if block == "question":
                    pool = self.off_topic if rng.random() < 0.1 else self.on_topic
                    await say("question", rng.choice(pool))
                elif block == "due":
                    await say("due list", "quels indicateurs dois-je renseigner ?")
                elif block == "summary":
                    await say("summary", "synthèse")
                elif self.mode == "echo":
                    for kind, message in (("update: start", "mettre à jour mes indicateurs"), ("update: value", "12"),
                                          ("update: comment", "aucun"), ("update: save", "oui"), ("update: cancel", "annuler")):
                        await say(kind, message)
                else:
                    await self._update(say, user, rng)

    async def _update(self, say, user: User, rng: random.Random) -> None:
        turn = await say("update: start", "mettre à jour mes indicateurs")
        if not self._expect(turn, "Quelle valeur", "Rien à renseigner"):
            await say("update: cancel", "annuler")
            return
        if "Quelle valeur" not in turn.text:
            turn = await say("update: correct", f"corriger {rng.choice(self.codes[user.directorate])}")
            if not self._expect(turn, "Quelle valeur", "Rien à corriger"):
                await say("update: cancel", "annuler")
                return
            if "Quelle valeur" not in turn.text:
                return
        turn = await say("update: value", str(rng.randint(1, 99)))
        if "Confirmez-vous" in turn.text:  # far from the previous value: the person confirms it
            turn = await say("update: confirm", "oui")
        if not self._expect(turn, "Un commentaire"):
            await say("update: cancel", "annuler")
            return
        steps = (
            ("update: comment", rng.choice(COMMENTS), ("J'enregistre",)),
            ("update: save", "oui", ("Enregistré",)),
        )
        for kind, message, expected in steps:
            turn = await say(kind, message)
            if not self._expect(turn, *expected):
                await say("update: cancel", "annuler")
                return
        if "Quelle valeur" in turn.text:
            turn = await say("update: cancel", "annuler")
            self._expect(turn, "annulé", "Saisie arrêtée")


# ----- one phase -------------------------------------------------------------------------------


UNPACED = "1000000/1"
"""A send limit no run reaches: with `--unpaced`, the bot answers as fast as it works."""


def percentile(samples: list[float], q: int) -> float | None:
    if len(samples) < 2:
        return samples[0] * 1000 if samples else None
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def latency_figures(turns: list[Turn]) -> dict:
    http = [t.http_seconds for t in turns if t.error not in ("timeout",) and t.status is not None]
    reply = [t.reply_seconds for t in turns if t.reply_seconds is not None]
    return {
        "turns": len(turns),
        "http_p50_ms": percentile(http, 50),
        "http_p99_ms": percentile(http, 99),
        "http_max_ms": max(http) * 1000 if http else None,
        "slower_than_teams_15s": sum(1 for t in turns if t.error == "timeout" or t.http_seconds > TEAMS_TIMEOUT_SECONDS),
        "first_reply_p50_ms": percentile(reply, 50),
        "first_reply_p99_ms": percentile(reply, 99),
    }


def timeline(turns: list[Turn], start: float) -> list[dict]:
    """Per 5 seconds of the window: turns answered, their p50, errors; shows stalls and drifts."""
    buckets: dict[int, list[Turn]] = defaultdict(list)
    for turn in turns:
        buckets[int((turn.answered - start) // 5)].append(turn)
    return [
        {"from_s": index * 5, "turns": len(bucket), "http_p50_ms": percentile([t.http_seconds for t in bucket], 50),
         "errors": sum(1 for t in bucket if t.error)}
        for index, bucket in sorted(buckets.items())
    ]


def bot_log_summary(path: Path, up_to: int | None = None) -> dict:
    """Warnings and errors the bot logged until the end of the measured window (not its shutdown)."""
    lines = path.read_bytes()[:up_to].decode(errors="replace").splitlines()
    levels = Counter()
    messages = Counter()
    for line in lines:
        for level in ("ERROR", "WARNING", "CRITICAL"):
            if f" {level} " in line:
                levels[level] += 1
                messages[line.split(f" {level} ", 1)[1][:160]] += 1
    return {
        "levels": dict(levels),
        "tracebacks": sum(1 for line in lines if line.startswith("Traceback")),
        "database_locked": sum(1 for line in lines if "database is locked" in line),
        "top_messages": messages.most_common(8),
    }


async def run_phase(name: str, mode: str, args: argparse.Namespace, users: list[User], database_url: str | None) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"load-{name.replace(' ', '-')}-"))
    print(f"\n== {name}: {len(users)} users, {args.duration:g} s (+{args.warmup:g} s warm-up), work files in {workdir}", flush=True)
    children: list[Child] = []
    result: dict = {"name": name, "mode": mode}
    try:
        connector = Child(
            "connector",
            [sys.executable, str(ROOT / "benchmarks" / "streaming_connector.py")] + (["--teams-limits"] if args.teams_limits else []),
            workdir,
            capture_first_line=True,
        )
        children.append(connector)
        connector_url = (await connector.first_line()).rstrip("/")
        port = free_port()
        if mode == "bot":
            result["seed_seconds"] = round(await seed(database_url, users, workdir), 1)
            profile = ["-m", "cProfile", "-o", str(workdir / "bot.prof")] if args.profile_bot else []
            environment = bot_environment(database_url, port)
            if args.unpaced:  # the echo bot does not pace its replies: compare the work, not Teams' limit
                environment.update(SPASER_RATE_PER_APP=UNPACED, SPASER_RATE_PER_CONVERSATION=UNPACED)
            bot = Child("bot", [sys.executable, *profile, str(ROOT / "app.py")], workdir, env=environment)
        else:
            bot = Child("bot", [sys.executable, str(ROOT / "benchmarks" / "echo_bot.py"), "--port", str(port)], workdir,
                        env=bot_environment("", port))
        children.append(bot)
        bot_url = f"http://127.0.0.1:{port}"
        await wait_healthy(bot_url, bot)
        print(f"   {name} ready: pid {bot.pid}, {bot_url}; connector pid {connector.pid}", flush=True)
        generator = LoadGenerator(bot_url, connector_url, args, mode)

        async def sample_cpu() -> dict:
            await asyncio.sleep(max(0.0, generator.window[0] - time.monotonic()))
            before = (machine_cpu(), cpu_seconds(bot.pid), cpu_seconds(connector.pid), cpu_seconds(os.getpid()), postgres_cpu(),
                      main_thread_schedstat(bot.pid))
            await asyncio.sleep(max(0.0, generator.window[1] - time.monotonic()))
            after = (machine_cpu(), cpu_seconds(bot.pid), cpu_seconds(connector.pid), cpu_seconds(os.getpid()), postgres_cpu(),
                     main_thread_schedstat(bot.pid))
            wall = generator.window[1] - generator.window[0]
            busy = after[0][0] - before[0][0]
            cores = {
                "machine_busy": busy / wall,
                "bot": (after[1] - before[1]) / wall,
                "connector": (after[2] - before[2]) / wall,
                "load_generator": (after[3] - before[3]) / wall,
                "postgres_server_all": postgres_cpu_between(before[4], after[4]) / wall,
                "bot_event_loop_running": (after[5][0] - before[5][0]) / wall,
                "bot_event_loop_runnable_but_waiting_for_a_cpu": (after[5][1] - before[5][1]) / wall,
            }
            cores["everything_else"] = cores["machine_busy"] - cores["bot"] - cores["connector"] - cores["load_generator"]
            result["bot_log_bytes_at_window_end"] = bot.log_path.stat().st_size
            return {key: round(value, 2) for key, value in cores.items()}

        start = time.monotonic() + 1.0
        generator.window = (start + args.warmup, start + args.warmup + args.duration)
        cpu_task = asyncio.create_task(sample_cpu())
        load_before = os.getloadavg()
        await generator.run(users, start)
        result["cpu_cores"] = await cpu_task
        result["loadavg_before"] = load_before
        result["loadavg_after"] = os.getloadavg()
        result["memory_kb"] = memory_of(bot.pid)
        async with aiohttp.ClientSession() as session, session.get(f"{connector_url}/_stats") as response:
            result["connector"] = await response.json()
        turns = generator.turns
        wall = generator.window[1] - generator.window[0]
        errors = Counter(t.error for t in turns if t.error)
        result.update(
            throughput_turns_per_s=len(turns) / wall,
            **latency_figures(turns),
            errors=sum(errors.values()),
            errors_by_kind=dict(errors),
            unexpected_replies=sum(1 for t in turns if t.unexpected),
            per_kind={kind: latency_figures([t for t in turns if t.kind == kind]) for kind in sorted({t.kind for t in turns})},
            error_samples=generator.error_samples,
            unexpected_samples=generator.unexpected_samples,
            late_replies=sum(len(events) for events in generator.stream.replies.values()),
            timeline=timeline(turns, generator.window[0]),
            bot_cpu_ms_per_turn=1000 * result["cpu_cores"]["bot"] / (len(turns) / wall) if turns else None,
        )
    finally:
        for child in reversed(children):
            child.stop()
    result["bot_log"] = bot_log_summary(workdir / "bot.log", result.get("bot_log_bytes_at_window_end"))
    result["workdir"] = str(workdir)
    return result


# ----- report ----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def tree_state() -> dict:
    """The commit and a fingerprint of uncommitted changes: figures belong to the code they measured."""
    def git(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True).stdout

    import hashlib

    return {"commit": git("rev-parse", "HEAD").strip(), "uncommitted_diff_sha1": hashlib.sha1(git("diff").encode()).hexdigest(),
            "modified_files": git("status", "--short").splitlines()}


def print_report(phases: list[dict]) -> dict:
    header = (f"{'run':<16}{'turns':>7}{'turns/s':>9}{'p50 http':>10}{'p99 http':>10}{'p50 reply':>11}{'p99 reply':>11}"
              f"{'errors':>8}{'>15 s':>7}{'unexp.':>8}{'RSS MB':>8}{'HWM MB':>8}")
    print("\n" + header + "\n" + "-" * len(header))
    for phase in phases:
        memory = phase.get("memory_kb", {})
        print(
            f"{phase['name']:<16}{phase['turns']:>7}{phase['throughput_turns_per_s']:>9.1f}"
            f"{_ms(phase['http_p50_ms']):>10}{_ms(phase['http_p99_ms']):>10}"
            f"{_ms(phase['first_reply_p50_ms']):>11}{_ms(phase['first_reply_p99_ms']):>11}"
            f"{phase['errors']:>8}{phase['slower_than_teams_15s']:>7}{phase['unexpected_replies']:>8}"
            f"{memory.get('VmRSS', 0) / 1024:>8.0f}{memory.get('VmHWM', 0) / 1024:>8.0f}"
        )
    echo = next((p for p in phases if p["mode"] == "echo"), None)
    ratios = {}
    for phase in phases:
        if phase["mode"] != "bot":
            continue
        print(f"\n{phase['name']} per turn kind (ms)     n   p50 http  p99 http  p50 reply")
        for kind, figures in phase["per_kind"].items():
            print(f"  {kind:<30}{figures['turns']:>6}{_ms(figures['http_p50_ms']):>10}{_ms(figures['http_p99_ms']):>10}{_ms(figures['first_reply_p50_ms']):>11}")
        if phase["errors_by_kind"]:
            print(f"  errors: {phase['errors_by_kind']}")
        if echo is not None and phase["turns"] and echo["turns"]:
            ratios[phase["name"]] = {
                "throughput_bot_over_echo": phase["throughput_turns_per_s"] / echo["throughput_turns_per_s"],
                "p50_http_bot_over_echo": phase["http_p50_ms"] / echo["http_p50_ms"],
                "p99_http_bot_over_echo": phase["http_p99_ms"] / echo["http_p99_ms"],
            }
            r = ratios[phase["name"]]
            print(
                f"  vs echo: throughput {r['throughput_bot_over_echo']:.2f}×, p50 {r['p50_http_bot_over_echo']:.1f}×, "
                f"p99 {r['p99_http_bot_over_echo']:.1f}×"
            )
    print("\nCPU (cores, over the measured window; the machine has", os.cpu_count(), "):")
    for phase in phases:
        per_turn = phase["bot_cpu_ms_per_turn"]
        print(f"  {phase['name']:<16}{phase['cpu_cores']}, bot {_ms(per_turn)} ms of CPU per turn")
    for phase in phases:
        for sample in phase["error_samples"][:3] + phase["unexpected_samples"][:3]:
            print(f"  {phase['name']} sample: {json.dumps(sample, ensure_ascii=False)[:300]}")
        log = phase["bot_log"]
        if log["levels"] or log["tracebacks"]:
            print(f"  {phase['name']} bot log: {log['levels']}, tracebacks {log['tracebacks']}, 'database is locked' {log['database_locked']}")
            for message, count in log["top_messages"][:4]:
                print(f"    {count}× {message}")
    return ratios


async def main_async(args: argparse.Namespace) -> None:
    users = make_users(args.users)
    phases = []
    postgres = PostgresDatabase(args.postgres) if args.postgres else None
    try:
        if not args.no_echo:
            phases.append(await run_phase("echo", "echo", args, users, None))
        if not args.no_sqlite:
            folder = Path(tempfile.mkdtemp(prefix="load-sqlite-db-"))
            phases.append(await run_phase("bot sqlite", "bot", args, users, f"sqlite+aiosqlite:///{folder / 'spaser.db'}"))
        if postgres is not None:
            phases.append(await run_phase("bot postgres", "bot", args, users, await postgres.create()))
    finally:
        if postgres is not None:
            await postgres.drop()
    ratios = print_report(phases)
    if args.json:
        report = {
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "settings": {k: v for k, v in vars(args).items() if k != "json"},
            "workload": "closed loop" if args.think == 0 else f"think time: exponential, mean {args.think} s",
            "machine": {"cpus": os.cpu_count()},
            "tree": tree_state(),
            "phases": phases,
            "ratios_vs_echo": ratios,
        }
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        print(f"\nJSON written to {args.json}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per run")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the users start")
    parser.add_argument("--warmup", type=float, default=20, help="seconds from the first user's start to the measured window")
    parser.add_argument("--think", type=float, default=0, help="mean think time in seconds (0: closed loop)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as timed out")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_POSTGRES, default=None, metavar="URL",
                        help=f"also run the bot on PostgreSQL (default URL {DEFAULT_POSTGRES}); a database is created and dropped")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-bot run")
    parser.add_argument("--teams-limits", action="store_true", help="the connector answers 429 past Teams' send limits")
    parser.add_argument("--unpaced", action="store_true",
                        help="lift the bot's reply pacing (Teams' 50 messages/s per app), as the echo bot has none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile-bot", action="store_true", help="run the bot under cProfile (bot.prof in its work folder)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.warmup < args.ramp:
        parser.error("--warmup must be at least --ramp: every user is talking before the measure starts")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
