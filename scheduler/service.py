"""APScheduler wiring: one AsyncIOScheduler per app, started and stopped with it.

The jobs themselves (scheduler/jobs.py) take only ids and are rebuilt from the database at
start-up with stable ids, so a restart never duplicates them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)


class SchedulerService:
    def __init__(self, *, enabled: bool, timezone: str) -> None:
        self.enabled = enabled
        self.scheduler = AsyncIOScheduler(timezone=timezone, job_defaults={"coalesce": True, "misfire_grace_time": 3600})

    @property
    def state(self) -> str:
        if not self.enabled:
            return "disabled"
        if self.scheduler.state == STATE_PAUSED:
            return "standby"
        return "running" if self.scheduler.running else "stopped"

    def add_one_off(self, job_id: str, func: Callable, run_at: datetime, args: tuple = ()) -> None:
        """A job at one instant, replacing any job with the same id; run however late it is."""
        self.scheduler.add_job(
            func, DateTrigger(run_date=run_at), id=job_id, args=list(args), replace_existing=True, misfire_grace_time=None
        )

    def add_every(self, job_id: str, func: Callable, seconds: float, args: tuple = (), run_now: bool = False) -> None:
        """A periodic job that never overlaps itself; `run_now` also runs it as soon as the scheduler starts."""
        extra = {"next_run_time": datetime.now().astimezone()} if run_now else {}
        self.scheduler.add_job(
            func,
            IntervalTrigger(seconds=seconds),
            id=job_id,
            args=list(args),
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            **extra,
        )

    def add_weekly(self, job_id: str, func: Callable, day_of_week: str, at: time, timezone: str) -> None:
        """A job every week on that day and local time; never overlapping itself."""
        self.scheduler.add_job(
            func,
            CronTrigger(day_of_week=day_of_week, hour=at.hour, minute=at.minute, timezone=timezone),
            id=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )

    def run_soon(self, job_id: str) -> None:
        """Run a periodic job now rather than at its next time (when the scheduler runs)."""
        if self.scheduler.running:
            job = self.scheduler.get_job(job_id)
            if job is not None:
                job.modify(next_run_time=datetime.now().astimezone())

    def remove(self, job_id: str) -> None:
        try:
            self.scheduler.remove_job(job_id)
        except JobLookupError:
            pass

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self.scheduler.get_jobs())

    def start(self) -> None:
        if self.enabled and not self.scheduler.running:
            self.scheduler.start()
            log.info("Scheduler started")

    def start_paused(self) -> None:
        """Running but firing nothing: another process leads (scheduler/leadership.py)."""
        if self.enabled and not self.scheduler.running:
            self.scheduler.start(paused=True)

    def pause(self) -> None:
        if self.scheduler.running:
            self.scheduler.pause()

    def resume(self) -> None:
        if self.scheduler.state == STATE_PAUSED:
            self.scheduler.resume()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("Scheduler stopped")
