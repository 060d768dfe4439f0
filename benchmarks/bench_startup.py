"""Start-up of the bot on SQLite: seconds from process start to `/healthz` 200, then the first
questions, and the memory the process holds; against the bare echo bot in the same run.

    .venv/bin/python benchmarks/bench_startup.py [--runs 3]

A SQLite file is seeded once with `spaser-bot demo` and a contributor linked to the Teams
identity the turns come from; then, `--runs` times, `python app.py` (local
mode, scheduler on) is started on it and `/healthz` polled every 50 ms: the time to the first
answer of any kind (the server listens) and to the first 200 (ready: database checked, scheduler
running, start-up work done). Right after ready, three turns are posted with
`deliveryMode: expectReplies` (no connector): a knowledge question, « prochain comité » and
« synthèse », each the first of its kind since start, so a pause for work left to the first
question shows there. VmRSS is read at ready and after the
turns. The echo bot (`benchmarks/echo_bot.py`) is started the same way for the baseline. Not a
test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.console import teams_activity  # noqa: E402

SENDER = "startup-bench"
FIRST_TURNS = (
    ("knowledge question", "c'est quoi un SPASER ?"),
    ("next committee", "prochain comité"),
    ("summary", "synthèse"),
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def environment(database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "SPASER_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, PORT=str(port), HOST="127.0.0.1", PYTHONPATH=str(ROOT))
    return env


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def post(session: aiohttp.ClientSession, url: str, message: str) -> tuple[float, str]:
    activity = teams_activity(aad_object_id=SENDER, name="Camille Martin", conversation_id=f"a:{uuid.uuid4().hex}",
                              type="message", text=message, delivery_mode="expectReplies")
    activity.id = uuid.uuid4().hex
    activity.service_url = "http://127.0.0.1:9/"  # no connector: a roster look-up is refused at once
    started = time.monotonic()
    async with session.post(f"{url}/api/messages", json=activity.serialize()) as response:
        body = await response.text()
    elapsed = time.monotonic() - started
    try:
        texts = [a.get("text") or "" for a in json.loads(body).get("activities", [])]
    except (ValueError, AttributeError):
        texts = [body]
    return elapsed, " | ".join(texts)[:70]


async def register_sender(database_url: str) -> None:
    """The sender is a known contributor linked to their Teams identity, as after their first
    message: a first-contact roster look-up is not what this measures."""
    from domain.people import Role
    from storage.db import Database
    from storage.people import PeopleRepository

    database = Database(database_url)
    people = PeopleRepository(database)
    await people.assign("camille.bench@demo-spaser.fr", Role.CONTRIBUTOR, "DRH", name="Camille Martin")

    async def lookup() -> str:
        return "camille.bench@demo-spaser.fr"

    await people.identify("local-tenant", SENDER, name="Camille Martin", email_lookup=lookup)
    await database.dispose()


async def one_start(command: list[str], env: dict[str, str], port: int, workdir: Path, turns: bool) -> dict:
    url = f"http://127.0.0.1:{port}"
    log = (workdir / f"start-{port}.log").open("w")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
    result: dict = {}
    try:
        async with aiohttp.ClientSession() as session:
            while time.monotonic() - started < 120:
                if process.poll() is not None:
                    raise RuntimeError(f"exited with {process.returncode}: see {log.name}")
                try:
                    async with session.get(f"{url}/healthz") as response:
                        result.setdefault("listening_s", time.monotonic() - started)
                        if response.status == 200:
                            result["ready_s"] = time.monotonic() - started
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            result["rss_ready_mb"] = rss_mb(process.pid)
            if turns:
                for kind, message in FIRST_TURNS:
                    seconds, reply = await post(session, url, message)
                    result[f"first {kind}_ms"] = seconds * 1000
                    result[f"first {kind} reply"] = reply
                result["rss_after_turns_mb"] = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    return result


async def main_async(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    database_url = f"sqlite+aiosqlite:///{workdir / 'spaser.db'}"
    seeded = subprocess.run([sys.executable, "-c", "from app import main; main(['demo'])"], cwd=workdir,
                            env=environment(database_url, 3978), capture_output=True, text=True)
    if seeded.returncode:
        raise SystemExit(seeded.stderr[-2000:])
    await register_sender(database_url)
    rows: dict[str, list[dict]] = {"echo": [], "bot": []}
    for _ in range(args.runs):
        port = free_port()
        rows["echo"].append(await one_start([sys.executable, str(ROOT / "benchmarks" / "echo_bot.py"), "--port", str(port)],
                                            environment("", port), port, workdir, turns=False))
        port = free_port()
        rows["bot"].append(await one_start([sys.executable, str(ROOT / "app.py")], environment(database_url, port), port,
                                           workdir, turns=True))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; files in {workdir}")
    for name, runs in rows.items():
        print(f"\n{name}")
        for key in runs[0]:
            values = [run[key] for run in runs]
            if isinstance(values[0], float):
                print(f"  {key:<40} median {statistics.median(values):8.2f}   runs {', '.join(f'{v:.2f}' for v in values)}")
            else:
                print(f"  {key:<40} {values[-1]}")
    ratio = statistics.median(r["ready_s"] for r in rows["bot"]) / statistics.median(r["ready_s"] for r in rows["echo"])
    print(f"\nready: bot / echo = {ratio:.1f}× (medians, same run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
