"""French text normalisation shared by the entries and the questions.

Pipeline: markup removed → inclusive writing folded (élu·es → élus) → lower case → elisions
dropped (l', d', qu'…) → accents folded → tokens → stop words dropped → Snowball French
stemming → synonym/acronym phrases rewritten to one canonical term (COPIL = comité de
pilotage). Entries and questions go through the same `Analyzer`, so both sides always agree.
"""

from __future__ import annotations

import copy
import functools
import html
import re
import unicodedata
from collections.abc import Iterator, Sequence

import snowballstemmer

from domain.knowledge.errors import KnowledgeFileError
from domain.knowledge.framing import FRAMING_PHRASES
from domain.knowledge.lexicon import Lexicon
from domain.knowledge.texting import spelled_out

# Words that carry no topic: articles, pronouns, auxiliaries, question words and the
# filler of informal questions (« en gros », « svp », « je voudrais savoir »). Folded form.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a ai aie aient aimerais aimerait ais ait alors as au aucun aucune aupres aussi autre
    autres aux avais avait avec avez avions avoir avons ayant bah ben besoin bien bonjour
    bonsoir bref c ca cad car ce ceci cela celle celles celui cependant certain certains ces
    cest cet cette ceux chaque cherche chercher chez ci comme comment comprendre comprends
    concernant concretement connaitre coucou d dans de definir definition definitions deja
    des desormais devenir deviennent devient dire dis dit dite dites donc dont du elle elles
    en encore environ es est estce et etaient etais etait etant ete etes etre eu eux
    exactement explique expliquer expliquez faire fais fait faites fallait faudra faudrait
    faut fera feront fois fr futur future gros hein hello ici il ils info information
    informations infos j je jusqu ki koi kwa l la le les leur leurs lui m ma mais me meme
    merci mes mieux moi moment mon n ne ni niveau non nos notre nous o ok okay on ont ou oui
    par parce partir pas peu peut peuvent peux pk plait plus plutot pour pourquoi pourrait
    pourriez pouvez pouvons pq precisement prend prendre prochain prochaine propos puis
    puisque qu quand que quel quelle quelles quelque quelques quels quest questce question
    qui quoi rappeler rappelle s sa sais sait salut sans savoir se selon sera seraient
    serait serons seront ses seulement si signifie signifient signifier sil sommes sont sous
    stp suis sujet sur svp t ta te tes toi ton tous tout toute toutes tres trouve trouver tu
    un une unes uns utilise utiliser vais vaut venir veulent veut veux viennent vient voila
    voir voudrais voudrait voulez vous vrai vraiment y
    """.split()
) | frozenset(
    # The same words as texted: « ke doit contenir 1 spaser », « obligatoire pr une com de com ».
    "ke kel kels kelle pr ds dc qd tt ts tte ttes bcp qq qqch qqn jsp jpp mm pcq psk vs".split()
) | frozenset(
    # Words standing for the thing asked about: « c'est quoi ce truc ? ».
    "truc trucs machin machins bidule bidules".split()
) | frozenset(
    # Other forms of the auxiliaries and light verbs above, the relative pronouns and « jamais »
    # (« pas » and « plus » are here already): « vous auriez un modèle ? », « comment font les
    # autres ? », « je viens d'arriver », « lequel est à jour ? », « quelqu'un peut m'expliquer ».
    """
    aura aurai auras aurons aurez auront aurais aurait aurions auriez auraient soit sois soient
    font faisons faisait faisaient ferait ferais ferions feriez feraient fasse fassent
    viens venons venez va vas vont allons allez lequel laquelle lesquels lesquelles quelqu jamais jai
    son vos votre etions etiez serions seriez
    """.split()
) | frozenset(
    # Forms of address and links of a formal or texted question: « Madame, Monsieur, … ainsi que
    # sa finalité », « slt, … avc les services ».
    "madame monsieur mesdames messieurs mme mr ainsi slt avc".split()
)

# Framing words whose other inflections are framing too (« signification », « expliquez »):
# compared on stems, so every form is dropped.
FRAMING_WORDS: tuple[str, ...] = (
    "signifier", "signification", "definir", "definition", "expliquer", "explication",
    "comprendre", "information", "utiliser", "utilisation", "trouver", "consister", "preciser",
)

COUNTING_WORDS: tuple[str, ...] = ("combien", "nombre", "nb", "minimum", "maximum")
COUNTED_PREFIX = "compte:"
TIME_UNITS: tuple[str, ...] = ("an", "ans", "annee", "annees", "mois", "semaine", "jour", "jours", "heure")
"""« combien de fois par an » (« fois » is a stop word): a time unit after « combien » is its
circumstance, not what is counted."""

_INCLUSIVE_SUFFIXES = (
    r"(?:e|es|ere|eres|ère|ères|euse|euses|rice|rices|trice|trices|ice|ices|ive|ives"
    r"|le|les|ne|nes|te|tes|sse|sses)"
)
_INCLUSIVE_DOT = re.compile(
    r"(?<=\w)[·•‧∙⋅.]" + "(" + _INCLUSIVE_SUFFIXES + r")(?:[·•‧∙⋅.](s))?(?!\w)", re.IGNORECASE
)
_INCLUSIVE_PARENTHESES = re.compile(
    r"(?<=\w)\((" + _INCLUSIVE_SUFFIXES + r")\)(s?)(?!\w)", re.IGNORECASE
)
_INCLUSIVE_HYPHEN = re.compile(
    r"(?<=\w)-(e|es|ère|ere|euse|rice|trice)(?:-(s))?(?!\w)", re.IGNORECASE
)
_ELISION = re.compile(
    r"\b(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[cdjlmnst])['’‘`´ʼ]", re.IGNORECASE
)
_HTML_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?[a-zA-Z!][^<>]{0,500}>")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]{0,500})\]\([^)]{0,2000}\)")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_MILLIONS = re.compile(r"\b(\d+)\s*(?:m|meur|mio|millions?)\b(?:\s*(?:d\s*)?euros?)?")
_ARTICLE_REFERENCE = re.compile(r"\b([lrd])\s*\.?\s*(\d{4})\s*-\s*(\d{1,3})\b")
_TOKEN = re.compile(r"[a-z0-9]+")
_CLITICS = r"(?:(?:ne|n|le|la|les|l|y|en|leur|lui|vous|nous|se|s)\s+){0,2}"
_NOUS_VERB = re.compile(r"\bnous\s+(" + _CLITICS + r")([a-z]{2,}?)(i?)(e?)ons\b")
_VERB_NOUS = re.compile(r"\b([a-z]{2,}?)(i?)(e?)ons(?=[\s-]+nous\b)")
"""« nous publions », « devons-nous », « que nous mettions »: Snowball leaves the first person
plural whole (« publion », « devon »), so it is read as the « -ez » form, whose stem is the
verb's (« publiez » → « publ »). Only next to « nous »: « maisons », « raisons » are nouns."""
_IDIOMS = re.compile(
    r"\b(?:nulle|quelque|d['’‘ ](?:une|autre)|[aà]|de (?:ma|ta|sa|notre|votre|leur|la)) part\b(?! des?\b| du\b| d['’])"
    r"|\bd['’‘ ]accord\b|\b[aà] tout bout de champ\b|\btout [aà] l['’‘ ]heure\b|\bdans (?:un|le|les|nos|ses|son) tiroirs?\b|\bau placard\b"
    r"|\b(?:(?:plus|pas|toujours|bien|encore) le|en tout|dans ce|au) cas\b",
    re.IGNORECASE,
)
"""Set phrases whose words mean nothing of their own: « nulle part » is no share, « on est
d'accord ? » no framework agreement, « à tout bout de champ » no data field, « on le met dans un
tiroir » (shelved) nothing a SPASER includes, « ce n'est plus le cas ? » no case of its own."""
_ONES_OWN = re.compile(r"\b(nos|notre|mes|mon|ma|ses|son|sa|leurs?|vos|votre)\s+propres?\b", re.IGNORECASE)
"""« nos propres services », « son propre SPASER »: one's own, read as one word (« enpropre »), not
the clean vehicles of the lexicon (« véhicules propres »)."""
# Snowball conflations that hurt here: « publication » and « publique » share the stem « publiqu » (every « structure
# publique » would look like a question on publishing), « qualitatives » / « qualité », « quantitatives » / « quantité »
# share one too, « les grandes parties » is no « part » (a share), « sous quel format ? » no « formation » (training).
STEM_OVERRIDES: dict[str, str] = {
    form: stem
    for stem, forms in {
        "publication": ("publication", "publications"),
        "qualitatif": ("qualitatif", "qualitatifs", "qualitative", "qualitatives"),
        "quantitatif": ("quantitatif", "quantitatifs", "quantitative", "quantitatives"),
        "partie": ("partie", "parties"),
        # « ça correspond à quoi ? » is no « correspondant » (a référent of the lexicon).
        # « le maire » is an élu·e, « la mairie » the local authority: Snowball gives both « mair ».
        "maire": ("maire", "maires"),
        # « le document est fini » is finished (« terminé »), « la fin de l'année » no such thing.
        "termin": ("fini", "finie", "finis", "finies", "finir", "finit"),
        # « les associations » are no « associer » (to involve someone).
        "association": ("association", "associations"),
        # « on suit », « suivre », « le suivi »: one verb (Snowball gives « suit », « suivr », « suiv »).
        "suiv": ("suit", "suivre", "suivi", "suivie", "suivis", "suivies", "suivons", "suivez", "suivent"),
        "correspondr": ("correspond", "correspondent", "correspondait", "correspondaient", "correspondra", "correspondrait"),
        "formatag": ("format", "formats", "formatage", "formater", "formate", "formatee", "formatees", "formates"),
    }.items()
    for form in forms
}
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "€": " euros ", "%": " pourcent "}
    | {hyphen: "-" for hyphen in ("\u2010", "\u2011", "\u2212")}
)
"""Also the hyphens of a code copied from a card or a report (« IND‑09 », no-break hyphen)."""


