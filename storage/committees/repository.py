"""Committees on the database: types, members, meetings, their reminder rows and calendar tokens.

A reminder row changes state at most once, with a conditional UPDATE, so two schedulers (or a
restart) never fan it out twice. Calls that compose with others take the caller's unit of work.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import to_utc
from domain.committees.cadence import CommitteeKind, CommitteeType, MeetingStatus, default_committee_types
from domain.committees.meetings import MeetingView, ReminderState, check_range
from domain.committees.reminder_plan import PlannedReminder
from domain.errors import DomainError
from storage.columns import is_row_id, utcnow
from storage.committees.tables import CalendarToken, CommitteeMember, CommitteeTypeRecord, Meeting, Reminder
from storage.db import Database
from storage.unit_of_work import UnitOfWork


def _aware(value: datetime | None) -> datetime | None:
    """SQLite drops the offset of timezone-aware columns: every instant is stored in UTC (`to_utc`)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def meeting_view(row: Meeting) -> MeetingView:
    return MeetingView(
        id=row.id,
        kind=CommitteeKind(row.kind),
        starts_at=_aware(row.starts_at),
        ends_at=_aware(row.ends_at),
        location=row.location,
        teams_url=row.teams_url,
        agenda=row.agenda,
        status=MeetingStatus(row.status),
        sequence=row.sequence,
        updated_at=_aware(row.updated_at),
    )


def reminder_row_aware(row: Reminder) -> Reminder:
    row.send_at = _aware(row.send_at)
    row.meeting_at = _aware(row.meeting_at)
    return row


@dataclass(frozen=True)
class MeetingChange:
    """What a reschedule or cancellation did, so the caller can fix jobs and tell people."""

    meeting: MeetingView
    previous_starts_at: datetime
    retired_reminders: tuple[Reminder, ...]
    new_reminders: tuple[Reminder, ...]


ReminderPlanner = Callable[[int, datetime, int], Sequence[PlannedReminder]]
"""(meeting id, meeting start, revision) -> the reminders owed for that version of the meeting."""



class CommitteeRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    # --- committee types -------------------------------------------------------------------

    async def types(self) -> dict[CommitteeKind, CommitteeType]:
        """Stored ranges over the defaults (a kind missing from the table keeps its default)."""
        async with self._db.session() as session:
            return await self._types(session)

    @staticmethod
    async def _types(session: AsyncSession) -> dict[CommitteeKind, CommitteeType]:
        types = default_committee_types()
        for row in (await session.execute(select(CommitteeTypeRecord))).scalars():
            kind = CommitteeKind(row.kind)
            types[kind] = CommitteeType(kind, row.label, row.participants, row.min_per_year, row.max_per_year)
        return types

    async def types_and_meetings(
        self, *, uow: UnitOfWork | None = None
    ) -> tuple[dict[CommitteeKind, CommitteeType], list[MeetingView]]:
        """`types()` and every meeting (`meetings()`), read in one transaction (the summary's)."""
        async with self._db.session_in(uow) as session:
            types = await self._types(session)
            rows = await session.execute(select(Meeting).order_by(Meeting.starts_at, Meeting.id))
            return types, [meeting_view(row) for row in rows.scalars()]

    async def set_range(self, kind: CommitteeKind, min_per_year: int, max_per_year: int) -> CommitteeType:
        check_range(min_per_year, max_per_year)
        default = default_committee_types()[kind]
        async with self._db.session() as session:
            row = (
                await session.execute(select(CommitteeTypeRecord).where(CommitteeTypeRecord.kind == kind.value))
            ).scalar_one_or_none()
            if row is None:
                row = CommitteeTypeRecord(
                    kind=kind.value, label=default.label, participants=default.participants, min_per_year=0, max_per_year=0
                )
                session.add(row)
            row.min_per_year, row.max_per_year = min_per_year, max_per_year
            return CommitteeType(kind, row.label, row.participants, min_per_year, max_per_year)

    # --- members ---------------------------------------------------------------------------

    async def add_person_member(self, kind: CommitteeKind, person_id: int, label: str = "") -> bool:
        """False when the person was already a member."""
        try:
            async with self._db.session() as session:
                session.add(CommitteeMember(kind=kind.value, person_id=person_id, label=label[:200]))
            return True
        except IntegrityError:
            return False

    async def add_conversation_member(self, kind: CommitteeKind, conversation_id: str, label: str) -> bool:
        try:
            async with self._db.session() as session:
                session.add(CommitteeMember(kind=kind.value, conversation_id=conversation_id, label=label[:200]))
            return True
        except IntegrityError:
            return False

    async def remove_person_member(self, kind: CommitteeKind, person_id: int) -> bool:
        async with self._db.session() as session:
            rows = await session.execute(
                select(CommitteeMember).where(CommitteeMember.kind == kind.value, CommitteeMember.person_id == person_id)
            )
            found = rows.scalars().all()
            for row in found:
                await session.delete(row)
            return bool(found)

    async def members(self, kind: CommitteeKind) -> list[CommitteeMember]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(CommitteeMember).where(CommitteeMember.kind == kind.value).order_by(CommitteeMember.id)
            )
            return list(rows.scalars())

    # --- meetings --------------------------------------------------------------------------

    async def create_meeting(
        self,
        *,
        kind: CommitteeKind,
        starts_at: datetime,
        ends_at: datetime | None = None,
        location: str | None = None,
        teams_url: str | None = None,
        agenda: str | None = None,
        created_by_id: int | None = None,
        plan: ReminderPlanner,
        uow: UnitOfWork | None = None,
    ) -> tuple[MeetingView, list[Reminder]]:
        """The meeting and its reminder rows, in one transaction (never a meeting without reminders)."""
        async with self._db.session_in(uow) as session:
            meeting = Meeting(
                kind=kind.value,
                starts_at=to_utc(starts_at),
                ends_at=to_utc(ends_at) if ends_at else None,
                location=location,
                teams_url=teams_url,
                agenda=agenda,
                created_by_id=created_by_id,
            )
            session.add(meeting)
            await session.flush()
            reminders = self._add_reminders(session, plan(meeting.id, starts_at, 0))
            await session.flush()
            return meeting_view(meeting), [reminder_row_aware(r) for r in reminders]

    @staticmethod
    def _add_reminders(session: AsyncSession, planned: Iterable[PlannedReminder]) -> list[Reminder]:
        rows = [
            Reminder(
                key=p.key,
                meeting_id=int(p.meeting_id),
                audience=p.audience.value,
                offset_days=p.offset_days,
                revision=p.revision,
                send_at=to_utc(p.send_at),
                meeting_at=to_utc(p.meeting_at),
            )
            for p in planned
        ]
        session.add_all(rows)
        return rows

    async def _retire_reminders(self, session: AsyncSession, meeting_id: int) -> tuple[Reminder, ...]:
        rows = await session.execute(
            select(Reminder).where(Reminder.meeting_id == meeting_id, Reminder.state == ReminderState.SCHEDULED.value)
        )
        retired = rows.scalars().all()
        for row in retired:
            row.state = ReminderState.SUPERSEDED.value
            row.done_at = utcnow()
        return tuple(reminder_row_aware(row) for row in retired)

    async def _planned_meeting(self, session: AsyncSession, meeting_id: int) -> Meeting:
        meeting = (
            await session.execute(select(Meeting).where(Meeting.id == meeting_id).with_for_update())
        ).scalar_one_or_none()
        if meeting is None:
            raise DomainError(f"Je ne trouve pas le comité n° {meeting_id}.")
        if meeting.status != MeetingStatus.PLANNED.value:
            raise DomainError(f"Le comité n° {meeting_id} est déjà {'annulé' if meeting.status == 'cancelled' else 'tenu'}.")
        return meeting

    async def reschedule(
        self, meeting_id: int, starts_at: datetime, plan: ReminderPlanner, *, uow: UnitOfWork | None = None
    ) -> MeetingChange:
        """Move a meeting: its pending reminders are superseded and new ones planned for the new revision."""
        async with self._db.session_in(uow) as session:
            meeting = await self._planned_meeting(session, meeting_id)
            previous = _aware(meeting.starts_at)
            duration = (_aware(meeting.ends_at) - previous) if meeting.ends_at else None
            retired = await self._retire_reminders(session, meeting_id)
            meeting.sequence += 1
            meeting.starts_at = to_utc(starts_at)
            meeting.ends_at = meeting.starts_at + duration if duration else None
            meeting.updated_at = utcnow()
            new = self._add_reminders(session, plan(meeting_id, starts_at, meeting.sequence))
            await session.flush()
            return MeetingChange(meeting_view(meeting), previous, retired, tuple(reminder_row_aware(r) for r in new))

    async def cancel(self, meeting_id: int, *, uow: UnitOfWork | None = None) -> MeetingChange:
        async with self._db.session_in(uow) as session:
            meeting = await self._planned_meeting(session, meeting_id)
            retired = await self._retire_reminders(session, meeting_id)
            meeting.status = MeetingStatus.CANCELLED.value
            meeting.sequence += 1
            meeting.updated_at = utcnow()
            await session.flush()
            return MeetingChange(meeting_view(meeting), _aware(meeting.starts_at), retired, ())

    async def get_meeting(self, meeting_id: int) -> MeetingView | None:
        if not is_row_id(meeting_id):
            return None
        async with self._db.session() as session:
            row = await session.get(Meeting, meeting_id)
            return meeting_view(row) if row else None

    async def upcoming(self, now: datetime, kind: CommitteeKind | None = None, limit: int = 20) -> list[MeetingView]:
        """Planned meetings that have not started yet, soonest first."""
        query = select(Meeting).where(Meeting.status == MeetingStatus.PLANNED.value, Meeting.starts_at > now)
        if kind is not None:
            query = query.where(Meeting.kind == kind.value)
        async with self._db.session() as session:
            rows = await session.execute(query.order_by(Meeting.starts_at, Meeting.id).limit(limit))
            return [meeting_view(row) for row in rows.scalars()]

    async def meetings(self, kinds: Iterable[CommitteeKind] | None = None) -> list[MeetingView]:
        query = select(Meeting)
        if kinds is not None:
            query = query.where(Meeting.kind.in_([k.value for k in kinds]))
        async with self._db.session() as session:
            rows = await session.execute(query.order_by(Meeting.starts_at, Meeting.id))
            return [meeting_view(row) for row in rows.scalars()]

    # --- reminders -------------------------------------------------------------------------

    async def scheduled_reminders(self) -> list[Reminder]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Reminder).where(Reminder.state == ReminderState.SCHEDULED.value).order_by(Reminder.send_at)
            )
            return [reminder_row_aware(r) for r in rows.scalars()]

    async def scheduled_due(self, now: datetime) -> list[Reminder]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Reminder)
                .where(Reminder.state == ReminderState.SCHEDULED.value, Reminder.send_at <= now)
                .order_by(Reminder.send_at)
            )
            return [reminder_row_aware(r) for r in rows.scalars()]

    async def reminders_of(self, meeting_id: int) -> list[Reminder]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Reminder).where(Reminder.meeting_id == meeting_id).order_by(Reminder.send_at, Reminder.id)
            )
            return [reminder_row_aware(r) for r in rows.scalars()]

    async def reminder_ids(self, meeting_id: int, *, uow: UnitOfWork | None = None) -> list[int]:
        async with self._db.session_in(uow) as session:
            rows = await session.execute(select(Reminder.id).where(Reminder.meeting_id == meeting_id))
            return list(rows.scalars())

    async def get_reminder(self, reminder_id: int) -> Reminder | None:
        async with self._db.session() as session:
            row = await session.get(Reminder, reminder_id)
            return reminder_row_aware(row) if row else None

    async def close_reminder(
        self, reminder_id: int, to_state: ReminderState, now: datetime, *, uow: UnitOfWork | None = None
    ) -> bool:
        """Move a scheduled reminder to its final state; False if another process got there first.

        On PostgreSQL the UPDATE locks the row, so a concurrent scheduler waits and then sees 0 rows.
        """
        async with self._db.session_in(uow) as session:
            result = await session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.state == ReminderState.SCHEDULED.value)
                .values(state=to_state.value, done_at=now)
            )
            return result.rowcount == 1

    # --- calendar tokens -------------------------------------------------------------------

    async def calendar_token(self, person_id: int, rotate: bool = False) -> str:
        """The person's feed secret, created on first use; `rotate` revokes the previous URL."""
        async with self._db.session() as session:
            row = (
                await session.execute(select(CalendarToken).where(CalendarToken.person_id == person_id))
            ).scalar_one_or_none()
            if row is None:
                row = CalendarToken(person_id=person_id, token=secrets.token_urlsafe(32))
                session.add(row)
            elif rotate:
                row.token = secrets.token_urlsafe(32)
                row.created_at = utcnow()
            return row.token

    async def person_for_token(self, token: str) -> int | None:
        if not token or len(token) > 64:
            return None
        async with self._db.session() as session:
            row = (await session.execute(select(CalendarToken).where(CalendarToken.token == token))).scalar_one_or_none()
            return row.person_id if row and secrets.compare_digest(row.token, token) else None

