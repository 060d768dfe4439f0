"""Shared parts of the fault scripts: real bot processes (`python app.py`), the fake Teams connector
in its own process, throwaway databases, Teams-shaped turns over HTTP, and the PASS/FAIL verdict.

Nothing here is a test double of the bot: the scripts start the same `app.py` a deployment runs,
on a real SQLite file or a real PostgreSQL database, and talk to it only through HTTP (and read the
database and the connector's counters to check the outcome).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.console import (
    render_as_text,  # noqa: E402
    teams_activity,  # noqa: E402
)
from storage.db import Database  # noqa: E402
from tests.fakes.tcp_proxy import TcpProxy, free_port, target_of, through_proxy  # noqa: E402,F401 - for the scripts

LEAD_AAD = "lead-aad"
TENANT = "local-tenant"
CLEARED_VARIABLES = ("DATABASE_URL", "PORT", "HOST", "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType",
                     "MicrosoftAppTenantId")


def script_arguments(docstring: str) -> argparse.ArgumentParser:
    """The command line every fault script shares (`--postgres URL`); each adds its own options."""
    parser = argparse.ArgumentParser(description=docstring.split("\n")[0])
    parser.add_argument(
        "--postgres", metavar="URL",
        help="run on PostgreSQL instead of a SQLite file: a throwaway database is created next to the one the "
             "URL names, and dropped afterwards (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)",
    )
    return parser


async def tear_down(verdict: Verdict, store: ThrowawayDatabase, connector: ConnectorProcess, bots: Iterable) -> None:
    """Stops what a script started, even after a crash; the database's files are kept when the verdict
    failed, for inspection."""
    for bot in bots:
        if bot is not None:
            bot.stop()
    connector.stop()
    await store.drop(keep_files=not verdict.passed)


# --- the fake Teams connector, in its own process ---------------------------------------------------


class ConnectorProcess:
    """`python -m tests.fakes.teams_connector`: Teams' REST API on loopback with Teams' send limits."""

    def __init__(self, enforce_limits: bool = True) -> None:
        self.enforce_limits = enforce_limits
        self.process: subprocess.Popen | None = None
        self.url = ""

    async def start(self) -> str:
        command = [sys.executable, "-m", "tests.fakes.teams_connector"] + ([] if self.enforce_limits else ["--no-limits"])
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.url = (await asyncio.to_thread(self.process.stdout.readline)).strip()
        if not self.url.startswith("http"):
            raise RuntimeError("the fake Teams connector did not start")
        return self.url

    async def stats(self) -> dict:
        async with aiohttp.ClientSession() as session, session.get(f"{self.url.rstrip('/')}/_stats") as response:
            return await response.json()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# --- throwaway databases ----------------------------------------------------------------------------


class ThrowawayDatabase:
    """A SQLite file in a temporary folder, or a PostgreSQL database created for this run only.

    A whole database (not a schema) because the bot process reads only `DATABASE_URL`; the machine's
    PostgreSQL server is shared, so nothing else on it is touched and the database is dropped at the end.
    """

    def __init__(self, folder: Path, url: str, admin_url: str | None = None, name: str | None = None) -> None:
        self.folder = folder
        self.url = url
        self._admin_url = admin_url
        self._name = name

    @property
    def kind(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(make_url(self.url).database) if self.kind == "sqlite" else None

    @classmethod
    async def create(cls, prefix: str, postgres_url: str | None = None) -> ThrowawayDatabase:
        folder = Path(tempfile.mkdtemp(prefix=f"spaser-{prefix}-"))
        if postgres_url is None:
            return cls(folder, f"sqlite+aiosqlite:///{folder / 'spaser.db'}")
        name = f"spaser_{prefix.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        admin = Database(postgres_url)
        async with admin.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        await admin.dispose()
        url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        return cls(folder, url, admin_url=postgres_url, name=name)

    def open(self, url: str | None = None) -> Database:
        return Database(url or self.url)

    async def migrate(self) -> None:
        database = self.open()
        await database.migrate()
        await database.dispose()

    async def drop(self, keep_files: bool = False) -> None:
        """Drop the PostgreSQL database; remove the folder (SQLite file, bot logs) unless `keep_files`."""
        if self._admin_url is not None:
            admin = Database(self._admin_url)
            async with admin.engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
            await admin.dispose()
        if keep_files:
            print(f"  files kept for inspection (bot logs, SQLite file): {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


# --- seeding straight into the database ----------------------------------------------------------------


async def seed_recipients(database: Database, count: int, service_url: str, role=None) -> list[str]:
    """`count` registered people, each with a personal conversation with the bot (as if they had
    opened it in Teams) whose serviceUrl is the fake connector. Returns their conversation ids."""
    from domain.people import Role
    from storage.people import ConversationRef, Person

    conversations = []
    async with database.session() as session:
        for index in range(count):
            aad = f"aad-{index:05d}"
            conversation_id = f"a:{aad}"
            session.add(Person(tenant_id=TENANT, aad_object_id=aad, email=f"personne{index:05d}@ville.fr",
                               name=f"Personne {index:05d}", role=role or Role.OFFICIAL))
            reference = {
                "bot": {"id": "28:spaser-bot"},
                "channelId": "msteams",
                "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": TENANT},
                "serviceUrl": service_url,
                "user": {"id": f"29:{aad}", "aadObjectId": aad},
            }
            session.add(ConversationRef(conversation_id=conversation_id, tenant_id=TENANT, aad_object_id=aad,
                                        conversation_type="personal", service_url=service_url,
                                        reference_json=json.dumps(reference)))
            conversations.append(conversation_id)
    return conversations


async def seed_indicators(database_url: str) -> None:
    """The example catalogue (tests/data), its directorates, and Nadia (contributor, DCP) known by her
    Teams identity `nadia-aad`: what the indicator update dialog needs."""
    from bot.runtime import build_runtime
    from bot.settings import Settings
    from tests.indicators_support import seed

    runtime = build_runtime(Settings(database_url=database_url, scheduler_enabled=False, admins=(LEAD_AAD,)))
    await runtime.database.migrate()
    try:
        await seed(runtime, tenant_id=TENANT)
    finally:
        await runtime.close()


# --- the real bot process ----------------------------------------------------------------------------


class BotProcess:
    """`python app.py` in a folder of its own (no stray `.env`), logging to a file the script reads."""

    def __init__(self, name: str, database_url: str, folder: Path, *, scheduler: bool = True, **environment: str) -> None:
        self.name = name
        self.database_url = database_url
        self.folder = folder
        self.scheduler = scheduler
        self.environment = environment
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = folder / f"{name}.log"
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("SPASER_") and key not in CLEARED_VARIABLES}
        env.update(
            DATABASE_URL=self.database_url,
            PORT=str(self.port),
            HOST="127.0.0.1",
            SPASER_ADMINS=LEAD_AAD,
            SPASER_SCHEDULER="on" if self.scheduler else "off",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.environment)
        return env

    async def start(self, timeout: float = 90.0) -> float:
        """Start and wait until /healthz answers 200; returns the seconds it took."""
        started = time.monotonic()
        self.starts += 1
        log = self.log_path.open("a", encoding="utf-8")
        log.write(f"\n===== start {self.starts} of {self.name} =====\n")
        log.flush()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], cwd=self.folder, env=self._env(), stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        async with aiohttp.ClientSession() as session:
            while time.monotonic() - started < timeout:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.process.returncode}; log: {self.log_path}")
                try:
                    async with session.get(f"{self.url}/healthz", timeout=aiohttp.ClientTimeout(total=2)) as response:
                        if response.status == 200:
                            return time.monotonic() - started
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name} did not become healthy within {timeout:.0f} s; log: {self.log_path}")

    def kill9(self) -> None:
        """SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_since_last_start(self) -> str:
        return self.log().rsplit(f"===== start {self.starts} of {self.name} =====", 1)[-1]

    async def health(self, timeout: float = 30.0) -> tuple[int, dict, float]:
        """Status, body and seconds of GET /healthz (status 0 when no answer came)."""
        started = time.monotonic()
        try:
            async with aiohttp.ClientSession() as session, session.get(
                f"{self.url}/healthz", timeout=aiohttp.ClientTimeout(total=timeout)
            ) as response:
                body = await response.json(content_type=None)
                return response.status, body, time.monotonic() - started
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return 0, {"error": error.__class__.__name__}, time.monotonic() - started