def strip_html(text: str) -> str:
    """Drop HTML tags and script/style blocks (entities decoded), keeping the visible text."""
    text = _HTML_BLOCK.sub(" ", html.unescape(text))
    return _HTML_TAG.sub(" ", text)


def strip_markup(text: str) -> str:
    """Drop HTML, Markdown link targets and URLs, which never carry the question."""
    text = _MARKDOWN_LINK.sub(r"\1", strip_html(text))
    return _URL.sub(" ", text)


def fold_inclusive(text: str) -> str:
    """élu·es, élu.es, élu-e-s, élu(e)s → élus; élu·e → élu (the base form is enough to match)."""

    def base(match: re.Match[str]) -> str:
        suffix, trailing_s = match.group(1), match.group(2) or ""
        return "s" if trailing_s or suffix.lower().endswith("s") else ""

    text = _INCLUSIVE_DOT.sub(base, text)
    text = _INCLUSIVE_PARENTHESES.sub(base, text)
    return _INCLUSIVE_HYPHEN.sub(base, text)


def fold(text: str) -> str:
    """Lower case, inclusive writing and elisions folded, accents removed, amounts unified."""
    text = fold_inclusive(text.translate(_LIGATURES)).lower()
    text = _ELISION.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _MILLIONS.sub(r"\1 millions euros", text)
    return _ARTICLE_REFERENCE.sub(r"\1\2\3", text)


