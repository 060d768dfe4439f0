"""What a question names, read against a small catalogue: indicators, directorates, committees."""

from __future__ import annotations

import pytest

from domain.knowledge.retrieval import KnowledgeBase
from domain.understanding.intents import INTENTS, PHRASINGS_FILE, read_phrasings
from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader

INDICATORS = [
    IndicatorName("IND-17", "Part des produits biologiques dans la restauration collective"),
    IndicatorName("IND-18", "Repas végétariens servis par semaine dans les restaurants collectifs"),
    IndicatorName("IND-19", "Consommation d’énergie du patrimoine bâti"),
]
DIRECTORATES = [
    DirectorateName("DPB", "Direction du patrimoine bâti"),
    DirectorateName("DRC", "Direction de la restauration collective"),
]


@pytest.fixture(scope="module")
def reader() -> SlotReader:
    knowledge = KnowledgeBase.from_directory()
    return SlotReader(INDICATORS, DIRECTORATES, knowledge.analyzer, knowledge.common_terms())


def test_words_naming_a_directorate_do_not_also_name_an_indicator(reader):
    slots = reader.read("Il manque quoi pour le trimestre côté patrimoine bâti ?").slots
    assert (slots.directorate, slots.indicator) == ("DPB", None)


def test_an_indicator_named_by_code_stays_next_to_a_directorate(reader):
    slots = reader.read("la valeur de IND-19 pour le patrimoine bâti").slots
    assert (slots.directorate, slots.indicator) == ("DPB", "IND-19")


def test_a_time_expression_is_not_a_subject(reader):
    assert reader.read("qui a modifié le chiffre du bio à la cantine la semaine dernière ?").slots.indicator == "IND-17"


@pytest.mark.parametrize(
    ("question", "when", "status"),
    [
        ("le copil c'est quand déjà", True, False),
        ("quand faut-il réunir le copil ?", False, False),
        ("où en est le SPASER ?", False, True),
        ("où en sont les autres collectivités ?", False, False),
    ],
)
def test_questions_asking_when_or_where_things_stand(reader, question, when, status):
    reading = reader.read(question)
    assert (reading.asks_when, reading.asks_status) == (when, status)


def test_every_intent_has_phrasings_in_the_file():
    phrasings = read_phrasings(PHRASINGS_FILE.read_text(encoding="utf-8"))
    assert {intent.id for intent in INTENTS} == set(phrasings)
    assert all(len(intent.examples) >= 5 for intent in INTENTS)
