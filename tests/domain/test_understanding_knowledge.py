"""Knowledge questions against the data intents: a question the knowledge base answers surely is
not taken for a data request on the strength of one stray word."""

from __future__ import annotations

import pytest

from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


def test_one_word_left_does_not_outweigh_a_sure_knowledge_answer(understander: Understander) -> None:
    # The question names the demo's training indicator; « durables » was left, and one phrasing
    # of the lead's intent says « achats durables ».
    understood = understander.understand("des formations pour nos acheteurs aux achats durables ?")
    assert understood.kind is Understood.KNOWLEDGE
    assert understood.answer.entry.id == "formation-acheteurs"


def test_an_amount_asked_of_a_named_indicator_stays_a_data_question(understander: Understander) -> None:
    understood = understander.understand("le bio à la cantine, on en est à combien ?")
    assert understood.kind is Understood.INTENT and understood.intent.id == "indicator_value"


@pytest.mark.parametrize("greeting", ["salut ça va ?", "coucou, ça va bien ?"])
def test_how_are_you_is_no_request_to_enter_figures(understander: Understander, greeting: str) -> None:
    understood = understander.understand(greeting)
    assert understood.kind is not Understood.KNOWLEDGE
    assert understood.intent is None or understood.intent.id != "update_indicators"


def test_advice_on_following_a_figure_is_no_request_for_it(understander: Understander) -> None:
    # « le taux » and « nos » made it our indicator's figure; « c'est une bonne façon de suivre ? » asks for advice.
    understood = understander.understand(
        "Pour nos véhicules propres, suivre le taux par catégorie d'achat, c'est une bonne façon de faire ?"
    )
    assert understood.kind is Understood.KNOWLEDGE


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Recyclage, seconde main : ça a sa place dans un SPASER ?", "economie-circulaire"),
        ("Le bilan carbone de nos marchés : on peut le suivre dans le SPASER ?", "ges-achats"),
    ],
)
def test_a_last_sentence_standing_for_the_context_does_not_answer_alone(
    understander: Understander, question: str, entry_id: str
) -> None:
    # « ça », « le » stand for the subject named before the colon: the SPASER named after them is
    # no subject of its own (it made the élu·es' or the yearly follow-up's entry win).
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == entry_id


def test_how_to_measure_a_subject_with_a_pronoun_is_advice(understander: Understander) -> None:
    understood = understander.understand("Les émissions de CO2 de nos achats, comment les mesurer ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "ges-achats"


def test_what_a_notion_is_is_not_the_figure_of_the_indicator_sharing_its_name(understander: Understander) -> None:
    understood = understander.understand("les marchés réservés c'est quoi ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "marche-reserve"


def test_a_definition_asked_is_of_the_subject_named_not_of_the_context(understander: Understander) -> None:
    # « définition » is framing the search drops: « rapport » (the yearly report) was left to decide.
    understood = understander.understand("Pour la page de garde de mon rapport, une définition du SPASER ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "definition"


def test_the_subject_asked_is_not_the_person_who_mentioned_it(understander: Understander) -> None:
    understood = understander.understand("c koi exactement un spaser ? mon DGS m'en parle sans arrêt")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "definition"


@pytest.mark.parametrize(
    ("question", "entry"),
    [("comment on mesure l'ESS dans nos achats ?", "achats-ess"), ("on calcule comment nos émissions de CO2 liées aux achats ?", "ges-achats")],
)
def test_how_a_subject_is_computed_surely_answered_is_the_method_not_our_indicator(
    understander: Understander, question: str, entry: str
) -> None:
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == entry


def test_how_our_indicator_is_computed_stays_its_definition(understander: Understander) -> None:
    understood = understander.understand("comment est calculé l'indicateur sur l'ESS ?")
    assert understood.kind is Understood.INTENT and understood.intent.id == "indicator_definition"


def test_how_to_track_a_subject_in_the_spaser_is_no_list_of_our_indicators(understander: Understander) -> None:
    understood = understander.understand("les marchés gagnés par les PME du coin, comment suivre ça dans le schéma ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "acces-pme"


def test_what_to_show_others_of_the_review_is_advice_not_our_summary(understander: Understander) -> None:
    understood = understander.understand("je présente le bilan du SPASER au bureau municipal, je leur montre quoi ?")
    assert understood.kind is Understood.KNOWLEDGE


def test_what_is_tracked_asked_with_quoi_is_no_request_for_a_person(understander: Understander) -> None:
    # « on suit » met « qui suit la démarche chez nous », a phrasing of the lead's intent; « quoi » asks no one.
    understood = understander.understand("côté informatique, on suit quoi comme indicateurs d'achats durables ?")
    assert understood.kind is not Understood.INTENT


def test_what_a_notion_named_first_means_for_a_market_is_that_notion(understander: Understander) -> None:
    # « ça veut dire quoi » stands for the notion named before it, not the market given as example.
    understood = understander.understand("clause environnementale ça veut dire quoi concrètement pour l'entretien des espaces verts ?")
    assert understood.answer.entry.id == "clause-environnementale"


def test_what_a_notion_named_after_means_is_that_notion(understander: Understander) -> None:
    understood = understander.understand("On me parle d'un ESAT du coin, ça veut dire quoi un marché réservé ?")
    assert understood.answer.entry.id == "marche-reserve"
