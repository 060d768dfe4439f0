"""The committee tables: types and their yearly range, members, meetings, reminder rows, calendar tokens.

The database is the source of truth for reminders: each planned reminder is a row with a stable
unique key; APScheduler jobs are only rebuilt from these rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.committees.cadence import MeetingStatus
from domain.committees.meetings import ReminderState
from domain.committees.reminder_plan import PlannedReminder, ReminderAudience
from storage.columns import timestamp, utcnow


def _instant(*, nullable: bool = False, index: bool = False) -> Field:
    default = None if nullable else ...
    return Field(default=default, sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index))


class CommitteeTypeRecord(SQLModel, table=True):
    """The editable yearly range of a committee type (seeded with the founding text's advice)."""

    __tablename__ = "committee_type"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, unique=True, index=True)
    label: str = Field(max_length=100)
    participants: str = Field(max_length=200)
    min_per_year: int
    max_per_year: int
    updated_at: datetime = timestamp(onupdate=utcnow)


class CommitteeMember(SQLModel, table=True):
    """A person, or a Teams channel conversation, who receives a committee's member reminders."""

    __tablename__ = "committee_member"
    __table_args__ = (
        UniqueConstraint("kind", "person_id", name="uq_committee_member_person"),
        UniqueConstraint("kind", "conversation_id", name="uq_committee_member_conversation"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    conversation_id: str | None = Field(default=None, max_length=512)
    label: str = Field(default="", max_length=200)
    created_at: datetime = timestamp()


class Meeting(SQLModel, table=True):
    """One committee meeting; `sequence` grows at each reschedule (the calendar's SEQUENCE)."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    starts_at: datetime = _instant(index=True)
    ends_at: datetime | None = _instant(nullable=True)
    location: str | None = Field(default=None, max_length=300)
    teams_url: str | None = Field(default=None, max_length=1000)
    agenda: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(default=MeetingStatus.PLANNED.value, max_length=16)
    sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp(onupdate=utcnow)


class Reminder(SQLModel, table=True):
    """A reminder owed before a meeting; `key` is reminder_plan's stable idempotence key."""

    __tablename__ = "reminder"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    audience: str = Field(max_length=32)
    offset_days: int
    revision: int
    send_at: datetime = _instant(index=True)
    meeting_at: datetime = _instant()
    state: str = Field(default=ReminderState.SCHEDULED.value, max_length=16, index=True)
    done_at: datetime | None = _instant(nullable=True)
    created_at: datetime = timestamp()

    def planned(self) -> PlannedReminder:
        return PlannedReminder(
            send_at=self.send_at,
            meeting_at=self.meeting_at,
            meeting_id=self.meeting_id,
            audience=ReminderAudience(self.audience),
            offset_days=self.offset_days,
            revision=self.revision,
        )


class MeetingEvent(SQLModel, table=True):
    """A meeting's Outlook invitation (Microsoft Graph), written with the meeting when invitations
    are on. `transaction_id` makes a retried creation give back the same event; `synced_sequence`
    is the meeting's `sequence` the event shows."""

    __tablename__ = "meeting_event"

    meeting_id: int = Field(sa_column=Column(Integer, ForeignKey("meeting.id"), primary_key=True, autoincrement=False))
    transaction_id: str = Field(max_length=64)
    event_id: str | None = Field(default=None, max_length=512)
    join_url: str | None = Field(default=None, max_length=1000)
    synced_sequence: int | None = Field(default=None)
    cancelled_at: datetime | None = _instant(nullable=True)
    updated_at: datetime = timestamp(onupdate=utcnow)


class CalendarToken(SQLModel, table=True):
    """The secret in a person's calendar feed URL; rotating it revokes the old URL."""

    __tablename__ = "calendar_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True, index=True)
    token: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = timestamp()
