"""What the lead and everyone can do with committees; used by the dialogs, commands and summary.

Planning a meeting writes the meeting and its reminder rows in one transaction, then schedules
their jobs; moving or cancelling it supersedes the pending reminders, withdraws their unsent
deliveries and queues the participants' notice, all in one unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from domain.clock import (
    Clock,
    SchedulingError,
    format_date_fr,
    format_datetime_fr,
    format_day_fr,
    format_weekday_fr,
    load_timezone,
)
from domain.committees.cadence import CadenceWarning, CadenceWindow, CommitteeKind, CommitteeType, shift_years
from domain.committees.meetings import (
    MAX_AGENDA,
    MAX_LOCATION,
    MeetingView,
    cadence_warnings,
    check_teams_url,
    clean_text,
)
from domain.committees.messages import cancelled_notice, meeting_title, moved_notice
from domain.committees.reminder_plan import plan_reminders
from domain.committees.settings import CommitteeSettings
from domain.committees.year_plan import (
    MeetingProposal,
    french_public_holidays,
    propose_year_plan,
    school_holiday_ranges,
)
from domain.errors import DomainError
from domain.outbox import About, OutboxMessage, Recipient, SourceKind, Topic
from domain.people import PersonView, Role
from storage.committees.audience import Audience
from storage.committees.outlook import OutlookEventRepository
from storage.committees.repository import CommitteeRepository, MeetingChange
from storage.committees.tables import CommitteeMember, Reminder
from storage.db import Database
from storage.outbox import OutboxRepository
from storage.unit_of_work import UnitOfWork


class ReminderJobs(Protocol):
    def schedule(self, reminders: Sequence[Reminder]) -> None: ...

    def unschedule(self, reminders: Sequence[Reminder]) -> None: ...


class NoJobs:
    """For a runtime without a scheduler (REPL): the server's periodic sweep finds the rows."""

    def schedule(self, reminders: Sequence[Reminder]) -> None:
        return None

    def unschedule(self, reminders: Sequence[Reminder]) -> None:
        return None


@dataclass(frozen=True)
class PlannedMeeting:
    meeting: MeetingView
    reminders: tuple[Reminder, ...]
    warnings: tuple[CadenceWarning, ...]


@dataclass(frozen=True)
class YearProposal:
    proposals: tuple[MeetingProposal, ...]
    kept: tuple[MeetingView, ...]
    """Meetings already planned in the period: kept, and counted in the cadence."""


