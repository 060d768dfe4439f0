"""The outbox sender: claims due deliveries and sends them within Teams' limits, with retries.

Rules (each a test):
* a row is marked "sending" (committed) before the send and "sent" after it; rows found in
  "sending" at start-up are logged as possible duplicates and sent again (at-least-once only for
  them);
* 429 waits `Retry-After` (else exponential backoff); 412, 502, 503, 504 and network errors back
  off exponentially with jitter; after `max_attempts` the row is "failed";
* 403/404 (blocked, uninstalled, conversation gone) and a person without a stored conversation
  reference make the row "unreachable": never silently skipped, the SPASER lead is told, once per
  source, through the outbox itself;
* a reminder whose meeting has started is withdrawn instead of being sent late.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.proactive import ProactiveChannel, SendError, is_trusted_service_url
from domain.text import excerpt, listed_names
from domain.clock import Clock
from scheduler.committee_settings import SendingSettings
from scheduler.rate_limit import SlidingWindowLimiter
from storage.people import ConversationRef, Person
from domain.people import Role
from storage.outbox import BLOCKED_ERROR_PREFIX, Delivery, DeliveryState, OutboxMessage, OutboxRepository, SourceKind, aware

log = logging.getLogger(__name__)

DB_WRITERS = 4
POLL_SECONDS = 1.0
RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
UNREACHABLE_STATUSES = frozenset({403, 404})
NO_REFERENCE = "no conversation reference: the person has not installed or opened the assistant in Teams"
UNTRUSTED = "serviceUrl not allowed (not a Teams connector host, or not local in local mode)"
EXPIRED = "expired: its meeting has started"

PROBLEM_EXPLANATIONS = (
    (NO_REFERENCE[:20], "jamais écrit à l’assistant dans Teams (installez-{them} l’application ou demandez-{them} "
                        "d’écrire une fois à l’assistant, puis renvoyez le message si besoin)"),
    (BLOCKED_ERROR_PREFIX, "assistant bloqué ou désinstallé dans Teams"),
    ("404", "conversation Teams disparue (application désinstallée ?)"),
    (UNTRUSTED[:20], "adresse de connecteur Teams non autorisée (en mode local, seul un connecteur local "
                     "comme l’Agents Playground est joignable)"),
)
"""Why a message did not reach someone, by the start of the recorded error; `{them}` is « lui » or
« leur » depending on how many people share the reason."""


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
class Target:
    conversation_id: str
    reference: dict[str, Any]
    service_url: str
    blocked: bool = False


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    withdrawn: int = 0
    lead_notices: int = 0
    errors: list[str] = field(default_factory=list)


class RecipientDirectory:
    """Finds where each delivery goes: the person's personal chat, or the channel conversation."""

    def __init__(self, outbox: OutboxRepository) -> None:
        self._outbox = outbox
        self._db = outbox.database

    async def targets(self, rows: list[Delivery]) -> dict[int, Target | None]:
        person_ids = sorted({row.person_id for row in rows if row.person_id is not None})
        conversation_ids = sorted({row.conversation_id for row in rows if row.conversation_id})
        async with self._db.session() as session:
            by_person: dict[int, ConversationRef] = {}
            if person_ids:
                # Two indexed look-ups rather than a join: right after a bulk load, PostgreSQL's stale
                # statistics made the join a nested loop of sequential scans (100 ms for 1,000 people).
                identities = await session.execute(
                    select(Person.aad_object_id, Person.id).where(Person.id.in_(person_ids), Person.aad_object_id.is_not(None))
                )
                person_of = dict(identities.all())
                if person_of:
                    refs = await session.execute(
                        select(ConversationRef)
                        .where(ConversationRef.aad_object_id.in_(list(person_of)), ConversationRef.conversation_type == "personal")
                        .order_by(ConversationRef.updated_at)
                    )
                    by_person = {person_of[ref.aad_object_id]: ref for ref in refs.scalars()}
            by_conversation: dict[str, ConversationRef] = {}
            if conversation_ids:
                found = await session.execute(
                    select(ConversationRef).where(ConversationRef.conversation_id.in_(conversation_ids))
                )
                by_conversation = {ref.conversation_id: ref for ref in found.scalars()}
        blocked = await self._outbox.last_blocked(person_ids, conversation_ids)
        targets: dict[int, Target | None] = {}
        for row in rows:
            recipient: int | str = row.person_id if row.person_id is not None else row.conversation_id
            ref = by_person.get(row.person_id) if row.person_id is not None else by_conversation.get(row.conversation_id)
            if ref is None:
                targets[row.id] = None
                continue
            blocked_at = blocked.get(recipient)
            targets[row.id] = Target(
                conversation_id=ref.conversation_id,
                reference=json.loads(ref.reference_json),
                service_url=ref.service_url,
                blocked=blocked_at is not None and blocked_at >= aware(ref.updated_at),
            )
        return targets


