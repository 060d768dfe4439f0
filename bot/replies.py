"""A turn's replies go out like proactive sends: paced and retried, and never lost.

Teams allows 7 messages a second per conversation; the replies of a burst of turns used to go out
at once and the excess was refused (429), losing e.g. the « Enregistré » of a committed save. Each
reply now waits its turn in the limiter the outbox uses (same windows, same counts), a 429 waits
its `Retry-After` and a 5xx or network error backs off, within a budget a turn may wait. A message
still refused past that budget is queued in the outbox for this conversation: it arrives later,
with the outbox's own retries. `expectReplies` turns send nothing over the network: untouched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse

from bot.private_replies import message_parts
from bot.proactive import classify
from domain.clock import Clock
from domain.outbox import OutboxMessage, SourceKind
from scheduler.outbox import RETRYABLE_STATUSES
from scheduler.rate_limit import SlidingWindowLimiter
from storage.outbox import OutboxRepository

log = logging.getLogger(__name__)

REPLY_WAIT_BUDGET_S = 10.0
"""Teams waits about 15 s for the answer to the activity it posted; the turn must end before."""
FIRST_BACKOFF_S = 0.5


class PacedRepliesMiddleware(Middleware):
    def __init__(
        self,
        limiter: SlidingWindowLimiter,
        outbox: OutboxRepository,
        clock: Clock,
        wake_outbox: Callable[[], None],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        budget_seconds: float = REPLY_WAIT_BUDGET_S,
    ) -> None:
        self._limiter = limiter
        self._outbox = outbox
        self._clock = clock
        self._wake_outbox = wake_outbox
        self._sleep = sleep
        self._monotonic = monotonic
        self._budget = budget_seconds

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]):
        activity = context.activity
        if activity.delivery_mode == DeliveryModes.expect_replies or activity.conversation is None:
            return await logic()
        send = context.send_activities

        async def paced(activities: list[Activity | str]) -> list[ResourceResponse]:
            return [await self._send_one(context, send, item, index) for index, item in enumerate(activities)]

        context.send_activities = paced
        try:
            return await logic()
        finally:
            context.send_activities = send

    async def _send_one(self, context: TurnContext, send, item: Activity | str, index: int) -> ResourceResponse:
        conversation_id = context.activity.conversation.id
        deadline = self._monotonic() + self._budget
        attempt = 0
        while True:
            try:
                async with self._limiter.sending(conversation_id):
                    return (await send([item]))[0]
            except Exception as error:  # noqa: BLE001 - classified: retried, queued or raised again
                failure = classify(error)
                if failure.status is not None and failure.status not in RETRYABLE_STATUSES:
                    raise
                if failure.status == 429 and failure.retry_after_seconds is not None:
                    delay = failure.retry_after_seconds
                else:
                    delay = FIRST_BACKOFF_S * 2**attempt
                if self._monotonic() + delay > deadline:
                    if not _is_message(item):
                        raise
                    await self._queue(context, item, index, failure.detail)
                    return ResourceResponse()
                attempt += 1
                await self._sleep(delay)

    async def _queue(self, context: TurnContext, item: Activity | str, index: int, detail: str) -> None:
        activity = context.activity
        text, card = message_parts(item)
        asked_in = activity.id or "-"
        message = OutboxMessage(
            key=f"turn-reply:{activity.conversation.id}:{asked_in}:{index}"[:300],
            source_kind=SourceKind.TURN_REPLY,
            source_id=asked_in[:64],
            text=text,
            card=card,
            conversation_id=activity.conversation.id,
            recipient_label=(activity.from_property.name if activity.from_property else None) or "conversation",
        )
        await self._outbox.enqueue([message], self._clock.now())
        self._wake_outbox()
        log.warning("A turn reply refused by Teams past the turn's budget is queued in the outbox: %s", detail)


def _is_message(item: Activity | str) -> bool:
    return isinstance(item, str) or (item.type or ActivityTypes.message) == ActivityTypes.message
