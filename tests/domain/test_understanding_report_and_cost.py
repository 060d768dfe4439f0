"""The report for a committee is an intent of its own, found by the same retrieval as every other
(its phrasings in intent_phrasings_requests.md), answered by the summary card whose « Exporter » buttons give
it; the cost of a SPASER is a knowledge entry that says the sources give no figure, never the
lead's name: an intent never rests on the SPASER's name alone. Paraphrases in no evaluation set."""

from __future__ import annotations

import pytest

from domain.knowledge.entries import EntryKind, searched_answer
from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


@pytest.mark.parametrize(
    "question",
    [
        "le rapport pour le copil",
        "je veux le PDF de la synthèse",
        "l'export de la synthèse",
        "tu peux m'envoyer le rapport pour le comité technique ?",
        "il me faudrait le document pour la réunion du copil",
        "un pdf à projeter au comité de pilotage",
        "où je peux télécharger le rapport ?",
        "donne-moi le rapport pdf",
    ],
)
def test_the_report_asked_in_any_words_is_the_report_intent_and_the_summary_card(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.INTENT and understood.intent.id == "report"
    assert understood.command == "synthèse"


def test_the_report_of_one_directorate_keeps_its_filter(understander):
    assert understander.understand("la synthèse en pdf pour la direction DCP").command == "synthèse direction DCP"


@pytest.mark.parametrize(
    "question",
    [
        "Faut-il un rapport annuel sur le SPASER ?",
        "qu'est-ce qu'il faut mettre dans le rapport annuel ?",
        "elus copil",
        "on est où par rapport aux objectifs ?",
        "pour mon rapport de stage, c'est quoi le SPASER en une phrase ?",
    ],
)
def test_a_report_spoken_of_or_par_rapport_is_no_request_for_the_report(understander, question):
    understood = understander.understand(question)
    assert not (understood.kind is Understood.INTENT and understood.intent.id == "report")


@pytest.mark.parametrize(
    "question",
    [
        "le prix du SPASER ?",
        "combien ça coûte un SPASER",
        "ça coûte cher de faire un spaser ?",
        "un spaser ça coûte combien ?",
        "c'est quoi le budget pour un spaser",
        "faire le schéma, ça a un coût ?",
    ],
)
def test_the_cost_of_a_spaser_is_the_entry_saying_the_sources_give_no_figure(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "cout-elaboration"
    assert "aucun montant" in understood.answer.entry.answer


@pytest.mark.parametrize("question", ["le prix du SPASER ?", "la garantie du SPASER ?", "le tarif du spaser"])
def test_an_intent_never_rests_on_the_spasers_name_alone(understander, question):
    assert understander.understand(question).kind is not Understood.INTENT


@pytest.mark.parametrize(
    "question", ["Combien coûte un abonnement Netflix ?", "combien coûte un billet de train pour Paris ?"]
)
def test_the_cost_of_something_else_is_not_the_cost_of_a_spaser(understander, question):
    assert understander.understand(question).kind is not Understood.KNOWLEDGE


def test_the_catch_all_neighbour_is_not_searched_by_the_spaser_subjects_it_sends_back_to(understander):
    catch_all = understander.knowledge.get("hors-sujet-autre")
    assert catch_all is not None and catch_all.kind is EntryKind.OUT_OF_SCOPE
    assert "élu" not in searched_answer(catch_all) and "indicateurs" not in searched_answer(catch_all)
    for question in ("je voudrais imprimer le rapport pour les élus", "imprimer les indicateurs pour le copil"):
        assert understander.understand(question).kind is not Understood.OUT_OF_SCOPE
    understood = understander.understand("L'imprimante du bureau ne marche plus")
    assert understood.kind is Understood.OUT_OF_SCOPE and understood.answer.entry.id == "hors-sujet-autre"
