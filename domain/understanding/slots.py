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
from domain.committees.listing import year_words
from domain.indicators.catalogue import Axis
from domain.knowledge.entries import Entry
from domain.knowledge.normalize import Analyzer, tokenize
from domain.knowledge.retrieval import KnowledgeBase
from domain.text import fold
from domain.understanding.short_names import ShortNames

CODE_NUMBER = re.compile(r"\b(?:ind|indic|indicateur)\s?[-_n°o.]{0,3}\s?0*(\d{1,3})\b")
_AXES = (
    (Axis.SOCIAL, re.compile(r"\b(social|sociale|sociaux|insertion)\b")),
    (Axis.ENVIRONMENTAL, re.compile(r"\b(environnement|environnemental|environnementale|ecolo|ecologique|vert|verte|climat)\b")),
    (Axis.RESPONSIBLE_ECONOMY, re.compile(r"\b(economie responsable|economique|pme|ess|economie locale)\b")),
    (Axis.GOVERNANCE, re.compile(r"\b(gouvernance|pilotage du schema)\b")),
)
_AXIS_WORD = re.compile(r"\baxes?\b")
_AXES_OF_INDICATORS = (
    (Axis.SOCIAL, re.compile(r"\b(?:sociale?s?|sociaux)\b")),
    (Axis.ENVIRONMENTAL, re.compile(r"\b(?:environnement\w*|ecolo\w*|climat)\b")),
    (Axis.RESPONSIBLE_ECONOMY, re.compile(r"\b(?:economie responsable|economiques?|economie locale)\b")),
    (Axis.GOVERNANCE, re.compile(r"\bgouvernance\b")),
)
_INDICATORS_WORD = re.compile(r"\b(?:indicateurs?|indics?)\b")
"""« les indicateurs environnement », « quels indic sur l'économie responsable »: an axis named
without the word « axe », next to the indicators (not « au vert », not « l'insertion », which
are a state and a subject)."""
MAX_CANDIDATES = 4
"""At most this many indicators are offered when a subject names several about equally."""
CLOSE_SCORE = 0.8
"""A subject names two indicators about equally when the second scores this share of the first."""
MIN_SUBJECT_SCORE = 2.0
"""BM25 score an indicator's label must reach for a subject to name it (one rare shared word)."""
EVERYDAY_ZIPF = 5.0
"""A subject named by one word this common in French (« heure », « voiture », « conseil ») is too
vague to be an indicator's: « quelle heure est-il ? » is not about the insertion hours."""
_COMMITTEE_WORDS = frozenset("comite comites technique techniques cotech copil pilotage suivi".split())
"""Once a committee is named, its words name it and not an indicator (« comités techniques tenus »)."""
_DEADLINE = re.compile(
    r"\b(?:avant|d'ici|d ici|pour)\s+(?:la |le |l'|les )?(?:dates? limites?|echeances?|deadline"
    r"|fin (?:du |de la |de l'|d')?(?:mois|trimestre|semestre|annee|periode))\b"
)
"""« avant la date limite », « d'ici la fin du trimestre »: by when, not what is asked."""
_FORMAT = re.compile(
    r"\b(?:en )?(?:\d+|une?|deux|trois|quatre|cinq|quelques) (?:lignes?|mots|phrases?)(?: (?:max|maxi|maximum))?\b"
    r"|\bvite fait\b|\ben bref\b"
)
"""« 3 lignes max », « en deux mots », « vite fait »: how the answer is wanted, not what is asked."""
_INTRODUCED = re.compile(r"\b(?:direction|service|pole)s? (?:de la |de l'|des |du |de |d')?([a-z]+)")
"""« direction environnement », « le service de la commande publique »: the word after names a directorate."""
_TRACKED = re.compile(r"\bsuivi(?:e|s|es)\b")
"""« les indicateurs suivis par… »: tracked, not the « comité de suivi »."""
_COMMITTEE_AS_TIME = re.compile(r"\b(?:avant|pour|d ici|apres|lors|en vue)\b(?:\s+\w+){0,2}\s+(?:comites?|copil|cotech)\b")
"""« avant le comité technique »: when the request is for, not what it is about (« qui anime le
comité technique ? » is about the committee)."""
# Words of a data question that name no indicator: left out of the subject search.
_QUESTION_WORDS = frozenset(
    """valeur valeurs chiffre chiffres indicateur indicateurs derniere dernier niveau point historique
    definition calcule calcul mesure mesurer saisi saisie saisies rempli remplir renseigne renseigner
    combien ou en est on sommes nous notre nos quel quelle quels quelles montre montrer donne donner
    cible objectif objectifs atteint atteinte evolution resultat resultats actuel actuelle actuellement
    part taux nombre montant globalement global globale globales globaux general generale ensemble suivi suivis suivie suivies suit suivons
    suivez suivent""".split()
)
_TIME_SPAN = re.compile(
    r"\b(?:(?:ce|cet|cette|la|le|l|du|de la|au|a la)\s+)?(?:semaine|mois|trimestre|semestre|annee|an)"
    r"(?:\s+(?:derniere|dernier|passee|passe|prochaine|prochain|en cours))?\b"
    r"|\b(?:en|de|pour)?\s*20\d\d\b|\baujourd[' ]hui\b|\ba ce jour\b|\bhier\b"
)
"""« la semaine dernière », « ce trimestre », « en 2025 »: when, not what (« par semaine » is in a label)."""
_VERB_USES = (
    re.compile(
        r"\b(?:(?:je|j'|tu|il|elle|on|nous|vous|ils|elles)\s*(?:ne\s+|n')?(?:(?:le|la|les|l'|lui|leur|en|y|me|m'|te|t'|se|s')\s*)?"
        r"|c'est\s+(?:pas\s+|plus\s+)?|ce n'est\s+(?:pas\s+|plus\s+)?)([a-z]+)"
    ),
    re.compile(
        r"\b(?:dois|doit|devons|devez|doivent|faut(?:[- ]il)?|faudrait|veux|veut|voulons|voulez|peux|peut|pouvons|pouvez"
        r"|vais|va|allons|allez|comment|pourquoi)\s+(?:(?:le|la|les|l'|me|m'|te|t'|se|s'|nous|vous|lui|leur|en|y)\s*)?([a-z]+er)\b"
    ),
)
"""« je réserve une salle », « il faut réserver », « c'est réservé aux communes »: a word used as a
verb (after its subject, or in the infinitive after « faut », « peux », « comment »…) names no
indicator, whose labels are nouns (« marchés réservés »)."""
_WHEN = re.compile(r"\b(quand|kan|a quelle date|quelle date|pour quand|quel jour|a quelle heure)\b")
_STATUS = re.compile(r"\b(ou (?:on |nous |vous )?en (est|sont|sommes|etes)|en (est|sommes) ou|ou ca en est)\b")
_ELSEWHERE = re.compile(r"\b(autres|ailleurs|national|nationale|france|pays)\b")
"""« où en est le SPASER ? », « on en est où ? », « où on en est ? »: the organisation's status, or an indicator's;
« où en sont les autres collectivités ? » is a question about the SPASER in general."""
_DATA_ASKED = re.compile(
    r"\b(?:indicateurs?|chiffres?|valeurs?|dernieres?|derniers?|stats?|statistiques?|nos|notre|chez nous"
    r"|tendances?|evolution|historique)\b"
    r"|^(?:la |le )?(?:part|nombre|montant|taux|pourcentage) (?:des?|du|d)\b"
)
"""« le dernier chiffre », « nos marchés », « la part des marchés… » at the start: the question asks
for the organisation's figure, so a subject named in the knowledge base's everyday vocabulary
(« les marchés avec une clause sociale ») may still be an indicator's."""
_ADVICE = re.compile(
    r"\b(faut|faudrait|doit|doivent|devons|devrait|conseille[sz]?|recommande[sz]?|idealement)\b(?! que (?:je|j|nous|on)\b)"
)
"""« le copil c'est quand déjà » asks for a date, not what a COPIL is; « quand faut-il réunir le
COPIL ? » asks for advice (« faut que je bloque mon agenda » is the asker's own need)."""


