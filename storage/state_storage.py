"""botbuilder `Storage` on the application database, with eTag optimistic concurrency.

Conversation and user state live in the same database as the business data, so a restart or a
second instance resumes a dialog where it stopped. A write carrying a stale eTag fails with
`StateConflictError`; `*` or no eTag writes unconditionally; every write issues a new eTag, which
is also set on the written item so that a second save in the same turn is not seen as stale.
"""

from __future__ import annotations

import uuid
from typing import Any

from botbuilder.core import Storage, StoreItem
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.codec import StateCodec
from storage.db import Database
from storage.models import BotStateRecord, utcnow

ETAG_FIELD = "e_tag"


class StateConflictError(Exception):
    """Someone else wrote this state since it was read (stale eTag)."""


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


class SqlStorage(Storage):
    def __init__(self, database: Database, codec: StateCodec) -> None:
        self._db = database
        self._codec = codec

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        async with self._db.session() as session:
            rows = (await session.execute(select(BotStateRecord).where(BotStateRecord.key.in_(list(keys))))).scalars()
            result = {}
            for row in rows:
                item = self._codec.loads(row.data)
                if isinstance(item, dict):
                    item[ETAG_FIELD] = row.etag
                result[row.key] = item
            return result

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        for key, item in changes.items():
            await self._write_one(key, item)

    async def _write_one(self, key: str, item: Any) -> None:
        expected = _get_etag(item)
        new_etag = uuid.uuid4().hex
        data = self._codec.dumps(_payload(item))
        table = BotStateRecord.__table__
        async with self._db.session() as session:
            if expected in (None, "", "*"):
                changed = await session.execute(
                    update(table).where(table.c.key == key).values(etag=new_etag, data=data, updated_at=utcnow())
                )
                if changed.rowcount == 0:
                    try:
                        async with session.begin_nested():
                            await session.execute(
                                insert(table).values(key=key, etag=new_etag, data=data, updated_at=utcnow())
                            )
                    except IntegrityError:
                        await session.execute(
                            update(table).where(table.c.key == key).values(etag=new_etag, data=data, updated_at=utcnow())
                        )
            else:
                changed = await session.execute(
                    update(table)
                    .where(table.c.key == key, table.c.etag == expected)
                    .values(etag=new_etag, data=data, updated_at=utcnow())
                )
                if changed.rowcount != 1:
                    raise StateConflictError(f"state {key!r} was changed by another turn (stale eTag)")
        _set_etag(item, new_etag)

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._db.session() as session:
            await session.execute(delete(BotStateRecord).where(BotStateRecord.key.in_(list(keys))))
