"""botbuilder `Storage` on the application database, with eTag optimistic concurrency.

Conversation and user state live in the same database as the business data, so a restart or a
second instance resumes a dialog where it stopped. A write carrying a stale eTag fails with
`StateConflictError`; `*` or no eTag writes unconditionally; every write issues a new eTag, which
is also set on the written item so that a second save in the same turn is not seen as stale.

`TrackedConversationState`/`TrackedUserState` are botbuilder's states, telling whether a turn
changed its state by the state's JSON text rather than by botbuilder's jsonpickle hashes.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState, Storage, StoreItem, TurnContext, UserState
from botbuilder.core.bot_state import CachedBotState
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.state.codec import StateCodec
from dialogs.base import turn_unit
from storage.bot_state import BotStateRepository
from storage.db import Database
from storage.unit_of_work import UnitOfWork

ETAG_FIELD = "e_tag"
PREFETCHED_STATES_KEY = "spaser.prefetched_states"
"""turn_state: {storage key: (eTag, JSON text) or None when nothing is stored}, read with the
activity's claim (bot/prefetch.py); a state's first load this turn takes its row from there."""


def _get_etag(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get(ETAG_FIELD)
    return getattr(item, ETAG_FIELD, None)


def _set_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item[ETAG_FIELD] = etag
    else:
        setattr(item, ETAG_FIELD, etag)


def _payload(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if key != ETAG_FIELD}
    if isinstance(item, StoreItem):
        return {key: value for key, value in vars(item).items() if key != ETAG_FIELD}
    return item


class StoredItem(dict):
    """A state item with the JSON text it was read as (`stored_text`) and, only while a turn's
    save is under way, the text that save computed (`text_to_store`), so it is encoded once."""

    __slots__ = ("stored_text", "text_to_store")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored_text: str | None = None
        self.text_to_store: str | None = None


class SqlStorage(Storage):
    """botbuilder's `Storage` on the application's database (storage/bot_state.py)."""

    def __init__(self, repository: BotStateRepository, database: Database, codec: StateCodec) -> None:
        self._repository = repository
        self._db = database
        self._codec = codec

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return {key: self.item(etag, data) for key, etag, data in await self._repository.read(list(keys))}

    def item(self, etag: str, data: str) -> Any:
        """A stored state from its row."""
        item = self._codec.loads(data)
        if isinstance(item, dict):
            item = StoredItem(item)
            item.stored_text = data
            item[ETAG_FIELD] = etag
        return item

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        for key, item in changes.items():
            async with self._db.transaction() as connection:
                await self._write_one(connection, key, item)

    async def write_in(self, unit: UnitOfWork, changes: dict[str, Any]) -> None:
        """`write` in the turn's unit of work: a state stored before (with its eTag) is written with
        the unit's commit (`UnitOfWork.write`), which raises `StateConflictError` if it is stale."""
        for key, item in changes.items():
            data = self._text(item)
            checked = self._repository.checked_write(key, data, _get_etag(item))
            if checked is None:
                async with unit.joined() as connection:
                    await self._write_one(connection, key, item)
                continue
            write, new_etag = checked
            await unit.write(write)
            self._written(item, data, new_etag)

    async def _write_one(self, connection: AsyncConnection, key: str, item: Any) -> None:
        data = self._text(item)
        new_etag = await self._repository.write_in(connection, key, data, _get_etag(item))
        self._written(item, data, new_etag)

    def _text(self, item: Any) -> str:
        data = item.text_to_store if isinstance(item, StoredItem) else None
        return self._codec.dumps(_payload(item)) if data is None else data

    @staticmethod
    def _written(item: Any, data: str, new_etag: str) -> None:
        _set_etag(item, new_etag)
        if isinstance(item, StoredItem):
            item.stored_text = data

    async def delete(self, keys: list[str]) -> None:
        await self._repository.delete(list(keys))


class _TextTrackedState(CachedBotState):
    """botbuilder's per-turn copy of a state, whose fingerprint is its JSON text.

    botbuilder tells whether a state changed by walking it with jsonpickle when it is loaded,
    when the turn ends and again after a save (about 0.6 ms each for a dialog waiting on a prompt,
    the largest cost of a dialog turn after the database). The text the state was stored as is
    the same fingerprint at no cost, and the text computed at the end of the turn is the one saved.
    """

    def __init__(self, state: dict | None, codec: StateCodec) -> None:
        self._codec = codec
        self.state = state if state is not None else StoredItem()
        if state is None:
            self.hash = None
        elif isinstance(state, StoredItem):
            self.hash = state.stored_text
        else:
            self.hash = self.compute_hash(state)

    def compute_hash(self, obj: Any) -> str:
        return self._codec.dumps(_payload(obj))


class _TextTrackingMixin:
    """`load` and `save_changes` of a botbuilder `BotState`, with `_TextTrackedState` instead of
    jsonpickle hashes; still through `Storage.read`/`Storage.write`, so any storage works. A
    change is written in the turn's unit of work (bot/state/turn.py): the state, what the
    turn recorded and the activity's claim are committed together, once."""

    _codec: StateCodec

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if force or not cached or not cached.state:
            key = self.get_storage_key(turn_context)
            prefetched = turn_context.turn_state.get(PREFETCHED_STATES_KEY)
            if not force and prefetched and key in prefetched and isinstance(self._storage, SqlStorage):
                row = prefetched.pop(key)
                item = None if row is None else self._storage.item(*row)
            else:
                item = (await self._storage.read([key])).get(key)
            turn_context.turn_state[self._context_service_key] = _TextTrackedState(item, self._codec)

    async def save_changes(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if cached is None:
            return
        state = cached.state
        fingerprint = cached.compute_hash(state)
        if force or fingerprint != cached.hash:
            tracked = isinstance(state, StoredItem) and isinstance(cached, _TextTrackedState)
            if tracked:
                state.text_to_store = fingerprint
            changes = {self.get_storage_key(turn_context): state}
            unit = turn_unit(turn_context)
            try:
                if unit is not None and isinstance(self._storage, SqlStorage):
                    await self._storage.write_in(unit, changes)
                else:
                    await self._storage.write(changes)
            finally:
                if tracked:
                    state.text_to_store = None
            cached.hash = fingerprint


class TrackedConversationState(_TextTrackingMixin, ConversationState):
    """The conversation's state; in a group chat or a channel, each person's own: a dialog belongs
    to whoever started it, and another member's messages never continue it."""

    def __init__(self, storage: Storage, codec: StateCodec) -> None:
        super().__init__(storage)
        self._codec = codec

    def get_storage_key(self, turn_context: TurnContext) -> str:
        key = super().get_storage_key(turn_context)
        activity = turn_context.activity
        if (activity.conversation.conversation_type or "personal") == "personal":
            return key
        sender = activity.from_property
        return f"{key}/users/{(sender.aad_object_id or sender.id) if sender else 'unknown'}"


class TrackedUserState(_TextTrackingMixin, UserState):
    def __init__(self, storage: Storage, codec: StateCodec) -> None:
        super().__init__(storage)
        self._codec = codec
