"""The app's APScheduler jobs: one per future reminder row, and the periodic ones (reminder sweep,
outbox drain, digests, broadcast reports, housekeeping).

`Jobs` is also what the services below ask for: `schedule`/`unschedule` (storage's
`ReminderJobs`, when a meeting is planned, moved or cancelled) and `wake_outbox` (send what was
just queued rather than at the next periodic drain). Job functions are its bound methods and take
only ids: the in-memory job store is rebuilt from the database rows at every start, under stable
ids (`reminder:<key>`, `replace_existing`), so a restart never doubles a job.

At start, before the scheduler runs:
1. lead: refuse a second sending process on the same SQLite file; on PostgreSQL, the holder of
   an advisory lock leads and the other processes stand by, paused (scheduler/leadership.py);
2. put rows caught in "sending" by a crash back in the queue (logged as possible duplicates);
3. catch up the reminders whose time passed while the bot was down (late if their meeting is
   still ahead, never for a past meeting, only the latest of a meeting's missed ones);
4. rebuild one job per future reminder row, plus the periodic jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import time, timedelta

from domain.clock import Clock
from domain.outbox import SendingSettings
from scheduler.instance_lock import SenderLock
from scheduler.leadership import PostgresLeadership
from scheduler.outbox import DrainReport, OutboxSender
from scheduler.reminders import FireOutcome, ReminderEngine
from scheduler.service import SchedulerService
from storage.activities import ProcessedActivityRepository
from storage.broadcasts.service import BroadcastReports
from storage.committees.repository import CommitteeRepository
from storage.committees.tables import Reminder
from storage.summary.digests import DigestService

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "committees:sweep-reminders"
DRAIN_JOB_ID = "committees:drain-outbox"
WEEKLY_DIGEST_JOB_ID = "summary:weekly-digest"
COPIL_DIGEST_JOB_ID = "summary:copil-digests"
BROADCAST_REPORT_JOB_ID = "broadcasts:delivery-reports"
HOUSEKEEPING_JOB_ID = "housekeeping:processed-activities"
WEEKLY_DIGEST_DAY = "mon"
WEEKLY_DIGEST_TIME = time(8, 0)
PROCESSED_ACTIVITY_RETENTION = timedelta(days=2)


def reminder_job_id(reminder_key: str) -> str:
    """Stable across restarts: the reminder's own idempotence key."""
    return f"reminder:{reminder_key}"


