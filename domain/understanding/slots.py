"""What a question is about, read from its words: an indicator, a directorate, a committee, an axis.

An indicator is named by its code (« IND-03 », « ind 3 », « l'indicateur 11 ») or by its subject
(« le bio à la cantine », « les voitures propres »): the subject is matched against the
catalogue's labels and definitions with the knowledge base's French analysis (stemming,
synonyms), so « cantine » finds « restauration collective ». A directorate is named by its code
or by the words of its name (« le patrimoine bâti » → DPB).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.committees.cadence import CommitteeKind, committee_kind_in
from domain.indicators.catalogue import Axis
from domain.knowledge.entries import Entry
from domain.knowledge.normalize import Analyzer, tokenize
from domain.knowledge.retrieval import KnowledgeBase
from domain.text import fold

_CODE_NUMBER = re.compile(r"\b(?:ind|indic|indicateur)\s?[-_n°o.]{0,3}\s?0*(\d{1,3})\b")
_AXES = (
    (Axis.SOCIAL, re.compile(r"\b(social|sociale|sociaux|insertion)\b")),
    (Axis.ENVIRONMENTAL, re.compile(r"\b(environnement|environnemental|environnementale|ecolo|ecologique|vert|verte|climat)\b")),
    (Axis.RESPONSIBLE_ECONOMY, re.compile(r"\b(economie responsable|economique|pme|ess|economie locale)\b")),
    (Axis.GOVERNANCE, re.compile(r"\b(gouvernance|pilotage du schema)\b")),
)
_AXIS_WORD = re.compile(r"\baxes?\b")
MIN_SUBJECT_SCORE = 2.0
"""BM25 score an indicator's label must reach for a subject to name it (one rare shared word)."""
EVERYDAY_ZIPF = 5.0
"""A subject named by one word this common in French (« heure », « voiture », « conseil ») is too
vague to be an indicator's: « quelle heure est-il ? » is not about the insertion hours."""
_COMMITTEE_WORDS = frozenset("comite comites technique techniques cotech copil pilotage suivi".split())
"""Once a committee is named, its words name it and not an indicator (« comités techniques tenus »)."""
# Words of a data question that name no indicator: left out of the subject search.
_QUESTION_WORDS = frozenset(
    """valeur valeurs chiffre chiffres indicateur indicateurs derniere dernier niveau point historique
    definition calcule calcul mesure mesurer saisi saisie saisies rempli remplir renseigne renseigner
    combien ou en est on sommes nous notre nos quel quelle quels quelles montre montrer donne donner
    cible objectif objectifs atteint atteinte evolution resultat resultats actuel actuelle actuellement
    part taux nombre montant globalement global general generale ensemble""".split()
)
_TIME_SPAN = re.compile(
    r"\b(?:(?:ce|cet|cette|la|le|l|du|de la|au|a la)\s+)?(?:semaine|mois|trimestre|semestre|annee|an)"
    r"(?:\s+(?:derniere|dernier|passee|passe|prochaine|prochain|en cours))?\b"
    r"|\b(?:en|de|pour)?\s*20\d\d\b|\baujourd hui\b|\ba ce jour\b|\bhier\b"
)
"""« la semaine dernière », « ce trimestre », « en 2025 »: when, not what (« par semaine » is in a label)."""
_WHEN = re.compile(r"\b(quand|kan|a quelle date|quelle date|pour quand|quel jour|a quelle heure)\b")
_STATUS = re.compile(r"\b(ou en (est|sont|sommes|etes)|en (est|sommes) ou|ou ca en est)\b")
_ELSEWHERE = re.compile(r"\b(autres|ailleurs|national|nationale|france|pays)\b")
"""« où en est le SPASER ? », « on en est où ? »: the organisation's status, or an indicator's;
« où en sont les autres collectivités ? » is a question about the SPASER in general."""
_ADVICE = re.compile(r"\b(faut|faudrait|doit|doivent|devons|devrait|conseille[sz]?|recommande[sz]?|idealement)\b")
"""« le copil c'est quand déjà » asks for a date, not what a COPIL is; « quand faut-il réunir le
COPIL ? » asks for advice."""