LeadLookup = Callable[[], Awaitable[list[tuple[int, str]]]]


class OutboxSender:
    def __init__(
        self,
        outbox: OutboxRepository,
        channel: ProactiveChannel,
        clock: Clock,
        *,
        settings: SendingSettings | None = None,
        local_mode: bool = True,
        limiter: SlidingWindowLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        leads: LeadLookup | None = None,
    ) -> None:
        self.outbox = outbox
        self.settings = settings or SendingSettings()
        self.policy = RetryPolicy(
            self.settings.max_attempts, self.settings.backoff_base_seconds, self.settings.backoff_cap_seconds
        )
        self._channel = channel
        self._clock = clock
        self._local_mode = local_mode
        self.limiter = limiter or SlidingWindowLimiter(self.settings.limits)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._directory = RecipientDirectory(outbox)
        self._leads = leads or self._leads_from_database
        self._lock = asyncio.Lock()
        self._db_slots = asyncio.Semaphore(DB_WRITERS)

    async def _write(self, mark: Callable[..., Awaitable[None]], *args) -> None:
        """Record a send's outcome; a few writers at a time, within the connection pool, so that many
        senders do not open and close database connections for each message."""
        async with self._db_slots:
            await mark(*args)

    async def _leads_from_database(self) -> list[tuple[int, str]]:
        async with self.outbox.database.session() as session:
            rows = await session.execute(select(Person.id, Person.name).where(Person.role == Role.LEAD))
            return [(person_id, name) for person_id, name in rows]

    async def recover_stuck(self, lease: timedelta | None = None) -> int:
        """Put rows caught in "sending" by a crash back in the queue, logging each as a possible duplicate."""
        now = self._clock.now()
        recovered = await self.outbox.recover_stuck(now - (lease or timedelta(0)), now)
        for row in recovered:
            log.warning(
                "Delivery %s (%s) was being sent when the bot stopped: sending it again, it may arrive twice",
                row.id,
                row.key,
            )
        return len(recovered)

    async def drain(self) -> DrainReport:
        """Send everything due, waiting in place for retries due within the horizon. One drain at a time."""
        report = DrainReport()
        if self._lock.locked():
            return report
        async with self._lock:
            while True:
                await self._send_due(report)
                if await self._report_problems(report):
                    continue
                next_due = await self.outbox.next_due_at()
                if next_due is None:
                    break
                wait = (next_due - self._clock.now()).total_seconds()
                if wait > self.settings.wait_horizon_seconds:
                    break
                if wait > 0:  # in short steps, so that rows queued meanwhile are not held back
                    await self._sleep(min(wait, POLL_SECONDS))
        return report

    async def _send_due(self, report: DrainReport) -> None:
        """Claim due rows batch by batch while `concurrency` workers send them, so sending never waits
        on the database. Rows are claimed ahead by at most two batches (the queue and the batch being
        queued): a crash leaves at most three batches in "sending", of which only the workers' one
        can have reached Teams."""
        size = self.settings.concurrency
        queue: asyncio.Queue[tuple[Delivery, Target | None] | None] = asyncio.Queue(maxsize=size)

        async def claim_batches() -> None:
            while rows := await self.outbox.claim(self._clock.now(), size):
                targets = await self._directory.targets(rows)
                for row in rows:
                    await queue.put((row, targets.get(row.id)))
            # Not in a `finally`: when a sender fails, the task group cancels every task, and waiting
            # here for room in a full queue nobody reads any more would hang the drain for good.
            for _ in range(size):
                await queue.put(None)

        async def send_from_queue() -> None:
            while (item := await queue.get()) is not None:
                await self._deliver(*item, report)

        async with asyncio.TaskGroup() as group:  # a failure stops the claiming and the other senders
            group.create_task(claim_batches())
            for _ in range(size):
                group.create_task(send_from_queue())

    async def _deliver(self, row: Delivery, target: Target | None, report: DrainReport) -> None:
        now = self._clock.now()
        if row.expires_at is not None and now >= row.expires_at:
            await self._write(self.outbox.mark_final, row.id, DeliveryState.CANCELLED, EXPIRED, now)
            report.withdrawn += 1
            return
        if target is None:
            await self._unreachable(row, NO_REFERENCE, report)
            return
        if target.blocked:
            await self._unreachable(row, f"{BLOCKED_ERROR_PREFIX}: blocked earlier and not reinstalled since", report)
            return
        if not is_trusted_service_url(target.service_url, self._local_mode):
            await self._unreachable(row, f"{UNTRUSTED}: {target.service_url[:100]}", report)
            return
        await self.limiter.acquire(target.conversation_id)
        try:
            async with asyncio.timeout(self.settings.send_timeout_seconds):
                activity_id = await self._channel.send(target.reference, row.text, _card(row))
        except TimeoutError:
            await self._failed_send(row, SendError(None, "no answer from Teams (it may have posted the message)"), report)
            return
        except SendError as error:
            await self._failed_send(row, error, report)
            return
        await self._write(self.outbox.mark_sent, row.id, activity_id, self._clock.now())
        report.sent += 1

    async def _unreachable(self, row: Delivery, reason: str, report: DrainReport) -> None:
        log.warning("Delivery %s to %s is unreachable: %s", row.id, row.recipient_label, reason)
        await self._write(self.outbox.mark_final, row.id, DeliveryState.UNREACHABLE, reason, self._clock.now())
        report.unreachable += 1

    async def _failed_send(self, row: Delivery, error: SendError, report: DrainReport) -> None:
        now = self._clock.now()
        if error.status in UNREACHABLE_STATUSES:
            await self._unreachable(row, f"{error.status}: {error.detail}", report)
            return
        retryable = error.status is None or error.status in RETRYABLE_STATUSES
        if retryable and row.attempts < self.policy.max_attempts:
            if error.status == 429 and error.retry_after_seconds is not None:
                delay = error.retry_after_seconds
            else:
                delay = self.policy.backoff(row.attempts, self._rng)
            log.info("Delivery %s: %s, retry %s in %.1f s", row.id, error, row.attempts + 1, delay)
            await self._write(self.outbox.mark_retry, row.id, now + timedelta(seconds=delay), str(error), now)
            report.retried += 1
            return
        log.error("Delivery %s failed after %s attempt(s): %s", row.id, row.attempts, error)
        await self._write(self.outbox.mark_final, row.id, DeliveryState.FAILED, str(error), now)
        report.failed += 1
        report.errors.append(str(error))

    async def _report_problems(self, report: DrainReport) -> bool:
        """Tell the lead(s), once per source, who could not be reached. True if notices were queued."""
        problems = await self.outbox.unreported_problems()
        if not problems:
            return False
        leads = await self._leads()
        if not leads:
            log.error("No SPASER lead to tell about %s undelivered message(s)", len(problems))
        by_source: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
        for row in problems:
            by_source[(row.source_kind, row.source_id)].append(row)
        notices = [
            notice
            for (kind, source_id), rows in by_source.items()
            for notice in problem_notices(kind, source_id, rows, leads)
        ]
        added = await self.outbox.report_problems([row.id for row in problems], notices, self._clock.now())
        report.lead_notices += added
        return added > 0


