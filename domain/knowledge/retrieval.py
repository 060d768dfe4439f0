"""Retrieval over the knowledge base: BM25 ranking, coverage-based confidence, honest unknowns.

Ranking is Okapi BM25 with field weights (title and question phrasings count more than the
answer). It is written here (about forty lines, tested against hand-computed scores) instead of
taken from rank-bm25 (unmaintained since 2022, numpy) or bm25s (numpy + scipy) because we need
what neither offers: per-term query weights for typo-corrected words, incremental `add` of
single entries, and per-document coverage of the question's terms, which is the confidence.

Confidence is the IDF-weighted share of the question's terms that the best entry contains:
words the knowledge base has never seen (« météo », « Outlook ») weigh as much as the rarest
word, so an off-topic question keeps a low confidence even when it shares a word or two with
an entry. A question is only answered above `threshold` and when it either names a domain
term (lexicon) or matches the entry on at least two terms: these rules of acceptance, with the
related topics and suggestions, are in confidence.py.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from domain.knowledge.answers import Answer, ScoredEntry
from domain.knowledge.chargrams import CharGramIndex
from domain.knowledge.confidence import (
    DEFAULT_THRESHOLD,
    OFF_DOMAIN_FACTOR,
    answer_confidence,
    choose,
    related,
    several_terms,
    suggestions,
    wants_own_document,
)
from domain.knowledge.entries import Entry, EntryKind, load_entries, searched_answer
from domain.knowledge.frequency import WordWeights
from domain.knowledge.fusion import PHRASING_SHARE, bm25_idf, fuse
from domain.knowledge.lexicon import DEFAULT_LEXICON_PATH, Lexicon
from domain.knowledge.neighbours import on_one_everyday_word
from domain.knowledge.normalize import COUNTED_PREFIX, STOP_WORDS, Analyzer, fold, spellings, tokenize

DEFAULT_ENTRIES_PATH = Path(__file__).with_name("entries")
MAX_QUESTION_CHARS = 1_000
FIELD_WEIGHTS = {"title": 2.0, "questions": 1.5, "answer": 1.0}
BM25_K1 = 1.2
BM25_B = 0.75
STOP_WORD_TYPO = ""  # what `_correct_typo` gives for a stop word typed a letter off (« qoui »): dropped
TYPO_WEIGHT = 0.8  # a corrected word is evidence, but weaker than the word itself
UNKNOWN_NUMBER_WEIGHT = 0.3  # « 60 millions » should not sink a question on the threshold
RANK_LIMIT = 50  # candidates examined per question; answers, related and suggestions are top ones
QUERY_MEMO_SIZE = 32  # texts whose terms are kept (`query_terms`): one message asks for a few several times
SUBJECT_SHARE = 0.75
"""A domain term this share of the own entries (not the neighbouring subjects) hold, the most held,
is the subject of the whole base (« SPASER »)."""
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
COMPARING_WORDS = "différence différent différents pareil pareils identique identiques équivalent synonyme synonymes chose entre distinguer"
"""« clause d'insertion et clause sociale, c'est pareil ? »: comparing two names of one thing asks
what that thing is; the words of the comparison would point to the entry comparing two things."""

EMPTY_QUESTION = "Votre message est vide : posez-moi une question sur le SPASER."
TOO_LONG_QUESTION = (
    "Votre message est trop long (plus de 1 000 caractères) : posez une question courte, "
    "par exemple « Qui doit adopter un SPASER ? »."
)
NO_WORDS = (
    "Je n’ai trouvé aucun mot à chercher dans votre message : reformulez votre question "
    "avec quelques mots, par exemple « Combien d’indicateurs prévoir ? »."
)


@dataclass
class _Document:
    entry: Entry
    term_frequencies: dict[str, float]
    length: float
    surface_tokens: Counter[str]
    phrasings_with: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Which phrasings (title, then questions) hold each term: the one closest to a question."""


