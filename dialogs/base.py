"""Base of every dialog: `annuler` and `aide` are handled once, here, at any step."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus
from botbuilder.dialogs.choices import Choice, FoundChoice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptRecognizerResult
from botbuilder.schema import ActivityTypes

from domain.people import Role, role_refusal
from domain.text import fold
from domain.understanding.cancel import cancel_request
from storage.unit_of_work import UnitOfWork

HELP_WORDS = frozenset({"aide", "help", "?", "au secours", "je ne comprends pas"})
PERSON_KEY = "spaser.person"
TURN_UNIT_KEY = "spaser.turn_unit"


def current_person(turn_context: TurnContext):
    """The PersonView the bot identified server-side for this turn (None if unknown)."""
    return turn_context.turn_state.get(PERSON_KEY)


def turn_unit(turn_context: TurnContext) -> UnitOfWork | None:
    """The turn's unit of work (`bot.middleware.TurnUnitMiddleware`): what is recorded through it
    commits with the dialog state and the activity's claim. None where no such middleware runs."""
    return turn_context.turn_state.get(TURN_UNIT_KEY)


class SpaserDialog(ComponentDialog):
    """A ComponentDialog whose id is its class name, with cancel/help interruptions, that only the
    roles in `allowed_roles` may run: the speaker's server-side role is checked when it starts and
    before every step, so a role withdrawn mid-dialog stops it before anything is written.

    Subclasses set `help_text` (French, shown on `aide`) and `cancel_text` (shown on `annuler`).
    """

    help_text = "Répondez à la question posée, ou tapez « annuler » pour arrêter."
    cancel_text = "C’est annulé : rien de plus n’a été enregistré."
    allowed_roles: frozenset[Role] = frozenset({Role.LEAD})

    def __init__(self) -> None:
        super().__init__(type(self).__name__)

    async def on_begin_dialog(self, inner_dc: DialogContext, options: object) -> DialogTurnResult:
        refusal = await self._refuse_if_not_allowed(inner_dc)
        if refusal is not None:
            return refusal
        return await super().on_begin_dialog(inner_dc, options)

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        refusal = await self._refuse_if_not_allowed(inner_dc)
        if refusal is not None:
            return refusal
        interruption = await self._interrupt(inner_dc)
        if interruption is not None:
            return interruption
        return await super().on_continue_dialog(inner_dc)

    def cancel_message(self, inner_dc: DialogContext) -> str:
        """What « annuler » answers; a dialog that saves as it goes says what it saved."""
        return self.cancel_text

    async def _refuse_if_not_allowed(self, inner_dc: DialogContext) -> DialogTurnResult | None:
        person = current_person(inner_dc.context)
        if person is not None and person.role in self.allowed_roles:
            return None
        await inner_dc.context.send_activity(MessageFactory.text(role_refusal(self.allowed_roles, person)))
        return await inner_dc.cancel_all_dialogs()

    async def _interrupt(self, inner_dc: DialogContext) -> DialogTurnResult | None:
        activity = inner_dc.context.activity
        if activity.type != "message" or activity.value:
            return None
        text = fold(TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text)
        if cancel_request(text, answering=True):
            await inner_dc.context.send_activity(MessageFactory.text(self.cancel_message(inner_dc)))
            return await inner_dc.cancel_all_dialogs()
        if text in HELP_WORDS:
            await inner_dc.context.send_activity(
                MessageFactory.text(f"{self.help_text}\n\nTapez « annuler » pour arrêter à tout moment.")
            )
            await inner_dc.reprompt_dialog()
            return DialogTurnResult(DialogTurnStatus.Waiting)
        return None


YES_CHOICE = Choice(value="Oui", synonyms=["o", "ouais", "oui merci", "d'accord", "ok", "okay", "valider", "je confirme", "confirmer", "yes"])
NO_CHOICE = Choice(value="Non", synonyms=["n", "non merci", "pas maintenant", "no"])


class ExactChoicePrompt(ChoicePrompt):
    """A ChoicePrompt that takes an answer typed exactly as one choice or synonym at once.

    botbuilder's recognizer tokenises every choice and synonym again at each answer (~0.5 ms for
    oui/non, a tenth of an update turn); it still reads any other answer (« 1 », « oui. »).
    """

    async def on_recognize(
        self, turn_context: TurnContext, state: dict, options: PromptOptions
    ) -> PromptRecognizerResult:
        if turn_context.activity.type == ActivityTypes.message and options is not None and options.choices:
            found = choice_typed_exactly((turn_context.activity.text or "").strip().lower(), options.choices)
            if found is not None:
                return PromptRecognizerResult(succeeded=True, value=found)
        return await super().on_recognize(turn_context, state, options)


def choice_typed_exactly(answer: str, choices: list[Choice]) -> FoundChoice | None:
    """The one choice whose value or a synonym is `answer` (lower case); None if none or several.

    Shared by `ExactChoicePrompt` and the validators that read a yes/no inside another prompt
    (`dialogs.indicators.value_check`); it builds botbuilder's FoundChoice, so it lives here, not in domain/."""
    found = [
        FoundChoice(value=choice.value, index=index, score=1.0, synonym=name)
        for index, choice in enumerate(choices)
        for name in dict.fromkeys([choice.value, *(choice.synonyms or [])])
        if answer and name.lower() == answer
    ]
    return found[0] if len({match.index for match in found}) == 1 else None


def yes_no_prompt(dialog_id: str) -> ChoicePrompt:
    """A French yes/no prompt.

    botbuilder's ConfirmPrompt relies on recognizers-text-choice, whose Python port only knows
    English booleans: « oui » is not recognised. A ChoicePrompt with French synonyms is.
    """
    return ExactChoicePrompt(dialog_id, default_locale="fr-fr")


def yes_no_options(prompt: str) -> PromptOptions:
    return PromptOptions(
        prompt=MessageFactory.text(prompt),
        retry_prompt=MessageFactory.text("Répondez « oui » ou « non »."),
        choices=[YES_CHOICE, NO_CHOICE],
        style=ListStyle.hero_card,
    )


def is_yes(result) -> bool:
    """The FoundChoice of a yes_no_prompt."""
    return getattr(result, "value", None) == YES_CHOICE.value
