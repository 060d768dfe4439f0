"""Which ranked entry answers a question, and how surely: the acceptance rules over the fused
ranking (retrieval.py ranks, this module decides). An entry answers when enough of the question is
covered (by words, or by word pieces for a long or misspelt question) and the question names a
domain term or shares two terms with it; the organisation's own document when it is asked for; a
long question naming the base's subject on the terms it shares. The other entries well ranked
become related topics, or suggestions when nothing answers.
"""

from __future__ import annotations

import re
from collections.abc import Set

from domain.knowledge.answers import ScoredEntry
from domain.knowledge.entries import Entry, EntryKind
from domain.knowledge.normalize import fold

# On the evaluation set, off-topic questions that would otherwise be answered peak at 0.39 and
# correct on-topic answers start at 0.45: the threshold sits in that gap (see the eval test).
DEFAULT_THRESHOLD = 0.45
# A question naming no domain term (lexicon) needs a clearer match: « Délai d'instruction d'un
# permis de construire » shares « délai » and « construire » with an entry, not its subject.
OFF_DOMAIN_FACTOR = 0.75
RELATED_MIN_COVERAGE = 0.4
SUGGESTION_MIN_COVERAGE = 0.25
MAX_RELATED = 3
SIMILARITY_THRESHOLD = 0.2
"""Word-piece similarity that makes an answer confident on its own (dev and tuning sets: 96 % of
the right answers ranked first reach 0.45 coverage or this similarity, 9 of 104 off-topic ones)."""
PARTLY_COVERED = 0.35
"""A question this covered, and close enough by word pieces, is answered (long, misspelt)."""
SEVERAL_TERMS = 3
SEVERAL_TERMS_COVERAGE = 0.25
"""A long question naming the base's subject and sharing this many terms with the entry ranked first
is answered with it down to this coverage: its context dilutes the share, not the evidence (dev set:
3 more right answers, 1 unknown becomes a wrong answer; no off-topic question of the tuning or dev
set names the subject)."""
# « Que dit notre SPASER sur … » asks for the organisation's own document first.
_OWN_DOCUMENT = re.compile(
    r"\b(?:notre|nos)\s+(?:propres?\s+)?(?:spaser|schemas?|documents?|strategie|plan)\b"
    r"|\bspaser\s+(?:de\s+)?(?:notre|nos)\b|\bchez nous\b|\bnotre politique d\s*achats?\b"
)


def wants_own_document(text: str) -> bool:
    return bool(_OWN_DOCUMENT.search(fold(text)))


def is_confident(scored: ScoredEntry, factor: float, in_domain: bool, threshold: float) -> bool:
    """Enough of the question covered (by words, or by word pieces for a long or misspelt
    question), and either a domain word in the question or two shared terms: one shared
    everyday word (« temps », « heure ») is never enough."""
    covered = scored.coverage * factor
    if covered < threshold and (covered < PARTLY_COVERED or scored.similarity < SIMILARITY_THRESHOLD):
        return False
    return in_domain or len(scored.matched_terms) >= 2 or scored.entry.kind is EntryKind.OUT_OF_SCOPE


def choose(
    ranked: list[ScoredEntry], factor: float, in_domain: bool, wants_own_document: bool, threshold: float
) -> ScoredEntry | None:
    """Pick the answer: the organisation's own text when asked for, general entries first
    otherwise (a definition question should not get a quote of the local document)."""
    confident = [scored for scored in ranked if is_confident(scored, factor, in_domain, threshold)]
    if not confident:
        return None
    own = [s for s in confident if s.entry.kind is EntryKind.ORGANISATION]
    general = [s for s in confident if s.entry.kind is not EntryKind.ORGANISATION]
    preferred = own if wants_own_document else general
    return (preferred or confident)[0]


def several_terms(ranked: list[ScoredEntry], domain_terms: Set[str], subject_terms: Set[str]) -> ScoredEntry | None:
    """« Notre commune fait 38 millions d'achats mais les élus veulent faire un SPASER quand même…
    On a le droit ? »: its context dilutes the coverage of a question naming the base's subject
    (`subject_terms`), not the terms it shares with the entry ranked first. Only the first: a lower
    one is a guess."""
    first = ranked[0] if ranked else None
    if first is None or len(first.matched_terms) < SEVERAL_TERMS or first.coverage < SEVERAL_TERMS_COVERAGE:
        return None
    return first if domain_terms & subject_terms else None


def suggestions(ranked: list[ScoredEntry], domain_terms: Set[str]) -> tuple[Entry, ...]:
    """Close topics offered with an honest unknown: SPASER entries fairly covered on a domain term."""
    return tuple(
        scored.entry
        for scored in ranked
        if scored.entry.kind is not EntryKind.OUT_OF_SCOPE
        and scored.coverage >= SUGGESTION_MIN_COVERAGE
        and scored.matched_terms & domain_terms
    )[:MAX_RELATED]


def related(ranked: list[ScoredEntry], best: ScoredEntry, domain_terms: Set[str]) -> tuple[Entry, ...]:
    """Related topics share the question's subject (a domain term when it names one), not
    just « combien »."""
    return tuple(
        scored.entry
        for scored in ranked
        if scored.entry.id != best.entry.id
        and best.entry.kind is not EntryKind.OUT_OF_SCOPE
        and scored.entry.kind is not EntryKind.OUT_OF_SCOPE
        and scored.coverage >= RELATED_MIN_COVERAGE
        and scored.score >= 0.3 * best.score
        and (not domain_terms or scored.matched_terms & domain_terms)
    )[:MAX_RELATED]


def answer_confidence(best: ScoredEntry, factor: float, threshold: float) -> float:
    """The coverage of the answer, raised to the threshold at most when accepted on word pieces."""
    confidence = best.coverage * factor
    if confidence < threshold:  # accepted on word pieces
        confidence = max(confidence, min(threshold, best.similarity / SIMILARITY_THRESHOLD * threshold))
    return confidence
