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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from domain.clock import DEFAULT_TIMEZONE, Clock, start_of_day
from domain.committees.messages import with_members_reached
from domain.delivery_problems import ADVICE_MARK, event_problem_notices
from domain.outbox import (
    BLOCKED_ERROR_PREFIX,
    EXPIRED,
    LEAD_COPY_KEY_SUFFIX,
    NO_REFERENCE,
    UNTRUSTED,
    DeliveryState,
    RetryPolicy,
    SendingSettings,
    SourceKind,
    is_trusted_service_url,
)
from domain.tenant import event_failure_notices
from scheduler.rate_limit import SlidingWindowLimiter
from storage.outbox import Delivery, OutboxRepository, RecipientDirectory, Target

log = logging.getLogger(__name__)

class SendError(Exception):
    """A send that did not go through; `status` is the HTTP status (None for a network failure)."""

    def __init__(self, status: int | None, detail: str, retry_after_seconds: float | None = None) -> None:
        super().__init__(f"{status or 'network'}: {detail}")
        self.status = status
        self.detail = detail
        self.retry_after_seconds = retry_after_seconds


class ProactiveChannel(Protocol):
    async def send(self, reference: dict[str, Any], text: str, card: dict[str, Any] | None) -> str | None: ...


class OutboxTask(Protocol):
    """What a row of a task kind (domain.outbox.TASK_KINDS) does instead of a Teams message."""

    async def run(self, row: Delivery) -> None:
        """Raises SendError when it did not go through (classified like a send)."""

    async def finished(self, row: Delivery, error: SendError | None) -> None:
        """Once the row is final: sent (`error` None) or given up."""


class Installer(Protocol):
    async def hold(self, row: Delivery) -> str | None:
        """For a person's delivery without a conversation: None when it waits for the app to be
        installed, else why it cannot be delivered."""


DB_WRITERS = 4
POLL_SECONDS = 1.0
RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
UNREACHABLE_STATUSES = frozenset({403, 404})


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    withdrawn: int = 0
    held: int = 0
    tasks: int = 0
    lead_notices: int = 0
    errors: list[str] = field(default_factory=list)


