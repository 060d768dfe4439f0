"""The French yes/no prompt answers an exact « oui »/« non » or synonym itself, with the same
result botbuilder's recognizer gives, and leaves every other answer to that recognizer."""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs.choices import ChoiceRecognizers
from botbuilder.dialogs.prompts import ChoicePrompt
from botbuilder.schema import Activity

from dialogs.base import NO_CHOICE, YES_CHOICE, ExactChoicePrompt, yes_no_options, yes_no_prompt


async def recognized(prompt: ChoicePrompt, text: str):
    context = TurnContext(TestAdapter(), Activity(type="message", text=text, channel_id="msteams", locale="fr-FR"))
    return await prompt.on_recognize(context, {}, yes_no_options("Confirmez-vous ?"))


@pytest.mark.parametrize("answer", ["oui", "Oui", "OUI", "o", "ok", "d'accord", "oui merci", "non", "Non merci", "n"])
async def test_an_exact_answer_gets_what_botbuilder_finds(answer):
    [expected] = ChoiceRecognizers.recognize_choices(answer, [YES_CHOICE, NO_CHOICE])
    result = await recognized(yes_no_prompt("confirm"), answer)

    assert isinstance(yes_no_prompt("confirm"), ExactChoicePrompt)
    assert result.succeeded
    found = result.value
    assert (found.value, found.index, found.score, found.synonym) == (
        expected.resolution.value, expected.resolution.index, expected.resolution.score, expected.resolution.synonym
    )


@pytest.mark.parametrize("answer", ["1", "2", "oui.", "oui je confirme", "non, pas maintenant", "peut-être", ""])
async def test_any_other_answer_is_read_by_botbuilder(answer):
    ours = await recognized(yes_no_prompt("confirm"), answer)
    theirs = await recognized(ChoicePrompt("confirm", default_locale="fr-fr"), answer)

    assert ours.succeeded == theirs.succeeded
    assert getattr(ours.value, "value", None) == getattr(theirs.value, "value", None)
