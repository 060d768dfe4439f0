"""A data question naming several indicators about equally is asked back (real bot, real SQLite
file, the demo organisation): the candidates by code and name, a button for each, and the reply,
a code or the button, gets the answer to the question first asked."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_PEOPLE, load_demo
from domain.people import Role
from tests.conftest import texts
from tests.indicators_support import card_of

ASKED_BACK = "Votre question peut porter sur 2\u00a0indicateurs\u00a0: lequel voulez-vous consulter\u00a0?"
"""Two candidates, counted in digits like every count computed from data (reader4 C27: « plusieurs
indicateurs » for two; issue #17 B13: « deux indicateurs » here, « 2 indicateurs » there)."""


@pytest.fixture
async def demo(runtime, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    return runtime


def person(role: Role):
    return next(p for p in DEMO_PEOPLE if p.role is role)


def chat(talk, role: Role):
    someone = person(role)
    return talk(someone.aad_object_id, someone.name)


def buttons(card: dict) -> dict[str, str]:
    return {action["title"]: action["data"]["msteams"]["value"] for action in card.get("actions", [])}


async def test_a_subject_shared_by_two_indicators_is_asked_back_by_code_and_name(demo, talk):
    lead = chat(talk, Role.LEAD)

    asked = await lead.say("où en est la considération sociale ?")
    answer = texts(await lead.say("IND-24"))

    shown = texts(asked)
    assert shown.startswith(ASKED_BACK)
    assert "- **IND-02** — Part des marchés notifiés comportant au moins une considération sociale" in shown
    assert "- **IND-24** — Part des marchés notifiés avec une considération sociale, en montant" in shown
    assert "Synthèse SPASER" not in shown
    assert sorted(buttons(card_of(asked)).values()) == ["valeur de IND-02", "valeur de IND-24"]
    assert sorted(buttons(card_of(asked))) == [  # reader 6, B11: what tells them apart, not « Part des marchés… »
        # Reader 7, B27: « …, en nombre de marchés » against « …, en montant »; reader 9, C5: the whole
        # of it, not cut mid-phrase (« … sociale, en nombre de marchés »).
        "IND-02 — en nombre de marchés", "IND-24 — en montant"
    ]
    assert answer.startswith("**IND-24** — Part des marchés notifiés avec une considération sociale, en montant")
    assert "Dernière valeur :" in answer.replace("\u00a0", " ") and "Dernières" not in answer  # reader 7, A6: one value


async def test_a_button_of_the_question_back_gets_the_answer(demo, talk):
    lead = chat(talk, Role.LEAD)
    offered = buttons(card_of(await lead.say("les kilomètres parcourus, on en est où ?")))

    [posted] = [text for title, text in offered.items() if title.startswith("IND-23")]
    answer = texts(await lead.say(posted))

    assert set(offered.values()) == {"valeur de IND-21", "valeur de IND-23"}
    assert answer.startswith("**IND-23** — Kilomètres parcourus par les véhicules de service")


async def test_the_reply_answers_the_question_first_asked_not_just_the_value(demo, talk):
    lead = chat(talk, Role.LEAD)

    asked = await lead.say("qui a saisi les kilomètres parcourus ?")
    answer = texts(await lead.say("21"))

    assert texts(asked).startswith(ASKED_BACK)
    assert set(buttons(card_of(asked)).values()) == {"historique de IND-21", "historique de IND-23"}
    assert answer.startswith("**IND-21** — Part des kilomètres parcourus en véhicules électriques ou à hydrogène")
    assert "saisies, de la plus ancienne à la plus récente" in answer and "Historique des saisies" not in answer  # reader 7, C41


async def test_the_choices_hold_for_the_next_message_only(demo, talk):
    lead = chat(talk, Role.LEAD)

    await lead.say("qui a saisi les kilomètres parcourus ?")
    await lead.say("bonjour")
    later = texts(await lead.say("21"))

    assert "de la plus ancienne à la plus récente" not in later


async def test_someone_without_a_role_is_not_asked_which_indicator(demo, talk):
    reply = texts(await talk("stranger-aad", "Paul Inconnu").say("où en est la considération sociale ?"))

    assert "lequel voulez-vous dire" not in reply and "IND-24" not in reply
    assert "enregistr" in reply
