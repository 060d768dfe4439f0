"""What every turn reads first, read in the transaction that claims its activity.

A turn used to start with three round trips to the database, each a transaction of its own: the
activity's claim (bot/middleware.py, `DeduplicationMiddleware`), the person behind the Teams
identity (`SpaserBot._identify`) and the conversation's dialog state (`ConversationState.load`).
`TurnPrefetch.reader` gives the claim a read of the other two, run in the claim's transaction
right after the claim is taken, so the turn makes one round trip where it made three; the person and
the state come in one statement, so the claim's transaction makes two hand-overs to SQLite's thread.

Nothing else changes: the claim still commits before the turn runs (another process sees it),
the person is used only when `identify` would have changed nothing, and the state keeps its eTag,
checked when the turn writes it in its own unit of work. What the prefetch did not read (an
unknown person, another state key, a claim taken over) is read as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.middleware import tenant_of
from bot.state.storage import PREFETCHED_STATES_KEY, TrackedConversationState
from dialogs.base import PERSON_KEY
from storage.bot_state import BotStateRepository
from storage.people import PeopleRepository

Reader = Callable[[AsyncConnection], Awaitable[None]]


class TurnPrefetch:
    def __init__(self, people: PeopleRepository, conversation_state: TrackedConversationState) -> None:
        self._people = people
        self._conversation_state = conversation_state

    def reader(self, context: TurnContext) -> Reader:
        """The read to run in the claim's transaction; it fills `context.turn_state`."""
        activity = context.activity
        sender = activity.from_property
        identity = None
        if sender is not None and sender.aad_object_id and sender.name:
            identity = (tenant_of(activity), sender.aad_object_id, sender.name)
        state_key = self._conversation_state.get_storage_key(context) if activity.channel_id else None

        async def read(connection: AsyncConnection) -> None:
            person = None
            if identity is not None and state_key is not None:
                person, stored = await self._people.known_with_state_in(
                    connection, *identity, state_key, last_statement=True
                )
                context.turn_state[PREFETCHED_STATES_KEY] = {state_key: stored}
            elif identity is not None:
                person = await self._people.known_in(connection, *identity)
            elif state_key is not None:
                stored = await BotStateRepository.read_in(connection, state_key, last_statement=True)
                context.turn_state[PREFETCHED_STATES_KEY] = {state_key: stored}
            if person is not None:
                context.turn_state[PERSON_KEY] = person

        return read
