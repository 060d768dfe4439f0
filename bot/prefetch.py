"""What every turn reads first, read in the transaction that claims its activity.

A turn used to start with three round trips to the database, each a transaction of its own: the
activity's claim (bot/middleware.py, `DeduplicationMiddleware`), the person behind the Teams
identity (`SpaserBot._identify`) and the conversation's dialog state (`ConversationState.load`).
`TurnPrefetch.reader` gives the claim a read of the other two, run in the claim's transaction
right after the claim is taken, so the turn makes one round trip where it made three; the person and
the state come in one statement, and on a SQLite file the claim's whole transaction is one hand-over
to SQLite's thread (`storage.sqlite_driver.DirectTransactions`).

Nothing else changes: the claim still commits before the turn runs (another process sees it),
the person is used only when `identify` would have changed nothing, and the state keeps its eTag,
checked when the turn writes it in its own unit of work. What the prefetch did not read (an
unknown person, another state key, a claim taken over) is read as before.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.middleware import tenant_of
from bot.state.storage import PREFETCHED_STATES_KEY, TrackedConversationState
from dialogs.base import PERSON_KEY
from storage.bot_state import BotStateRepository
from storage.db import RowRead
from storage.people import PeopleRepository


class TurnPrefetch:
    def __init__(self, people: PeopleRepository, conversation_state: TrackedConversationState) -> None:
        self._people = people
        self._conversation_state = conversation_state

    def reader(self, context: TurnContext) -> RowRead | None:
        """The read to run in the claim's transaction; it fills `context.turn_state`."""
        activity = context.activity
        sender = activity.from_property
        identity = None
        if sender is not None and sender.aad_object_id and sender.name:
            identity = (tenant_of(activity), sender.aad_object_id, sender.name)
        state_key = self._conversation_state.get_storage_key(context) if activity.channel_id else None

        def keep_person(person) -> None:
            if person is not None:
                context.turn_state[PERSON_KEY] = person

        def keep_state(stored) -> None:
            context.turn_state[PREFETCHED_STATES_KEY] = {state_key: stored}

        def keep_both(person, stored) -> None:
            keep_state(stored)
            keep_person(person)

        if identity is not None and state_key is not None:
            return self._people.known_with_state_read(*identity, state_key, keep_both)
        if identity is not None:
            return self._people.known_read(*identity, keep_person)
        if state_key is not None:
            return BotStateRepository.state_read(state_key, keep_state)
        return None
