"""What the bot sends on its own, as plain values: messages for the outbox, their states, Teams'
send limits and retry policy, and the French notices telling the lead who was not reached.

The outbox itself (storage/outbox.py) keeps one row per (message source, recipient); the sender
(scheduler/outbox.py) delivers them.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from domain.clock import DEFAULT_TIMEZONE, SchedulingError, format_date_fr, format_datetime_fr, load_timezone
from domain.text import agreed, counted_in_words, joined, listed_names, lower_first, plain_excerpt, shown, sorted_names

BLOCKED_ERROR_PREFIX = "403"
"""`last_error` of a row whose recipient refused the bot (Teams answers 403 MessageWritesBlocked)."""
NO_REFERENCE = "no conversation reference: the person has not installed or opened the assistant in Teams"
UNTRUSTED = "serviceUrl not allowed (not a Teams connector host, or not local in local mode)"
EXPIRED = "expired: its meeting has started"
INSTALL_PREFIX = "installation"
"""`last_error` of a delivery whose recipient's app could not be installed: « installation 403: … »."""
AWAITING_INSTALLATION = "awaiting the installation of the app through Microsoft Graph"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


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
FINAL_STATES = frozenset({DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNREACHABLE, DeliveryState.CANCELLED})


class Topic(StrEnum):
    """What a message says about a meeting."""

    REMINDER = "reminder"
    """The members' reminder (a data-collection reminder carries no `About`: it is quoted)."""
    DIGEST = "digest"
    """The summary sent to the élu·es to prepare a COPIL."""
    MOVED = "moved"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class About:
    """The facts a message is about, stored with it (`delivery.about_json`): the lead's report names
    the message from them (« le rappel du comité de pilotage du … »), never from its text."""

    topic: Topic
    meeting_id: int
    meeting_label: str
    """The committee's name as a title (« Comité de pilotage »)."""
    meeting_at: datetime
    already_seen: tuple[str, ...] = ()
    """A digest's: the people it was not sent to because they had received or read it that day."""

    def to_json(self) -> str:
        data = {"topic": self.topic.value, "meeting_id": self.meeting_id, "meeting_label": self.meeting_label,
                "meeting_at": self.meeting_at.isoformat()}
        if self.already_seen:
            data["already_seen"] = list(self.already_seen)
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str | None) -> About | None:
        if not raw:
            return None
        data = json.loads(raw)
        at = datetime.fromisoformat(data["meeting_at"])
        return cls(Topic(data["topic"]), data["meeting_id"], data["meeting_label"], at, tuple(data.get("already_seen", ())))

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


@dataclass(frozen=True)
class Problem:
    """Why a message did not reach people, as a sentence naming them (`{names}`): `one` when one
    person, else `several`, then `advice` (with `{them}`: « lui » or « leur »). Each sentence names
    its people: a report lists several reasons, and « cette personne » would point at nobody."""

    prefix: str
    one: str
    several: str
    advice: str = ""

    def sentence(self, names: str, count: int) -> str:
        said = (self.one if count == 1 else self.several).format(names=names) + "."
        return f"{said} {self.advice.format(them='lui' if count == 1 else 'leur')}" if self.advice else said


PROBLEMS = (
    Problem(
        f"{INSTALL_PREFIX} 403",
        "L’application n’a pas pu être installée pour {names}",
        "L’application n’a pas pu être installée pour {names}",
        "Il manque le consentement administrateur (permission TeamsAppInstallation.ReadWriteSelfForUser.All).",
    ),
    Problem(
        f"{INSTALL_PREFIX} 404",
        "{names} est introuvable dans l’annuaire Microsoft 365",
        "{names} sont introuvables dans l’annuaire Microsoft 365",
    ),
    Problem(
        INSTALL_PREFIX,
        "Microsoft 365 a refusé d’installer l’application pour {names}",
        "Microsoft 365 a refusé d’installer l’application pour {names}",
    ),
    Problem(
        NO_REFERENCE[:20],
        "{names} n’a pas encore ouvert de conversation avec l’assistant dans Teams",
        "{names} n’ont pas encore ouvert de conversation avec l’assistant dans Teams",
        "Faites-{them} installer l’application ou demandez-{them} d’écrire une fois à l’assistant : les messages suivants {them} parviendront.",
    ),
    Problem(
        BLOCKED_ERROR_PREFIX,
        "{names} a bloqué ou désinstallé l’assistant dans Teams",
        "{names} ont bloqué ou désinstallé l’assistant dans Teams",
    ),
    Problem(
        "404",
        "La conversation Teams avec {names} a disparu, sans doute parce que l’application a été désinstallée",
        "Les conversations Teams avec {names} ont disparu, sans doute parce que l’application a été désinstallée",
    ),
    Problem(
        UNTRUSTED[:20],
        "L’adresse du connecteur Teams utilisée pour {names} n’est pas autorisée",
        "L’adresse du connecteur Teams utilisée pour {names} n’est pas autorisée",
        "En mode local, seul un connecteur local comme l’Agents Playground est joignable.",
    ),
    Problem(
        EXPIRED,
        "Le message n’a pas été envoyé à {names}, car la réunion avait commencé",
        "Le message n’a pas été envoyé à {names}, car la réunion avait commencé",
    ),
)
"""Why a message did not reach someone, by the start of the recorded error."""


