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

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Column, DateTime, Text, select, update
from sqlmodel import Field, SQLModel

from domain.broadcasts import AudienceKind, BroadcastView, DeliveryOutcome
from domain.outbox import DeliveryState, OutboxMessage, SourceKind
from storage.columns import utcnow
from storage.db import Database
from storage.outbox import Delivery, OutboxRepository, aware
from storage.people import Person
from storage.unit_of_work import UnitOfWork


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
    def __init__(self, database: Database, outbox: OutboxRepository) -> None:
        self._db = database
        self._outbox = outbox

    async def create(
        self,
        *,
        author_id: int,
        audience_kind: AudienceKind,
        audience_label: str,
        text: str,
        now: datetime,
        run_key: str | None,
        uow: UnitOfWork,
    ) -> int:
        """The audit row, in the unit of work that queues its deliveries; its id. A `run_key` already
        recorded makes the unit fail (IntegrityError)."""
        session = await uow.session()
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
        return row.id

    async def queued(self, broadcast_id: int, recipient_count: int, now: datetime, *, uow: UnitOfWork) -> None:
        """Record how many deliveries were queued, and mark them as reported: the broadcast's own
        report lists every outcome, so the sender's generic notice would say it twice."""
        session = await uow.session()
        await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(recipient_count=recipient_count))
        await session.execute(
            update(Delivery)
            .where(Delivery.source_kind == SourceKind.BROADCAST.value, Delivery.source_id == source_id(broadcast_id))
            .values(lead_notified_at=now)
        )

    async def get(self, broadcast_id: int) -> BroadcastView | None:
        return await self._find(Broadcast.id == broadcast_id)

    async def by_run_key(self, run_key: str) -> BroadcastView | None:
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
        async with self._db.unit_of_work() as uow:
            session = await uow.session()
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
            await self._outbox.enqueue(notices, now, uow=uow)
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

