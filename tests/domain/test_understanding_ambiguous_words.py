"""Words that read two ways: a summary asked briefly or broadly (« un point rapide », « un état des
lieux sommaire »), « ou » typed without its accent (where, or or), « format » and « formation »
(one stem for Snowball), « forme » and « formé » (one word once folded). Paraphrases of our own, in
no evaluation set."""

from __future__ import annotations

import pytest

from domain.knowledge.normalize import Analyzer
from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


@pytest.mark.parametrize(
    "question",
    [
        "un état des lieux sommaire du schéma",
        "un bref point sur notre schéma",
        "un point complet sur la démarche",
        "ou on en est globalement sur le schema",
        "état des lieux express du spaser",
    ],
)
def test_the_state_of_the_spaser_asked_briefly_or_broadly_is_the_summary(understander, question):
    understood = understander.understand(question)
    assert (understood.kind, understood.command) == (Understood.INTENT, "synthèse")


def test_how_to_take_stock_is_advice_not_the_summary(understander):
    assert understander.understand("comment faire un point sur le spaser avec les élus ?").intent is None


@pytest.mark.parametrize(
    "question",
    [
        "on crée de nouveaux indicateurs ou on garde les anciens ?",
        "on ajoute un indicateur ou on en retire un ?",
        "on planifie un copil en juin ou on attend la rentrée ?",
        "il faut ajouter une direction ou je peux rattacher les agents à une existante ?",
    ],
)
def test_ou_between_two_alternatives_offers_a_choice_and_asks_no_help(understander, question):
    understood = understander.understand(question)
    assert understood.intent is None or understood.intent.id != "help"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("ou on ajoute un indicateur ?", "aide indicateurs"),
        ("dites-moi ou je declare une nouvelle direction", "aide organisation"),
        ("je sais pas ou on planifie un copil", "aide comités"),
        ("pour ajouter un indicateur où est-ce qu'on va ?", "aide indicateurs"),  # typed « où »: where, wherever it stands
    ],
)
def test_ou_opening_the_question_or_typed_with_its_accent_asks_where(understander, question, section):
    assert understander.understand(question).command == section


@pytest.mark.parametrize(
    "question",
    ["sous quel format ?", "le bilan, c'est dans quel format ?", "quel format pour le fichier ?", "et le format ?"],
)
def test_a_format_is_no_training(understander, question):
    understood = understander.understand(question)
    entry = understood.answer.entry.id if understood.answer.entry else None
    assert understood.intent is None and entry != "formation-acheteurs"


def test_format_and_formation_part_while_forme_after_its_determiner_is_a_format():
    terms = Analyzer().terms
    assert terms("quel format") == terms("les formats") == terms("sous quelle forme") != terms("la formation")
    assert terms("les agents sont formés") == terms("les agents sont formes") == terms("les agents en formation")


@pytest.mark.parametrize(
    ("question", "entry"),
    [("les agents sont formes aux achats durables ?", "formation-acheteurs"), ("sous quelle forme adopter le spaser ?", "adoption-deliberation")],
)
def test_trained_people_and_the_form_of_an_act_keep_their_entries(understander, question, entry):
    understood = understander.understand(question)
    assert understood.answer.entry is not None and understood.answer.entry.id == entry
