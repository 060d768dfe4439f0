"""The outbox's Microsoft Graph work: installing the app for someone who never opened it, and
keeping each meeting's Outlook invitation in step with the meeting.

Both run as outbox rows (storage/outbox.py), so they are queued in the transaction that needs
them, paced, retried on 429 after Retry-After, recovered after a crash, and their failures reach
the lead. Both are safe to run again after a `kill -9` at any point: an installation answers 409
and the chat is looked up again; an invitation is created with its meeting's fixed transaction id
(Graph gives back the event it made), updated with the same body, and a second cancellation finds
the event gone (404).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import timedelta

from domain.clock import Clock
from domain.committees.cadence import MeetingStatus
from domain.outbox import INSTALL_PREFIX, NO_REFERENCE, DeliveryState, OutboxMessage, SourceKind
from domain.tenant import chat_reference, event_body, event_comment
from scheduler.graph import GraphClient
from scheduler.outbox import SendError
from storage.committees.audience import Audience
from storage.committees.outlook import OutlookEventRepository
from storage.committees.repository import CommitteeRepository
from storage.outbox import Delivery, OutboxRepository
from storage.people import ConversationRefRepository, PeopleRepository

log = logging.getLogger(__name__)

HOLD = timedelta(minutes=10)
"""A delivery waits at most this long for its recipient's installation (it is released as soon as
the installation ends; this bounds the wait after a crash between the two)."""
FINAL_STATES = frozenset({DeliveryState.FAILED.value, DeliveryState.UNREACHABLE.value, DeliveryState.CANCELLED.value})


class AppInstaller:
    """Installs the app in the Teams of a registered person without a conversation, then sends
    them what waited (`installer` and `tasks[INSTALLATION]` of the outbox sender)."""

    def __init__(
        self,
        graph: GraphClient,
        outbox: OutboxRepository,
        people: PeopleRepository,
        conversation_refs: ConversationRefRepository,
        clock: Clock,
        *,
        bot_id: str,
    ) -> None:
        self._graph = graph
        self._outbox = outbox
        self._people = people
        self._refs = conversation_refs
        self._clock = clock
        self._bot_id = bot_id
        self._tenant = graph.settings.tenant_id
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def hold(self, row: Delivery) -> str | None:
        """One installation per person and message source: a later source tries again (after the
        admin consented, say), the deliveries of one source share the first one's outcome."""
        key = f"install:person-{row.person_id}:{row.source_kind}:{row.source_id}"
        installation = await self._outbox.get_by_key(key)
        if installation is None:
            await self._outbox.enqueue(
                [OutboxMessage(key=key, source_kind=SourceKind.INSTALLATION, source_id=str(row.person_id),
                               text="installation de l’assistant", person_id=row.person_id,
                               recipient_label=row.recipient_label)],
                self._clock.now(),
            )
        elif installation.state == DeliveryState.SENT.value:
            return NO_REFERENCE  # installed, yet no conversation: nothing more to try for this message
        elif installation.state in FINAL_STATES:
            return f"{INSTALL_PREFIX} {installation.last_error or 'échec'}"[:500]
        await self._outbox.hold_for_installation(row.id, self._clock.now() + HOLD)
        return None

    async def run(self, row: Delivery) -> None:
        async with self._locks[row.person_id]:  # two sources' installations for one person: one at a time
            await self._install(row)

    async def _install(self, row: Delivery) -> None:
        person = await self._people.get(row.person_id)
        if person is None or not (person.aad_object_id or person.email):
            raise SendError(404, "no such person, or no e-mail to find them by")
        entry = await self._graph.user(person.aad_object_id or person.email)
        if person.aad_object_id != entry.aad_object_id or person.name in ("", (person.email or "").split("@")[0]):
            await self._people.link_identity(person.id, self._tenant, entry)
        installed = await self._graph.install_app(entry.aad_object_id)
        chat_id = await self._graph.personal_chat_id(entry.aad_object_id)
        service_url = self._graph.settings.service_url or await self._refs.service_url_of(self._tenant)
        if not service_url:
            raise SendError(404, "no Teams connector address known for the tenant: set SPASER_TEAMS_SERVICE_URL")
        reference = chat_reference(chat_id, tenant_id=self._tenant, aad_object_id=entry.aad_object_id,
                                   bot_id=self._bot_id, service_url=service_url)
        await self._refs.save(reference, tenant_id=self._tenant, aad_object_id=entry.aad_object_id,
                              conversation_type="personal")
        log.info("App %s for person %s; chat recorded", "installed" if installed else "already installed", person.id)

    async def finished(self, row: Delivery, error: SendError | None) -> None:
        person = await self._people.get(row.person_id)
        released = await self._outbox.release_held(
            row.person_id, self._clock.now(), installed=error is None, label=person.name if person else None
        )
        log.info("Installation for person %s %s: %s delivery(ies) released", row.person_id,
                 "done" if error is None else f"failed ({error})", released)


class OutlookInvitations:
    """Creates, moves and cancels a meeting's Outlook event in the organiser mailbox, members as
    attendees (`tasks[OUTLOOK_EVENT]` of the outbox sender). Each row brings the event to the
    meeting's current state, so rows of older versions find nothing left to do."""

    def __init__(
        self,
        graph: GraphClient,
        events: OutlookEventRepository,
        committees: CommitteeRepository,
        audience: Audience,
        people: PeopleRepository,
        clock: Clock,
        timezone: str,
    ) -> None:
        self._graph = graph
        self._events = events
        self._committees = committees
        self._audience = audience
        self._people = people
        self._clock = clock
        self._tz = timezone
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def run(self, row: Delivery) -> None:
        meeting_id = int(row.source_id)
        async with self._locks[meeting_id]:  # one sender per database (scheduler/leadership.py)
            meeting = await self._committees.get_meeting(meeting_id)
            record = await self._events.get(meeting_id)
            if meeting is None or record is None:
                return  # planned before invitations were turned on
            if meeting.status is MeetingStatus.CANCELLED:
                if record.event_id and record.cancelled_at is None:
                    await self._graph.cancel_event(record.event_id, event_comment(meeting, self._tz))
                    await self._events.synced(meeting_id, meeting.sequence, cancelled_at=self._clock.now())
                return
            if record.event_id and record.synced_sequence is not None and record.synced_sequence >= meeting.sequence:
                return
            attendees = await self._attendees(meeting.kind)
            if record.event_id is None:
                event = await self._graph.create_event(event_body(meeting, attendees, record.transaction_id))
                join_url = (event.get("onlineMeeting") or {}).get("joinUrl")
                await self._events.created(meeting_id, event["id"], join_url, meeting.sequence)
            else:
                await self._graph.update_event(record.event_id, event_body(meeting, attendees))
                await self._events.synced(meeting_id, meeting.sequence)

    async def _attendees(self, kind) -> list[str]:
        members = {recipient.person_id for recipient in await self._audience.members(kind) if recipient.person_id}
        return sorted(person.email for person in await self._people.list() if person.id in members and person.email)

    async def finished(self, row: Delivery, error: SendError | None) -> None:
        return None
