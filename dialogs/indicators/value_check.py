"""The plausibility question of the value prompt: 4 800 typed where the last value was 48 is asked
again (« Vous avez saisi 4 800. C’est 100 fois la valeur du 2ᵉ trimestre 2026 (48) : vous confirmez ? », Oui/Non) before
the comment, the confirmation and the save; « non » lets the person retype, nothing is stored.

The question lives inside the value prompt (its validator keeps the pending value in the prompt's
own state) rather than as a new waterfall step: the item loop keeps its steps, so a conversation
stored before this change resumes at the same question. The rule is the domain's
(`domain.indicators.plausibility`); the save step still checks the person's right to write.
"""

from __future__ import annotations

from decimal import Decimal

from botbuilder.dialogs.choices import ChoiceFactory
from botbuilder.dialogs.prompts import PromptValidatorContext

from dialogs.base import NO_CHOICE, YES_CHOICE, choice_typed_exactly
from domain.indicators.periods import parse_period
from domain.indicators.plausibility import suspicious_jump
from domain.indicators.units import Unit

PENDING = "jump"
"""Key of the value awaiting its confirmation in the prompt's state."""
PREVIOUS = "previous"
PREVIOUS_PERIOD = "previous_period"
NOUN = "noun"


def previous_validations(previous: str, previous_period: str, counted_noun: str) -> dict[str, str]:
    """What the value prompt needs to judge a jump, as plain strings (stored with the dialog state)."""
    return {PREVIOUS: previous, PREVIOUS_PERIOD: previous_period, NOUN: counted_noun}


async def answer_to_pending(prompt: PromptValidatorContext, text: str) -> bool | None:
    """When a jump was asked: « oui » takes the value (True), « non » asks to retype it (False);
    anything else (None) is read as a new value. Nothing is asked when no jump is pending."""
    pending = prompt.state.pop(PENDING, None)
    if pending is None:
        return None
    found = choice_typed_exactly(text.lower(), [YES_CHOICE, NO_CHOICE])
    if found is None:
        return None
    if found.value == YES_CHOICE.value:
        prompt.recognized.value = pending
        return True
    code = prompt.options.validations["code"]
    await prompt.context.send_activity(
        f"D’accord, rien n’est enregistré. Retapez la valeur de l’indicateur {code}, ou tapez « passer »."
    )
    return False


async def asked_about_jump(prompt: PromptValidatorContext, value: Decimal) -> bool:
    """True when `value` is far from the previous one: the question is sent, the value kept pending."""
    validations = prompt.options.validations
    previous = validations.get(PREVIOUS) or ""
    period = validations.get(PREVIOUS_PERIOD) or ""
    jump = suspicious_jump(
        value,
        Decimal(previous) if previous else None,
        parse_period(period) if period else None,
        Unit(validations["unit"]),
        validations.get(NOUN, ""),
    )
    if jump is None:
        return False
    prompt.state[PENDING] = str(value)
    await prompt.context.send_activity(ChoiceFactory.hero_card([YES_CHOICE, NO_CHOICE], jump.question()))
    return True
