"""Production visibility without personal data: one JSON log line per turn, Prometheus metrics.

`TurnLogMiddleware` is the outermost turn middleware: it times the whole turn and logs its
activity id, a keyed hash of the conversation (never the id itself, which names the person's chat),
the activity type, the duration and the outcome. `Metrics` counts turns, their latency, the
outbox's sends by outcome and, at each scrape, the outbox's rows by state; `GET /metrics` exists
only with `SPASER_METRICS_TOKEN` and answers only that bearer token. With several gunicorn workers
set `PROMETHEUS_MULTIPROC_DIR`: the counters of every worker are then summed at each scrape.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from botbuilder.core import Middleware, TurnContext
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from bot.middleware import CLAIMED_ACTIVITY_KEY, tenant_of
from storage.bot_state import StateConflictError
from storage.db import database_unavailable

TURN_LOG = logging.getLogger("spaser.turns")
SECRET_PATHS = re.compile(r"^/(calendar/[^/?#.]+|synthese/[^/?#]+)")
"""Calendar feeds and summary downloads carry their secret in the path."""
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.turns = Counter("spaser_turns", "Turns handled, by activity type and outcome", ["type", "outcome"],
                             registry=self.registry)
        self.latency = Histogram("spaser_turn_duration_seconds", "Time to handle a turn (whole middleware chain)",
                                 ["type"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.sends = Counter("spaser_outbox_sends", "Outbox rows handled by the sender, by outcome", ["outcome"],
                             registry=self.registry)

    def count_send(self, outcome: str) -> None:
        self.sends.labels(outcome=outcome).inc()

    def exposition(self, outbox_states: dict[str, int]) -> bytes:
        """The text format: this process's metrics (every worker's with PROMETHEUS_MULTIPROC_DIR) and
        the outbox's rows by state, read from the database just before."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = self.registry
        gauge = GaugeMetricFamily("spaser_outbox_rows", "Outbox rows by state", labels=["state"])
        for state, count in sorted(outbox_states.items()):
            gauge.add_metric([state], count)
        return generate_latest(registry) + generate_latest(_Static([gauge]))


class _Static:
    def __init__(self, families) -> None:
        self._families = families

    def collect(self):
        return self._families


def metrics_handler(metrics: Metrics, token: str, outbox_counts: Callable[[], Awaitable[dict[str, int]]]):
    expected = f"Bearer {token}".encode()

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        body = metrics.exposition(await outbox_counts())
        return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

    return handle


class TurnLogMiddleware(Middleware):
    def __init__(self, metrics: Metrics, allowed_tenants: tuple[str, ...], hash_key: str = "") -> None:
        self._metrics = metrics
        self._allowed = frozenset(allowed_tenants)
        self._key = (hash_key or secrets.token_hex(16)).encode()

    def conversation_hash(self, conversation_id: str) -> str:
        return hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()[:16]

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]):
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await logic()
        except StateConflictError:
            outcome = "conflict"
            raise
        except Exception as error:
            outcome = "database_unavailable" if database_unavailable(error) else "error"
            raise
        finally:
            activity = context.activity
            if outcome == "ok":
                outcome = self._skipped(context) or "ok"
            duration = time.perf_counter() - started
            kind = activity.type or "unknown"
            self._metrics.turns.labels(type=kind, outcome=outcome).inc()
            self._metrics.latency.labels(type=kind).observe(duration)
            conversation = activity.conversation.id if activity.conversation and activity.conversation.id else ""
            TURN_LOG.info("turn", extra={"turn": {
                "activity_id": (activity.id or "")[:100],
                "conversation": self.conversation_hash(conversation) if conversation else None,
                "type": kind,
                "duration_ms": round(duration * 1000, 1),
                "outcome": outcome,
            }})

    def _skipped(self, context: TurnContext) -> str | None:
        activity = context.activity
        if self._allowed and tenant_of(activity) not in self._allowed:
            return "refused_tenant"
        if activity.type in ("message", "invoke") and activity.id and CLAIMED_ACTIVITY_KEY not in context.turn_state:
            return "duplicate"
        return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and a turn's fields when it is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        turn = getattr(record, "turn", None)
        if turn:
            line.update(turn)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def redacted_path(path: str) -> str:
    """The path as the access log writes it: secrets replaced, no query string."""
    return SECRET_PATHS.sub(lambda found: f"/{found[1].split('/')[0]}/…", path.split("?", 1)[0])


class RedactingAccessLogger(AbstractAccessLogger):
    """aiohttp's access log line without the secrets of calendar and download links."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %s %.3fs', request.remote, request.method, redacted_path(request.rel_url.path),
            response.status, response.body_length, time,
        )
