"""Base of every dialog: `annuler` and `aide` are handled once, here, at any step."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus

from bot.text import fold

CANCEL_WORDS = frozenset({"annuler", "annule", "stop", "arreter", "arrete", "quitter", "abandonner", "laisse tomber"})
HELP_WORDS = frozenset({"aide", "help", "?", "au secours", "je ne comprends pas"})
PERSON_KEY = "spaser.person"


def current_person(turn_context: TurnContext):
    """The PersonView the bot identified server-side for this turn (None if unknown)."""
    return turn_context.turn_state.get(PERSON_KEY)


class SpaserDialog(ComponentDialog):
    """A ComponentDialog whose id is its class name, with cancel/help interruptions.

    Subclasses set `help_text` (French, shown on `aide`) and `cancel_text` (shown on `annuler`).
    """

    help_text = "Répondez à la question posée, ou tapez « annuler » pour arrêter."
    cancel_text = "C'est annulé : rien de plus n'a été enregistré."

    def __init__(self) -> None:
        super().__init__(type(self).__name__)

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        interruption = await self._interrupt(inner_dc)
        if interruption is not None:
            return interruption
        return await super().on_continue_dialog(inner_dc)

    async def _interrupt(self, inner_dc: DialogContext) -> DialogTurnResult | None:
        activity = inner_dc.context.activity
        if activity.type != "message" or activity.value:
            return None
        text = fold(TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text)
        if text in CANCEL_WORDS:
            await inner_dc.context.send_activity(MessageFactory.text(self.cancel_text))
            return await inner_dc.cancel_all_dialogs()
        if text in HELP_WORDS:
            await inner_dc.context.send_activity(
                MessageFactory.text(f"{self.help_text}\n\nTapez « annuler » pour arrêter à tout moment.")
            )
            await inner_dc.reprompt_dialog()
            return DialogTurnResult(DialogTurnStatus.Waiting)
        return None
