"""Turn middleware: tenant allow-list, per-conversation ordering, re-delivery de-duplication."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityTypes

from storage.repositories import ProcessedActivityRepository

log = logging.getLogger(__name__)

NextHandler = Callable[[], Awaitable]


def tenant_of(activity) -> str:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") or {}
    return tenant.get("id") or (activity.conversation.tenant_id if activity.conversation else None) or ""


class TenantGuardMiddleware(Middleware):
    """Refuses organisations outside SPASER_ALLOWED_TENANTS (the SDK itself does not check tenants)."""

    def __init__(self, allowed_tenants: tuple[str, ...]) -> None:
        self._allowed = frozenset(allowed_tenants)

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        if not self._allowed or tenant_of(context.activity) in self._allowed:
            return await logic()
        log.warning("Refused activity from tenant %r", tenant_of(context.activity))
        if context.activity.type == ActivityTypes.message:
            await context.send_activity("Cet assistant n'est pas ouvert à votre organisation.")
        return None


class ConversationLockMiddleware(Middleware):
    """Runs the turns of one conversation one after the other in this process.

    Two messages sent quickly would otherwise load the same state and the second save would be
    refused by the eTag check; across instances the eTag still guards against lost updates.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        conversation = context.activity.conversation
        if conversation is None or not conversation.id:
            return await logic()
        lock = self._locks.get(conversation.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation.id] = lock
        async with lock:
            return await logic()


class DeduplicationMiddleware(Middleware):
    """Teams re-delivers an activity (same id) when the bot was slow: handle it only once.

    A turn that fails releases its id, so that the re-delivery gets a second chance.
    """

    HANDLED_TYPES = frozenset({ActivityTypes.message, ActivityTypes.invoke})

    def __init__(self, processed: ProcessedActivityRepository) -> None:
        self._processed = processed

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        activity = context.activity
        if activity.type not in self.HANDLED_TYPES or not activity.id or activity.conversation is None:
            return await logic()
        key = f"{activity.channel_id}|{activity.conversation.id}|{activity.id}"
        if not await self._processed.claim(key):
            log.info("Ignoring re-delivered activity %s", key)
            return None
        try:
            return await logic()
        except BaseException:
            await self._processed.release(key)
            raise
