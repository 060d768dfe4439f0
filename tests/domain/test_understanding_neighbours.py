"""Neighbouring subjects need their own words: a question plainly about the SPASER or its progress is
never refused on one everyday word (« avance », « prix », « garantie », « lot »), and a question on
a neighbouring subject named by its own words still is (domain/knowledge/neighbours.py)."""

from __future__ import annotations

import pytest

from domain.knowledge.entries import EntryKind
from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


@pytest.mark.parametrize(
    "question",
    [
        "en deux mots, ça avance le spaser ?",
        "le SPASER avance bien ?",
        "ça avance, notre schéma ?",
        "on est en avance sur le spaser ?",
        "le SPASER, il avance ?",
        "ça n'avance pas, le SPASER ?",
        "Bonjour, est-ce que le schéma avance ?",
    ],
)
def test_the_progress_of_the_spaser_is_its_summary_not_the_payment_advance(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.INTENT and understood.intent.id == "summary"


@pytest.mark.parametrize(
    "question",
    ["le prix du SPASER ?", "le spaser a-t-il une garantie ?", "combien coûte un SPASER ?", "les lots du SPASER"],
)
def test_one_everyday_word_beside_the_spaser_names_no_neighbouring_subject(understander, question):
    answer = understander.knowledge.answer(question, everyday_neighbours=False)
    assert answer.entry is None or answer.entry.kind is not EntryKind.OUT_OF_SCOPE
    assert understander.understand(question).kind is not Understood.OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("question", "neighbour"),
    [
        ("quel est le taux de l'avance forfaitaire ?", "hors-sujet-avances"),
        ("avance forfaitaire : quel pourcentage ?", "hors-sujet-avances"),
        ("faut-il verser une avance au titulaire ?", "hors-sujet-avances"),
        ("l'avance est-elle remboursable ?", "hors-sujet-avances"),
        ("quel taux d'avance forfaitaire prévoir dans le spaser ?", "hors-sujet-avances"),
        ("le DUME, ça concerne le SPASER ?", "hors-sujet-dume"),
        ("la révision des prix dans le spaser ?", "hors-sujet-prix"),
    ],
)
def test_a_neighbouring_subject_named_by_its_own_words_is_still_refused(understander, question, neighbour):
    understood = understander.understand(question)
    assert understood.kind is Understood.OUT_OF_SCOPE and understood.answer.entry.id == neighbour


@pytest.mark.parametrize(
    "question",
    [
        "je veux le rapport pour le copil",
        "il me faut le rapport pour le comité de pilotage",
        "tu peux me sortir le rapport pour le prochain COPIL ?",
        "donne-moi le PDF pour les élus",
    ],
)
def test_the_report_for_a_committee_is_the_summary_card_with_its_export_button(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.INTENT and understood.command == "synthèse"


@pytest.mark.parametrize(
    "question",
    [
        "Pour le rapport au conseil, j'ai besoin de savoir : les élu·es doivent-ils siéger au COPIL ?",
        "qu'est-ce qu'on met dans le rapport pour le copil ?",
        "comment faire avancer le spaser ?",
        "comment ça avance dans les autres collectivités ?",
    ],
)
def test_advice_and_questions_around_a_report_are_not_the_summary(understander, question):
    understood = understander.understand(question)
    assert not (understood.kind is Understood.INTENT and understood.intent.id == "summary")


@pytest.mark.parametrize(
    "question",
    [
        "Je viens d'arriver au service marchés, à quoi sert ce document ? le SPASER je veux dire",
        "tout le monde parle du SPASER, à quoi sert ce truc ?",
    ],
)
def test_a_document_asked_of_beside_the_spaser_is_the_spaser_not_the_dume(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "definition"
