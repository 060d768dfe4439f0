"""The committees feature assembled: repositories, planning, reminders, outbox sender, jobs.

`build_committees(...)` is called by the composition root (bot/runtime.py); `start()` runs when
the app starts, after the migrations and before the scheduler starts:

1. refuse a second sending process on the same SQLite file;
2. put rows caught in "sending" by a crash back in the queue (logged as possible duplicates);
3. catch up the reminders whose time passed while the bot was down (late if their meeting is
   still ahead, never for a past meeting, only the latest of a meeting's missed ones);
4. rebuild one APScheduler job per future reminder row (stable ids, `replace_existing`), plus the
   periodic sweep (reminders planned by another process) and the outbox drain.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from botbuilder.dialogs import DialogSet

from bot.commands import committees as committee_commands
from bot.proactive import ProactiveChannel, TeamsProactiveChannel, build_proactive_adapter
from bot.router import Router
from bot.settings import Settings
from dialogs.cancel_meeting_dialog import CancelMeetingDialog
from dialogs.plan_meeting_dialog import PlanMeetingDialog
from dialogs.reschedule_meeting_dialog import RescheduleMeetingDialog
from dialogs.year_plan_dialog import YearPlanDialog
from scheduler import jobs
from domain.committees import meeting_dates
from domain.committees.cadence import CommitteeKind
from domain.clock import Clock
from scheduler.committee_service import CommitteeService
from scheduler.committee_settings import CommitteeSettings
from scheduler.instance_lock import SenderLock
from domain.committees.meeting_dates import MeetingDateReader
from scheduler.outbox import DrainReport, OutboxSender
from scheduler.rate_limit import SlidingWindowLimiter
from scheduler.reminders import Audience, DirectoratesConcerned, FireOutcome, ReminderEngine, all_directorates
from scheduler.service import SchedulerService
from storage.committees import CommitteeRepository, Reminder
from storage.db import Database
from storage.outbox import OutboxRepository
from domain.people import Role
from storage.people import PeopleRepository
from domain.people import PersonView

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "committees:sweep-reminders"
DRAIN_JOB_ID = "committees:drain-outbox"


class CommitteesFeature:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Clock,
        people: PeopleRepository,
        *,
        committee_settings: CommitteeSettings | None = None,
        channel: ProactiveChannel | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] | None = None,
        directorates_concerned: DirectoratesConcerned = all_directorates,
    ) -> None:
        self.settings = settings
        self.config = committee_settings or settings.committees
        self.database = database
        self.clock = clock
        self.people = people
        self.repository = CommitteeRepository(database)
        self.outbox = OutboxRepository(database)
        self.audience = Audience(self.repository, people, directorates_concerned)
        self.service = CommitteeService(
            self.repository, self.outbox, self.audience, clock, settings.timezone, self.config, jobs=self
        )
        self.engine = ReminderEngine(database, self.repository, self.audience, clock, settings.timezone)
        self.dates = MeetingDateReader(clock, settings.timezone)
        if channel is None:
            channel = TeamsProactiveChannel(build_proactive_adapter(settings), settings.app_id)
        limiter_args = {"now": monotonic} if monotonic else {}
        self.sender = OutboxSender(
            self.outbox,
            channel,
            clock,
            settings=self.config.sending,
            local_mode=settings.local_mode,
            limiter=SlidingWindowLimiter(self.config.sending.limits, sleep=sleep, **limiter_args),
            sleep=sleep,
        )
        self.scheduler: SchedulerService | None = None
        self.lock = SenderLock(database.url)
        self.context_id = f"committees-{uuid.uuid4().hex[:12]}"
        self._after_fan_out: list[Callable[[], Awaitable[object]]] = []
        jobs.JOB_CONTEXTS.register(self.context_id, self)

    # --- wiring into the bot ---------------------------------------------------------------

    def install(self, dialogs: DialogSet, router: Router) -> None:
        """Adds the feature's dialogs and commands to the bot."""
        dialogs.add(PlanMeetingDialog(self.service, self.dates))
        dialogs.add(RescheduleMeetingDialog(self.service, self.dates))
        dialogs.add(CancelMeetingDialog(self.service))
        dialogs.add(YearPlanDialog(self.service, self.dates))
        router.add(*committee_commands.build_commands(self))

    async def kinds_of(self, person: PersonView) -> list[CommitteeKind]:
        """The committees whose calendar a person sees: all for the lead, else those they are reminded of."""
        if person.role is Role.LEAD:
            return list(CommitteeKind)
        return [k for k in CommitteeKind if any(r.person_id == person.id for r in await self.audience.members(k))]

    def calendar_url(self, token: str) -> str:
        """The person's subscribable feed (route in bot/calendar_http.py)."""
        return f"{self.settings.public_url}/calendar/{token}.ics"

    def meeting_ics_url(self, token: str, meeting_id: int) -> str:
        return f"{self.settings.public_url}/calendar/{token}/meeting-{meeting_id}.ics"

    # --- ReminderJobs: one APScheduler job per future reminder row -------------------------

    def schedule(self, reminders: Sequence[Reminder]) -> None:
        if self.scheduler is None:
            return
        now = self.clock.now()
        for reminder in reminders:
            if reminder.send_at > now:
                self.scheduler.add_one_off(
                    jobs.reminder_job_id(reminder.key),
                    jobs.fire_reminder,
                    reminder.send_at,
                    (self.context_id, reminder.id),
                )
        self.kick_drain()

    def unschedule(self, reminders: Sequence[Reminder]) -> None:
        if self.scheduler is None:
            return
        for reminder in reminders:
            self.scheduler.remove(jobs.reminder_job_id(reminder.key))
        self.kick_drain()

    async def rebuild_jobs(self) -> list[str]:
        """One job per scheduled reminder still ahead; same ids as before a restart, so no duplicates."""
        reminders = await self.repository.scheduled_reminders()
        self.schedule(reminders)
        return [jobs.reminder_job_id(r.key) for r in reminders if r.send_at > self.clock.now()]

    def kick_drain(self) -> None:
        """Send queued messages now rather than at the next periodic drain (when the scheduler runs)."""
        if self.scheduler is not None and self.scheduler.scheduler.running:
            job = self.scheduler.scheduler.get_job(DRAIN_JOB_ID)
            if job is not None:
                job.modify(next_run_time=datetime.now().astimezone())

    # --- job context (called by scheduler.jobs) ---------------------------------------------

    def after_fan_out(self, queue_follow_ups: Callable[[], Awaitable[object]]) -> None:
        """Run `queue_follow_ups` each time reminders were fanned out, before the outbox is drained:
        what it queues (the COPIL digest for the élu·es) leaves with the reminders."""
        self._after_fan_out.append(queue_follow_ups)

    async def fire_reminder(self, reminder_id: int) -> FireOutcome:
        outcome = await self.engine.fire(reminder_id)
        if outcome is FireOutcome.NOT_YET:
            reminder = await self.repository.get_reminder(reminder_id)
            if reminder is not None:
                self.schedule([reminder])
        elif outcome is FireOutcome.FANNED_OUT:
            await self._follow_up_and_drain()
        return outcome

    async def sweep_reminders(self) -> dict[FireOutcome, int]:
        outcomes = await self.engine.catch_up()
        if outcomes.get(FireOutcome.FANNED_OUT):
            await self._follow_up_and_drain()
        return outcomes

    async def _follow_up_and_drain(self) -> None:
        for queue_follow_ups in self._after_fan_out:
            try:
                await queue_follow_ups()
            except Exception:  # noqa: BLE001 - the reminders go out anyway; the periodic job retries
                log.exception("A follow-up of fanned-out reminders failed")
        await self.drain_outbox()

    async def drain_outbox(self) -> DrainReport:
        await self.sender.recover_stuck(timedelta(seconds=self.config.sending.stuck_lease_seconds))
        return await self.sender.drain()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, scheduler: SchedulerService) -> None:
        """Recover, catch up and rebuild the jobs; a process whose scheduler is off sends nothing."""
        meeting_dates.start_warm_up()
        self.scheduler = scheduler
        if not scheduler.enabled:
            return
        self.lock.acquire()
        lease = timedelta(0) if self.database.is_sqlite else timedelta(seconds=self.config.sending.stuck_lease_seconds)
        recovered = await self.sender.recover_stuck(lease)
        outcomes = await self.engine.catch_up()
        job_ids = await self.rebuild_jobs()
        sending = self.config.sending
        scheduler.add_every(SWEEP_JOB_ID, jobs.sweep_reminders, sending.sweep_interval_seconds, (self.context_id,))
        scheduler.add_every(
            DRAIN_JOB_ID, jobs.drain_outbox, sending.drain_interval_seconds, (self.context_id,), run_now=True
        )
        log.info(
            "Committees: %s reminder job(s) rebuilt, catch-up %s, %s delivery(ies) recovered from a crash",
            len(job_ids),
            {k.value: v for k, v in outcomes.items()} or "nothing due",
            recovered,
        )

    def close(self) -> None:
        jobs.JOB_CONTEXTS.unregister(self.context_id)
        self.lock.release()


def build_committees(
    settings: Settings, database: Database, clock: Clock, people: PeopleRepository, **options
) -> CommitteesFeature:
    return CommitteesFeature(settings, database, clock, people, **options)