REPEATED_CHANGES = (
    "Les prochains changements de cette réunion ne leur parviendront pas non plus\u00a0: "
    "ce signalement ne sera pas répété pour les mêmes personnes."
)


def problem_of(error: str | None) -> Problem:
    for problem in PROBLEMS:
        if (error or "").startswith(problem.prefix):
            return problem
    detail = shown((error or "erreur inconnue")[:80]).replace("{", "{{").replace("}", "}}")
    return Problem(error or "", f"L’envoi à {{names}} a échoué ({detail})", f"L’envoi à {{names}} a échoué ({detail})")


def explain(error: str | None, names: Sequence[str] = ("…",), limit: int = 30) -> str:
    """The full sentence saying why `names` did not get a message, and what to do when something can
    be done; the names are typed text, shown escaped."""
    return problem_of(error).sentence(listed_names([shown(name) for name in names], limit), len(names))


def reasons_with_names(failures: Iterable[tuple[str, str | None]], limit: int = 30) -> list[str]:
    """One sentence per reason for (name, recorded error) pairs, each reason once, in order of first
    appearance: « Hélène Dubois et Marc Lefèvre n’ont pas encore ouvert de conversation avec
    l’assistant dans Teams. », not the reason per name."""
    grouped: dict[Problem, list[tuple[str, str | None]]] = defaultdict(list)
    for name, error in failures:
        grouped[problem_of(error)].append((name, error))
    return [explain(pairs[0][1], [name for name, _ in pairs], limit) for pairs in grouped.values()]


def installed_sentence(names: Sequence[str]) -> str:
    """« L’assistant a été installé dans Teams pour Hélène Dubois, puis lui a écrit. »: worded so
    that nothing agrees with the gender of the people named."""
    them = "lui" if len(names) == 1 else "leur"
    return f"L’assistant a été installé dans Teams pour {listed_names([shown(name) for name in names])}, puis {them} a écrit."


def problem_notices(
    kind: str, source_id: str, rows: list, leads: list[tuple[int, str]], timezone: str = DEFAULT_TIMEZONE
) -> list[OutboxMessage]:
    """The lead's notice about a source's messages that did not arrive, and about the people for
    whom the app was installed before the message was delivered (`installed_at`): full sentences,
    each reason said once with the people it concerns. The message is named by what it is (« le
    rappel du comité technique du … »), quoted only when no facts were stored with it."""
    [(subject, _)] = _message_names([(kind, source_id, rows)], timezone)
    installed = [row for row in rows if getattr(row, "installed_at", None) is not None and row.state == "sent"]
    problems = _each_person_once(row for row in rows if row not in installed)
    lines = []
    if problems:
        count = len(problems)
        lines.append(f"{counted_in_words(count, 'destinataire')} n’{agreed(count, 'a', 'ont')} pas reçu {subject}.")
        failures = ((shown(row.recipient_label) or "destinataire inconnu", row.last_error) for row in problems)
        lines.extend(f"- {sentence}" for sentence in reasons_with_names(failures))
    if installed:
        names = [shown(row.recipient_label) or "destinataire inconnu" for row in installed]
        if not problems:
            lines.append(f"Tout le monde a bien reçu {subject}.")
        lines.append(f"- {installed_sentence(names)}")
    lines += _already_seen([rows])
    key = f"{kind}:{source_id}:{rows[0].id}-{rows[-1].id}"
    if kind == SourceKind.MEETING_NOTICE and problems and not installed:
        # Each move or cancellation of a meeting misses the same people: tell the lead once.
        reported = sorted({(shown(row.recipient_label) or "", problem_of(row.last_error).prefix) for row in problems})
        key = f"{kind}:{source_id}:not-reached:{hashlib.sha256(repr(reported).encode()).hexdigest()[:16]}"
        lines.append(REPEATED_CHANGES)
    return _to_leads(leads, key, f"{kind}:{source_id}", lines)


