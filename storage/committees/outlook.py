"""The Outlook invitation of each meeting (table `meeting_event`): written with the meeting, then
brought up to date by the outbox's Outlook task (scheduler/outlook.py) through Microsoft Graph."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update

from storage.columns import utcnow
from storage.committees.tables import Meeting, MeetingEvent
from storage.db import Database
from storage.unit_of_work import UnitOfWork


class OutlookEventRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(self, meeting_id: int, *, uow: UnitOfWork | None = None) -> None:
        """The meeting's invitation-to-be, with the transaction id every creation attempt will send."""
        async with self._db.session_in(uow) as session:
            session.add(MeetingEvent(meeting_id=meeting_id, transaction_id=str(uuid.uuid4())))

    async def get(self, meeting_id: int) -> MeetingEvent | None:
        async with self._db.session() as session:
            return await session.get(MeetingEvent, meeting_id)

    async def created(self, meeting_id: int, event_id: str, join_url: str | None, sequence: int) -> None:
        """Record the event; its Teams link becomes the meeting's when the lead gave none."""
        async with self._db.session() as session:
            await session.execute(
                update(MeetingEvent).where(MeetingEvent.meeting_id == meeting_id)
                .values(event_id=event_id[:512], join_url=(join_url or "")[:1000] or None, synced_sequence=sequence,
                        updated_at=utcnow())
            )
            if join_url:
                await session.execute(
                    update(Meeting).where(Meeting.id == meeting_id, Meeting.teams_url.is_(None))
                    .values(teams_url=join_url[:1000])
                )

    async def synced(self, meeting_id: int, sequence: int, cancelled_at: datetime | None = None) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(MeetingEvent).where(MeetingEvent.meeting_id == meeting_id)
                .values(synced_sequence=sequence, cancelled_at=cancelled_at, updated_at=utcnow())
            )

    async def all(self) -> list[MeetingEvent]:
        async with self._db.session() as session:
            return list((await session.execute(select(MeetingEvent).order_by(MeetingEvent.meeting_id))).scalars())