@dataclass(frozen=True)
class IndicatorName:
    code: str
    label: str
    definition: str = ""


@dataclass(frozen=True)
class DirectorateName:
    code: str
    name: str


@dataclass(frozen=True)
class Slots:
    indicator: str | None = None
    directorate: str | None = None
    committee: CommitteeKind | None = None
    axis: Axis | None = None


@dataclass(frozen=True)
class Reading:
    slots: Slots
    explained: frozenset[str] = frozenset()
    """The question's folded tokens that name the indicator or the directorate: left out when the
    rest of the question is matched against the intents' phrasings."""

    named_by_code: bool = False
    """The indicator or the directorate is named by its code (« IND-03 », « DPB »), not guessed
    from words that may be the knowledge base's too (« comité technique »)."""

    asks_when: bool = False
    """The question asks for a date (« quand », « à quelle date »)."""

    asks_status: bool = False
    """The question asks where things stand (« où en est… », « on en est où »)."""


_AMOUNT_ASKED = re.compile(r"\b(?:montants?|euros?|en valeur)\b|€")
_COUNT_ASKED = re.compile(r"\b(?:combien de|nombre|part|pourcentage|taux|proportion)\b|%")
_AMOUNT_TITLE = re.compile(r"\b(?:montant|en valeur)\b")


def _measure_asked(folded: str) -> Callable[[str], bool] | None:
    """Which of two indicators on one subject the question means: the amount or the count."""
    if _AMOUNT_ASKED.search(folded):
        return lambda title: bool(_AMOUNT_TITLE.search(fold(title)))
    if _COUNT_ASKED.search(folded):
        return lambda title: not _AMOUNT_TITLE.search(fold(title))
    return None