def _already_seen(row_groups: Iterable[list]) -> list[str]:
    """« Adele Vance avait déjà reçu ou consulté cette synthèse aujourd’hui : elle ne lui a pas été
    renvoyée. », from the facts stored with a digest's deliveries."""
    names: list[str] = []
    for rows in row_groups:
        about = _about(rows)
        if about is not None and about.topic is Topic.DIGEST:
            names += [shown(name) for name in about.already_seen if shown(name) not in names]
    if not names:
        return []
    count = len(names)
    return [
        f"{listed_names(names)} {agreed(count, 'avait', 'avaient')} déjà reçu ou consulté cette synthèse aujourd’hui : "
        f"elle ne {'lui' if count == 1 else 'leur'} a pas été renvoyée."
    ]


def _each_person_once(rows: Iterable) -> list:
    """Two changes of a meeting sent in the same round miss the same person twice: name her once."""
    seen: dict[tuple[str, str], Any] = {}
    for row in rows:
        seen.setdefault((row.recipient_label, problem_of(row.last_error).prefix), row)
    return list(seen.values())


def _to_leads(leads: list[tuple[int, str]], key: str, source_id: str, lines: list[str]) -> list[OutboxMessage]:
    """One notice per lead; its key names the deliveries it reports, so it is queued once."""
    return [
        OutboxMessage(
            key=f"lead-notice:{key}:person-{lead_id}",
            source_kind=SourceKind.LEAD_NOTICE,
            source_id=source_id,
            text="\n".join(lines),
            person_id=lead_id,
            recipient_label=name,
        )
        for lead_id, name in leads
    ]


def _subject(rows: list) -> str:
    """The first line of a message as the lead reads it quoted: without its Markdown marks."""
    return plain_excerpt(rows[0].text.split("\n")[0], 150)


def event_problem_notices(
    groups: list[tuple[str, str, list]], leads: list[tuple[int, str]], timezone: str = DEFAULT_TIMEZONE
) -> list[OutboxMessage]:
    """One notice per lead for the problems found together — one event, such as a COPIL reminder
    and the summary that goes with it. The same shape as for one message: who did not receive what
    (« Trois destinataires n’ont pas reçu le rappel … ou la synthèse … »), then what each person
    missed (« Hélène Dubois n’a reçu ni le rappel ni la synthèse. »), then why, one bullet per reason
    naming the people it concerns (a bullet is read on its own).

    Each message is named by what it is (« le rappel », « la synthèse », « le message diffusé le
    … »), never by a number: Teams' transcripts and notifications drop the numbers of a Markdown
    list, and « le message 1 » then points at nothing."""
    if len(groups) == 1:
        return problem_notices(*groups[0], leads, timezone)
    names = _message_names(groups, timezone)
    missed: dict[tuple[str, Problem | None], list[int]] = defaultdict(list)
    errors: dict[tuple[str, Problem | None], str | None] = {}
    for number, (_, _, rows) in enumerate(groups):
        for row in rows:
            name = shown(row.recipient_label) or "destinataire inconnu"
            installed = getattr(row, "installed_at", None) is not None and row.state == "sent"
            key = (name, None if installed else problem_of(row.last_error))
            errors.setdefault(key, row.last_error)
            if number not in missed[key]:
                missed[key].append(number)

    descriptions = [lower_first(description) for description, _ in names]
    failures = [(key[0], errors[key]) for key in missed if key[1] is not None]
    people = len({name for name, _ in failures})
    if not failures:
        lines = [f"Tout le monde a bien reçu {joined(descriptions)}."]
    elif len(groups) == 2:
        lines = [f"{counted_in_words(people, 'destinataire')} n’{agreed(people, 'a', 'ont')} pas reçu {joined(descriptions, 'ou')}."]
    else:
        lines = [f"{counted_in_words(people, 'destinataire')} n’{agreed(people, 'a', 'ont')} pas reçu certains de ces messages :"]
        lines += [f"- {description}" for description in descriptions]
    if failures:
        lines.append(_what_each_missed(missed, [reference for _, reference in names]))
        lines += [f"- {sentence}" for sentence in reasons_with_names(failures)]
    installed = [key[0] for key in missed if key[1] is None]
    if installed:
        lines.append(f"- {installed_sentence(installed)}")
    lines += _already_seen(rows for _, _, rows in groups)
    first = min(row.id for _, _, rows in groups for row in rows)
    last = max(row.id for _, _, rows in groups for row in rows)
    return _to_leads(leads, f"event:{first}-{last}", f"event:{first}-{last}", lines)


