"""Conversations of issue #17 through the real bot (ConsoleConversation, real SQLite, the example
catalogue and its people): one message per answer, each saying what it is about."""

from __future__ import annotations

import pytest

from domain.indicators.values import warm_up
from tests.conftest import texts
from tests.indicators_support import EXAMPLE, card_of, seed, submit_data, value_rows


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


@pytest.fixture
async def nadia(runtime, talk):
    await seed(runtime)
    return talk("nadia-aad", "Nadia Benali")


async def test_passer_at_the_comment_prompt_means_no_comment(runtime, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    confirm = texts(await nadia.say("passer"))
    await nadia.say("oui")

    assert confirm.startswith("J’enregistre **45\u00a0%** pour IND-01 (direction DCP, 3\u1d49\u00a0trimestre 2026) ?")
    assert "commentaire" not in confirm
    assert [(row[0], row[3]) for row in await value_rows(runtime)] == [("IND-01", None)]


async def test_a_wrong_value_gets_one_message_and_the_comment_question_names_the_value(nadia):
    await nadia.say("mettre à jour mes indicateurs")

    wrong = await nadia.say("abc")
    comment_question = await nadia.say("45")

    assert [reply.text for reply in wrong] == [
        "« abc » n’est pas un nombre que je reconnais. Exemple de saisie valide : 12,5 %.\n"
        "Retapez la valeur de l’indicateur IND-01, ou tapez «\u00a0passer\u00a0» pour la laisser de côté. Il vous reste 2\u00a0essais."
    ]
    assert len(comment_question) == 1
    assert comment_question[0].text.startswith("Un commentaire sur IND-01 (45\u00a0%)")


async def test_a_contributor_refused_another_directorate_is_told_her_own_comes_instead(nadia):
    replies = await nadia.say("mettre à jour les indicateurs de DPB")

    # The refusal opens the list, which opens the first question (reader 9, C6).
    assert len(replies) == 1, "the refusal opens the list of her own directorate's indicators"
    assert "\n(1/10) **IND-01** — " in replies[0].text
    assert replies[0].text.startswith(
        "Vous ne pouvez saisir que les indicateurs de votre direction (DCP) : voici les siens.\nLa direction **DCP** a 10 indicateur"
    )


async def test_a_form_sent_again_suggests_correcting_its_own_indicator(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    filled = submit_data(card, **{"valeur|IND-04|2025": "120 000"})
    assert "Enregistré pour la direction DCP" in texts(await nadia.submit(filled))

    same = texts(await nadia.submit(submit_data(card, **{"valeur|IND-04|2025": "120000"})))
    changed = texts(await nadia.submit(submit_data(card, **{"valeur|IND-04|2025": "130 000"})))

    # Reader 9, C7: « Ce formulaire a déjà été enregistré : le renvoyer ne change rien. » after a second
    # click read as an error; the same values sent again are simply there.
    assert same == "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié."
    assert "Ce formulaire est déjà enregistré" in changed
    assert "«\u00a0corriger IND-04\u00a0»" in changed and "IND-01" not in changed


def _catalogue_of(count: int) -> bytes:
    header, first, *_ = EXAMPLE.read_text(encoding="utf-8").splitlines()
    axes = ("social", "environnemental", "économie responsable", "gouvernance")
    rows = []
    for number in range(1, count + 1):
        fields = first.split(";")
        fields[0], fields[1], fields[2] = f"IND-{number:02d}", f"Indicateur numéro {number} du suivi", axes[number % 4]
        rows.append(";".join(fields))
    return "\n".join([header, *rows]).encode("utf-8")


async def test_the_catalogue_of_31_indicators_is_an_overview_then_one_axis_at_a_time(runtime, talk):
    await seed(runtime)
    await runtime.catalogue.import_catalogue(_catalogue_of(31))
    lead = talk()

    overview = await lead.say("catalogue")
    environmental = texts(await lead.say("catalogue axe environnemental"))

    assert len(overview) == 1
    shown = texts(overview)
    assert "Catalogue : 31 indicateur" in shown
    assert "Indicateur numéro" not in shown, "the overview lists codes, not every label"
    assert "« catalogue axe social »" in shown and "31\u00a0indicateurs actifs" in shown
    assert len(shown) < 2500
    assert "IND-01 — Indicateur numéro 1 du suivi" in environmental and "IND-02 —" not in environmental
    assert environmental.count("Indicateur numéro") == 8
    assert "IND-01 — Indicateur numéro 1 du suivi · en pourcentage, fréquence " in environmental
    assert " · direction DCP" in environmental or " · directions " in environmental


async def test_a_small_catalogue_is_still_shown_whole(runtime, talk):
    await seed(runtime)
    shown = texts(await talk().say("catalogue"))
    assert "IND-01 — Part des marchés notifiés comportant au moins une considération environnementale" in shown


async def test_the_officials_welcome_card_offers_the_summary(runtime, talk):
    await seed(runtime)
    welcome = (await talk("maire-aad", "Hélène Dubois").install())[0].attachments[0].content

    buttons = [action["title"] for action in welcome["actions"]]
    assert buttons[0].startswith("Où en est-on"), "buttons are written in sentence case"
    assert welcome["actions"][0]["data"]["msteams"]["value"].startswith("où en est-on"), "the text posted stays as typed"
