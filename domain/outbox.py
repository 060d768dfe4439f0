"""What the bot sends on its own, as plain values: messages for the outbox, their states, Teams'
send limits and retry policy. The lead's notices about who was not reached: domain/delivery_problems.py.

The outbox itself (storage/outbox.py) keeps one row per (message source, recipient); the sender
(scheduler/outbox.py) delivers them.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from domain.clock import SchedulingError, format_datetime_fr

BLOCKED_ERROR_PREFIX = "403"
"""`last_error` of a row whose recipient refused the bot (Teams answers 403 MessageWritesBlocked)."""
NO_REFERENCE = "no conversation reference: the person has not installed or opened the assistant in Teams"
UNTRUSTED = "serviceUrl not allowed (not a Teams connector host, or not local in local mode)"
EXPIRED = "expired: its meeting has started"
INSTALL_PREFIX = "installation"
"""`last_error` of a delivery whose recipient's app could not be installed: « installation 403: … »."""
AWAITING_INSTALLATION = "awaiting the installation of the app through Microsoft Graph"


LEAD_COPY_KEY_SUFFIX = ":lead-copy"
"""Ends the key of a lead's copy of a members' reminder: the sender sends it once the members'
messages are final, saying how many received it (`domain.committees.messages.with_members_reached`)."""


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"
    """Final at once, never sent: a digest to a person who had already received or consulted the same
    summary that day (`OutboxMessage.skipped`); `rappels` counts it (reader 14, B3)."""


SEEN_ON_REQUEST = "not sent again: the person consulted the same summary that day"
SENT_EARLIER = "not sent again: the same summary was sent to the person that day"
"""`last_error` of a SKIPPED digest: why it was not sent."""


class SourceKind(StrEnum):
    """What produced a message: a meeting change cancels its pending REMINDER rows only, not digests."""

    REMINDER = "reminder"
    MEETING_NOTICE = "meeting_notice"
    BROADCAST = "broadcast"
    DIGEST = "digest"
    LEAD_NOTICE = "lead_notice"
    PRIVATE_REPLY = "private_reply"
    """The answer to something asked in a group that belongs in the person's personal chat."""
    TURN_REPLY = "turn_reply"
    """A turn's reply Teams kept refusing (429, 5xx) for longer than a turn may wait: sent later."""
    INSTALLATION = "installation"
    """Not a message: install the app for a person who has no conversation (Microsoft Graph)."""
    OUTLOOK_EVENT = "outlook_event"
    """Not a message: bring a meeting's Outlook invitation up to date (Microsoft Graph)."""


TASK_KINDS = frozenset({SourceKind.INSTALLATION, SourceKind.OUTLOOK_EVENT})
"""Rows the sender hands to a Graph task instead of Teams; an Outlook event has no recipient."""


UNREPORTED_SOURCES = frozenset(
    {SourceKind.LEAD_NOTICE, SourceKind.PRIVATE_REPLY, SourceKind.TURN_REPLY, SourceKind.INSTALLATION}
)
"""Sources whose undelivered rows are not reported to the lead as such: her own notices,
installations (reported with the message they were for), and answers the person asked for."""
FINAL_STATES = frozenset(
    {DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNREACHABLE, DeliveryState.CANCELLED, DeliveryState.SKIPPED}
)


class Topic(StrEnum):
    """What a message says about a meeting."""

    REMINDER = "reminder"
    """The members' reminder (a data-collection reminder carries no `About`: it is quoted)."""
    DIGEST = "digest"
    """The summary sent to the élu·es to prepare a COPIL."""
    MOVED = "moved"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Seen:
    """A person a digest was not sent to: they had the same summary earlier that day, at `at`, because
    they asked for it (`requested`: « a déjà consulté ») or because a digest sent it to them (« a déjà
    reçu »). `requested` None: a row stored before the difference was recorded."""

    name: str
    at: datetime | None = None
    requested: bool | None = None

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "at": self.at.isoformat() if self.at else None, "requested": self.requested}

    @classmethod
    def from_data(cls, data: str | dict[str, Any]) -> Seen:
        if isinstance(data, str):  # stored before reader 14: the name only
            return cls(data)
        at = datetime.fromisoformat(data["at"]) if data.get("at") else None
        return cls(data["name"], at, data.get("requested"))


