"""APScheduler wiring: one AsyncIOScheduler per app, started and stopped with it.

Jobs are module-level functions that take only ids or plain values, and are (re)built from the
database at start-up with stable ids, so a restart never duplicates them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

PROCESSED_ACTIVITY_RETENTION = timedelta(days=2)


class SchedulerService:
    def __init__(self, *, enabled: bool, timezone: str) -> None:
        self.enabled = enabled
        self.scheduler = AsyncIOScheduler(timezone=timezone, job_defaults={"coalesce": True, "misfire_grace_time": 3600})

    @property
    def state(self) -> str:
        if not self.enabled:
            return "disabled"
        return "running" if self.scheduler.running else "stopped"

    def add_housekeeping(self, prune_processed_activities) -> None:
        """Forget re-delivery ids after two days (Teams retries within minutes)."""
        self.scheduler.add_job(
            prune_processed_activities,
            IntervalTrigger(hours=6),
            id="housekeeping:processed-activities",
            replace_existing=True,
            kwargs={"older_than": PROCESSED_ACTIVITY_RETENTION},
        )

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

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("Scheduler stopped")