def _card(row: Delivery) -> dict[str, Any] | None:
    return json.loads(row.card_json) if row.card_json else None


def explain(error: str | None, people: int = 1) -> str:
    for prefix, explanation in PROBLEM_EXPLANATIONS:
        if (error or "").startswith(prefix):
            return explanation.format(them="leur" if people > 1 else "lui")
    return f"envoi impossible ({(error or 'erreur inconnue')[:80]})"


def names_by_reason(failures: Iterable[tuple[str, str | None]]) -> list[tuple[str, list[str]]]:
    """(reason, names) for (name, recorded error) pairs, each reason once, in order of first
    appearance: a report lists « jamais écrit à l’assistant : A, B, C », not the reason per name."""
    grouped: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for name, error in failures:
        grouped[explain(error)].append((name, error))
    return [(explain(pairs[0][1], len(pairs)), [name for name, _ in pairs]) for pairs in grouped.values()]


def problem_notices(kind: str, source_id: str, rows: list[Delivery], leads: list[tuple[int, str]]) -> list[OutboxMessage]:
    subject = excerpt(rows[0].text.split("\n")[0].strip("*# "), 150)
    groups = names_by_reason((row.recipient_label or "destinataire inconnu", row.last_error) for row in rows)
    lines = [f"- {reason} : {listed_names(names)}" for reason, names in groups]
    plural = len(rows) > 1
    text = (
        f"{len(rows)} destinataire{'s' if plural else ''} n’{'ont' if plural else 'a'} pas reçu le message "
        f"« {subject} » :\n" + "\n".join(lines)
    )
    span = f"{rows[0].id}-{rows[-1].id}"
    return [
        OutboxMessage(
            key=f"lead-notice:{kind}:{source_id}:{span}:person-{lead_id}",
            source_kind=SourceKind.LEAD_NOTICE,
            source_id=f"{kind}:{source_id}",
            text=text,
            person_id=lead_id,
            recipient_label=name,
        )
        for lead_id, name in leads
    ]
