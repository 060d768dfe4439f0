"""APScheduler jobs of the summary and broadcast feature: module-level, taking only ids.

Like `scheduler/jobs.py`: a job finds its feature through `SUMMARY_CONTEXTS` by the context id
each runtime registers, so any job store could persist the jobs and a closed runtime's jobs do
nothing. Job ids are stable, so a restart replaces the jobs instead of doubling them.
"""

from __future__ import annotations

from typing import Protocol

from scheduler.jobs import JobContextRegistry

WEEKLY_DIGEST_JOB_ID = "summary:weekly-digest"
COPIL_DIGEST_JOB_ID = "summary:copil-digests"
BROADCAST_REPORT_JOB_ID = "broadcasts:delivery-reports"


class SummaryJobContext(Protocol):
    async def send_weekly_digests(self) -> object: ...

    async def send_copil_digests(self) -> object: ...

    async def report_broadcasts(self) -> object: ...


SUMMARY_CONTEXTS = JobContextRegistry()


async def send_weekly_digests(context_id: str) -> None:
    context = SUMMARY_CONTEXTS.get(context_id)
    if context is not None:
        await context.send_weekly_digests()


async def send_copil_digests(context_id: str) -> None:
    context = SUMMARY_CONTEXTS.get(context_id)
    if context is not None:
        await context.send_copil_digests()


async def report_broadcasts(context_id: str) -> None:
    context = SUMMARY_CONTEXTS.get(context_id)
    if context is not None:
        await context.report_broadcasts()