class SlotReader:
    """Reads slots against the organisation's catalogue and directorates (rebuilt when they change)."""

    def __init__(
        self,
        indicators: Iterable[IndicatorName],
        directorates: Iterable[DirectorateName],
        analyzer: Analyzer,
        common_terms: frozenset[str] = frozenset(),
        word_frequency: Callable[[str], float] | None = None,
    ) -> None:
        """`common_terms`: the knowledge base's everyday vocabulary (« SPASER », « comité »,
        « marché »): a subject named only with them is not an indicator's. `word_frequency`: a
        word's Zipf frequency in French, to leave out subjects named by one everyday word."""
        self._common_terms = common_terms
        self._word_frequency = word_frequency
        self._indicators = {indicator.code.upper(): indicator for indicator in indicators}
        self._directorates = {directorate.code.upper(): directorate for directorate in directorates}
        self._analyzer = analyzer
        self._subjects = KnowledgeBase(
            (
                Entry(
                    id=_entry_id(index),
                    title=indicator.label,
                    questions=(),
                    answer=indicator.definition or indicator.label,
                    source="catalogue",
                )
                for index, indicator in enumerate(self._indicators.values())
            ),
            analyzer=analyzer,
        )
        self._codes_by_entry = {_entry_id(index): code for index, code in enumerate(self._indicators)}
        self._directorate_names = KnowledgeBase(
            (
                Entry(id=_entry_id(index), title=_without_direction(d.name), questions=(), answer=d.name, source="directions")
                for index, d in enumerate(self._directorates.values())
            ),
            analyzer=analyzer,
        )
        self._directorates_by_entry = {_entry_id(index): code for index, code in enumerate(self._directorates)}

    def read(self, text: str) -> Reading:
        folded = fold(text)
        tokens = tokenize(text)
        committee = committee_kind_in(folded)
        subject_tokens = [token for token in tokens if token not in _COMMITTEE_WORDS] if committee else tokens
        time_words = set(tokenize(" ".join(found[0] for found in _TIME_SPAN.finditer(folded))))
        subject_tokens = [token for token in subject_tokens if token not in time_words]
        indicator, indicator_tokens = self.indicator(folded, subject_tokens)
        directorate, directorate_tokens = self.directorate(folded, tokens)
        if indicator and directorate and indicator_tokens <= directorate_tokens and not _code_in(indicator, folded):
            indicator, indicator_tokens = None, frozenset()  # « côté patrimoine bâti » names the directorate
        slots = Slots(indicator, directorate, committee, axis_in(folded))
        by_code = any(_code_in(code, folded) for code in (indicator, directorate) if code) or bool(
            indicator and _CODE_NUMBER.search(folded)
        )
        return Reading(
            slots,
            indicator_tokens | directorate_tokens,
            by_code,
            bool(_WHEN.search(folded)) and not _ADVICE.search(folded),
            bool(_STATUS.search(folded)) and not _ELSEWHERE.search(folded),
        )

    def indicator(self, folded: str, tokens: list[str]) -> tuple[str | None, frozenset[str]]:
        for code in self._indicators:
            if found := _code_in(code, folded):
                return code, frozenset(tokenize(found))
        if found := _CODE_NUMBER.search(folded):
            number = int(found[1])
            for code in self._indicators:
                digits = re.findall(r"\d+", code)
                if digits and int(digits[-1]) == number:
                    return code, frozenset(tokenize(found[0]))
        subject = [token for token in tokens if token not in _QUESTION_WORDS]
        return self._best(self._subjects, subject, self._codes_by_entry, _measure_asked(folded))

    def directorate(self, folded: str, tokens: list[str]) -> tuple[str | None, frozenset[str]]:
        for code in self._directorates:
            if found := _code_in(code, folded):
                return code, frozenset(tokenize(found))
        return self._best(self._directorate_names, tokens, self._directorates_by_entry)

    def _best(
        self,
        index: KnowledgeBase,
        tokens: list[str],
        owners: dict[str, str],
        measured: Callable[[str], bool] | None = None,
    ) -> tuple[str | None, frozenset[str]]:
        """`measured`: for two close subjects, whether a title measures what the question asks
        (« combien de marchés réservés » is the count, not the amount)."""
        query = index.query_terms(" ".join(tokens))
        ranked = index.rank(query, limit=2) if query else []
        if not ranked or ranked[0].score < MIN_SUBJECT_SCORE:
            return None, frozenset()
        if len(ranked) > 1 and ranked[1].score > 0.8 * ranked[0].score:
            ranked = [found for found in ranked if measured is not None and measured(found.entry.title)]
            if len(ranked) != 1:
                return None, frozenset()
        matched = ranked[0].matched_terms
        if not matched - self._common_terms:
            return None, frozenset()
        phrase_words = {word for term in matched if "_" in term for word in term.split("_")}
        explained = frozenset(
            token for token in tokens if token in phrase_words or index.query_terms(token).keys() & matched
        )
        specific = matched - self._common_terms
        if len(specific) == 1 and "_" not in next(iter(specific)) and self._everyday(explained):
            return None, frozenset()  # one everyday word (« heure »), not a domain phrase (« restauration collective »)
        return owners[ranked[0].entry.id], explained

    def _everyday(self, tokens: frozenset[str]) -> bool:
        frequency = self._word_frequency
        return frequency is not None and all(frequency(token) >= EVERYDAY_ZIPF for token in tokens)


def _code_in(code: str, folded: str) -> str | None:
    found = re.search(rf"(?<![a-z0-9]){re.escape(code.lower())}(?![a-z0-9])", folded)
    return found[0] if found else None


def axis_in(folded: str) -> Axis | None:
    if not _AXIS_WORD.search(folded):
        return None
    for axis, pattern in _AXES:
        if pattern.search(folded):
            return axis
    return None


def _entry_id(index: int) -> str:
    return f"s{index}"


def _without_direction(name: str) -> str:
    return re.sub(r"^(direction|service|pôle|pole)\s+(de la |des |du |de l'|de l’|d'|d’)?", "", name, flags=re.IGNORECASE)
