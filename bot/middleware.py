"""Turn middleware: tenant allow-list, per-conversation ordering, re-delivery de-duplication,
replies held until the turn's state is saved, and the turn's own transaction."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse

from dialogs.base import TURN_UNIT_KEY
from domain.clock import Clock
from storage.activities import ClaimOutcome, ProcessedActivityRepository
from storage.db import Database, RowRead, database_unavailable
from storage.unit_of_work import journal_writes

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
            await context.send_activity("Cet assistant n’est pas ouvert à votre organisation.")
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


MAX_CONCURRENT_TURNS = 16


class TurnAdmissionMiddleware(Middleware):
    """At most `limit` turns run at once in this process; the others wait their turn, in order.

    Without it every request starts at once. Under a burst (200 users, or the backlog after a start
    while the recognizers compile) hundreds of turns shared the event loop: each kept its database
    connection, or SQLite's write turn, across the steps of all the others, the pool (15
    connections) ran dry, some turns failed after 30 s with the "database unavailable" answer and
    the longest ones (the summary) waited most (benchmarks/load_200_users.py). Waiting here holds
    nothing. After the per-conversation lock: a conversation's queued turns hold no place.
    """

    def __init__(self, limit: int = MAX_CONCURRENT_TURNS) -> None:
        self._places = asyncio.Semaphore(limit)

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        async with self._places:
            return await logic()


CLAIMED_ACTIVITY_KEY = "spaser.claimed_activity"


class DeduplicationMiddleware(Middleware):
    """Teams re-delivers an activity (same id) when the bot was slow: handle it only once.

    The claim is completed with the turn's commit (`TurnUnitMiddleware`). A copy that finds
    the activity still being handled elsewhere waits for that turn to end, then is dropped; if that
    turn's lease runs out first (its process died mid-turn, nothing of it committed), the copy runs
    it. A turn that fails releases its id, so that the re-delivery gets a second chance.
    """

    HANDLED_TYPES = frozenset({ActivityTypes.message, ActivityTypes.invoke})
    POLL_SECONDS = 0.1

    def __init__(
        self,
        processed: ProcessedActivityRepository,
        clock: Clock,
        pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
        prefetch: Callable[[TurnContext], RowRead | None] | None = None,
    ) -> None:
        """`prefetch` gives, for a turn, what to read in its claim's transaction (bot/prefetch.py)."""
        self._processed = processed
        self._clock = clock
        self._pause = pause
        self._prefetch = prefetch

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        activity = context.activity
        if activity.type not in self.HANDLED_TYPES or not activity.id or activity.conversation is None:
            return await logic()
        key = f"{activity.channel_id}|{activity.conversation.id}|{activity.id}"
        if not await self._claim(key, None if self._prefetch is None else self._prefetch(context)):
            log.info("Ignoring re-delivered activity %s", key)
            return None
        context.turn_state[CLAIMED_ACTIVITY_KEY] = key
        try:
            return await logic()
        except BaseException:
            await self._processed.release(key)
            raise

    async def _claim(self, key: str, read: RowRead | None) -> bool:
        """True when this turn is to run the activity; waits while another turn holds its lease."""
        polls_left = int(self._processed.lease.total_seconds() / self.POLL_SECONDS) * 2
        while True:
            outcome = await self._processed.claim(key, self._clock.now(), read)
            if outcome is ClaimOutcome.CLAIMED:
                return True
            if outcome is ClaimOutcome.HANDLED or polls_left == 0:
                return False
            polls_left -= 1
            await self._pause(self.POLL_SECONDS)


class HoldRepliesMiddleware(Middleware):
    """Sends a turn's messages once the turn has ended and its state is saved, not as they are made.

    When another instance changed the conversation's state meanwhile (stale eTag), the turn fails
    only at its very end: its messages — e.g. the next question of a dialog step that is not kept —
    are then dropped, and the person reads the conflict message alone instead of a question the bot
    at once disowns. A turn that fails for another reason is answered by the error message alone.
    Other activity types (invoke responses, typing) go out at once. A held message still counts as
    said (`TurnContext.responded`), as botbuilder's prompts expect.
    """

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        held: list[Activity | str] = []
        send_now = context.send_activities

        async def hold(activities: list[Activity | str]) -> list[ResourceResponse]:
            messages = [a for a in activities if _is_message(a)]
            others = [a for a in activities if not _is_message(a)]
            held.extend(messages)
            if messages:
                # botbuilder's prompts re-ask only when nothing was said this turn: a validator that
                # explained its refusal must not be followed by the retry prompt too.
                context.responded = True
            sent = await send_now(others) if others else []
            return sent + [ResourceResponse() for _ in messages]

        context.send_activities = hold
        try:
            result = await logic()
        finally:
            context.send_activities = send_now
        if held:
            await send_now(held)
        return result


def _is_message(activity: Activity | str) -> bool:
    return isinstance(activity, str) or (activity.type or ActivityTypes.message) == ActivityTypes.message


class TurnUnitMiddleware(Middleware):
    """Gives each turn a unit of work (storage/unit_of_work.py, `dialogs.base.turn_unit`): what the
    turn recorded through it (a value, with its audit trail), its dialog state and the completion of
    the activity's claim commit together once the turn has run, or roll back together if it failed.
    A turn whose state is refused (stale eTag, another instance) leaves nothing behind, and a turn
    cut short by a crash is run again when Teams re-delivers it.

    Only what is written last in a turn may join: until the commit the unit holds SQLite's write
    lock, and another unit of the same turn that writes would wait for it. A turn that wrote outside
    its unit (a one-shot command's own unit of work) completes its claim right after; one that wrote
    nothing in the next background batch (`ProcessedActivityRepository.complete_soon`).

    Inside `HoldRepliesMiddleware`, so that the replies go out only after the commit (« Enregistré »
    is never shown for a value that was then rolled back).
    """

    def __init__(self, database: Database, processed: ProcessedActivityRepository, clock: Clock) -> None:
        self._database = database
        self._processed = processed
        self._clock = clock

    async def on_turn(self, context: TurnContext, logic: NextHandler):
        unit = self._database.new_unit()
        context.turn_state[TURN_UNIT_KEY] = unit
        try:
            with journal_writes() as journal:
                result = await logic()
            claimed = context.turn_state.get(CLAIMED_ACTIVITY_KEY)
            wrote = unit.has_writes or journal.wrote
            if claimed is not None and wrote:
                if unit.is_open:
                    async with unit.joined() as connection:
                        await self._processed.complete_in(connection, claimed, self._clock.now(), last_statement=True)
                else:  # only kept writes (the dialog state) or none: the completion joins them at the commit
                    await unit.write(self._processed.completion(claimed, self._clock.now()))
        except BaseException:
            await unit.rollback()
            raise
        try:
            await unit.commit()
        except Exception as error:
            if not (claimed is not None and wrote and database_unavailable(error) and await self._made(claimed)):
                raise
            log.warning("The answer to a turn's COMMIT was lost, but the commit was made: its replies go out")
        if claimed is not None and not wrote:
            self._processed.complete_soon(claimed, self._clock.now())
        return result

    async def _made(self, claimed: str) -> bool:
        try:
            return await self._processed.is_handled(claimed)
        except Exception:  # noqa: BLE001 - still out of reach: the turn is reported as not processed
            log.warning("Could not tell whether a turn's commit was made", exc_info=True)
            return False
