"""Broadcasts by the SPASER lead: the audit trail, and their deliveries through the outbox.

A broadcast row (who, when, audience, text, how many recipients, then the outcome counts) is
written in the same transaction as its deliveries, one outbox row per recipient with a unique
key, so a broadcast is never half-queued nor queued twice. When every delivery is final
(sent, failed, unreachable or cancelled) the lead gets one delivery report; `reported_at` is set
by a conditional UPDATE in the report's transaction, so two schedulers never report twice.

The broadcast's own report lists every outcome, so its deliveries are marked as already
reported to the lead when they are queued: the outbox sender's generic "not delivered" notice
would otherwise tell the lead the same thing a second time.

A broadcast carries the key of the dialog run that confirmed it (`run_key`, unique): a second
« oui » of the same run, handled at another instance from the same dialog state, finds the
broadcast already recorded instead of sending it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from storage.db import Database
from storage.people import Person
from storage.columns import utcnow
from storage.outbox import Delivery, DeliveryState, OutboxMessage, OutboxRepository, SourceKind, aware

MAX_BROADCAST_LENGTH = 4000
FINAL_STATES = frozenset({DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNREACHABLE, DeliveryState.CANCELLED})


class AudienceKind(StrEnum):
    EVERYONE = "everyone"
    COMMITTEE = "committee"
    DIRECTORATES = "directorates"
    DUE = "due"


class Broadcast(SQLModel, table=True):
    """One message the lead sent to many people: the audit trail of broadcasts."""

    __tablename__ = "broadcast"

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="person.id", index=True)
    audience_kind: str = Field(max_length=16)
    audience_label: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    recipient_count: int
    sent_count: int = Field(default=0)
    failed_count: int = Field(default=0)
    unreachable_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    reported_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    run_key: str | None = Field(default=None, max_length=64, unique=True, index=True)


@dataclass(frozen=True)
class BroadcastView:
    id: int
    author_id: int
    author_name: str
    audience_kind: AudienceKind
    audience_label: str
    text: str
    recipient_count: int
    sent_count: int
    failed_count: int
    unreachable_count: int
    created_at: datetime
    reported_at: datetime | None


@dataclass(frozen=True)
class DeliveryOutcome:
    """Where one delivery of a broadcast ended."""

    recipient_label: str
    state: DeliveryState
    error: str | None


def _view(row: Broadcast, author_name: str) -> BroadcastView:
    return BroadcastView(
        id=row.id,
        author_id=row.author_id,
        author_name=author_name,
        audience_kind=AudienceKind(row.audience_kind),
        audience_label=row.audience_label,
        text=row.text,
        recipient_count=row.recipient_count,
        sent_count=row.sent_count,
        failed_count=row.failed_count,
        unreachable_count=row.unreachable_count,
        created_at=aware(row.created_at),
        reported_at=aware(row.reported_at),
    )


def source_id(broadcast_id: int) -> str:
    return str(broadcast_id)


class BroadcastRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def create(
        self,
        *,
        author_id: int,
        audience_kind: AudienceKind,
        audience_label: str,
        text: str,
        messages_for: Callable[[int], Sequence[OutboxMessage]],
        now: datetime,
        run_key: str | None = None,
    ) -> tuple[BroadcastView, int]:
        """The audit row and its deliveries, atomically; `messages_for(broadcast_id)` renders them.

        Returns the broadcast and the number of deliveries queued: 0 when the broadcast of this
        `run_key` was already recorded (that broadcast is returned, nothing is queued again).
        """
        try:
            async with self._db.session() as session:
                row = Broadcast(
                    author_id=author_id,
                    audience_kind=audience_kind.value,
                    audience_label=audience_label[:300],
                    text=text,
                    recipient_count=0,
                    created_at=now,
                    run_key=run_key,
                )
                session.add(row)
                await session.flush()
                messages = list(messages_for(row.id))
                added = await OutboxRepository.enqueue_in(session, messages, now)
                row.recipient_count = added
                await session.execute(
                    update(Delivery)
                    .where(Delivery.source_kind == SourceKind.BROADCAST.value, Delivery.source_id == source_id(row.id))
                    .values(lead_notified_at=now)
                )
                await session.flush()
                author = await session.get(Person, author_id)
                return _view(row, author.name if author else ""), added
        except IntegrityError:
            recorded = await self._by_run_key(run_key) if run_key is not None else None
            if recorded is None:
                raise
            return recorded, 0

    async def get(self, broadcast_id: int) -> BroadcastView | None:
        return await self._find(Broadcast.id == broadcast_id)

    async def _by_run_key(self, run_key: str) -> BroadcastView | None:
        return await self._find(Broadcast.run_key == run_key)

    async def _find(self, condition) -> BroadcastView | None:
        async with self._db.session() as session:
            found = (
                await session.execute(
                    select(Broadcast, Person.name).join(Person, Person.id == Broadcast.author_id).where(condition)
                )
            ).first()
            return _view(*found) if found else None

    async def unreported(self) -> list[BroadcastView]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Broadcast, Person.name)
                .join(Person, Person.id == Broadcast.author_id)
                .where(Broadcast.reported_at.is_(None))
                .order_by(Broadcast.id)
            )
            return [_view(row, name) for row, name in rows]

    async def outcomes(self, broadcast_id: int) -> list[DeliveryOutcome]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Delivery.recipient_label, Delivery.state, Delivery.last_error)
                .where(Delivery.source_kind == SourceKind.BROADCAST.value, Delivery.source_id == source_id(broadcast_id))
                .order_by(Delivery.recipient_label, Delivery.id)
            )
            return [DeliveryOutcome(label, DeliveryState(state), error) for label, state, error in rows]

    async def finish(
        self,
        broadcast_id: int,
        counts: dict[DeliveryState, int],
        notices: Iterable[OutboxMessage],
        now: datetime,
    ) -> bool:
        """Record the outcome and queue the lead's report, once (False if another process did)."""
        async with self._db.session() as session:
            result = await session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id, Broadcast.reported_at.is_(None))
                .values(
                    reported_at=now,
                    sent_count=counts.get(DeliveryState.SENT, 0),
                    failed_count=counts.get(DeliveryState.FAILED, 0),
                    unreachable_count=counts.get(DeliveryState.UNREACHABLE, 0),
                )
            )
            if result.rowcount != 1:
                return False
            await OutboxRepository.enqueue_in(session, notices, now)
            return True

    async def history(self, limit: int = 10) -> list[BroadcastView]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Broadcast, Person.name)
                .join(Person, Person.id == Broadcast.author_id)
                .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
                .limit(limit)
            )
            return [_view(row, name) for row, name in rows]

