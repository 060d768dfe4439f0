"""APScheduler job functions: module-level, taking only ids, so any job store could persist them.

A job finds the objects it works with through `JOB_CONTEXTS`, keyed by a context id that each
committees feature instance chooses (a fresh one per runtime); a test builds its own runtime,
calls these functions with that runtime's id, and the registry forgets it when the runtime closes.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class JobContext(Protocol):
    async def fire_reminder(self, reminder_id: int) -> object: ...

    async def sweep_reminders(self) -> object: ...

    async def drain_outbox(self) -> object: ...


class JobContextRegistry:
    def __init__(self) -> None:
        self._contexts: dict[str, JobContext] = {}

    def register(self, context_id: str, context: JobContext) -> None:
        self._contexts[context_id] = context

    def unregister(self, context_id: str) -> None:
        self._contexts.pop(context_id, None)

    def get(self, context_id: str) -> JobContext | None:
        context = self._contexts.get(context_id)
        if context is None:
            log.warning("Job for context %s ignored: that runtime is closed", context_id)
        return context

    def __contains__(self, context_id: str) -> bool:
        return context_id in self._contexts


JOB_CONTEXTS = JobContextRegistry()


def reminder_job_id(reminder_key: str) -> str:
    """Stable across restarts: the reminder's own idempotence key."""
    return f"reminder:{reminder_key}"


async def fire_reminder(context_id: str, reminder_id: int) -> None:
    context = JOB_CONTEXTS.get(context_id)
    if context is not None:
        await context.fire_reminder(reminder_id)


async def sweep_reminders(context_id: str) -> None:
    context = JOB_CONTEXTS.get(context_id)
    if context is not None:
        await context.sweep_reminders()


async def drain_outbox(context_id: str) -> None:
    context = JOB_CONTEXTS.get(context_id)
    if context is not None:
        await context.drain_outbox()
