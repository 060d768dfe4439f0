"""Phrases read as a whole: framing that names no subject, verbs whose particle carries the meaning."""

import pytest

from domain.knowledge import tokenize
from domain.knowledge.entries import Entry
from domain.knowledge.retrieval import KnowledgeBase


def _entry(entry_id: str, title: str, *questions: str) -> Entry:
    return Entry(id=entry_id, title=title, questions=questions, answer="Réponse.", source="test")


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Pouvez-vous m'expliquer en quelques lignes le SPASER ?", ["spaser"]),
        ("Je me demandais, vous savez à quoi sert le COPIL ?", ["sert", "copil"]),
        ("Petite question : le seuil, en deux mots ?", ["seuil"]),
        ("élue depuis peu, dans les grandes lignes, c'est quoi le schéma ?", ["elue", "schema"]),
        ("En tant qu'élue, une clause sociale au sens des DECP ?", ["elue", "clause", "sociale", "decp"]),
    ],
)
def test_framing_phrases_are_not_searched(question: str, expected: list[str]) -> None:
    assert tokenize(question, drop_framing=True) == expected


def test_framing_phrases_still_count_in_the_length_of_a_message() -> None:
    assert tokenize("en quelques lignes") == ["lignes"]


def test_a_framing_phrase_does_not_match_the_entry_sharing_its_word() -> None:
    base = KnowledgeBase(
        [
            _entry("publication", "Faut-il mettre le schéma en ligne ?", "Le schéma doit-il être publié en ligne ?"),
            _entry("definition", "Qu'est-ce que le schéma ?", "Le schéma, c'est quoi ?"),
        ]
    )
    assert base.answer("Le schéma, en quelques lignes ?").entry.id == "definition"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Que mettre dans le SPASER ?", ["inclure", "spaser"]),
        ("qu'est-ce qu'on met dedans", ["inclure"]),
        ("Ça tombe sous l'obligation ?", ["soumis", "obligation"]),
        ("Quelles grandes parties y mettre ?", ["grandes", "parties", "inclure"]),
        ("Par où commencer pour s'y mettre ?", ["commencer", "mettre"]),
        ("mettre en ligne le schéma", ["mettre", "ligne", "schema"]),
    ],
)
def test_a_verb_whose_particle_carries_the_meaning_reads_as_that_meaning(question: str, expected: list[str]) -> None:
    assert tokenize(question) == expected


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Qu'est-ce qu'il faut mettre dans notre schéma ?", "contenu"),
        ("Une préfecture, ça tombe sous l'obligation d'adopter un schéma ?", "acheteurs-concernes"),
    ],
)
def test_particle_verbs_reach_the_entry_of_their_meaning(shipped: KnowledgeBase, question: str, entry_id: str) -> None:
    assert shipped.answer(question).entry.id == entry_id
