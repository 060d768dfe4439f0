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
from enum import StrEnum

from domain.clock import Clock
from domain.committees.meetings import ReminderState
from domain.committees.messages import no_recipient_notice, reminder_message
from domain.committees.reminder_plan import ReminderAudience, days_until, due_reminders
from domain.outbox import LEAD_COPY_KEY_SUFFIX, About, OutboxMessage, SourceKind, Topic
from storage.committees.audience import Audience
from storage.committees.repository import CommitteeRepository
from storage.committees.tables import Reminder
from storage.db import Database
from storage.outbox import OutboxRepository

log = logging.getLogger(__name__)

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
        outbox: OutboxRepository,
        audience: Audience,
        clock: Clock,
        timezone: str,
    ) -> None:
        self._db = database
        self._committees = committees
        self._outbox = outbox
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
        leads = await self.audience.leads()
        lead_ids = {lead.person_id for lead in leads}
        members = audience is ReminderAudience.MEMBERS
        about = About(Topic.REMINDER, meeting.id, meeting.label, meeting.starts_at) if members else None
        messages = []
        for recipient in recipients:
            to_lead = recipient.person_id is not None and recipient.person_id in lead_ids
            text, card = reminder_message(
                audience,
                meeting,
                days_ahead,
                self._tz,
                recipient.directorate,
                leads=[lead.label for lead in leads],
                to_lead=to_lead,
            )
            # A lead's copy of the members' reminder leaves after their messages, saying who got it.
            copy = LEAD_COPY_KEY_SUFFIX if to_lead and members else ""
            messages.append(
                OutboxMessage(
                    key=f"{reminder.key}:{recipient.key}{copy}",
                    source_kind=SourceKind.REMINDER,
                    source_id=str(reminder.id),
                    text=text,
                    card=card,
                    person_id=recipient.person_id,
                    conversation_id=recipient.conversation_id,
                    recipient_label=recipient.label,
                    expires_at=meeting.starts_at,
                    about=about,
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
        async with self._db.unit_of_work() as uow:
            if not await self._committees.close_reminder(reminder.id, ReminderState.FANNED_OUT, now, uow=uow):
                return FireOutcome.ALREADY_DONE
            added = await self._outbox.enqueue(messages, now, uow=uow)
        log.info("Reminder %s: %s message(s) queued", reminder.key, added)
        return FireOutcome.FANNED_OUT

    async def catch_up(self) -> dict[FireOutcome, int]:
        """Every scheduled reminder whose time has come (downtime included), oldest first."""
        outcomes: dict[FireOutcome, int] = {}
        for reminder in await self._committees.scheduled_due(self._clock.now()):
            outcome = await self.fire(reminder.id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes
