"""The outbox: one row per (message source, recipient), the only way the bot sends on its own.

Any feature that sends proactively (committee reminders, meeting notices, broadcasts, notices to
the lead) writes rendered French messages here, in the same transaction as its own state change;
the outbox sender delivers them. The unique `key` makes a second enqueue of the same message to
the same recipient a no-op, and the state machine

    pending --claim--> sending --> sent
       ^                  |------> failed       (bounded tries exhausted, or not retryable)
       |----(retry)-------|------> unreachable  (403 / no conversation reference)
    pending/sending --> cancelled               (the source was withdrawn, e.g. meeting moved); skipped: queued final

makes a crash lose nothing: a row is marked "sending" (committed) before the send and "sent"
after it, so only rows caught in "sending" by a crash can go out twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Integer, Text, and_, case, cast, exists, func, not_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import Field, SQLModel

from domain.clock import to_utc
from domain.committees.reminder_plan import ReminderAudience
from domain.outbox import (
    AWAITING_INSTALLATION,
    BLOCKED_ERROR_PREFIX,
    LEAD_COPY_KEY_SUFFIX,
    SEEN_ON_REQUEST,
    UNREPORTED_SOURCES,
    About,
    DeliveryState,
    OutboxMessage,
    SourceKind,
)
from domain.outbox_counts import DATA_REMINDER, LEAD_COPY, SKIPPED_CONSULTED, SKIPPED_RECEIVED
from domain.people import Role
from storage.columns import utcnow
from storage.db import Database
from storage.people import ConversationRef, Person
from storage.unit_of_work import UnitOfWork

INSERT_CHUNK = 500
"""Rows per INSERT, under the bound-parameter limits of SQLite and asyncpg."""


class Delivery(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        Index("ix_delivery_state_next_try_at", "state", "next_try_at"),
        Index("ix_delivery_installed_at", "installed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True, index=True)
    source_kind: str = Field(max_length=32)
    source_id: str = Field(max_length=64, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    conversation_id: str | None = Field(default=None, max_length=512)
    recipient_label: str = Field(default="", max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    card_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    state: str = Field(default=DeliveryState.PENDING.value, max_length=16)
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    next_try_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    last_error: str | None = Field(default=None, max_length=500)
    activity_id: str | None = Field(default=None, max_length=200)
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    lead_notified_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    installed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    """The app was installed for the recipient (Microsoft Graph) so that this message could go out."""
    about_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """The facts the message is about (`domain.outbox.About`), for the lead's report."""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, default=utcnow)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    )

    @property
    def card(self) -> dict[str, Any] | None:
        return json.loads(self.card_json) if self.card_json else None

    @property
    def about(self) -> About | None:
        return About.from_json(self.about_json)


def aware(value: datetime | None) -> datetime | None:
    """SQLite drops the offset of timezone-aware columns: every instant here is written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _aware_row(row: Delivery) -> Delivery:
    for name in ("next_try_at", "expires_at", "claimed_at", "sent_at", "lead_notified_at", "installed_at", "created_at",
                 "updated_at"):
        setattr(row, name, aware(getattr(row, name)))
    return row


def _report_kind():
    """The kind of a row as `spaser-bot rappels` counts it: a reminder to the directorates about
    their indicators (its key names the audience), the copy of a members' reminder a lead gets
    (reader 9, A9: « 4 rappels remis » when 2 members had theirs), or the row's source kind."""
    reminder = Delivery.source_kind == SourceKind.REMINDER.value
    data_collection = f":{ReminderAudience.DATA_COLLECTION.value}:"
    return case(
        (and_(reminder, Delivery.key.contains(data_collection, autoescape=True)), DATA_REMINDER),
        (and_(reminder, Person.role == Role.LEAD), LEAD_COPY),
        else_=Delivery.source_kind,
    )


def _is_lead_copy(table=Delivery):
    return table.key.endswith(LEAD_COPY_KEY_SUFFIX, autoescape=True)


def _sendable():
    """Pending, except a lead's copy of a members' reminder while its members' messages are pending or
    being sent: the copy says how many received it (reader 14), so it leaves once that is known."""
    member = aliased(Delivery)
    members_open = exists().where(
        member.source_kind == Delivery.source_kind,
        member.source_id == Delivery.source_id,
        member.state.in_([DeliveryState.PENDING.value, DeliveryState.SENDING.value]),
        not_(_is_lead_copy(member)),
    )
    return and_(Delivery.state == DeliveryState.PENDING.value, or_(not_(_is_lead_copy()), not_(members_open)))


async def _insert(session: AsyncSession, messages: Iterable[OutboxMessage], now: datetime) -> int:
    values = [
        dict(
            key=m.key[:300],
            source_kind=m.source_kind.value,
            source_id=m.source_id[:64],
            person_id=m.person_id,
            conversation_id=m.conversation_id,
            recipient_label=m.recipient_label[:200],
            text=m.text,
            card_json=json.dumps(m.card, ensure_ascii=False) if m.card else None,
            state=(DeliveryState.SKIPPED if m.skipped else DeliveryState.PENDING).value,
            last_error=m.skipped,
            attempts=0,
            next_try_at=to_utc(m.not_before or now),
            expires_at=to_utc(m.expires_at) if m.expires_at else None,
            about_json=m.about.to_json() if m.about else None,
            created_at=to_utc(now),
        )
        for m in messages
    ]
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    added = 0
    for start in range(0, len(values), INSERT_CHUNK):
        statement = (
            dialect.insert(Delivery)
            .values(values[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["key"])
        )
        added += max((await session.execute(statement)).rowcount or 0, 0)
    return added


class OutboxRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        return self._db

    async def enqueue(self, messages: Iterable[OutboxMessage], now: datetime, *, uow: UnitOfWork | None = None) -> int:
        """Queue messages (in `uow`, with the change that produced them); a key already present is left
        alone. `now` from the caller's clock: the rows are due from then, as the sender's clock reads
        them. Returns the rows added."""
        async with self._db.session_in(uow) as session:
            return await _insert(session, messages, now)

    async def claim(self, now: datetime, limit: int) -> list[Delivery]:
        """Mark up to `limit` due pending rows "sending" and return them.

        `FOR UPDATE SKIP LOCKED` makes concurrent claimers on PostgreSQL take disjoint rows; SQLite
        ignores it (one sending process per SQLite file is enforced at start-up).
        """
        now = to_utc(now)
        async with self._db.session() as session:
            ids = list(
                (
                    await session.execute(
                        select(Delivery.id)
                        .where(_sendable(), Delivery.next_try_at <= now)
                        .order_by(Delivery.next_try_at, Delivery.id)
                        .limit(limit)
                        .with_for_update(skip_locked=True)
                    )
                ).scalars()
            )
            if not ids:
                return []
            claimed = list(
                (
                    await session.execute(
                        update(Delivery)
                        .where(Delivery.id.in_(ids), Delivery.state == DeliveryState.PENDING.value)
                        .values(state=DeliveryState.SENDING.value, claimed_at=now, attempts=Delivery.attempts + 1)
                        .returning(Delivery.id)
                    )
                ).scalars()
            )
            if not claimed:
                return []
            rows = await session.execute(select(Delivery).where(Delivery.id.in_(claimed)).order_by(Delivery.id))
            return [_aware_row(row) for row in rows.scalars()]

    async def _finish(self, delivery_id: int, values: dict[str, Any]) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.SENDING.value)
                .values(**values)
            )

    async def mark_sent(self, delivery_id: int, activity_id: str | None, now: datetime) -> None:
        activity = (activity_id or "")[:200] or None
        await self._finish(delivery_id, dict(state=DeliveryState.SENT.value, activity_id=activity, sent_at=now, last_error=None))

    async def mark_retry(self, delivery_id: int, next_try_at: datetime, error: str, now: datetime) -> None:
        retry = dict(state=DeliveryState.PENDING.value, next_try_at=to_utc(next_try_at), last_error=error[:500])
        await self._finish(delivery_id, retry)

    async def mark_final(self, delivery_id: int, state: DeliveryState, error: str, now: datetime) -> None:
        await self._finish(delivery_id, dict(state=state.value, last_error=error[:500]))

    async def hold_for_installation(self, delivery_id: int, until: datetime) -> None:
        """Back to pending until the recipient's app is installed (`release_held`), `until` at the
        latest; the claim that found no conversation does not count as a try."""
        await self._finish(
            delivery_id,
            dict(state=DeliveryState.PENDING.value, next_try_at=to_utc(until), last_error=AWAITING_INSTALLATION,
                 attempts=Delivery.attempts - 1),
        )

    async def release_held(self, person_id: int, now: datetime, *, installed: bool, label: str | None = None) -> int:
        """The person's deliveries held for an installation are due now; `installed` marks them for
        the lead's « installé dans Teams pour …, puis lui a écrit », `label` is the name the directory gave meanwhile."""
        values: dict[str, Any] = dict(next_try_at=to_utc(now))
        if label:
            values["recipient_label"] = label[:200]
        if installed:
            values["installed_at"] = to_utc(now)
        async with self._db.session() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.person_id == person_id, Delivery.state == DeliveryState.PENDING.value,
                       Delivery.last_error == AWAITING_INSTALLATION)
                .values(**values)
            )
            return result.rowcount or 0

    async def get_by_key(self, key: str) -> Delivery | None:
        async with self._db.session() as session:
            row = (await session.execute(select(Delivery).where(Delivery.key == key))).scalar_one_or_none()
            return _aware_row(row) if row else None

    async def of_source(self, source_kind: str, source_id: str) -> list[Delivery]:
        """Every row of one message source (a reminder's deliveries), in their order."""
        query = select(Delivery).where(Delivery.source_kind == source_kind, Delivery.source_id == source_id)
        async with self._db.session() as session:
            return [_aware_row(row) for row in (await session.execute(query.order_by(Delivery.id))).scalars()]

    async def advised_since(self, person_ids: Sequence[int], since: datetime, mark: str) -> set[int]:
        """Who among `person_ids` was queued a notice containing `mark` since `since`, whatever became of it."""
        query = select(Delivery.person_id).distinct().where(
            Delivery.source_kind == SourceKind.LEAD_NOTICE.value, Delivery.person_id.in_(list(person_ids)),
            Delivery.created_at >= to_utc(since), Delivery.text.contains(mark, autoescape=True))
        async with self._db.session() as session:
            return set((await session.execute(query)).scalars())

    async def recover_stuck(self, claimed_before: datetime, now: datetime) -> list[Delivery]:
        """Rows left in "sending" by a crash go back to pending (they may have been sent: at-least-once)."""
        async with self._db.session() as session:
            rows = list(
                (
                    await session.execute(
                        select(Delivery)
                        .where(Delivery.state == DeliveryState.SENDING.value, Delivery.claimed_at <= claimed_before)
                        .with_for_update(skip_locked=True)
                    )
                ).scalars()
            )
            for row in rows:
                row.state = DeliveryState.PENDING.value
                row.next_try_at = now
                row.last_error = "possible duplicate: was being sent when the bot stopped"
            return [_aware_row(row) for row in rows]

    async def cancel_pending(
        self, source_kind: SourceKind, source_ids: Sequence[str], *, uow: UnitOfWork | None = None
    ) -> int:
        """Withdraw messages not yet sent (e.g. the reminders of a meeting that was moved)."""
        if not source_ids:
            return 0
        async with self._db.session_in(uow) as session:
            result = await session.execute(
                update(Delivery)
                .where(
                    Delivery.source_kind == source_kind.value,
                    Delivery.source_id.in_(list(source_ids)),
                    Delivery.state == DeliveryState.PENDING.value,
                )
                .values(state=DeliveryState.CANCELLED.value, last_error="withdrawn by its source")
            )
            return result.rowcount or 0

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row becomes due (None when nothing is pending), a lead's copy
        waiting for its members' messages left out (`_sendable`)."""
        async with self._db.session() as session:
            value = (
                await session.execute(
                    select(func.min(Delivery.next_try_at)).where(_sendable())
                )
            ).scalar_one_or_none()
            return aware(value)

    async def unreported_problems(self) -> list[Delivery]:
        """Failed or unreachable rows, and rows delivered after installing the app, that the lead has
        not been told about (notices to the lead and installations themselves excluded: the
        deliveries that waited for an installation carry its outcome)."""
        async with self._db.session() as session:
            rows = await session.execute(
                select(Delivery)
                .where(
                    or_(
                        Delivery.state.in_([DeliveryState.FAILED.value, DeliveryState.UNREACHABLE.value]),
                        and_(Delivery.state == DeliveryState.SENT.value, Delivery.installed_at.is_not(None)),
                    ),
                    Delivery.lead_notified_at.is_(None),
                    Delivery.source_kind.not_in([kind.value for kind in UNREPORTED_SOURCES]),
                )
                .order_by(Delivery.id)
            )
            return [_aware_row(row) for row in rows.scalars()]

    async def report_problems(
        self, delivery_ids: Sequence[int], notices: Iterable[OutboxMessage], now: datetime
    ) -> int:
        """Queue the lead's notices and mark the rows reported, atomically (so a notice is never lost nor doubled)."""
        async with self._db.session() as session:
            added = await _insert(session, notices, now)
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(list(delivery_ids)), Delivery.lead_notified_at.is_(None))
                .values(lead_notified_at=now)
            )
            return added

    async def last_blocked(self, person_ids: Sequence[int], conversation_ids: Sequence[str]) -> dict[int | str, datetime]:
        """When each recipient last answered 403 (blocked or removed the app), keyed by person id or conversation id."""
        blocked: dict[int | str, datetime] = {}
        async with self._db.session() as session:
            for column, wanted in ((Delivery.person_id, list(person_ids)), (Delivery.conversation_id, list(conversation_ids))):
                if not wanted:
                    continue
                rows = await session.execute(
                    select(column, func.max(Delivery.updated_at))
                    .where(
                        column.in_(wanted),
                        Delivery.state == DeliveryState.UNREACHABLE.value,
                        Delivery.last_error.like(f"{BLOCKED_ERROR_PREFIX}%"),
                    )
                    .group_by(column)
                )
                blocked.update({recipient: aware(at) for recipient, at in rows})
        return blocked

    async def counts(self, source_kind: SourceKind | None = None) -> dict[str, int]:
        query = select(Delivery.state, func.count()).group_by(Delivery.state)
        if source_kind is not None:
            query = query.where(Delivery.source_kind == source_kind.value)
        async with self._db.session() as session:
            return {state: count for state, count in await session.execute(query)}

    async def counts_by_kind(self) -> dict[str, dict[str, int]]:
        """Rows by kind of message and state: the `rappels` report, one line per kind (the
        reminders told apart by whom they went to, `_report_kind`)."""
        kind = _report_kind()
        # A digest not sent because the person already had it: consulted on request, or received.
        skipped = Delivery.state == DeliveryState.SKIPPED.value
        consulted = and_(skipped, Delivery.last_error == SEEN_ON_REQUEST)
        state = case((consulted, SKIPPED_CONSULTED), (skipped, SKIPPED_RECEIVED), else_=Delivery.state)
        query = (
            select(kind, state, func.count())
            .select_from(Delivery)
            .outerjoin(Person, Person.id == Delivery.person_id)
            .group_by(kind, state)
        )
        counts: dict[str, dict[str, int]] = {}
        async with self._db.session() as session:
            for name, state, count in await session.execute(query):
                counts.setdefault(name, {})[state] = count
        return counts

    async def first_created_at(self) -> datetime | None:
        """When the first message still in the outbox was queued: since when `counts_by_kind` counts."""
        async with self._db.session() as session:
            first = (await session.execute(select(func.min(Delivery.created_at)))).scalar()
        return aware(first) if first is not None else None

    async def unreachable_people_by_kind(self) -> dict[str, int]:
        """How many people each kind's unreachable deliveries were for (one person misses every reminder)."""
        who = func.coalesce(cast(Delivery.person_id, Text), Delivery.recipient_label)
        kind = _report_kind()
        query = (
            select(kind, func.count(func.distinct(who)))
            .select_from(Delivery)
            .outerjoin(Person, Person.id == Delivery.person_id)
            .where(Delivery.state == DeliveryState.UNREACHABLE.value)
            .group_by(kind)
        )
        async with self._db.session() as session:
            return {name: count for name, count in await session.execute(query)}

    async def list(self, source_kind: SourceKind | None = None) -> list[Delivery]:
        query = select(Delivery).order_by(Delivery.id)
        if source_kind is not None:
            query = query.where(Delivery.source_kind == source_kind.value)
        async with self._db.session() as session:
            return [_aware_row(row) for row in (await session.execute(query)).scalars()]


