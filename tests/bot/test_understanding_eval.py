"""The understanding layer scored on evaluation sets (benchmarks/eval_understanding.py), the way a
Teams message is understood: the commands' own phrasings, then intents, knowledge entries and
neighbouring subjects.

The tuning sets (knowledge_eval.json, dev.json … dev6.json) may be read when tuning; the
frozen sets were written before any tuning by someone who never read the entries (frozen2 after the
persona phrasings, frozen3 and frozen4 on 6 December) and are never printed question by question: only their totals, held to a floor
so that a change cannot lose ground unseen.
"""

from __future__ import annotations

import json

import pytest
from rapidfuzz import fuzz, process

from benchmarks.eval_understanding import SETS, Pipeline, evaluate
from domain.knowledge import KnowledgeBase

FLOORS = {
    # set: (on-topic, off-topic kept off SPASER content, data questions), as shares: each about one
    # question under the figure of 6 December 2026 (night, after the dev4 tuning)
    "tuning (knowledge_eval.json)": (0.94, 0.94, None),
    "dev": (0.875, 0.95, 0.98),
    "dev2": (None, None, 0.98),
    "dev3": (0.95, 0.97, 0.98),
    "dev4": (0.905, 0.96, None),
    "dev5": (0.909, 0.98, 0.98),  # 2 % under its figure after the dev5 tuning (237/255, 48/48, 63/63)
    "frozen": (0.81, 0.96, 0.83),  # 173/213 since the report intent and the SPASER-only rule (was 174)
    "frozen2": (0.865, 0.94, 0.91),
    "frozen3": (0.85, 0.97, 0.91),  # written 6 December; first 157/185, 48/48, 65/73; that evening 160, 48, 68
    "frozen4": (0.80, 0.94, 0.77),  # written 6 December, evening; first 170/210, 51/53, 50/63
    "dev6": (0.76, 0.97, 0.93),  # written 6 December, evening; first 137/210, 45/46, 47/60; after its tuning 161, 46, 57
}
NEAR_COPY_SIMILARITY = 90


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def load(name: str) -> dict:
    return json.loads(SETS[name].read_text(encoding="utf-8"))


def test_the_new_sets_are_large_enough_and_not_copied_from_the_entries() -> None:
    own_lines = [text for entry in KnowledgeBase.from_directory().entries() for text in (entry.title, *entry.questions)]
    for name in ("dev", "frozen", "frozen2", "frozen3", "frozen4", "dev5", "dev6"):
        data = load(name)
        assert len(data["on_topic"]) >= 150 and len(data["off_topic"]) >= 40 and len(data["data"]) >= 40
        near_copies = sum(
            process.extractOne(item["question"], own_lines, scorer=fuzz.ratio, processor=str.casefold)[1]
            >= NEAR_COPY_SIMILARITY
            for item in data["on_topic"]
        )
        # The entries' phrasings were written by someone who never saw the sets: short, typical
        # questions (« base legale spaser ») meet by chance. A leak would show as many more.
        assert near_copies <= 0.1 * len(data["on_topic"]), f"{name}: {near_copies} near copies of a phrasing"


@pytest.mark.parametrize("name", list(FLOORS))
def test_understanding_holds_its_floor(pipeline: Pipeline, name: str) -> None:
    scores = evaluate(pipeline, load(name))
    print(name, "; ".join(f"{label} {score}" for label, score in scores.items() if score.total))
    for (label, score), floor in zip(scores.items(), FLOORS[name]):
        if floor is not None and score.total:
            assert score.right / score.total >= floor, f"{name} {label}: {score} (floor {floor:.0%})"