def advice_asked(folded: str) -> bool:
    """« quand faut-il réunir le COPIL ? », « on doit le tenir quand ? »: what should be done, not our data."""
    return bool(_ADVICE.search(folded))


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
    year: str | None = None
    """The year meetings are asked for, in words a command carries (« 2027 », « cette année »)."""


@dataclass(frozen=True)
class Reading:
    slots: Slots
    explained: frozenset[str] = frozenset()
    """The question's folded tokens that name the indicator, the directorate, the committee or the
    axis: left out when the rest of the question is matched against the intents' phrasings."""

    named_by_code: bool = False
    """The indicator or the directorate is named by its code (« IND-03 », « DPB »), not guessed
    from words that may be the knowledge base's too (« comité technique »)."""

    asks_when: bool = False
    """The question asks for a date (« quand », « à quelle date »)."""

    asks_status: bool = False
    """The question asks where things stand (« où en est… », « on en est où »)."""

    candidates: tuple[IndicatorName, ...] = ()
    """The indicators its subject names about equally well when it names no single one
    (« les kilomètres parcourus »: IND-21 and IND-23): which one is meant is to be asked back."""

    indicator_words: frozenset[str] = frozenset()
    """The folded tokens that name the indicator by its subject (« le bio à la cantine »), not by its code."""

    @property
    def names_indicator(self) -> bool:
        """One indicator is named, or a few candidates to choose from."""
        return bool(self.slots.indicator or self.candidates)