@dataclass(frozen=True)
class About:
    """The facts a message is about, stored with it (`delivery.about_json`): the lead's report names
    the message from them (« le rappel du comité de pilotage du … »), never from its text."""

    topic: Topic
    meeting_id: int
    meeting_label: str
    """The committee's name as a title (« Comité de pilotage »)."""
    meeting_at: datetime
    already_seen: tuple[Seen, ...] = ()
    """A digest's: the people it was not sent to because they had the same summary that day, at their
    request (consulted) or by another digest (received); whether they read it is not known."""

    def to_json(self) -> str:
        data = {"topic": self.topic.value, "meeting_id": self.meeting_id, "meeting_label": self.meeting_label,
                "meeting_at": self.meeting_at.isoformat()}
        if self.already_seen:
            data["already_seen"] = [seen.to_data() for seen in self.already_seen]
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str | None) -> About | None:
        if not raw:
            return None
        data = json.loads(raw)
        at = datetime.fromisoformat(data["meeting_at"])
        seen = tuple(Seen.from_data(item) for item in data.get("already_seen", ()))
        return cls(Topic(data["topic"]), data["meeting_id"], data["meeting_label"], at, seen)

    def meeting(self, timezone: str) -> str:
        """« comité de pilotage du mardi 2 mars 2027 à 14 h 00 »."""
        return f"{self.meeting_label.lower()} du {format_datetime_fr(self.meeting_at, timezone)}"


@dataclass(frozen=True)
class OutboxMessage:
    """A rendered message for one recipient: a person (personal chat) or a conversation (channel)."""

    key: str
    source_kind: SourceKind
    source_id: str
    text: str
    person_id: int | None = None
    conversation_id: str | None = None
    recipient_label: str = ""
    card: dict[str, Any] | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None
    about: About | None = None
    skipped: str | None = None
    """Not to be sent (`SEEN_ON_REQUEST`, `SENT_EARLIER`): the row is stored SKIPPED, with this reason,
    so that `rappels` counts the digests not sent because the person already had the summary."""

    def __post_init__(self) -> None:
        if self.source_kind is SourceKind.OUTLOOK_EVENT:
            return
        if (self.person_id is None) == (self.conversation_id is None):
            raise ValueError("An outbox message goes to exactly one of a person or a conversation")


@dataclass(frozen=True)
class Recipient:
    key: str
    label: str
    person_id: int | None = None
    conversation_id: str | None = None
    directorate: str | None = None


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.seconds <= 0:
            raise SchedulingError(f"Limite d’envoi invalide : {self.limit} par {self.seconds} s.")


TEAMS_PER_CONVERSATION = (Window(7, 1), Window(8, 2), Window(60, 30), Window(1800, 3600))
TEAMS_PER_APP = (Window(50, 1),)


def parse_windows(raw: str) -> tuple[Window, ...]:
    """`"7/1,60/30"` -> 7 per second and 60 per 30 seconds (the format of the environment variables)."""
    windows = []
    for part in raw.split(","):
        if not part.strip():
            continue
        try:
            limit, seconds = part.split("/")
            windows.append(Window(int(limit), float(seconds)))
        except ValueError as error:
            raise SchedulingError(
                f"Limite d’envoi illisible : « {part.strip()} » (format attendu : nombre/secondes, par exemple 7/1)."
            ) from error
    return tuple(windows)


@dataclass(frozen=True)
class RateLimits:
    per_conversation: tuple[Window, ...] = TEAMS_PER_CONVERSATION
    per_app: tuple[Window, ...] = TEAMS_PER_APP
    margin_seconds: float = 0.05
    """Added to every window: our instant is taken before the request travels, Teams' after."""


@dataclass(frozen=True)
class SendingSettings:
    limits: RateLimits = field(default_factory=RateLimits)
    max_attempts: int = 6
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    concurrency: int = 16
    drain_interval_seconds: float = 15.0
    sweep_interval_seconds: float = 60.0
    wait_horizon_seconds: float = 60.0
    """A drain waits in place for retries due within this horizon; later ones go to the next drain."""
    stuck_lease_seconds: float = 600.0
    """A row "sending" for longer than this was left by a crash (of this or another instance)."""
    send_timeout_seconds: float = 30.0


TRUSTED_SERVICE_HOSTS = (
    "smba.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
)


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def is_trusted_service_url(service_url: str, local_mode: bool) -> bool:
    """With authentication on, only Teams' own connector hosts receive our messages (and our token).

    In local mode (no app id) only a connector on this machine can answer (Agents Playground, test
    fakes): a reference saved by the terminal REPL points at Teams and is never called.
    """
    url = urlparse(service_url)
    host = (url.hostname or "").lower()
    if local_mode:
        return host in LOCAL_HOSTS or host.endswith(".localhost")
    return url.scheme == "https" and any(host == trusted or host.endswith("." + trusted) for trusted in TRUSTED_SERVICE_HOSTS)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 2.0
    cap_seconds: float = 300.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential with "equal jitter": half the step fixed, half random, so retries spread out."""
        step = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        return step / 2 + rng.uniform(0, step / 2)
