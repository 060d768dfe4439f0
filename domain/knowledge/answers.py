"""What retrieval gives back: the answer to a question, and each entry as ranked for it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.knowledge.entries import Entry


@dataclass(frozen=True)
class Answer:
    """The outcome of a question. `entry` is None when the assistant does not know."""

    question: str
    entry: Entry | None
    confidence: float
    related: tuple[Entry, ...] = ()
    suggestions: tuple[Entry, ...] = ()
    problem: str | None = None  # French reason when the message itself was unusable
    ranked_first: Entry | None = None
    """Unknown: the entry the question ranked first all the same, not confident enough to answer."""
    has_known_word: bool = True
    """False when no word of the message is in any entry (« xyzzy plugh »): not a question to answer."""

    @property
    def is_known(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class ScoredEntry:
    entry: Entry
    score: float
    coverage: float
    matched_terms: frozenset[str]
    similarity: float = 0.0
    """Cosine similarity of the question's word pieces to the entry's (chargrams.py)."""
