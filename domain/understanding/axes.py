"""The axis a question names (social or environmental) kept in its answer: « une clause sociale dans
un marché de nettoyage ? » is no question on the environmental clause, whose phrasings happen to say
« nettoyage »."""

from __future__ import annotations

from dataclasses import replace

from domain.knowledge.entries import EntryKind
from domain.knowledge.normalize import tokenize
from domain.knowledge.retrieval import Answer, KnowledgeBase

AXIS_WORDS = "clause sociale clause environnementale social environnement"
RIVALS = 5
RIVAL_SHARE = 0.75
"""An entry naming the axis the question names (`AXIS_WORDS`), among the first `RIVALS` and with this
share of the first's coverage and score at least, answers it rather than a first that does not."""


class AxisKept:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.axes = frozenset(knowledge.analyzer.terms(AXIS_WORDS))

    def __call__(self, answer: Answer) -> Answer:
        """« une clause sociale dans un marché de nettoyage ? »: an entry that misses the axis the
        question names (« clause sociale »), ranked first on an everyday word of its phrasings
        (« nettoyage »), gives way to an entry naming it, ranked nearly as well."""
        if answer.entry is None or answer.entry.kind is EntryKind.OUT_OF_SCOPE:
            return answer
        query = self.knowledge.query_terms(answer.question)
        named = query.keys() & self.axes
        if not named:
            return answer
        ranked = self.knowledge.fused(self.knowledge.rank(query, limit=RIVALS), tokenize(answer.question, drop_framing=True), query)
        first = next((scored for scored in ranked if scored.entry.id == answer.entry.id), None)
        if first is None or named <= first.matched_terms:
            return answer
        for scored in ranked:
            if scored.entry.kind is EntryKind.OUT_OF_SCOPE or not named <= scored.matched_terms:
                continue
            if scored.coverage >= RIVAL_SHARE * first.coverage and scored.score >= RIVAL_SHARE * first.score:
                return replace(answer, entry=scored.entry, related=())
        return answer
