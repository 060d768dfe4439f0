"""The question back when a data question names several indicators about equally, and the reply
that picks one.

The choices offered are kept in the conversation's state (each person's own in a group) until
that person's next message: a reply naming one of them by its code (« IND-24 », « 24 ») gets the
answer to the question first asked; the buttons post the full command, understood on its own.
"""

from __future__ import annotations

from botbuilder.core import ConversationState, TurnContext

from dialogs.cards import card_message
from domain.understanding.choices import CHOICE_SUMMARY, choice_card, chosen_code
from domain.understanding.understanding import Understanding

PENDING_KEY = "commands"


class IndicatorChoices:
    def __init__(self, conversation_state: ConversationState) -> None:
        self._pending = conversation_state.create_property("SpaserIndicatorChoice")

    async def offer(self, turn_context: TurnContext, understanding: Understanding) -> None:
        """Asks which indicator is meant, and keeps the command that answers for each."""
        choices = understanding.choices
        await turn_context.send_activity(card_message(choice_card(choices), CHOICE_SUMMARY))
        await self._pending.set(turn_context, {PENDING_KEY: {candidate.code: command for candidate, command in choices}})

    async def take(self, turn_context: TurnContext, text: str) -> str | None:
        """The command answering the question asked back when `text` picks one of its choices;
        whatever was typed, the choices are forgotten (they are offered for the next message only)."""
        pending = await self._pending.get(turn_context)
        commands = pending.get(PENDING_KEY) if isinstance(pending, dict) else None
        if not commands:
            return None
        await self._pending.delete(turn_context)
        code = chosen_code(text, list(commands))
        return commands.get(code) if code else None