LeadLookup = Callable[[], Awaitable[list[tuple[int, str]]]]
"""(person id, name) of every SPASER lead, told about messages that did not arrive."""


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
        leads: LeadLookup,
        tasks: dict[str, OutboxTask] | None = None,
        installer: Installer | None = None,
        task_limiter: SlidingWindowLimiter | None = None,
        on_outcome: Callable[[str], None] = lambda outcome: None,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        """`tasks` and `installer` are the Microsoft Graph work (off when not configured), paced by
        `task_limiter`; `on_outcome` counts each outcome (metrics); `timezone` dates the lead's reports."""
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
        self._leads = leads
        self._lock = asyncio.Lock()
        self._db_slots = asyncio.Semaphore(DB_WRITERS)
        self._tasks = tasks or {}
        self._installer = installer
        self._task_limiter = task_limiter or SlidingWindowLimiter(self.settings.limits)
        self._on_outcome = on_outcome
        self._timezone = timezone

    async def _write(self, mark: Callable[..., Awaitable[None]], *args) -> None:
        """Record a send's outcome; a few writers at a time, within the connection pool, so that many
        senders do not open and close database connections for each message."""
        async with self._db_slots:
            await mark(*args)

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
                next_due = await self.outbox.next_due_at()
                if next_due is not None and next_due <= self._clock.now():
                    continue  # became sendable meanwhile (a lead's copy once its members' messages are final)
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
            self._on_outcome("withdrawn")
            return
        task = self._tasks.get(row.source_kind)
        if task is not None:
            await self._run_task(task, row, report)
            return
        if target is None:
            reason = NO_REFERENCE
            if self._installer is not None and row.person_id is not None:
                reason = await self._installer.hold(row)
            if reason is None:
                report.held += 1
                self._on_outcome("held")
                return
            await self._unreachable(row, reason, report)
            return
        if target.blocked:
            await self._unreachable(row, f"{BLOCKED_ERROR_PREFIX}: blocked earlier and not reinstalled since", report)
            return
        if not is_trusted_service_url(target.service_url, self._local_mode):
            await self._unreachable(row, f"{UNTRUSTED}: {target.service_url[:100]}", report)
            return
        card = await self._members_reached(row) if row.key.endswith(LEAD_COPY_KEY_SUFFIX) else _card(row)
        try:
            async with self.limiter.sending(target.conversation_id), asyncio.timeout(self.settings.send_timeout_seconds):
                activity_id = await self._channel.send(target.reference, row.text, card)
        except TimeoutError:
            await self._failed_send(row, SendError(None, "no answer from Teams (it may have posted the message)"), report)
            return
        except SendError as error:
            await self._failed_send(row, error, report)
            return
        await self._write(self.outbox.mark_sent, row.id, activity_id, self._clock.now())
        report.sent += 1
        self._on_outcome("sent")

    async def _members_reached(self, row: Delivery) -> dict[str, Any] | None:
        """A lead's copy says how many of the other members received the reminder (reader 14): their
        messages are final (`OutboxRepository.claim` waits for them); another lead's copy, claimed
        with this one, counts as received when the assistant can write to that lead."""
        others = [other for other in await self.outbox.of_source(row.source_kind, row.source_id) if other.id != row.id]
        still_open = [other for other in others if other.state in (DeliveryState.PENDING, DeliveryState.SENDING)]
        targets = await self._directory.targets(still_open) if still_open else {}
        received = sum(
            1 for other in others
            if other.state == DeliveryState.SENT
            or ((target := targets.get(other.id)) is not None and not target.blocked)
        )
        return with_members_reached(_card(row) or {}, received, len(others))

    async def _run_task(self, task: OutboxTask, row: Delivery, report: DrainReport) -> None:
        try:
            async with self._task_limiter.sending("graph"), asyncio.timeout(self.settings.send_timeout_seconds):
                await task.run(row)
        except TimeoutError:
            error = SendError(None, "no answer from Microsoft Graph in time")
        except SendError as raised:
            error = raised
        else:
            await self._write(self.outbox.mark_sent, row.id, None, self._clock.now())
            report.tasks += 1
            self._on_outcome("task_done")
            await task.finished(row, None)
            return
        if await self._failed_send(row, error, report):
            await task.finished(row, error)

    async def _unreachable(self, row: Delivery, reason: str, report: DrainReport) -> None:
        log.warning("Delivery %s to %s is unreachable: %s", row.id, row.recipient_label, reason)
        await self._write(self.outbox.mark_final, row.id, DeliveryState.UNREACHABLE, reason, self._clock.now())
        report.unreachable += 1
        self._on_outcome("unreachable")

    async def _failed_send(self, row: Delivery, error: SendError, report: DrainReport) -> bool:
        """Retry or give up; True when the row is final."""
        now = self._clock.now()
        if error.status in UNREACHABLE_STATUSES:
            await self._unreachable(row, f"{error.status}: {error.detail}", report)
            return True
        retryable = error.status is None or error.status in RETRYABLE_STATUSES
        if retryable and row.attempts < self.policy.max_attempts:
            if error.status == 429 and error.retry_after_seconds is not None:
                delay = error.retry_after_seconds
            else:
                delay = self.policy.backoff(row.attempts, self._rng)
            log.info("Delivery %s: %s, retry %s in %.1f s", row.id, error, row.attempts + 1, delay)
            await self._write(self.outbox.mark_retry, row.id, now + timedelta(seconds=delay), str(error), now)
            report.retried += 1
            self._on_outcome("retried")
            return False
        log.error("Delivery %s failed after %s attempt(s): %s", row.id, row.attempts, error)
        await self._write(self.outbox.mark_final, row.id, DeliveryState.FAILED, str(error), now)
        report.failed += 1
        report.errors.append(str(error))
        self._on_outcome("failed")
        return True

    async def _report_problems(self, report: DrainReport) -> bool:
        """Tell the lead(s) who could not be reached: one report for the messages found together, the
        Outlook events apart. True if notices were queued."""
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
            if kind == SourceKind.OUTLOOK_EVENT
            for notice in event_failure_notices(kind, source_id, rows, leads)
        ]
        messages = [(kind, source_id, rows) for (kind, source_id), rows in by_source.items() if kind != SourceKind.OUTLOOK_EVENT]
        if messages:
            # What went out together (a COPIL reminder and its summary) is one report, not one per message;
            # what to do about people not reached is said once a day to each lead (reader 14).
            since = start_of_day(self._clock.now(), self._timezone)
            advised = await self.outbox.advised_since([lead_id for lead_id, _ in leads], since, ADVICE_MARK)
            notices += event_problem_notices(messages, leads, self._timezone, advised)
        added = await self.outbox.report_problems([row.id for row in problems], notices, self._clock.now())
        report.lead_notices += added
        return added > 0


def _card(row: Delivery) -> dict[str, Any] | None:
    return json.loads(row.card_json) if row.card_json else None
