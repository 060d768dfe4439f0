"""Long questions: the context before the last sentence must not outweigh the question itself."""

from __future__ import annotations

import pytest

from domain.knowledge.frequency import french_zipf
from domain.knowledge.retrieval import KnowledgeBase
from domain.understanding.slots import SlotReader
from domain.understanding.understanding import Understander, Understood


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.from_directory(word_frequency=french_zipf)


@pytest.fixture(scope="module")
def understander(knowledge: KnowledgeBase) -> Understander:
    return Understander(knowledge, SlotReader([], [], knowledge.analyzer, knowledge.common_terms(), knowledge.word_frequency))


@pytest.mark.parametrize(
    "question",
    [
        "Je suis élue dans une commune de 60 000 habitants, on vient de lancer la démarche : à quoi sert un SPASER ?",
        "Je suis élu d'une ville de 80 000 habitants et nous démarrons tout juste. À quoi sert le SPASER ?",
    ],
)
def test_the_last_sentence_surer_than_its_context_is_what_is_answered(understander, knowledge, question):
    assert knowledge.answer(question).entry.id != "definition"  # the context alone points elsewhere
    understood = understander.understand(question)
    assert (understood.kind, understood.answer.entry.id) == (Understood.KNOWLEDGE, "definition")


def test_a_last_sentence_referring_back_to_its_context_does_not_replace_it(understander, knowledge):
    question = "Les référents des directions remontent leurs chiffres une fois par an. C'est assez souvent ?"
    assert knowledge.answer("C'est assez souvent ?").entry.id == "comitologie"  # alone, about something else
    assert understander.understand(question).answer.entry == knowledge.answer(question).entry
