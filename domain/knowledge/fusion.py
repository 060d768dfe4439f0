"""Fused ranking: BM25 candidates re-ordered with word pieces and the entries' own phrasings.

BM25 alone favours the entry that repeats the question's words most; the fusion adds what BM25
misses: word-piece similarity (typos, inflections), the one phrasing closest to the question (an
entry whose single question says it all), and the IDF-weighted share of the question held by the
entry's title and questions (of two close entries, the one naming the rarer words first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

from domain.knowledge.answers import ScoredEntry

PHRASING_SHARE = 0.7
"""Weight of the one phrasing closest to the question: an entry whose single phrasing says it all
beats one whose many phrasings repeat its words (tuning and dev sets: 0.5 to 1.0 best)."""
PIECES_SHARE = 0.5  # weight of the word-piece similarity in the ranking (dev set: 0.3 to 0.5 best)
PHRASINGS_SHARE = 0.4  # IDF-weighted share of the question its phrasings hold: of two close entries,
# the one naming the rarer words where it says what it answers (tuning, dev: 0.3 to 0.5 best)
TIE_MARGIN = 0.01
"""Fused scores this close are a tie: the first two are then ordered by how much of the question
they cover (then BM25), the word pieces deciding nothing at that margin (« 6 mois pour faire un
spaser c'est le minimum ? » is the duration, on « 6 mois », not the content on « minimum »; dev,
dev3: 0.01 to 0.02 best, 0.04 worse)."""

Phrasings = Mapping[str, tuple[int, ...]]
"""Which phrasings of an entry (title, then questions) hold each term."""


def bm25_idf(document_count: int, document_frequency: int) -> float:
    """BM25 IDF, always positive; an unseen term gets the highest value."""
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def fuse(
    ranked: list[ScoredEntry],
    similarity: Mapping[str, float],
    query: Mapping[str, float],
    phrasings_of: Callable[[str], Phrasings],
    rarity_of: Callable[[str], float],
) -> list[ScoredEntry]:
    """`ranked` re-ordered, each with its word-piece `similarity`; `phrasings_of(entry_id)` tells
    which phrasings hold each term, `rarity_of(term)` the IDF of a query term."""
    if not ranked:
        return ranked
    best_score = max(scored.score * scored.coverage for scored in ranked) or 1.0
    best_similarity = max(similarity.values(), default=0.0) or 1.0
    scored_again = [replace(scored, similarity=similarity.get(scored.entry.id, 0.0)) for scored in ranked]
    mass = sum(query.values()) or 1.0
    rarity = {term: weight * rarity_of(term) for term, weight in query.items()}
    rare_mass = sum(rarity.values()) or 1.0

    def closest_phrasing(held: Phrasings) -> float:
        """Share of the question one single phrasing of the entry covers."""
        covered: dict[int, float] = {}
        for term, weight in query.items():
            for index in held.get(term, ()):
                covered[index] = covered.get(index, 0.0) + weight
        return max(covered.values(), default=0.0) / mass

    def fused_score(scored: ScoredEntry) -> float:
        held = phrasings_of(scored.entry.id)
        lexical = scored.score * scored.coverage / best_score
        blended = (1 - PIECES_SHARE) * lexical + PIECES_SHARE * scored.similarity / best_similarity
        phrasings = sum(weight for term, weight in rarity.items() if term in held) / rare_mass
        return blended + PHRASING_SHARE * closest_phrasing(held) + PHRASINGS_SHARE * phrasings

    scores = {scored.entry.id: fused_score(scored) for scored in scored_again}
    order = sorted(scored_again, key=lambda scored: (-scores[scored.entry.id], scored.entry.id))
    if len(order) >= 2 and scores[order[0].entry.id] - scores[order[1].entry.id] <= TIE_MARGIN:
        first, second = order[0], order[1]
        if (second.coverage, second.score) > (first.coverage, first.score):
            order[0], order[1] = second, first
    return order