def _about(rows: list) -> About | None:
    return getattr(rows[0], "about", None)


def _message_names(groups: list[tuple[str, str, list]], timezone: str) -> list[tuple[str, str]]:
    """(how the list describes each message, how the sentences refer to it), from the facts stored
    with it: « le rappel du comité de pilotage du lundi 7 décembre 2026 à 10 h 00 » then « le
    rappel », « la synthèse pour préparer ce comité » then « la synthèse »; a message without facts
    is named by its kind and quoted (alone, « le message « … » »). When two messages are of the same kind, the reference tells
    them apart: the meeting, or the start of the message's first line."""
    kinds = [_kind_name(kind, rows, timezone) for kind, _, rows in groups]
    reminded = {about.meeting_id for _, _, rows in groups if (about := _about(rows)) and about.topic is Topic.REMINDER}
    names = []
    for name, (_, _, rows) in zip(kinds, groups, strict=True):
        about = _about(rows)
        if about is not None and len({getattr(row, "about", None) for row in rows}) > 1:
            # A move and a cancellation sent in the same round: the messages are about one meeting.
            description = distinct = f"les annonces des changements du {about.meeting_label.lower()}"
        elif about is not None and about.topic is Topic.MOVED:
            own = f"{name} du {about.meeting_label.lower()}, désormais le {format_datetime_fr(about.meeting_at, timezone)}"
            description, distinct = own, own
        elif about is not None:
            linked = {Topic.DIGEST: "pour préparer le"}.get(about.topic, "du")
            own = f"{name} {linked} {about.meeting(timezone)}"
            here = about.topic is Topic.DIGEST and about.meeting_id in reminded
            description, distinct = ("la synthèse pour préparer ce comité" if here else own), own
        elif len(groups) == 1:
            description = distinct = f"le message « {_subject(rows)} »"
        else:
            description, distinct = f"{name} « {_subject(rows)} »", f"{name} « {plain_excerpt(_subject(rows), 60)} »"
        names.append((description, name if kinds.count(name) == 1 else distinct))
    return names


def _kind_name(kind: str, rows: list, timezone: str) -> str:
    about = _about(rows)
    if kind == SourceKind.REMINDER:
        return "le rappel"
    if kind == SourceKind.DIGEST:
        return "la synthèse"
    if kind == SourceKind.MEETING_NOTICE and about is not None:
        return "l’annonce de l’annulation" if about.topic is Topic.CANCELLED else "l’annonce du changement de date"
    if kind == SourceKind.BROADCAST:
        sent = min((row.created_at for row in rows if getattr(row, "created_at", None)), default=None)
        if sent is not None:
            local = (sent if sent.tzinfo else sent.replace(tzinfo=UTC)).astimezone(load_timezone(timezone))
            return f"le message diffusé le {format_date_fr(local.date())}"
        return "le message diffusé"
    return "le message"


def _what_each_missed(missed: dict[tuple[str, Problem | None], list[int]], references: list[str]) -> str:
    """« Hélène Dubois et Lucie Roux n’ont reçu ni le rappel ni la synthèse. Marc Lefèvre n’a pas reçu
    le rappel. »: what each person did not receive, those who missed everything first."""
    total = len(references)
    by_name: dict[str, set[int]] = defaultdict(set)
    for (name, problem), numbers in missed.items():
        if problem is not None:
            by_name[name].update(numbers)
    by_numbers: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for name, numbers in by_name.items():
        by_numbers[tuple(sorted(numbers))].append(name)
    every = tuple(range(total))
    sentences = []
    if names := by_numbers.get(every):
        nothing = f"ni {references[0]} ni {references[1]}" if total == 2 else "aucun de ces messages"
        sentences.append(f"{joined(sorted_names(names))} n’{agreed(len(names), 'a', 'ont')} reçu {nothing}")
    sentences += [
        f"{joined(sorted_names(names))} n’{agreed(len(names), 'a', 'ont')} pas reçu {joined([references[n] for n in numbers])}"
        for numbers, names in sorted(by_numbers.items())
        if numbers != every
    ]
    return ". ".join(sentences) + "."