_AMOUNT_ASKED = re.compile(r"\b(?:montants?|euros?|en valeur)\b|€")
_SHARE_ASKED = re.compile(r"\b(?:part|pourcentage|taux|proportion)\b|%")
_COUNT_ASKED = re.compile(r"\b(?:combien de|nombre|compte|comptes|compter|comptez|comptent|decompte)\b")
_AMOUNT_TITLE = re.compile(r"\b(?:montant|en valeur)\b")
_SHARE_TITLE = re.compile(r"\b(?:part|pourcentage|taux|proportion)\b")


def _measure_asked(folded: str) -> Callable[[str], bool] | None:
    """Which of close indicators on one subject the question means: the amount, the share (of
    the contracts, by default counted: « la part des marchés avec une clause sociale ») or the
    count."""
    if _AMOUNT_ASKED.search(folded):
        return lambda title: bool(_AMOUNT_TITLE.search(fold(title)))
    if _SHARE_ASKED.search(folded):
        return lambda title: bool(_SHARE_TITLE.search(fold(title))) and not _AMOUNT_TITLE.search(fold(title))
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
        self._stems_by_title: dict[str, frozenset[str]] = {}
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
        self._short_names = ShortNames((d.code, d.name) for d in self._directorates.values())

    def read(self, text: str) -> Reading:
        folded = fold(text)
        tokens = tokenize(text)
        committee = committee_kind_in(_TRACKED.sub(" ", folded))
        subject_tokens = [token for token in tokens if token not in _COMMITTEE_WORDS] if committee else tokens
        time_words = set(tokenize(" ".join(found[0] for found in _TIME_SPAN.finditer(folded))))
        verbs = {found[1] for pattern in _VERB_USES for found in pattern.finditer(folded)}
        subject_tokens = [token for token in subject_tokens if token not in time_words and token not in verbs]
        indicator, indicator_tokens, candidates = self.indicator(folded, subject_tokens)
        directorate, directorate_tokens = self.directorate(folded, tokens, text)
        if (indicator or candidates) and directorate and indicator_tokens <= directorate_tokens:
            if not (indicator and _code_in(indicator, folded)):
                # « côté patrimoine bâti » names the directorate
                indicator, indicator_tokens, candidates = None, frozenset(), ()
        axis = axis_in(folded)
        if axis is None and not (indicator or candidates) and _INDICATORS_WORD.search(folded):
            axis = next((axis for axis, pattern in _AXES_OF_INDICATORS if pattern.search(folded)), None)
        if axis is None and not (indicator or candidates):
            axis = _axis_by_its_name(folded)
        slots = Slots(indicator, directorate, committee, axis, year_words(folded))
        named = indicator_tokens | directorate_tokens
        if committee and _COMMITTEE_AS_TIME.search(folded):
            named |= _COMMITTEE_WORDS.intersection(tokens)
        if axis:
            named |= _axis_tokens(axis, folded)
        for aside in (_DEADLINE, _FORMAT):
            named |= frozenset(tokenize(" ".join(found[0] for found in aside.finditer(folded))))
        indicator_by_code = bool(indicator and (_code_in(indicator, folded) or CODE_NUMBER.search(folded)))
        by_code = indicator_by_code or bool(directorate and _code_in(directorate, folded))
        return Reading(
            slots,
            named,
            by_code,
            bool(_WHEN.search(folded)) and not _ADVICE.search(folded),
            bool(_STATUS.search(folded)) and not _ELSEWHERE.search(folded),
            tuple(self._indicators[code] for code in candidates),
            frozenset() if indicator_by_code else indicator_tokens - directorate_tokens,
        )

    def indicator(self, folded: str, tokens: list[str]) -> tuple[str | None, frozenset[str], tuple[str, ...]]:
        """The indicator named, the tokens naming it, and the candidates when its subject names
        several about equally."""
        for code in self._indicators:
            if found := _code_in(code, folded):
                return code, frozenset(tokenize(found)), ()
        if found := CODE_NUMBER.search(folded):
            number = int(found[1])
            for code in self._indicators:
                digits = re.findall(r"\d+", code)
                if digits and int(digits[-1]) == number:
                    return code, frozenset(tokenize(found[0])), ()
        subject = [token for token in tokens if token not in _QUESTION_WORDS]
        data_asked = bool(_DATA_ASKED.search(folded) or _STATUS.search(folded)) and not _ELSEWHERE.search(folded)
        return self._best(self._subjects, subject, self._codes_by_entry, _measure_asked(folded), data_asked)

    def directorate(self, folded: str, tokens: list[str], typed: str = "") -> tuple[str | None, frozenset[str]]:
        """By its code, by the words of its name, or by a short form of it (« la restau co »)."""
        for code in self._directorates:
            if found := _code_in(code, folded):
                return code, frozenset(tokenize(found))
        introduced = frozenset(found[1] for found in _INTRODUCED.finditer(folded))
        directorate, explained, _ = self._best(
            self._directorate_names, tokens, self._directorates_by_entry, data_asked=True, introduced=introduced
        )
        if directorate is None and typed:
            return self._short_names.find(typed)
        return directorate, explained

    def _best(
        self,
        index: KnowledgeBase,
        tokens: list[str],
        owners: dict[str, str],
        measured: Callable[[str], bool] | None = None,
        data_asked: bool = False,
        introduced: frozenset[str] = frozenset(),
    ) -> tuple[str | None, frozenset[str], tuple[str, ...]]:
        """The owner of the one entry the tokens name, the tokens naming it, and the owners of
        the entries they name about equally when they name no single one. `measured`: for close
        subjects, whether a title measures what the question asks (« combien de marchés
        réservés » is the count, not the amount). `data_asked`: the question asks for a figure,
        so a domain phrase of the everyday vocabulary (« clause sociale ») may name the subject.
        `introduced`: words introduced as a name (« direction environnement »), which name it even
        when they are everyday vocabulary."""
        nothing: tuple[None, frozenset[str], tuple[str, ...]] = (None, frozenset(), ())
        query = index.query_terms(" ".join(tokens))
        ranked = index.rank(query, limit=MAX_CANDIDATES) if query else []
        if not ranked or ranked[0].score < MIN_SUBJECT_SCORE:
            return nothing
        close = [found for found in ranked if found.score > CLOSE_SCORE * ranked[0].score]
        if len(close) > 1 and measured is not None:
            close = [found for found in close if measured(found.entry.title)] or close
        if len(close) > 1:
            close = self._literally_named(close, tokens)
        matched = frozenset().union(*(found.matched_terms for found in close))
        specific = matched - self._common_terms
        named_as_such = bool(introduced) and bool(index.query_terms(" ".join(introduced)).keys() & matched)
        if not specific and not (data_asked and any("_" in term for term in matched)) and not named_as_such:
            return nothing
        phrase_words = {word for term in matched if "_" in term for word in term.split("_")}
        phrase_words.update(
            word for term, words in self._analyzer.phrase_tokens(tokens).items() if term in matched for word in words
        )
        explained = frozenset(
            token for token in tokens if token in phrase_words or index.query_terms(token).keys() & matched
        )
        if len(specific) == 1 and "_" not in next(iter(specific)) and self._everyday(explained):
            return nothing  # one everyday word (« heure »), not a domain phrase (« restauration collective »)
        if len(close) > 1:
            return None, explained, tuple(owners[found.entry.id] for found in close)
        return owners[close[0].entry.id], explained, ()

    def _literally_named(self, close: list, tokens: list[str]) -> list:
        """Of subjects named about equally through synonyms, those whose title has the very words
        typed (« la considération sociale »: the two indicators on the « considération sociale »
        of contracts, not the clauses d’insertion); among those alike, the titles with the very
        phrase the words typed stand for (« les voitures propres » stand for « faibles émissions »,
        written in IND-08's title only)."""
        typed = {self._analyzer.stem(token) for token in tokens}
        shared = {
            found.entry.id: (
                len(typed & self._title_stems(found.entry.title)),
                sum(term.replace("_", " ") in fold(found.entry.title) for term in found.matched_terms if "_" in term),
            )
            for found in close
        }
        most = max(shared.values())
        return [found for found in close if shared[found.entry.id] == most] if any(most) else close

    def _title_stems(self, title: str) -> frozenset[str]:
        stems = self._stems_by_title.get(title)
        if stems is None:
            stems = self._stems_by_title[title] = frozenset(self._analyzer.stem(token) for token in tokenize(title))
        return stems

    def _everyday(self, tokens: frozenset[str]) -> bool:
        frequency = self._word_frequency
        return frequency is not None and all(frequency(token) >= EVERYDAY_ZIPF for token in tokens)


