"""A form card sent again after it was saved says so, whatever its fields now hold.

Found in the Agents Playground (e2e): after a card was corrected and saved, a second click on its
« Enregistrer » sent the card's original (wrong) value — the Playground redraws the card with the
values it came with — and the bot answered « Rien n'a été enregistré : 1 champ(s) à corriger »
with the error card, although the form had been saved: the person is told their save failed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.indicators.values import warm_up
from tests.conftest import texts
from tests.indicators_support import card_of, seed, submit_data, value_rows


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


@pytest.fixture
async def nadia(runtime, talk):
    await seed(runtime)
    return talk("nadia-aad", "Nadia Benali")


async def test_a_saved_card_sent_again_with_a_wrong_value_is_reported_as_already_saved(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    wrong = submit_data(card, **{"valeur|IND-01|2026-T3": "140 %", "valeur|IND-05|2025": "38 %"})
    back = card_of(await nadia.submit(wrong))
    fixed = submit_data(back, **{"valeur|IND-01|2026-T3": "45 %", "valeur|IND-05|2025": "38 %"})
    assert "Enregistré pour la direction DCP (2 valeurs)" in texts(await nadia.submit(fixed))

    again = texts(await nadia.submit(wrong))

    # Reader 9, C7: what became of the changed values, not « le renvoyer ne change rien ».
    assert "Ce formulaire est déjà enregistré\u00a0: les changements faits depuis n’ont pas été pris en compte." in again
    assert again.count("enregistré") == 1
    assert "à corriger" not in again
    assert [(row[0], row[2]) for row in await value_rows(runtime)] == [("IND-01", Decimal("45")), ("IND-05", Decimal("38"))]


async def test_a_new_card_for_the_same_period_is_still_checked_and_refused_when_wrong(runtime, nadia):
    first = card_of(await nadia.say("formulaire indicateurs"))
    assert "Enregistré pour la direction DCP" in texts(await nadia.submit(submit_data(first, **{"valeur|IND-01|2026-T3": "45 %"})))
    second = card_of(await nadia.say("formulaire indicateurs"))

    replies = texts(await nadia.submit(submit_data(second, **{"valeur|IND-02|2026-T3": "140 %"})))

    assert "Rien n’a été enregistré\u00a0: un champ est à corriger. Je vous renvoie le formulaire" in replies
    assert [row[0] for row in await value_rows(runtime)] == ["IND-01"]


async def test_a_field_error_goes_on_in_lower_case_after_the_code_and_its_colon(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    wrong = submit_data(card, **{"valeur|IND-01|2026-T3": "140 %"})

    back = texts(await nadia.submit(wrong))

    assert "IND-01\u00a0: une part ne peut pas dépasser 100\u00a0% (vous avez saisi 140\u00a0%)." in back, "one colon (B11)"
    assert "Un pourcentage" not in back


async def test_a_saved_value_that_breaks_the_legal_limit_is_said_after_the_save(runtime, nadia):
    """Reader 8, B26: a value outside its legal limit was saved without a word, then « Tous les
    indicateurs … sont à jour. Merci ! » read as all fine. It is still saved, with a warning."""
    await runtime.catalogue.update_field("IND-01", "base_legale", "loi EGalim")
    await runtime.catalogue.update_field("IND-01", "seuil_legal", "50")
    card = card_of(await nadia.say("formulaire indicateurs"))

    replies = texts(await nadia.submit(submit_data(card, **{"valeur|IND-01|2026-T3": "45 %", "valeur|IND-05|2025": "38 %"})))

    assert "⚠ IND-01\u00a0: une part de 45\u00a0% n’atteint pas le minimum légal de 50\u00a0% (loi\u00a0EGalim)." in replies, replies
    assert "IND-05\u00a0:" not in replies.split("⚠", 1)[1]
    assert [(row[0], row[2]) for row in await value_rows(runtime)] == [("IND-01", Decimal("45")), ("IND-05", Decimal("38"))]
