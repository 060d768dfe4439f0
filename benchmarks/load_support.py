"""What the load benchmarks share: the processes they start and measure, the simulated users and
the database they are seeded into (`load_200_users.py`, `load_gunicorn.py`)."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

import bot.runtime  # noqa: E402
from bot.demo import DEMO_DIRECTORATES  # noqa: E402
from domain.people import Role  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.people import PeopleRepository  # noqa: E402

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TENANT = "local-tenant"
EMAIL_DOMAIN = "demo-spaser.fr"
CATALOGUE = ROOT / "bot" / "demo_catalogue.csv"
QUESTIONS = ROOT / "tests" / "data" / "knowledge_eval.json"
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ",
                             "\u2009": " ", "\u2007": " "})


def fold(text: str) -> str:
    """French typography folded away (typographic apostrophes as ', no-break, narrow no-break and
    thin spaces as plain spaces): replies are matched on their words, not on how they are set."""
    return text.translate(_TYPOGRAPHY)


ERROR_REPLIES = {
    fold(getattr(bot.runtime, name)[:60]): f"French error reply: {label}"
    for name, label in (("TURN_ERROR_REPLY", "unexpected error"), ("CONFLICT_REPLY", "state conflict"),
                        ("DATABASE_DOWN_REPLY", "database unavailable"))
    if hasattr(bot.runtime, name)
} | {fold("Une autre saisie de la même valeur est arrivée au même moment"): "French error reply: simultaneous save"}
"""Keys folded (`fold`): matched against folded replies."""
COMMENTS = ("aucun", "aucun", "aucun", "Chiffre provisoire, à confirmer au prochain comité technique.", "RAS")
CLK_TCK = os.sysconf("SC_CLK_TCK")
TEAMS_TIMEOUT_SECONDS = 15
"""Teams gives up on a bot that has not answered the HTTP request within 15 s (and re-sends it)."""


# ----- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (children not included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def main_thread_schedstat(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for one) of a process's main thread: the
    event loop of the bot; the second says how much other load kept it from running."""
    on_cpu, waiting, _ = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


def postgres_cpu() -> dict[int, float]:
    """CPU of every `postgres` process on the machine (ours and anybody else's), by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found[int(entry.name)] = cpu_seconds(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def postgres_cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the PostgreSQL processes used between two samples (a backend started since counts whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def memory_of(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in kB, read from /proc/<pid>/status."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


class Child:
    """A child process with its output in a log file; stopped by its own pid only."""

    def __init__(self, name: str, command: list[str], workdir: Path, env: dict[str, str] | None = None, capture_first_line: bool = False):
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE if capture_first_line else self._log,
            stderr=self._log,
            text=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    async def first_line(self) -> str:
        line = await asyncio.to_thread(self.process.stdout.readline)
        if not line:
            raise RuntimeError(f"{self.name} exited: see {self.log_path}")
        return line.strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


async def wait_healthy(url: str, child: Child, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise RuntimeError(f"{child.name} exited with {child.process.returncode}: see {child.log_path}")
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{child.name} not healthy after {timeout} s: see {child.log_path}")


def bot_environment(database_url: str, port: int) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "SPASER_", "DATABASE_URL"))}
    environment.update(DATABASE_URL=database_url, PORT=str(port), HOST="127.0.0.1", PYTHONPATH=str(ROOT))
    return environment


# ----- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    index: int
    aad: str
    name: str
    email: str
    directorate: str


def make_users(count: int) -> list[User]:
    codes = [code for code, _ in DEMO_DIRECTORATES]
    return [
        User(i, f"load-{i:04d}", f"Agent Charge {i}", f"agent.charge{i:04d}@{EMAIL_DOMAIN}", codes[i % len(codes)])
        for i in range(count)
    ]


def catalogue_codes() -> dict[str, list[str]]:
    """Active indicator codes per demo directorate, from the catalogue `demo` imports."""
    codes: dict[str, list[str]] = defaultdict(list)
    with CATALOGUE.open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file, delimiter=";"):
            if row["actif"].strip().lower() == "oui":
                for directorate in row["directions"].split("|"):
                    codes[directorate.strip()].append(row["code"])
    return codes


def question_pool() -> tuple[list[str], list[str]]:
    data = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    return [item["question"] for item in data["on_topic"]], list(data["off_topic"])


async def seed(database_url: str, users: list[User], workdir: Path) -> float:
    """`spaser-bot demo`, then one contributor per simulated user, linked to their Teams identity."""
    started = time.perf_counter()
    command = Path(sys.executable).with_name("spaser-bot")
    demo = [str(command), "demo"] if command.exists() else [sys.executable, "-c", "from app import main; main(['demo'])"]
    environment = bot_environment(database_url, 3978)
    result = await asyncio.to_thread(subprocess.run, demo, cwd=workdir, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"spaser-bot demo failed: {result.stderr[-2000:]}")
    database = Database(database_url)
    people = PeopleRepository(database)
    for user in users:
        await people.assign(user.email, Role.CONTRIBUTOR, user.directorate, name=user.name)

        async def lookup(email=user.email) -> str:
            return email

        await people.identify(TENANT, user.aad, name=user.name, email_lookup=lookup)
    await database.dispose()
    return time.perf_counter() - started


class PostgresDatabase:
    """A database of its own on the server of `url`, created for the run and dropped after it."""

    def __init__(self, url: str) -> None:
        self.admin_url = url
        self.name = f"spaser_load_{uuid.uuid4().hex[:10]}"
        self.url = make_url(url).set(database=self.name).render_as_string(hide_password=False)

    async def _execute(self, statement: str) -> None:
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    async def create(self) -> str:
        await self._execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    async def drop(self) -> None:
        await self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
