"""A second look at a question, by pieces of words rather than whole words.

Every word is cut into its 3- to 5-letter pieces (« cantine » → « can », « ant », …, « tine »);
an entry is the TF-IDF vector of its phrasings' pieces. A question then meets an entry even
through a typo (« cnatine »), another inflection (« recommandez » / « recommandation ») or a word
glued by SMS spelling, where whole-word BM25 sees nothing in common. Cosine similarity, computed
only for the entries BM25 already ranks (the candidates), so the cost stays flat with the size of
the base.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from operator import mul

ORDERS = (3, 4, 5)
ANSWER_WEIGHT = 0.5
"""An entry's answer speaks about the subject less directly than its phrasings."""


def pieces(tokens: Iterable[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for token in tokens:
        if len(token) < 3 or token.isdigit():
            continue
        word = f" {token} "
        for size in ORDERS:
            for start in range(len(word) - size + 1):
                found[word[start : start + size]] += 1
    return found


class CharGramIndex:
    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = {}
        self._document_frequency: Counter[str] = Counter()
        self._vectors: dict[str, dict[str, float]] | None = None

    def add(self, entry_id: str, phrasing_tokens: Iterable[str], answer_tokens: Iterable[str]) -> None:
        self.remove(entry_id)
        counts = pieces(phrasing_tokens)
        for piece, count in pieces(answer_tokens).items():
            counts[piece] += ANSWER_WEIGHT * count
        self._counts[entry_id] = counts
        self._document_frequency.update(counts.keys())
        self._vectors = None

    def remove(self, entry_id: str) -> None:
        counts = self._counts.pop(entry_id, None)
        if counts is not None:
            self._document_frequency.subtract(counts.keys())
            self._vectors = None

    def similarities(self, tokens: Iterable[str], candidates: Iterable[str]) -> dict[str, float]:
        """Cosine similarity of the question to each candidate entry (0 to 1)."""
        vectors = self._built()
        query = self._vector(pieces(tokens))
        if not query:
            return {}
        found = {}
        pieces_asked, weights = list(query), list(query.values())
        for entry_id in candidates:
            document = vectors.get(entry_id)
            if document:
                # Σ weight × document's weight of each piece (0.0 where it lacks it), in the query's
                # order: the same sum as a generator expression gives, computed by C loops.
                found[entry_id] = sum(map(mul, weights, map(document.get, pieces_asked, repeat(0.0))))
        return found

    def _built(self) -> dict[str, dict[str, float]]:
        if self._vectors is None:
            self._vectors = {entry_id: self._vector(counts) for entry_id, counts in self._counts.items()}
        return self._vectors

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        total = len(self._counts) + 1
        weights = {
            piece: (1.0 + math.log(count)) * math.log(total / (self._document_frequency.get(piece, 0) + 0.5))
            for piece, count in counts.items()
            if count > 0
        }
        norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
        return {piece: weight / norm for piece, weight in weights.items() if weight > 0}