class CommitteeService:
    def __init__(
        self,
        database: Database,
        repository: CommitteeRepository,
        outbox: OutboxRepository,
        audience: Audience,
        clock: Clock,
        timezone: str,
        settings: CommitteeSettings | None = None,
        jobs: ReminderJobs | None = None,
        invitations: OutlookEventRepository | None = None,
    ) -> None:
        """`invitations`: given when Outlook invitations are on (Microsoft Graph configured)."""
        self._db = database
        self.repository = repository
        self._outbox = outbox
        self._audience = audience
        self._clock = clock
        self.timezone = timezone
        self.settings = settings or CommitteeSettings()
        self.jobs: ReminderJobs = jobs or NoJobs()
        self._invitations = invitations

    def _plan(self, meeting_id: int, starts_at: datetime, revision: int):
        return plan_reminders(
            meeting_id, starts_at, self.timezone, self.settings.reminders, not_before=self._clock.now(), revision=revision
        )

    def _require_future(self, starts_at: datetime) -> None:
        if starts_at <= self._clock.now():
            raise DomainError(
                f"Le {format_datetime_fr(starts_at, self.timezone)} est déjà passé : choisissez une date à venir."
            )

    async def plan(
        self,
        kind: CommitteeKind,
        starts_at: datetime,
        *,
        location: str | None = None,
        teams_url: str | None = None,
        agenda: str | None = None,
        created_by_id: int | None = None,
    ) -> PlannedMeeting:
        self._require_future(starts_at)
        async with self._db.unit_of_work() as uow:
            meeting, reminders = await self.repository.create_meeting(
                kind=kind,
                starts_at=starts_at,
                location=clean_text(location, MAX_LOCATION, "Le lieu"),
                teams_url=check_teams_url(teams_url),
                agenda=clean_text(agenda, MAX_AGENDA, "L’ordre du jour"),
                created_by_id=created_by_id,
                plan=self._plan,
                uow=uow,
            )
            await self._queue_invitation(uow, meeting, created=True)
        self.jobs.schedule(reminders)
        warnings = [w for w in await self.cadence_warnings() if w.kind is kind and w.window is CadenceWindow.COMING]
        return PlannedMeeting(meeting, tuple(reminders), tuple(warnings))

    async def _queue_invitation(self, uow: UnitOfWork, meeting: MeetingView, *, created: bool = False) -> None:
        """With Outlook invitations on, the meeting's event is created, moved or cancelled through
        the outbox, queued in the unit of work that changes the meeting (one row per version)."""
        if self._invitations is None:
            return
        if created:
            await self._invitations.add(meeting.id, uow=uow)
        message = OutboxMessage(
            key=f"outlook:meeting-{meeting.id}:s{meeting.sequence}",
            source_kind=SourceKind.OUTLOOK_EVENT,
            source_id=str(meeting.id),
            text=f"Invitation Outlook : {meeting_title(meeting, self.timezone)}",
            recipient_label="Outlook",
        )
        await self._outbox.enqueue([message], self._clock.now(), uow=uow)

    async def _notify(self, uow: UnitOfWork, change: MeetingChange, event: str, actor_id: int | None = None) -> None:
        """Tell the members, in the change's unit of work, except the person who made the change (she
        has just read « C’est fait »); reminders already fanned out but not yet delivered speak of the
        old date: they are withdrawn too."""
        meeting = change.meeting
        if event == "moved":
            text, card = moved_notice(meeting, change.previous_starts_at, self.timezone)
        else:
            text, card = cancelled_notice(meeting, self.timezone)
        recipients = await self._audience.members(meeting.kind)
        reminder_ids = await self.repository.reminder_ids(meeting.id, uow=uow)
        await self._outbox.cancel_pending(SourceKind.REMINDER, [str(i) for i in reminder_ids], uow=uow)
        topic = Topic.MOVED if event == "moved" else Topic.CANCELLED
        about = About(topic, meeting.id, meeting.label, meeting.starts_at)
        messages = [
            OutboxMessage(
                key=f"meeting-{meeting.id}:s{meeting.sequence}:{event}:{recipient.key}",
                source_kind=SourceKind.MEETING_NOTICE,
                source_id=str(meeting.id),
                text=text,
                card=card,
                person_id=recipient.person_id,
                conversation_id=recipient.conversation_id,
                recipient_label=recipient.label,
                about=about,
            )
            for recipient in recipients
            if actor_id is None or recipient.person_id != actor_id
        ]
        await self._outbox.enqueue(messages, self._clock.now(), uow=uow)
        await self._queue_invitation(uow, meeting)

    async def reschedule(self, meeting_id: int, starts_at: datetime, actor_id: int | None = None) -> MeetingChange:
        """Move a meeting; `actor_id`, the person who moved it, is not sent the change notice."""
        self._require_future(starts_at)
        async with self._db.unit_of_work() as uow:
            change = await self.repository.reschedule(meeting_id, starts_at, self._plan, uow=uow)
            await self._notify(uow, change, "moved", actor_id)
        self.jobs.unschedule(change.retired_reminders)
        self.jobs.schedule(change.new_reminders)
        return change

    async def cancel(self, meeting_id: int, actor_id: int | None = None) -> MeetingChange:
        """Cancel a meeting; `actor_id`, the person who cancelled it, is not sent the notice."""
        async with self._db.unit_of_work() as uow:
            change = await self.repository.cancel(meeting_id, uow=uow)
            await self._notify(uow, change, "cancelled", actor_id)
        self.jobs.unschedule(change.retired_reminders)
        return change

    async def upcoming(self, kind: CommitteeKind | None = None, limit: int = 10) -> list[MeetingView]:
        return await self.repository.upcoming(self._clock.now(), kind, limit)

    def day_note(self, starts_at: datetime) -> str | None:
        """A warning when the chosen day is a Saturday, a Sunday or a French public holiday (the lead may insist)."""
        day = starts_at.astimezone(load_timezone(self.timezone)).date()
        holidays_that_year = french_public_holidays([day.year], self.settings.holiday_subdivision)
        if day in holidays_that_year:
            return f"Attention : le {format_date_fr(day)} est un jour férié ({holidays_that_year.get(day)})."
        if day.weekday() >= 5:
            return f"Attention : le {format_day_fr(day)} tombe un {format_weekday_fr(day)}."
        return None

    def now(self) -> datetime:
        return self._clock.now()

    def today(self) -> date:
        return self._clock.now().astimezone(load_timezone(self.timezone)).date()

    async def cadence_warnings(self, today: date | None = None) -> list[CadenceWarning]:
        """Committee types below or above their range over the coming and the last 12 months."""
        return await cadence_warnings_of(self.repository, today or self.today(), self.timezone)

    async def types(self) -> dict[CommitteeKind, CommitteeType]:
        return await self.repository.types()

    async def propose_year(self, start: date | None = None) -> YearProposal:
        """A year of meetings from tomorrow at the top of each recommended range, minus those already planned."""
        start = start or self.today() + timedelta(days=1)
        end = shift_years(start, 1)
        zone = load_timezone(self.timezone)
        types = await self.repository.types()
        kept = tuple(
            m
            for m in await self.upcoming(limit=200)
            if start <= m.starts_at.astimezone(zone).date() < end
        )
        counts = {kind: max(0, types[kind].max_per_year - sum(1 for m in kept if m.kind is kind)) for kind in types}
        school = ()
        if self.settings.school_holiday_zone:
            zone_name = self.settings.school_holiday_zone
            zone_name = zone_name if zone_name.lower().startswith("zone") else f"Zone {zone_name.upper()}"
            school = school_holiday_ranges(zone_name, range(start.year, end.year + 1))
        try:
            proposals = propose_year_plan(
                start,
                self.settings.year_plan(self.timezone, counts[CommitteeKind.COPIL], counts[CommitteeKind.COTECH], school),
                busy_dates={m.starts_at.astimezone(zone).date() for m in kept},
                kept=[(m.kind, m.starts_at.astimezone(zone).date()) for m in kept],
            )
        except SchedulingError as error:
            raise DomainError(str(error)) from error
        return YearProposal(tuple(proposals), kept)

    async def accept(self, proposals: Sequence[MeetingProposal], created_by_id: int | None = None) -> list[MeetingView]:
        """Plan every proposal; one already planned (same committee, same start) is not doubled."""
        existing = {(m.kind, m.starts_at) for m in await self.upcoming(limit=500)}
        created = []
        for proposal in proposals:
            if (proposal.kind, proposal.starts_at) in existing:
                continue
            planned = await self.plan(proposal.kind, proposal.starts_at, created_by_id=created_by_id)
            created.append(planned.meeting)
        return created

    async def kinds_of(self, person: PersonView) -> list[CommitteeKind]:
        """The committees whose calendar a person sees: all for the lead, else those they are reminded of."""
        if person.role is Role.LEAD:
            return list(CommitteeKind)
        return [k for k in CommitteeKind if any(r.person_id == person.id for r in await self._audience.members(k))]

    async def members(self, kind: CommitteeKind) -> tuple[list[CommitteeMember], list[Recipient]]:
        """The registered members of a committee, and who its reminders reach (the defaults without any)."""
        return await self.repository.members(kind), await self._audience.members(kind)


async def cadence_warnings_of(repository: CommitteeRepository, today: date, timezone: str) -> list[CadenceWarning]:
    """The cadence check over what the database holds (the summary reads it too)."""
    return cadence_warnings(await repository.types(), await repository.meetings(), today, timezone)
