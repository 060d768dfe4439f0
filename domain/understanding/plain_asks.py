"""Requests told by their wording rather than their content words: a question of function words
only (« je suis qui pour toi ? »), the state of the SPASER, the asker's own standing, the
directorates behind. Pure functions of the folded text, kept apart from the understanding's flow."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from domain.text import fold
from domain.understanding.intents import Intent

NEAR_EXACT = 85
"""How alike (0–100, words in any order) a question with no content word and an intent's phrasing
must be: « je suis qui pour toi ? » is all function words, read by its whole wording."""
_NOT_A_WORD = re.compile(r"[^\w]+")
_STATE_OF_THE_SPASER = re.compile(
    r"(?:^|\bl'|\b(?:le|du|au|un|ton|votre|notre) )(?:(?:petit|bref|rapide) )?"
    r"(?:etat des lieux|etat d'avancement|avancement|bilan|tableau de bord|point)"
    r"(?: (?:general|global|actuel|complet|rapide|sommaire|succinct|bref|express|d'ensemble|d'etape|de situation))*"
    r"(?: (?:du|de notre|de mon|de l'|de la|sur (?:le|la|l'|notre)))? ?(?:spaser|schema|demarche)\b"
)
"""« état des lieux du SPASER », « un point rapide sur le schéma », « un bilan sommaire de la démarche »: its
state, however brief or whole the asker wants it."""
_ADVICE_ON_A_STATE = re.compile(r"\b(?:pourquoi|comment|faut[- ]il|doi[st]|doivent|devr\w+|si|precedent\w*|ancien\w*|(?:je|on) leur)\b")
"""« je présente le bilan du SPASER aux élus, je leur montre quoi ? »: what to show others, advice."""
_PROGRESSING = re.compile(
    r"\b(?:ca|cela|on|il|elle|spaser|schema|demarche|projet|dossier|travaux|choses)(?: ne | n'| n | )(?:avance|avancent|progresse|progressent)\b"
    r"(?! (?:l'|la |les |le |un |une |des |du |de |d')(?!spaser|schema|demarche))"
    r"|\b(?:comment|ou|est-ce que|est ce que) (?:en )?(?:avance|avancent|progresse)(?:nt)? (?:le|la|notre|votre) (?:spaser|schema|demarche)\b"
    r"|\b(?:avance|progresse)[- ]t[- ](?:il|elle)\b"
    r"|\b(?:est|sont|sommes|etes)(?:[- ](?:t[- ])?(?:il|elle|ils|elles|on|nous|vous))? en (?:retard ou en )?avance\b"
)
"""« ça avance, le SPASER ? », « le schéma progresse ? », « on est en avance ? »: the verb of progress
(not « l'avance » of a contract, nor « on avance la date »)."""
_ADVICE_ON_PROGRESS = re.compile(
    r"\b(?:faire|faut|faudrait|doi[st]|doivent|devr\w+|pour que|autres?|ailleurs|france|nationa\w*|collectivites|communes)\b"
)
_WHICH_DIRECTORATES = re.compile(r"\bquel(?:le)?s? (?:directions?|services?|equipes?)\b")
_MY_STANDING = re.compile(
    r"\bje suis\b[^,;:]*\bquel(?:le)? (?:direction|service|role|profil|statut)\b"
    r"|\bquel(?:le)? (?:direction|service|role|profil|statut)\b[^,;:]*\bje suis\b"
    r"|\b(?:je suis|suis[- ]je) (?:bien )?(?:inscrite?|enregistree?|declaree?|rattachee?|reconnue?) (?:comment|comme quoi|en tant que quoi)\b"
)


_THE_ASSISTANT_ITSELF = re.compile(
    r"\b(?:t[' ]?es|tu es|es[- ]tu|vous etes|etes[- ]vous)\b(?: \w+){0,2} (?:une? )?(?:ia|intelligence artificielle|robot|bot|chatbot"
    r"|machine|programme|humaine?|vraie? personne|vraie? (?:agent|humain\w*))\b"
    r"|\btu (?:t[' ])?appelles?\b|\bappelles[- ]tu\b|\bvous vous appelez\b|\bton (?:petit )?nom\b|\bqui es[- ]tu\b"
)
"""« t'es une IA ou un vrai agent ? », « tu t'appelles comment ? »: the asker asks about the assistant
itself (small talk), never about the SPASER nor about « l'appel » of the directorates."""


class Wordings:
    """The intents' phrasings as typed, to compare a question with by its whole wording."""

    def __init__(self, intents: Iterable[Intent]) -> None:
        self._wordings = [(wording(example), intent) for intent in intents for example in intent.examples]

    def alike(self, text: str) -> tuple[float, Intent] | None:
        """The intent with a phrasing worded nearly as `text`, and how alike (0–1)."""
        typed = wording(text)
        scored = ((fuzz.token_sort_ratio(typed, phrasing), intent) for phrasing, intent in self._wordings)
        score, intent = max(scored, key=lambda found: found[0], default=(0.0, None))
        return (score / 100, intent) if intent is not None and score >= NEAR_EXACT else None


def wording(text: str) -> str:
    """A question's or a phrasing's words as typed, folded, without punctuation."""
    return _NOT_A_WORD.sub(" ", fold(text)).strip()


def state_of_the_spaser_asked(folded: str) -> bool:
    """« état des lieux du SPASER », « l'état d'avancement général du schéma », « ça avance ? »: where
    the organisation's own SPASER stands, unless advice is asked (« faire un état des lieux avant… »,
    « le bilan du schéma doit-il… »)."""
    if _PROGRESSING.search(folded) and not _ADVICE_ON_PROGRESS.search(folded):
        return True  # « en deux mots, ça avance le SPASER ? »; not « comment faire avancer… », nor elsewhere
    return bool(_STATE_OF_THE_SPASER.search(folded)) and not _ADVICE_ON_A_STATE.search(folded)


def which_directorates_asked(folded: str) -> bool:
    """« dans quelles directions… »: directorates asked of, by their state (said elsewhere)."""
    return bool(_WHICH_DIRECTORATES.search(folded))


def own_standing_asked(folded: str) -> bool:
    """« tu sais de quelle direction je suis ? »: the asker's own role or directorate, in one clause
    (« je suis directrice, quelle direction saisit… » asks of another)."""
    return bool(_MY_STANDING.search(folded))


def assistant_itself_asked(folded: str) -> bool:
    """Whether the question asks about the assistant itself: what it is, its name (`_THE_ASSISTANT_ITSELF`)."""
    return bool(_THE_ASSISTANT_ITSELF.search(folded))


_HOW_TO_TRACK = re.compile(r"\bcomment\b[^?.!;]{0,80}\bsuivre\b|\bsuivre\b[^?.!;]{0,80}\bcomment\b")


def how_to_track_asked(folded: str) -> bool:
    """« comment le suivre dans le SPASER ? »: how to track a subject, not which indicators we track."""
    return bool(_HOW_TO_TRACK.search(folded))


_HOW_DO_I = re.compile(
    r"\b(?:comment|de quelle (?:facon|maniere)|quelle (?:commande|demarche|procedure))\b|\bc[' ]?est ou\b"
    r"|\bqu[' ]est[- ]ce qu[' ]?(?:il faut|on doit|je dois) (?:faire|taper|ecrire)\b"
)
_WHERE_DO_I = re.compile(r"\bou (?:est[- ]ce qu\w*|on|je|puis|peut|peux|se|s)\b")
_WHERE_OPENS = re.compile(
    r"(?:^|[,;:.!?(]|\b(?:et|mais|alors|donc|bonjour|salut|pas|savoir|sais|sait|savez|dire|dis|dites|indiquer|indiquez"
    r"|montrer|montrez|trouver|voir|demande|expliquer|expliquez|moi|nous))\s*$"
)
_WHERE_TYPED = re.compile(r"\boù\b", re.IGNORECASE)
"""« où on ajoute un indicateur ? », « dites-moi ou je déclare une direction »: « ou » opens the question or
follows a verb of knowing or telling, and asks where; between two clauses (« on crée des indicateurs ou on
garde les nôtres ? ») it offers a choice. Typed « où », it asks where wherever it stands."""
_ASSISTANT_TASKS = (
    ("indicateurs", re.compile(
        r"\b(?:ajout\w*|cre(?:e|er|ez|ation)|nouvel|supprim\w*|retir\w*|desactiv\w*|reactiv\w*|modifi\w*|import\w*|export\w*)"
        r"\b(?: \w+){0,3} (?:indicateurs?|indics?|catalogue)\b"
    )),
    ("organisation", re.compile(
        r"\b(?:ajout\w*|cre(?:e|er|ez|ation)|supprim\w*|retir\w*|enregistr\w*|inscri\w*|affect\w*|declar\w*|renomm\w*)"
        r"\b(?: \w+){0,3} (?:directions?|personnes?|contributeur\w*|contributrices?|utilisat\w*|collegues?|agents?)\b"
    )),
    ("comités", re.compile(
        r"\b(?:planifi\w*|programm\w*|annul\w*|deplac\w*|report\w*|ajout\w*)"
        r"\b(?: \w+){0,3} (?:comites?|copil|cotech|reunions?|seances?)\b"
    )),
)
"""« comment je fais pour ajouter un nouvel indicateur ? », « où est-ce qu'on déclare une nouvelle
direction ? »: a task done with the assistant, whose help section says how."""


def how_or_where_asked(folded: str, typed: str = "") -> bool:
    """Whether the question asks how or where to do something (`_HOW_DO_I`, `_WHERE_OPENS`)."""
    if _HOW_DO_I.search(folded):
        return True
    where = (found for found in _WHERE_DO_I.finditer(folded) if _WHERE_OPENS.search(folded[: found.start()]))
    return next(where, None) is not None or bool(_WHERE_TYPED.search(typed) and _WHERE_DO_I.search(folded))


def assistant_task_asked(folded: str, typed: str = "") -> str | None:
    """The help section (as typed after « aide ») of a task the question (`typed`, with its accents)
    asks how to do with the assistant: adding or removing what it keeps (indicators, directorates,
    people, meetings)."""
    if not how_or_where_asked(folded, typed):
        return None
    return next((topic for topic, task in _ASSISTANT_TASKS if task.search(folded)), None)