class Jobs:
    def __init__(
        self,
        scheduler: SchedulerService,
        clock: Clock,
        *,
        engine: ReminderEngine,
        committees: CommitteeRepository,
        sender: OutboxSender,
        sending: SendingSettings,
        lock: SenderLock,
        digests: DigestService,
        broadcast_reports: BroadcastReports,
        processed_activities: ProcessedActivityRepository,
        recover_at_once: bool,
        leadership: PostgresLeadership | None = None,
        leader_retry_seconds: float = 15.0,
    ) -> None:
        """`recover_at_once`: rows left "sending" are taken back at start without waiting for their
        lease (SQLite: this process is the only sender). `leadership` (PostgreSQL) elects the one
        process that runs the jobs."""
        self.scheduler = scheduler
        self._clock = clock
        self.engine = engine
        self._committees = committees
        self.sender = sender
        self._sending = sending
        self._lock = lock
        self._digests = digests
        self._broadcast_reports = broadcast_reports
        self._processed_activities = processed_activities
        self._recover_at_once = recover_at_once
        self._leadership = leadership
        self._leader_retry_seconds = leader_retry_seconds
        self._campaign: asyncio.Task | None = None
        self._timezone = "UTC"

    # --- what the services ask for -----------------------------------------------------------

    def schedule(self, reminders: Sequence[Reminder]) -> None:
        now = self._clock.now()
        for reminder in reminders:
            if reminder.send_at > now:
                self.scheduler.add_one_off(reminder_job_id(reminder.key), self.fire_reminder, reminder.send_at, (reminder.id,))
        self.wake_outbox()

    def unschedule(self, reminders: Sequence[Reminder]) -> None:
        for reminder in reminders:
            self.scheduler.remove(reminder_job_id(reminder.key))
        self.wake_outbox()

    def wake_outbox(self) -> None:
        """Send queued messages now rather than at the next periodic drain (when the scheduler runs)."""
        self.scheduler.run_soon(DRAIN_JOB_ID)

    # --- the jobs ----------------------------------------------------------------------------

    async def fire_reminder(self, reminder_id: int) -> FireOutcome:
        outcome = await self.engine.fire(reminder_id)
        if outcome is FireOutcome.NOT_YET:
            reminder = await self._committees.get_reminder(reminder_id)
            if reminder is not None:
                self.schedule([reminder])
        elif outcome is FireOutcome.FANNED_OUT:
            await self._follow_up_and_drain()
        return outcome

    async def sweep_reminders(self) -> dict[FireOutcome, int]:
        """Reminders planned by another process, or missed: the same decision as `fire_reminder`."""
        outcomes = await self.engine.catch_up()
        if outcomes.get(FireOutcome.FANNED_OUT):
            await self._follow_up_and_drain()
        return outcomes

    async def _follow_up_and_drain(self) -> None:
        """The COPIL digest for the élu·es leaves with the member reminder, in the same drain."""
        try:
            await self._digests.send_copil_digests()
        except Exception:  # noqa: BLE001 - the reminders go out anyway; the periodic job retries
            log.exception("The COPIL digest after fanned-out reminders failed")
        await self.drain_outbox()

    async def drain_outbox(self) -> DrainReport:
        await self.sender.recover_stuck(timedelta(seconds=self._sending.stuck_lease_seconds))
        return await self.sender.drain()

    async def send_copil_digests(self) -> int:
        return await self._then_drain(self._digests.send_copil_digests)

    async def send_weekly_digests(self) -> int:
        return await self._then_drain(self._digests.send_weekly_digests)

    async def report_broadcasts(self) -> int:
        return await self._then_drain(self._broadcast_reports.report_finished)

    async def _then_drain(self, queue: Callable[[], Awaitable[int]]) -> int:
        queued = await queue()
        if queued:
            self.wake_outbox()
        return queued

    async def prune_processed_activities(self) -> int:
        """Forget re-delivery ids after two days (Teams retries within minutes)."""
        return await self._processed_activities.prune(PROCESSED_ACTIVITY_RETENTION, self._clock.now())

    # --- lifecycle ---------------------------------------------------------------------------

    async def rebuild(self) -> list[str]:
        """One job per scheduled reminder still ahead; same ids as before a restart, so no duplicates."""
        reminders = await self._committees.scheduled_reminders()
        self.schedule(reminders)
        return [reminder_job_id(r.key) for r in reminders if r.send_at > self._clock.now()]

    async def start(self, timezone: str) -> None:
        """Lead (SQLite: the lock file, refused when taken; PostgreSQL: the advisory lock) or stand
        by with the scheduler paused; a process whose scheduler is off sends nothing (the leader's
        jobs find what it queued)."""
        if not self.scheduler.enabled:
            return
        self._timezone = timezone
        if self._leadership is None:
            self._lock.acquire()
            await self._lead()
            return
        if await self._leadership.try_acquire():
            await self._lead()
        else:
            log.info("Another process runs the scheduler: this one stands by and serves turns")
            self.scheduler.start_paused()
        self._campaign = asyncio.get_running_loop().create_task(self._campaign_forever())

    async def _lead(self) -> None:
        """Recover, catch up, rebuild and add the periodic jobs (the scheduler then runs them)."""
        lease = timedelta(0) if self._recover_at_once else timedelta(seconds=self._sending.stuck_lease_seconds)
        recovered = await self.sender.recover_stuck(lease)
        outcomes = await self.engine.catch_up()
        job_ids = await self.rebuild()
        sending = self._sending
        self.scheduler.add_every(SWEEP_JOB_ID, self.sweep_reminders, sending.sweep_interval_seconds)
        self.scheduler.add_every(DRAIN_JOB_ID, self.drain_outbox, sending.drain_interval_seconds, run_now=True)
        self.scheduler.add_every(BROADCAST_REPORT_JOB_ID, self.report_broadcasts, sending.drain_interval_seconds)
        self.scheduler.add_every(COPIL_DIGEST_JOB_ID, self.send_copil_digests, sending.sweep_interval_seconds)
        self.scheduler.add_weekly(
            WEEKLY_DIGEST_JOB_ID, self.send_weekly_digests, WEEKLY_DIGEST_DAY, WEEKLY_DIGEST_TIME, self._timezone
        )
        self.scheduler.add_every(HOUSEKEEPING_JOB_ID, self.prune_processed_activities, 6 * 3600)
        log.info(
            "Scheduler: leading; %s reminder job(s) rebuilt, catch-up %s, %s delivery(ies) recovered from a crash",
            len(job_ids),
            {k.value: v for k, v in outcomes.items()} or "nothing due",
            recovered,
        )

    async def _campaign_forever(self) -> None:
        """Keep checking the lock: pause when it is lost, lead when it is won."""
        while True:
            await asyncio.sleep(self._leader_retry_seconds)
            try:
                await self._campaign_step()
            except Exception:  # noqa: BLE001 - try again at the next round
                log.exception("Scheduler leadership check failed")

    async def _campaign_step(self) -> None:
        if self._leadership.held:
            if not await self._leadership.still_held():
                log.warning("Scheduler lock lost: pausing the scheduler until it is won again")
                self.scheduler.pause()
        elif await self._leadership.try_acquire():
            log.info("Scheduler lock won: this process now runs the reminders and the outbox")
            await self._lead()
            self.scheduler.resume()

    @property
    def leading(self) -> bool:
        return self._leadership.held if self._leadership is not None else self.scheduler.enabled

    async def close(self) -> None:
        if self._campaign is not None:
            self._campaign.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._campaign
        if self._leadership is not None:
            await self._leadership.release()
        self._lock.release()