@dataclass(frozen=True)
class Target:
    conversation_id: str
    reference: dict[str, Any]
    service_url: str
    blocked: bool = False


class RecipientDirectory:
    """Finds where each delivery goes: the person's personal chat, or the channel conversation."""

    def __init__(self, outbox: OutboxRepository) -> None:
        self._outbox = outbox
        self._db = outbox.database

    async def targets(self, rows: list[Delivery]) -> dict[int, Target | None]:
        person_ids = sorted({row.person_id for row in rows if row.person_id is not None})
        conversation_ids = sorted({row.conversation_id for row in rows if row.conversation_id})
        async with self._db.session() as session:
            by_person: dict[int, ConversationRef] = {}
            if person_ids:
                # Two indexed look-ups rather than a join: right after a bulk load, PostgreSQL's stale
                # statistics made the join a nested loop of sequential scans (100 ms for 1,000 people).
                identities = await session.execute(
                    select(Person.aad_object_id, Person.id).where(Person.id.in_(person_ids), Person.aad_object_id.is_not(None))
                )
                person_of = dict(identities.all())
                if person_of:
                    refs = await session.execute(
                        select(ConversationRef)
                        .where(ConversationRef.aad_object_id.in_(list(person_of)), ConversationRef.conversation_type == "personal")
                        .order_by(ConversationRef.updated_at)
                    )
                    by_person = {person_of[ref.aad_object_id]: ref for ref in refs.scalars()}
            by_conversation: dict[str, ConversationRef] = {}
            if conversation_ids:
                found = await session.execute(
                    select(ConversationRef).where(ConversationRef.conversation_id.in_(conversation_ids))
                )
                by_conversation = {ref.conversation_id: ref for ref in found.scalars()}
        blocked = await self._outbox.last_blocked(person_ids, conversation_ids)
        targets: dict[int, Target | None] = {}
        for row in rows:
            recipient: int | str = row.person_id if row.person_id is not None else row.conversation_id
            ref = by_person.get(row.person_id) if row.person_id is not None else by_conversation.get(row.conversation_id)
            if ref is None:
                targets[row.id] = None
                continue
            blocked_at = blocked.get(recipient)
            targets[row.id] = Target(
                conversation_id=ref.conversation_id,
                reference=json.loads(ref.reference_json),
                service_url=ref.service_url,
                blocked=blocked_at is not None and blocked_at >= aware(ref.updated_at),
            )
        return targets