# --- Teams-shaped turns over HTTP --------------------------------------------------------------------


@dataclass
class Turn:
    """What one POST /api/messages gave back."""

    status: int
    replies: list[str]
    seconds: float
    body: Any = None

    @property
    def text(self) -> str:
        return "\n".join(self.replies)


@dataclass
class TeamsUser:
    """One person's personal chat with the bot, posting what Teams would post (local mode: no token)."""

    aad_object_id: str
    name: str
    service_url: str
    conversation_id: str = ""
    count: int = 0
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    def __post_init__(self) -> None:
        self.conversation_id = self.conversation_id or f"a:{self.aad_object_id}"

    def activity(self, text: str | None = None, *, activity_id: str | None = None, expect_replies: bool = True,
                 **fields: Any) -> dict:
        self.count += 1
        if expect_replies:
            fields["delivery_mode"] = "expectReplies"
        activity = teams_activity(
            aad_object_id=self.aad_object_id,
            name=self.name,
            conversation_id=self.conversation_id,
            tenant_id=TENANT,
            id=activity_id or f"{self.aad_object_id}-{self.run_id}-{self.count}",
            text=text,
            type="message",
            **fields,
        )
        activity.service_url = self.service_url
        return activity.serialize()

    async def post(self, bot_url: str, activity: dict, timeout: float = 60.0) -> Turn:
        started = time.monotonic()
        try:
            async with aiohttp.ClientSession() as session, session.post(
                f"{bot_url}/api/messages", json=activity, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as response:
                raw = await response.text()
                seconds = time.monotonic() - started
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                return Turn(response.status, replies_of(body), seconds, body)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return Turn(0, [f"<no answer: {error.__class__.__name__}>"], time.monotonic() - started)

    async def say(self, bot_url: str, text: str, **options: Any) -> Turn:
        return await self.post(bot_url, self.activity(text, **options))


def replies_of(body: Any) -> list[str]:
    """The bot's replies in an `expectReplies` answer, rendered as the REPL shows them."""
    from botbuilder.schema import Activity

    if not isinstance(body, dict):
        return []
    return [render_as_text(Activity().deserialize(item)) for item in body.get("activities") or []]


# --- the verdict ---------------------------------------------------------------------------------------


class Verdict:
    """Checks and figures, printed as a table; exit status 0 only when every check passed."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.checks: list[tuple[str, bool, str]] = []
        self.figures: list[tuple[str, str]] = []
        self.started = time.monotonic()
        print(f"=== {title}", flush=True)

    def step(self, message: str) -> None:
        print(f"  [{time.monotonic() - self.started:6.1f} s] {message}", flush=True)

    def check(self, name: str, ok: bool, detail: Any = "") -> bool:
        self.checks.append((name, bool(ok), str(detail)))
        return bool(ok)

    def figure(self, name: str, value: Any) -> None:
        self.figures.append((name, str(value)))

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def finish(self) -> int:
        self.figure("wall time", f"{time.monotonic() - self.started:.1f} s")
        width = max(len(name) for name, _ in self.figures) if self.figures else 0
        print("  figures:")
        for name, value in self.figures:
            print(f"    {name.ljust(width)}  {value}")
        print("  checks:")
        for name, ok, detail in self.checks:
            print(f"    {'ok  ' if ok else 'FAIL'} {name}" + (f" — {detail}" if detail else ""))
        failed = [name for name, ok, _ in self.checks if not ok]
        print(f"VERDICT {self.title}: " + ("PASS" if self.passed else f"FAIL ({len(failed)} check(s) failed)"), flush=True)
        return 0 if self.passed else 1


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ",
                             "\u2009": " ", "\u2007": " "})


def fold(text: str) -> str:
    """French typography folded away: typographic apostrophes as ', no-break, narrow no-break and
    thin spaces as plain spaces, so that a check reads the words, not how they are typeset."""
    return text.translate(_TYPOGRAPHY)


def contains(replies: Iterable[str], fragment: str) -> bool:
    """Whether a reply holds `fragment`, both read through `fold`."""
    wanted = fold(fragment)
    return any(wanted in fold(reply) for reply in replies)


def short(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