def _second_plural(stem: str, imperfect: str, soft_g: str) -> str:
    """« publi » + « ons » → « publiez »; « publii » + « ons » → « publiiez » is « publiez » too;
    « redige » + « ons » → « redigez » (the « e » only keeps the « g » soft)."""
    if soft_g and not stem.endswith("g"):
        stem += soft_g
    return stem + ("" if imperfect and stem.endswith("i") else imperfect) + "ez"


def first_plural_as_second(folded: str) -> str:
    """Verbs in the first person plural (next to « nous ») written in the second: see _NOUS_VERB."""
    folded = _NOUS_VERB.sub(lambda m: f"nous {m.group(1)}{_second_plural(*m.group(2, 3, 4))}", folded)
    return _VERB_NOUS.sub(lambda m: _second_plural(*m.group(1, 2, 3)), folded)


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """The folded `phrases` as one pattern, each word apart by spaces or hyphens."""
    alternatives = sorted(
        (r"[\s-]+".join(map(re.escape, _TOKEN.findall(fold(phrase)))) for phrase in phrases), key=len, reverse=True
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_FRAMING = _phrase_pattern(FRAMING_PHRASES)
_PUT = r"(?:met|mets|mettre|mettons|mettez|mettent|mettra|mettrai|mis|mise|mises)"
_OFTEN = r"(?:en g[ée]n[ée]ral|g[ée]n[ée]ralement|souvent|habituellement|d['’]habitude|toujours|aussi|plut[ôo]t|d['’]abord)"
_PERIOD = r"(?:jours?|semaines?|mois|trimestres?|semestres?)"
_ITS_OBJECT = r"(?:(?:le|la|les|l['’]|ce|cette|ces|notre|nos|son|sa|ses|leur|leurs)\s*)?\w+(?: \w+)?"
PARTICLE_VERBS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_PUT}\s+(?:{_OFTEN}\s+)?(?:dans|dedans)\b|(?<!s['’‘`´ʼ])\by\s+{_PUT}\b", re.IGNORECASE), "inclure"),
    (re.compile(r"\btomb(?:e|ent|er|ons|ez|é|ée|és|ées|erait|eraient)\s+sous\b", re.IGNORECASE), "soumis"),
    (re.compile(r"\btenu(?:e|s|es)?\s+d(?:e\b|['’‘`´ʼ ])", re.IGNORECASE), "obligé de "),
    (re.compile(r"\br?entr(?:e|es|ent|er|ons|ez|ait|aient|erait|eraient|é|ée|és|ées)\s+dans\b", re.IGNORECASE), "concerné par"),
    (re.compile(r"\b(?:dans|hors) (?:du |le )?champ\b(?! (?:des?|du) (?:donn[ée]es|decp|consid[ée]rations?)\b)", re.IGNORECASE), "concerné"),
    (re.compile(rf"\b(rend(?:re|s|ons|ez|ent|u|ue|us|ues|ra|rait)?) ({_ITS_OBJECT}) (publi(?:c|cs|que|ques))\b", re.I), r"\1 \3 \2"),
    (
        re.compile(
            rf"\btou(?:s|tes) les (?:\w+ )?{_PERIOD}\b|\b(?:une?|deux|trois|quatre|\d+) (?:fois|\w+) par {_PERIOD}\b|\bchaque {_PERIOD}\b",
            re.IGNORECASE,
        ),
        r"\g<0> rythme",
    ),
    (
        re.compile(r"\b(?:que se passe[- ]t[- ]il|qu['’‘ ]est[- ]ce qui (?:se passe|arrive)|il se passe quoi|que risque[- ]t[- ]on)\s+si\b", re.IGNORECASE),
        "conséquence si",
    ),
    (re.compile(r"\b(?:se|nous|vous) (?:donner|donne|donnons|donnez|fixer|fixe|fixons|fixez)\b", re.IGNORECASE), "fixer"),
    (re.compile(r"\b(sous|en|la|une|des|les|quelles?|cette|autres?|m[eê]me|toutes?|bonne) formes?\b", re.IGNORECASE), r"\1 format"),
)
"""Phrases whose meaning is not in their words one by one. Verbs whose meaning is in their particle,
a stop word: « que mettre dans le SPASER ? » asks what it includes (« quelles parties y mettre ? »
too, not « comment s'y mettre ? »), « ça tombe sous l'obligation ? » whether one is subject to it, « tenu d'adopter » obliged to, « on entre dans l'obligation ? » subject to it,
as « on est dans le champ ? » does; « ce qu'on met souvent dedans » is what it includes too (not « le champ des DECP »). A phrase split by its object:
« rendre le schéma public » is « rendre public ». A period after « tous les » (« un COPIL tous
les mois », « un comité par mois », « chaque trimestre ») asks about a rhythm; « tous les ans » is left alone (the yearly
follow-up). « que se passe-t-il si… » asks a consequence. « quelles cibles se donner ? » sets them (« fixer »): nobody is asked to give a figure.
« sous quelle forme ? » (a noun after its determiner) is a format, no training (« formé », folded alike, has none)."""


_AGENT_ENDINGS: tuple[tuple[str, str], ...] = (("euses", "eur"), ("euse", "eur"), ("trices", "teur"), ("trice", "teur"))
"""Feminine endings of agent nouns and their masculine (« acheteuse » → « acheteur »)."""

_TODAY = re.compile(r"\baujourd\W?hui\b")
"""« aujourd'hui » is one everyday word, not two (« aujourd », « hui ») weighing twice: dropped as
« maintenant »-like framing (the data rules read it in the folded text)."""


MEMO_TEXT_CHARS = 400
"""Texts up to this length have their tokens kept (`tokenize`): understanding one message tokenizes
the same texts again and again (the answer, the slots, the intents, the axes)."""


def tokenize(text: str, *, drop_framing: bool = False) -> list[str]:
    """Folded word tokens of `text` without stop words or stray single letters; `drop_framing`:
    without the framing phrases either (the search, not the length of a message, wants that)."""
    if len(text) <= MEMO_TEXT_CHARS:
        return list(_kept_tokens(text, drop_framing))
    return _tokens(text, drop_framing)


@functools.lru_cache(maxsize=1024)
def _kept_tokens(text: str, drop_framing: bool) -> tuple[str, ...]:
    return tuple(_tokens(text, drop_framing))


def _tokens(text: str, drop_framing: bool) -> list[str]:
    text = _ONES_OWN.sub(r"\1 enpropre", _IDIOMS.sub(" ", spelled_out(strip_markup(text))))
    for pattern, meaning in PARTICLE_VERBS:
        text = pattern.sub(meaning, text)
    folded = _POPULATION.sub(" ", _TODAY.sub(" ", fold(text)))
    if drop_framing:
        folded = _FRAMING.sub(" ", folded)
    return [
        token
        for token in _TOKEN.findall(first_plural_as_second(folded))
        if token not in STOP_WORDS and (len(token) > 1 or token.isdigit())
    ]


_POPULATION = re.compile(r"\b\d{1,3}(?:[ .\u00a0\u202f]?\d{3})*\s*(?=habitants?\b)")
"""« une commune de 50 000 habitants »: a population, never an amount of the SPASER (its threshold
is in euros): its number would match « 50 millions »."""
_WORD = re.compile(r"[^\W\d_]+")


def spellings(text: str) -> dict[str, str]:
    """Each folded word of `text` with the spelling it was typed in (« regie » → « régie »): how
    common a word is in French is known for its spelling, not for its folded form."""
    return {fold(word): word.lower() for word in _WORD.findall(strip_markup(text))}


class Analyzer:
    """Turns text into search terms: stems, with lexicon phrases rewritten to canonical terms."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.from_file()
        self._agent_nouns = frozenset(
            token
            for phrase in (*self.lexicon.domain_terms, *(p for g in self.lexicon.synonym_groups for p in (g.canonical, *g.variants)))
            for token in _TOKEN.findall(fold(phrase))
            if token.endswith("eur") and len(token) >= 6
        )
        """Masculine agent nouns of the lexicon (« acheteur », « directeur »), whose feminine is read as them."""
        self._stemmer = snowballstemmer.stemmer("french")
        self._stem_cached = functools.lru_cache(maxsize=65_536)(self._stem_word)
        self._phrases: dict[tuple[str, ...], str] = {}
        self.lexicon_words: frozenset[str] = frozenset()
        self._build_phrase_table()
        self._longest_phrase = max((len(key) for key in self._phrases), default=1)
        self._framing_stems = frozenset(self.stem(word) for word in FRAMING_WORDS)
        self._counting_stems = frozenset(self.stem(word) for word in COUNTING_WORDS)
        self._time_units = frozenset(self.stem(word) for word in TIME_UNITS)
        self.counts = True
        # A phrase the lexicon does not make one term (« marché réservé ») is no domain term word by
        # word: « c'est réservé aux collectivités ? » names no reserved contract.
        self.domain_terms: frozenset[str] = frozenset(
            terms[0] for phrase in self.lexicon.domain_terms if len(terms := self.terms(phrase)) == 1
        )

    def stem(self, token: str) -> str:
        """Snowball stem of a folded token. Folding drops the accent of « -ée(s) », which the
        French stemmer needs to strip the ending, so it is restored first (« alignees » and
        « alignées » both give « align »)."""
        if not token.isalpha():
            return token
        override = STEM_OVERRIDES.get(token)
        if override is not None:
            return override
        masculine = self._masculine_agent(token)
        return self._stem_cached(masculine or token)

    def _masculine_agent(self, token: str) -> str | None:
        """« acheteuses », « animatrice »: the feminine of an agent noun the lexicon names in the
        masculine (« acheteur »), read as it. Snowball stems « acheteuse » as the verb (« achet »),
        so « les acheteuses » would miss every entry on buyers that « les acheteur·euses » meets."""
        for feminine, masculine in _AGENT_ENDINGS:
            if token.endswith(feminine):
                candidate = token[: -len(feminine)] + masculine
                if candidate in self._agent_nouns:
                    return candidate
        return None

    def _stem_word(self, token: str) -> str:
        if len(token) > 4 and token.endswith("ees"):
            token = token[:-3] + "ées"
        elif len(token) > 3 and token.endswith("ee"):
            token = token[:-2] + "ée"
        stemmed = self._stemmer.stemWord(token)
        stemmed = unicodedata.normalize("NFKD", stemmed).encode("ascii", "ignore").decode("ascii")
        # Snowball leaves verbs in « -ent » untouched and stems « associer » / « associe »
        # differently once accents are folded; these two steps make the forms meet.
        if stemmed == token and len(token) >= 7 and token.endswith("ent"):
            stemmed = token[:-3]
        if len(stemmed) >= 5 and stemmed.endswith("i"):
            stemmed = stemmed[:-1]
        return stemmed

    def terms(self, text: str) -> list[str]:
        return self.terms_from_tokens(tokenize(text))

    def terms_from_tokens(self, tokens: Sequence[str]) -> list[str]:
        """Stems of `tokens` where the longest lexicon phrases become one canonical term."""
        terms: list[str] = []
        for phrase, canonical in self._walk(tokens):
            if canonical is None:
                terms.append(phrase[0])
                continue
            terms.append(canonical)
            if len(phrase) > 1 and canonical in self._acronyms:
                terms.extend(phrase)  # « schéma de promotion des achats… »: « promotion » counts too
        return self._with_counted(terms)

    def names_one_thing_twice(self, tokens: Sequence[str]) -> bool:
        """« clause d'insertion et clause sociale », « le cotech et le comité de suivi »: two
        different phrasings of one lexicon term, as when asking whether they are the same."""
        phrasings: dict[str, set[tuple[str, ...]]] = {}
        for phrase, canonical in self._walk(tokens):
            if canonical is not None:
                phrasings.setdefault(canonical, set()).add(phrase)
        return any(len(found) > 1 for found in phrasings.values())

    def _walk(self, tokens: Sequence[str]) -> Iterator[tuple[tuple[str, ...], str | None]]:
        """The stems of `tokens` in runs: each longest lexicon phrase with its canonical term,
        every other stem alone with None."""
        stems = [stem for stem in map(self.stem, tokens) if stem not in self._framing_stems]
        position = 0
        while position < len(stems):
            for length in range(min(self._longest_phrase, len(stems) - position), 0, -1):
                phrase = tuple(stems[position : position + length])
                canonical = self._phrases.get(phrase)
                if canonical is not None:
                    yield phrase, canonical
                    position += length
                    break
            else:
                yield (stems[position],), None
                position += 1

    def _with_counted(self, terms: list[str]) -> list[str]:
        """« combien d'indicateurs », « le nombre de comités »: the counted thing as one more term
        (`compte:indicateur`), so that how many of what is asked weighs more than the context
        (« …pour une ville moyenne »), and « combien de temps » is not « combien d'indicateurs »."""
        counted_at: set[int] = set()
        for index in range(1, len(terms)):
            before, term = terms[index - 1], terms[index]
            if before not in self._counting_stems or index - 2 in counted_at:
                continue  # « un nombre de comités minimum imposé »: « minimum » says how many comités, counts nothing
            if term not in self._counting_stems and term not in self._time_units:
                counted_at.add(index)
        counted = [COUNTED_PREFIX + terms[index] for index in sorted(counted_at)]
        return terms + counted if counted and self.counts else terms

    def without_counted(self) -> "Analyzer":
        """The same analysis without the counted-thing terms: a data request (« dans combien de
        jours le copil ? ») is matched on its own words, the counted thing being no subject."""
        plain = copy.copy(self)
        plain.counts = False
        return plain

    def phrase_tokens(self, tokens: Sequence[str]) -> dict[str, frozenset[str]]:
        """The tokens each lexicon phrase of `tokens` is made of (« considération sociale » →
        `clause_sociale`: both words), as `terms_from_tokens` reads them."""
        kept = [(token, stem) for token in tokens if (stem := self.stem(token)) not in self._framing_stems]
        found: dict[str, frozenset[str]] = {}
        position = 0
        while position < len(kept):
            for length in range(min(self._longest_phrase, len(kept) - position), 1, -1):
                window = kept[position : position + length]
                canonical = self._phrases.get(tuple(stem for _, stem in window))
                if canonical is not None:
                    found[canonical] = found.get(canonical, frozenset()) | {token for token, _ in window}
                    position += length
                    break
            else:
                position += 1
        return found

    def is_known_token(self, token: str) -> bool:
        """True when the token is a lexicon word (so it needs no typo correction)."""
        return token in self.lexicon_words

    def _build_phrase_table(self) -> None:
        owners: dict[tuple[str, ...], str] = {}
        words: set[str] = set()
        self._acronyms = frozenset(
            "_".join(tokenize(group.canonical)) for group in self.lexicon.synonym_groups if group.canonical.isupper()
        )
        self.subject_terms: frozenset[str] = self._acronyms | frozenset(
            "_".join(tokenize(group.canonical)) for group in self.lexicon.synonym_groups if len(tokenize(group.canonical)) > 1
        )
        """Terms naming a subject of their own: an acronym (« COPIL ») or a phrase (« clause sociale »)."""
        for group in self.lexicon.synonym_groups:
            canonical_tokens = tokenize(group.canonical)
            if not canonical_tokens:
                raise KnowledgeFileError(
                    f"Lexique : la forme « {group.canonical} » ne contient aucun mot utile."
                )
            canonical = "_".join(canonical_tokens)
            for phrase in (group.canonical, *group.variants):
                tokens = tokenize(phrase)
                if len(tokens) == 1 and len(_TOKEN.findall(fold(phrase))) > 1:
                    continue  # « en ligne », « prendre en compte »: one everyday word left, read everywhere
                words.update(tokens)
                for key in self._phrase_keys(tokens):
                    previous = owners.get(key)
                    if previous is not None and previous != group.canonical:
                        raise KnowledgeFileError(
                            f"Lexique : « {phrase} » figure à la fois dans le groupe "
                            f"« {previous} » et dans le groupe « {group.canonical} »."
                        )
                    owners[key] = group.canonical
                    self._phrases[key] = canonical
        self.lexicon_words = frozenset(words)

    def _phrase_keys(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """The stem key of a phrase, plus its plural/singular form for one-word phrases."""
        if not tokens:
            return []
        key = tuple(self.stem(token) for token in tokens)
        if len(tokens) != 1 or not tokens[0].isalpha():
            return [key]
        word = tokens[0]
        other = word[:-1] if word.endswith("s") else word + "s"
        return list(dict.fromkeys([key, (self.stem(other),)]))
