"""What a command typed in a group chat or a channel answers in the person's personal chat.

A calendar feed, a download link, a summary in the person's scope: what one member may see is not
what every member may. The command runs as usual, its replies are kept from the group and queued
through the outbox to the person's personal chat (same sending, same limits as reminders); the
group reads that the answer went there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ResourceResponse

from domain.clock import Clock
from domain.outbox import OutboxMessage, SourceKind
from domain.people import PersonView
from storage.outbox import OutboxRepository
from storage.people import ConversationRefRepository

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def message_parts(activity: Activity | str) -> tuple[str, dict | None]:
    """A reply as the outbox stores it: its text and its Adaptive Card, if any."""
    if isinstance(activity, str):
        return activity, None
    card = next(
        (a.content for a in activity.attachments or [] if a.content_type == ADAPTIVE_CARD and isinstance(a.content, dict)),
        None,
    )
    return activity.text or activity.summary or "", card


def in_group(turn_context: TurnContext) -> bool:
    """A group chat or a channel: what is posted there, every member reads."""
    return (turn_context.activity.conversation.conversation_type or "personal") != "personal"


class PrivateReplies:
    def __init__(
        self,
        outbox: OutboxRepository,
        conversation_refs: ConversationRefRepository,
        clock: Clock,
        wake_outbox: Callable[[], None],
    ) -> None:
        self._outbox = outbox
        self._conversation_refs = conversation_refs
        self._clock = clock
        self._wake_outbox = wake_outbox

    async def reachable(self, person: PersonView) -> bool:
        """The person has a personal chat with the assistant (its reference is stored)."""
        if not person.aad_object_id:
            return False
        return person.aad_object_id in await self._conversation_refs.personal_for([person.aad_object_id])

    async def run_privately(
        self, turn_context: TurnContext, person: PersonView, run: Callable[[], Awaitable[None]]
    ) -> int:
        """Run a command with its replies sent to the person's personal chat; how many were queued."""
        captured: list[Activity] = []
        send = turn_context.send_activities

        async def capture(activities: list[Activity | str]) -> list[ResourceResponse]:
            captured.extend(Activity(text=a) if isinstance(a, str) else a for a in activities)
            return [ResourceResponse() for _ in activities]

        turn_context.send_activities = capture
        try:
            await run()
        finally:
            turn_context.send_activities = send
        asked_in = turn_context.activity.id or "-"
        messages = [self._message(person, asked_in, index, activity) for index, activity in enumerate(captured)]
        queued = await self._outbox.enqueue(messages, self._clock.now())
        self._wake_outbox()
        return queued

    @staticmethod
    def _message(person: PersonView, asked_in: str, index: int, activity: Activity) -> OutboxMessage:
        text, card = message_parts(activity)
        return OutboxMessage(
            key=f"private-reply:{asked_in}:{index}"[:300],
            source_kind=SourceKind.PRIVATE_REPLY,
            source_id=asked_in[:64],
            text=text,
            card=card,
            person_id=person.id,
            recipient_label=person.name or person.email or f"personne n° {person.id}",
        )