class KnowledgeBase:
    """Entries indexed for French questions; `answer` never raises on any string."""

    def __init__(
        self,
        entries: Iterable[Entry] = (),
        *,
        analyzer: Analyzer | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        word_frequency: Callable[[str], float] | None = None,
    ) -> None:
        self.analyzer = analyzer if analyzer is not None else Analyzer()
        self.threshold = threshold
        self.word_frequency = word_frequency
        """Zipf frequency of a French word (`frequency.french_zipf`); None: every word is rare."""
        self._documents: dict[str, _Document] = {}
        self._postings: dict[str, dict[str, float]] = {}
        self._total_length = 0.0
        self._surface_counts: Counter[str] = Counter()
        self._typo_choices: dict[str, list[str]] | None = None
        self._typo_cache: dict[str, str | None] = {}
        self._query_memo: dict[str, dict[str, float]] = {}
        self._weights = WordWeights(word_frequency) if word_frequency is not None else None
        self._subject: frozenset[str] | None = None
        self._pieces = CharGramIndex()
        self._titles: dict[str, str] = {}
        self._comparing = frozenset(self.analyzer.terms(COMPARING_WORDS))
        for entry in entries:
            self.add(entry)

    @classmethod
    def from_directory(
        cls,
        path: Path | str = DEFAULT_ENTRIES_PATH,
        *,
        lexicon_path: Path | str = DEFAULT_LEXICON_PATH,
        threshold: float = DEFAULT_THRESHOLD,
        word_frequency: Callable[[str], float] | None = None,
    ) -> "KnowledgeBase":
        """Load the entry files of `path` with the lexicon (both editable by the lead)."""
        analyzer = Analyzer(Lexicon.from_file(lexicon_path))
        return cls(load_entries(path), analyzer=analyzer, threshold=threshold, word_frequency=word_frequency)

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, entry_id: str) -> Entry | None:
        document = self._documents.get(entry_id)
        return document.entry if document else None

    def entries(self, kind: EntryKind | None = None) -> tuple[Entry, ...]:
        return tuple(
            document.entry
            for document in self._documents.values()
            if kind is None or document.entry.kind is kind
        )

    def common_terms(self, min_share: float = 0.15) -> frozenset[str]:
        """Terms found in at least `min_share` of the entries: the base's everyday vocabulary."""
        least = max(2, int(min_share * len(self._documents)))
        return frozenset(term for term, postings in self._postings.items() if len(postings) >= least)

    def add(self, entry: Entry) -> None:
        """Index `entry`, replacing any entry with the same id (a re-written answer)."""
        self.remove(entry.id)
        frequencies: Counter[str] = Counter()
        surface: Counter[str] = Counter()
        for field_name, texts in (
            ("title", [entry.title]),
            ("questions", list(entry.questions)),
            ("answer", [searched_answer(entry)]),
        ):
            for text in texts:
                tokens = tokenize(text, drop_framing=True)
                surface.update(tokens)
                for term in self.analyzer.terms_from_tokens(tokens):
                    frequencies[term] += FIELD_WEIGHTS[field_name]
        phrasing_tokens = [token for text in (entry.title, *entry.questions) for token in tokenize(text, drop_framing=True)]
        # An out-of-scope answer is the same redirection every time: its wording (« Je ne peux pas vous
        # aider sur ce point… ») must not weigh on the word pieces of the other entries.
        answer_tokens = [] if entry.kind is EntryKind.OUT_OF_SCOPE else tokenize(entry.answer, drop_framing=True)
        self._pieces.add(entry.id, phrasing_tokens, answer_tokens)
        if len(entry.title.split()) >= 3:  # a real question, as the related-topic buttons show it
            self._titles[fold(entry.title)] = entry.id
        phrasings_with: dict[str, list[int]] = {}
        for index, text in enumerate((entry.title, *entry.questions)):
            for term in set(self.analyzer.terms_from_tokens(tokenize(text, drop_framing=True))):
                phrasings_with.setdefault(term, []).append(index)
        held = {term: tuple(indexes) for term, indexes in phrasings_with.items()}
        document = _Document(entry, dict(frequencies), sum(frequencies.values()), surface, held)
        self._documents[entry.id] = document
        self._total_length += document.length
        for term, frequency in document.term_frequencies.items():
            self._postings.setdefault(term, {})[entry.id] = frequency
        self._surface_counts.update(surface)
        self._invalidate_typo_vocabulary()

    def remove(self, entry_id: str) -> bool:
        document = self._documents.pop(entry_id, None)
        if document is None:
            return False
        self._pieces.remove(entry_id)
        if self._titles.get(fold(document.entry.title)) == entry_id:
            del self._titles[fold(document.entry.title)]
        self._total_length -= document.length
        for term in document.term_frequencies:
            postings = self._postings[term]
            del postings[entry_id]
            if not postings:
                del self._postings[term]
        self._surface_counts.subtract(document.surface_tokens)
        self._surface_counts = +self._surface_counts
        self._invalidate_typo_vocabulary()
        return True

    def replace_kind(self, kind: EntryKind, entries: Iterable[Entry]) -> None:
        """Swap every entry of `kind` for `entries` (re-importing the organisation's SPASER).

        `entries` is fully materialised and checked before anything is removed, so a bad
        import leaves the previous version in place.
        """
        new_entries = list(entries)
        wrong = [entry.id for entry in new_entries if entry.kind is not kind]
        if wrong:
            raise ValueError(f"entries of another kind than {kind}: {wrong[:3]}")
        for entry in self.entries(kind):
            self.remove(entry.id)
        for entry in new_entries:
            self.add(entry)

    def answer(self, question: str, *, everyday_neighbours: bool = True) -> Answer:
        """Best entry for `question`, or an honest unknown with close topics as suggestions; without
        `everyday_neighbours`, no neighbouring subject named by one everyday word beside the SPASER."""
        text = question if isinstance(question, str) else ""
        if not text.strip():
            return Answer(question=text, entry=None, confidence=0.0, problem=EMPTY_QUESTION)
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(question=text, entry=None, confidence=0.0, problem=TOO_LONG_QUESTION)
        query = self.query_terms(text)
        if not query:
            return Answer(question=text, entry=None, confidence=0.0, problem=NO_WORDS)
        titled = self._titles.get(fold(text))
        if titled is not None and titled in self._documents:  # a related-topic button: its entry
            return Answer(question=text, entry=self._documents[titled].entry, confidence=1.0)

        tokens = [token for token in tokenize(text, drop_framing=True) if self._typo_cache.get(token) != STOP_WORD_TYPO]  # cached above
        ranked = self.fused(self.rank(query, limit=RANK_LIMIT), tokens, query)
        domain_terms = query.keys() & self.analyzer.domain_terms
        in_domain = bool(domain_terms)
        factor = 1.0 if in_domain else OFF_DOMAIN_FACTOR
        if not everyday_neighbours and self._weights is not None and domain_terms & self._subject_terms():
            weak = self._subject_terms() | self.common_terms()
            terms_of, commonness = self.analyzer.terms_from_tokens, self._weights.commonness
            ranked = [scored for scored in ranked if not on_one_everyday_word(scored, tokens, terms_of, weak, commonness)]
        best = choose(ranked, factor, in_domain, wants_own_document(text), self.threshold)
        best = best or several_terms(ranked, domain_terms, self._subject_terms())
        if best is not None and best.entry.kind is not EntryKind.OUT_OF_SCOPE:
            best = self._neighbour_named(text, ranked, best)
        if best is None:
            close = suggestions(ranked, self.analyzer.domain_terms)
            confidence = ranked[0].coverage * factor if ranked else 0.0
            known = any(term in self._postings for term in query)
            first = ranked[0].entry if ranked else None
            return Answer(
                question=text, entry=None, confidence=confidence, suggestions=close, ranked_first=first, has_known_word=known
            )
        confidence = answer_confidence(best, factor, self.threshold)
        return Answer(question=text, entry=best.entry, confidence=confidence, related=related(ranked, best, domain_terms))

    def rank(self, query: dict[str, float], limit: int | None = None) -> list[ScoredEntry]:
        """Entries sharing at least one term with `query`, best first (BM25 × coverage).

        Only the `limit` best are materialised: with 1,000 entries a common word matches
        nearly all of them, and building every result would dominate the answer time.
        """
        count = len(self._documents)
        if count == 0:
            return []
        average_length = self._total_length / count
        scores: dict[str, float] = {}
        matched_mass: dict[str, float] = {}
        total_mass = 0.0
        for term, weight in query.items():
            postings = self._postings.get(term, {})
            idf = bm25_idf(count, len(postings))
            if not term.startswith(COUNTED_PREFIX):  # what is counted lifts the entries naming it, sinks none
                total_mass += weight * idf
            for entry_id, frequency in postings.items():
                length = self._documents[entry_id].length
                saturation = frequency * (BM25_K1 + 1) / (
                    frequency + BM25_K1 * (1 - BM25_B + BM25_B * length / average_length)
                )
                scores[entry_id] = scores.get(entry_id, 0.0) + weight * idf * saturation
                matched_mass[entry_id] = matched_mass.get(entry_id, 0.0) + weight * idf
        coverage = {
            entry_id: min(1.0, mass / total_mass) for entry_id, mass in matched_mass.items()
        }
        order = heapq.nsmallest(
            len(scores) if limit is None else limit,
            scores,
            key=lambda entry_id: (-scores[entry_id] * coverage[entry_id], entry_id),
        )
        return [
            ScoredEntry(
                entry=self._documents[entry_id].entry,
                score=scores[entry_id],
                coverage=coverage[entry_id],
                matched_terms=frozenset(
                    term for term in query if entry_id in self._postings.get(term, ())
                ),
            )
            for entry_id in order
        ]

    def fused(
        self, ranked: list[ScoredEntry], tokens: list[str], query: dict[str, float] | None = None
    ) -> list[ScoredEntry]:
        """BM25 candidates re-ordered with the word-piece similarity (typos, inflections) and the
        entries' phrasings (fusion.py); `query`: the terms of the question, when the caller has them."""
        if not ranked:
            return ranked
        similarity = self._pieces.similarities(tokens, [scored.entry.id for scored in ranked])
        if query is None:
            query = self.query_terms(" ".join(tokens)) if PHRASING_SHARE else {}
        count = len(self._documents)

        def phrasings_of(entry_id: str) -> dict[str, tuple[int, ...]]:
            document = self._documents.get(entry_id)
            return document.phrasings_with if document is not None else {}

        return fuse(ranked, similarity, query, phrasings_of, lambda term: bm25_idf(count, len(self._postings.get(term, ()))))

    def _neighbour_named(self, text: str, ranked: list[ScoredEntry], best: ScoredEntry) -> ScoredEntry:
        """« la CAO, c'est obligatoire au-dessus de quel seuil ? »: an acronym only neighbouring
        subjects use (CAO, DUME, UGAP) names the subject, whatever SPASER words come with it."""
        acronyms = {term for token in _ACRONYM.findall(text) for term in self.analyzer.terms(token)}
        for term in acronyms - best.matched_terms:
            holders = self._postings.get(term, {})
            if holders and all(self._documents[entry_id].entry.kind is EntryKind.OUT_OF_SCOPE for entry_id in holders):
                neighbour = next((scored for scored in ranked if scored.entry.id in holders), None)
                if neighbour is not None:
                    return neighbour
        return best

    def _subject_terms(self) -> frozenset[str]:
        """The subject of the whole base (« SPASER »): the domain term most of its own entries hold
        (neighbouring subjects only redirect), if at least `SUBJECT_SHARE` of them; not one that
        merely comes second (« achat »)."""
        if self._subject is None:
            own = {entry_id for entry_id, document in self._documents.items() if document.entry.kind is not EntryKind.OUT_OF_SCOPE}
            held = {term: len(self._postings.get(term, {}).keys() & own) for term in self.analyzer.domain_terms}
            most = max(held.values(), default=0)
            self._subject = frozenset(term for term, count in held.items() if count == most and most >= SUBJECT_SHARE * len(own) > 0)
        return self._subject

    def query_terms(self, question: str) -> dict[str, float]:
        """Search terms of a question with their weights: typo-corrected words weigh
        TYPO_WEIGHT, numbers the base has never seen UNKNOWN_NUMBER_WEIGHT.

        Understanding one message asks for the same text's terms several times (the answer, the
        slots, the axes, the intents): the last texts' are kept, until the base or its typo cache
        changes (what they were computed from)."""
        found = self._query_memo.get(question)
        if found is None:
            found = self._query_terms(question)
            if len(self._query_memo) >= QUERY_MEMO_SIZE:
                self._query_memo.clear()
            self._query_memo[question] = found
        return dict(found)

    def _query_terms(self, question: str) -> dict[str, float]:
        tokens = tokenize(question, drop_framing=True)
        typed = spellings(question) if self.word_frequency is not None else {}
        corrected: list[str] = []
        weights_by_position: list[float] = []
        for token in tokens:
            if (replacement := self._correct_typo(token, typed.get(token, token))) == STOP_WORD_TYPO:
                continue
            corrected.append(replacement or token)
            weights_by_position.append(TYPO_WEIGHT if replacement else 1.0)
        query: dict[str, float] = {}
        terms = self.analyzer.terms_from_tokens(corrected)
        if self.analyzer.names_one_thing_twice(corrected):
            terms = [term for term in terms if term not in self._comparing] or terms
        # Phrase rewriting can merge tokens, so weights follow terms, not positions: a term
        # built only from corrected tokens keeps the reduced weight.
        typo_terms = {
            term
            for token, weight in zip(corrected, weights_by_position)
            if weight < 1.0
            for term in self.analyzer.terms_from_tokens([token])
        }
        unseen = self._unseen_weights(corrected, weights_by_position)
        for term in terms:
            weight = TYPO_WEIGHT if term in typo_terms else 1.0
            if term.isdigit() and term not in self._postings:
                weight = UNKNOWN_NUMBER_WEIGHT
            elif term in unseen:
                weight = min(weight, unseen[term])
            query[term] = max(query.get(term, 0.0), weight)
        return query

    def _unseen_weights(self, tokens: list[str], weights: list[float]) -> dict[str, float]:
        """Everyday words the base has never seen (« monde », « petit ») weigh less than rare ones
        (« DUME »), so that they neither sink an on-topic question nor lift an off-topic one."""
        if self._weights is None:
            return {}
        found: dict[str, float] = {}
        for token, weight in zip(tokens, weights):
            if weight < 1.0:
                continue
            for term in self.analyzer.terms_from_tokens([token]):
                if term not in self._postings and not term.isdigit():
                    found[term] = min(found.get(term, 1.0), self._weights.unseen(token))
        return found

    def _correct_typo(self, token: str, typed: str = "") -> str | None:
        """Closest known word for a word the base has never seen (« indicteurs », « spaer »);
        a real French word (« mots », « régie », `typed` with its accents, « regie » typed without)
        is left as it is."""
        if len(token) < 4 or not token.isalpha():
            return None
        if self._weights is not None and self._weights.is_real_word(token, typed or token):
            return None
        if token in self._surface_counts or self.analyzer.is_known_token(token):
            return None
        terms = self.analyzer.terms_from_tokens([token])
        if not terms or terms[0] in self._postings:
            return None
        if token in self._typo_cache:
            return self._typo_cache[token]
        if self._typo_choices is None:
            self._typo_choices = self._typo_vocabulary()
        max_edits = 1 if len(token) < 10 else 2
        match = process.extractOne(
            token,
            self._typo_choices.get(token[0], []),
            scorer=OSA.distance,
            score_cutoff=max_edits,
        )
        replacement = match[0] if match else None
        if replacement in STOP_WORDS:
            replacement = STOP_WORD_TYPO
        if len(self._typo_cache) > 50_000:
            self._typo_cache.clear()
            self._query_memo.clear()  # `answer` reads the typo cache its query's terms filled
        self._typo_cache[token] = replacement
        return replacement

    def _typo_vocabulary(self) -> dict[str, list[str]]:
        """Known words by first letter: typos rarely hit the first letter, and requiring it
        keeps « pâte » from becoming « date »."""
        words = {word for word in self._surface_counts if len(word) >= 3 and word.isalpha()}
        words |= {word for word in self.analyzer.lexicon_words if word.isalpha()}
        words |= {word for word in STOP_WORDS if len(word) >= 3}  # « qoui » is « quoi », dropped as it is
        by_letter: dict[str, list[str]] = {}
        for word in sorted(words):
            by_letter.setdefault(word[0], []).append(word)
        return by_letter

    def _invalidate_typo_vocabulary(self) -> None:
        self._subject = None
        self._typo_choices = None
        self._typo_cache.clear()
        self._query_memo.clear()
