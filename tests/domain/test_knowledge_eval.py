"""Evaluation of the shipped knowledge base on questions written in users' words.

The set (tests/data/knowledge_eval.json) holds on-topic questions with the entries that
answer them correctly (paraphrases, typos, no accents, SMS spelling, inclusive writing,
acronyms; none copied from the entries' own question lines) and off-topic questions (weather,
recipes, IT support, other law topics, everyday questions sharing a word with the SPASER).
"""

import json

import pytest
from rapidfuzz import fuzz, process

from domain.knowledge import KnowledgeBase
from tests.paths import DATA

EVAL_SET = json.loads(
    (DATA / "knowledge_eval.json").read_text(encoding="utf-8")
)
MIN_TOP1_ACCURACY = 0.95
NEAR_COPY_SIMILARITY = 90  # rapidfuzz ratio, 0-100


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


def test_eval_set_is_large_enough_and_not_copied_from_the_entries(shipped: KnowledgeBase) -> None:
    on_topic = EVAL_SET["on_topic"]
    assert len(on_topic) >= 80
    assert len(EVAL_SET["off_topic"]) >= 20
    own_lines = [text for entry in shipped.entries() for text in (entry.title, *entry.questions)]
    near_copies = [
        (item["question"], match[0])
        for item in on_topic
        if (match := process.extractOne(
            item["question"], own_lines, scorer=fuzz.ratio, processor=str.casefold
        ))[1] >= NEAR_COPY_SIMILARITY
    ]
    assert not near_copies
    covered = {entry_id for item in on_topic for entry_id in item["expected"]}
    assert covered == {entry.id for entry in shipped.entries()}  # every topic is evaluated


def test_top1_accuracy_on_topic_and_no_spaser_answer_off_topic(shipped: KnowledgeBase) -> None:
    on_topic = EVAL_SET["on_topic"]
    misses = []
    lowest_correct = 1.0
    for item in on_topic:
        answer = shipped.answer(item["question"])
        if answer.entry is not None and answer.entry.id in item["expected"]:
            lowest_correct = min(lowest_correct, answer.confidence)
        else:
            got = answer.entry.id if answer.entry else "je ne sais pas"
            misses.append(f"{item['question']!r} → {got} (attendu {item['expected']})")
    answered_off_topic = []
    for question in EVAL_SET["off_topic"]:
        answer = shipped.answer(question)
        if answer.entry is not None:
            answered_off_topic.append(f"{question!r} → {answer.entry.id}")

    correct = len(on_topic) - len(misses)
    accuracy = correct / len(on_topic)
    report = (
        f"on-topic top-1: {correct}/{len(on_topic)} = {accuracy:.1%} (minimum "
        f"{MIN_TOP1_ACCURACY:.0%}); off-topic answered with SPASER content: "
        f"{len(answered_off_topic)}/{len(EVAL_SET['off_topic'])}; threshold "
        f"{shipped.threshold}, lowest confidence of a correct answer {lowest_correct:.2f}"
        "\nmisses:\n  "
        + "\n  ".join(misses)
        + "\noff-topic answered:\n  "
        + "\n  ".join(answered_off_topic or ["(none)"])
    )
    print(report)
    assert accuracy >= MIN_TOP1_ACCURACY and not answered_off_topic, report
