"""General rules for phrasings nobody tuned for: feminine agent nouns, set phrases meaning an
obligation, everyday vocabulary of hospitals, how a notion works, clauses that are no request."""

from __future__ import annotations

import pytest

from domain.knowledge.normalize import Analyzer, tokenize
from domain.understanding.understanding import Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="module")
def understander():
    return demo_understander()


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [("les acheteuses", "les acheteurs"), ("une acheteuse", "un acheteur"), ("nos directrices", "nos directeurs")],
)
def test_the_feminine_of_an_agent_noun_of_the_lexicon_is_read_as_it(analyzer, feminine, masculine):
    assert analyzer.terms(feminine) == analyzer.terms(masculine)


def test_a_feminine_adjective_is_left_to_the_stemmer(analyzer):
    assert analyzer.terms("heureuse") == analyzer.terms("heureux")  # no « heureur »: not an agent noun


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("l'hôpital est-il tenu d'adopter un schéma ?", "obligation"),
        ("sommes-nous tenus de le publier ?", "obligation"),
        ("avec 42 M€ d'achats, on entre dans l'obligation ?", "concerne"),
        ("les locaux hospitaliers", "hopital"),
        ("les établissements de santé", "hopital"),
        ("le seuil a été abaissé", "abaisser"),
    ],
)
def test_everyday_phrasings_meet_the_lexicon(analyzer, question, term):
    assert term in analyzer.terms(question)


def test_tenu_alone_is_no_obligation(analyzer):
    assert "obligation" not in analyzer.terms("le comité s'est tenu mardi")


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("heures d'insertion dans un marché, ça consiste en quoi ?", "clause-sociale"),
        ("heures d'insertion dans les marchés publics, comment ça marche ?", "clause-sociale"),
    ],
)
def test_how_a_notion_works_is_what_it_is_not_whether_it_goes_well(understander, question, entry_id):
    understood = understander.understand(question)
    assert (understood.kind, understood.answer.entry.id) == (Understood.KNOWLEDGE, entry_id)


def test_a_clause_naming_objects_only_is_part_of_a_list_not_a_request(understander):
    question = (
        "Dans notre hôpital on veut suivre à part les achats durables de repas bio, de véhicules et "
        "d'informatique : comment organiser ce suivi par catégorie ?"
    )
    understood = understander.understand(question)
    assert (understood.kind, understood.answer.entry.id) == (Understood.KNOWLEDGE, "categories-achats")


def test_a_clause_choosing_among_what_the_others_name_is_no_data_request(understander):
    question = (
        "Le chiffre de 100 millions que j'ai lu dans un ancien guide, et celui de 50 millions sur un site : "
        "lequel des deux chiffres est à jour ?"
    )
    assert understander.understand(question).kind is not Understood.INTENT


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Sur quelle période d'achats apprécie-t-on les 50 millions : année civile ou budgétaire ?", "seuil"),
        ("En quelle année l'obligation du SPASER est-elle descendue à 50 millions ?", "seuil-historique"),
        ("Nos données essentielles de 2022 ne montrent aucune considération sociale, c'est normal ?", "decp-historique"),
    ],
)
def test_close_entries_answer_their_own_question(understander, question, entry_id):
    understood = understander.understand(question)
    assert (understood.kind, understood.answer.entry.id) == (Understood.KNOWLEDGE, entry_id)


def test_a_question_asked_on_behalf_of_someone_is_not_about_asking(analyzer):
    assert "demande" not in tokenize("la DGS me demande si le schéma est obligatoire", drop_framing=True)


def test_a_public_document_is_a_published_one(analyzer):
    assert "publication" in analyzer.terms("le schéma est-il un document public ?")


def test_what_a_notion_consists_of_in_some_context_is_what_it_is(understander):
    question = "Pour l'entretien des espaces verts de la commune, une clause d'insertion consisterait en quoi ?"
    understood = understander.understand(question)
    assert (understood.kind, understood.answer.entry.id) == (Understood.KNOWLEDGE, "clause-sociale")
