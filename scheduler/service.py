"""APScheduler wiring: one AsyncIOScheduler per app, started and stopped with it.

Jobs are module-level functions that take only ids or plain values, and are (re)built from the
database at start-up with stable ids, so a restart never duplicates them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
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

    def start(self) -> None:
        if self.enabled and not self.scheduler.running:
            self.scheduler.start()
            log.info("Scheduler started")

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("Scheduler stopped")