def _code_in(code: str, folded: str) -> str | None:
    found = re.search(rf"(?<![a-z0-9]){re.escape(code.lower())}(?![a-z0-9])", folded)
    return found[0] if found else None


def _axis_by_its_name(folded: str) -> Axis | None:
    """« la situation sur l'économie responsable », « bilan gouvernance »: an axis named by its very
    name (« sociale » or « environnementale » qualify a clause, and are not its name), when no
    indicator is."""
    return next((axis for axis in Axis if re.search(rf"\b{fold(axis.value)}\b", folded)), None)


def axis_in(folded: str) -> Axis | None:
    if not _AXIS_WORD.search(folded):
        return None
    for axis, pattern in _AXES:
        if pattern.search(folded):
            return axis
    return None


def _axis_tokens(axis: Axis, folded: str) -> frozenset[str]:
    """The words naming an axis (« l'axe environnemental »), left out of what is asked about it."""
    patterns = (_AXIS_WORD, dict(_AXES)[axis], dict(_AXES_OF_INDICATORS)[axis])
    return frozenset(tokenize(" ".join(found[0] for regex in patterns for found in regex.finditer(folded))))


def _entry_id(index: int) -> str:
    return f"s{index}"


def _without_direction(name: str) -> str:
    return re.sub(r"^(direction|service|pôle|pole)\s+(de la |des |du |de l'|de l’|d'|d’)?", "", name, flags=re.IGNORECASE)
