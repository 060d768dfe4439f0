"""Reminder rows become outbox deliveries at their time, late if the bot was down, never twice.

`fire(reminder_id)` is what the APScheduler job and the start-up catch-up both call. It decides
with reminder_plan.due_reminders over all the reminders of the same meeting and revision, with
`collapse_missed=True`: when downtime made J-7 and J-1 both due, only the latest (J-1) goes out
and the earlier one is marked skipped; a reminder whose meeting has started is marked expired.
The fan-out (reminder row -> one delivery per recipient) is one transaction opened by a
conditional UPDATE of the reminder row, so two schedulers or a restart cannot fan out twice, and
the deliveries' unique keys refuse a duplicate recipient.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from enum import StrEnum

from domain.committees.messages import no_recipient_notice, reminder_message
from domain.committees.cadence import CommitteeKind
from domain.clock import Clock
from domain.committees.reminder_plan import ReminderAudience, days_until, due_reminders
from storage.committees import CommitteeRepository, MeetingView, Reminder, ReminderState
from storage.db import Database
from domain.people import Role
from storage.outbox import OutboxMessage, OutboxRepository, SourceKind
from storage.people import PeopleRepository
from domain.people import PersonView

log = logging.getLogger(__name__)

DEFAULT_MEMBER_ROLES = {
    CommitteeKind.COPIL: frozenset({Role.OFFICIAL, Role.LEAD}),
    CommitteeKind.COTECH: frozenset({Role.CONTRIBUTOR, Role.LEAD}),
}
"""Who is reminded when a committee has no registered member: the élu·es (COPIL) or the
directorates (comité technique), and the SPASER lead."""


@dataclass(frozen=True)
class Recipient:
    key: str
    label: str
    person_id: int | None = None
    conversation_id: str | None = None
    directorate: str | None = None


DirectoratesConcerned = Callable[[MeetingView], Awaitable[Collection[int] | None]]
"""Seam for the indicators feature: `directorates_with_due_indicators()` returns the ids of the
directorates with indicators still due before the meeting; None means "all directorates"."""


async def all_directorates(_meeting: MeetingView) -> None:
    """Until the indicators feature is wired: every directorate with contributors is concerned."""
    return None


class Audience:
    """Who receives a reminder or a notice about a meeting."""

    def __init__(
        self,
        committees: CommitteeRepository,
        people: PeopleRepository,
        directorates_concerned: DirectoratesConcerned = all_directorates,
    ) -> None:
        self._committees = committees
        self._people = people
        self.directorates_concerned = directorates_concerned

    @staticmethod
    def _person(person: PersonView) -> Recipient:
        return Recipient(
            key=f"person-{person.id}",
            label=person.name or person.email or f"personne n° {person.id}",
            person_id=person.id,
            directorate=person.directorate_code,
        )

    async def members(self, kind: CommitteeKind) -> list[Recipient]:
        """Registered members (people and channels); by default the roles the founding text names."""
        people = {person.id: person for person in await self._people.list()}
        rows = await self._committees.members(kind)
        if not rows:
            roles = DEFAULT_MEMBER_ROLES[kind]
            return [self._person(p) for p in people.values() if p.role in roles]
        recipients = []
        for row in rows:
            if row.person_id is not None and row.person_id in people:
                recipients.append(self._person(people[row.person_id]))
            elif row.conversation_id:
                recipients.append(
                    Recipient(key=f"conversation-{row.id}", label=row.label or "canal Teams", conversation_id=row.conversation_id)
                )
        return recipients

    async def contributors(self, meeting: MeetingView) -> list[Recipient]:
        concerned = await self.directorates_concerned(meeting)
        return [
            self._person(person)
            for person in await self._people.list()
            if person.role is Role.CONTRIBUTOR
            and person.directorate_id is not None
            and (concerned is None or person.directorate_id in concerned)
        ]

    async def for_reminder(self, meeting: MeetingView, audience: ReminderAudience) -> list[Recipient]:
        if audience is ReminderAudience.MEMBERS:
            return await self.members(meeting.kind)
        return await self.contributors(meeting)

    async def leads(self) -> list[Recipient]:
        return [self._person(p) for p in await self._people.list() if p.role is Role.LEAD]


class FireOutcome(StrEnum):
    FANNED_OUT = "fanned_out"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    ALREADY_DONE = "already_done"


class ReminderEngine:
    def __init__(
        self,
        database: Database,
        committees: CommitteeRepository,
        audience: Audience,
        clock: Clock,
        timezone: str,
    ) -> None:
        self._db = database
        self._committees = committees
        self.audience = audience
        self._clock = clock
        self._tz = timezone

    async def fire(self, reminder_id: int) -> FireOutcome:
        reminder = await self._committees.get_reminder(reminder_id)
        if reminder is None or reminder.state != ReminderState.SCHEDULED.value:
            return FireOutcome.ALREADY_DONE
        now = self._clock.now()
        if reminder.send_at > now:
            return FireOutcome.NOT_YET
        siblings = [
            r
            for r in await self._committees.reminders_of(reminder.meeting_id)
            if r.revision == reminder.revision
            and r.state in (ReminderState.SCHEDULED.value, ReminderState.FANNED_OUT.value)
        ]
        already_sent = {r.key for r in siblings if r.state == ReminderState.FANNED_OUT.value}
        due = {r.key for r in due_reminders([r.planned() for r in siblings], now, already_sent, collapse_missed=True)}
        if reminder.key in due:
            return await self._fan_out(reminder)
        if reminder.key in already_sent:
            return FireOutcome.ALREADY_DONE  # another scheduler fanned it out meanwhile
        outcome = FireOutcome.EXPIRED if now >= reminder.meeting_at else FireOutcome.SKIPPED
        if not await self._committees.close_reminder(reminder.id, ReminderState(outcome.value), now):
            return FireOutcome.ALREADY_DONE
        log.info("Reminder %s %s", reminder.key, outcome.value)
        return outcome

    async def _fan_out(self, reminder: Reminder) -> FireOutcome:
        meeting = await self._committees.get_meeting(reminder.meeting_id)
        audience = ReminderAudience(reminder.audience)
        recipients = await self.audience.for_reminder(meeting, audience)
        days_ahead = days_until(meeting.starts_at, self._clock.now(), self._tz)
        messages = []
        for recipient in recipients:
            text, card = reminder_message(audience, meeting, days_ahead, self._tz, recipient.directorate)
            messages.append(
                OutboxMessage(
                    key=f"{reminder.key}:{recipient.key}",
                    source_kind=SourceKind.REMINDER,
                    source_id=str(reminder.id),
                    text=text,
                    card=card,
                    person_id=recipient.person_id,
                    conversation_id=recipient.conversation_id,
                    recipient_label=recipient.label,
                    expires_at=meeting.starts_at,
                )
            )
        if not recipients:
            messages.extend(
                OutboxMessage(
                    key=f"{reminder.key}:no-recipient:{lead.key}",
                    source_kind=SourceKind.LEAD_NOTICE,
                    source_id=f"reminder:{reminder.id}",
                    text=no_recipient_notice(meeting, audience, self._tz),
                    person_id=lead.person_id,
                    recipient_label=lead.label,
                )
                for lead in await self.audience.leads()
            )
        now = self._clock.now()
        async with self._db.session() as session:
            if not await CommitteeRepository.transition_reminder(session, reminder.id, ReminderState.FANNED_OUT, now):
                return FireOutcome.ALREADY_DONE
            added = await OutboxRepository.enqueue_in(session, messages, now)
        log.info("Reminder %s: %s message(s) queued", reminder.key, added)
        return FireOutcome.FANNED_OUT

    async def catch_up(self) -> dict[FireOutcome, int]:
        """Every scheduled reminder whose time has come (downtime included), oldest first."""
        outcomes: dict[FireOutcome, int] = {}
        for reminder in await self._committees.scheduled_due(self._clock.now()):
            outcome = await self.fire(reminder.id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes
