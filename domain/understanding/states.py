"""What a question asks of the state of entries and indicators, told by its wording: which side of
the indicators (reached or late), what a directorate named has not entered, what the asker has to
enter, and which intents its wording allows at all. Pure functions of the folded text."""

from __future__ import annotations

import re

from domain.understanding.intents import INTENTS_BY_ENTRY_ID, Intent

WHO_ASKED = re.compile(r"(?<!\bce )\bqui\b|\bnoms?\b|\b(?:la|quelle) personne\b|\bcontacter\b|\badresser\b")
ROLE_NAMED = re.compile(
    r"(?<!\bachat )(?<!\bachats )\b(?:responsables?|referente?s?|ref|pilotes?|chef(?:fe)?s?|chargee?s?|contacts?|interlocut\w*|correspondante?s?"
    r"|contributeur\w*|contributrices?|coordinat\w*|porteu\w*|designee?s?)\b"
)
"""« le contact SPASER », « la cheffe de projet »: a person named by the role they hold (not « achats responsables »)."""
_INDICATORS_WORD = re.compile(r"\b(?:indicateurs?|indics?|ind|objectifs?|cibles?)\b")
_REACHED = re.compile(
    r"\b(?:dans les clous|atteinte?s?|atteign\w*|au vert|tenue?s?|tien(?:t|s|nent|drons?)|depass(?:e|es|ee|ees|ent)|(?:sont|est) ok|reussi\w*)\b"
)
NOT_REACHED = re.compile(
    r"\ben retard\b|\bau rouge\b|\b(?:pas|non|jamais) (?:encore |toujours )?(?:ete )?(?:rempli|saisi|renseigne|a jour|remonte|transmis)\w*"
    r"|\bmanquant\w*|\ba la (?:traine|bourre)\b|\bdecroch\w*|\ben souffrance\b|\boubli\w*"
    r"|\b(?:pas de|sans|aucune) (?:valeur|chiffre|donnee|saisie)s?\b"
)
_NEGATED = re.compile(r"\b(?:pas|plus|jamais|hors|loin|non)\b|\bn[' ]")
NOT_A_STATE = re.compile(r"\b(?:pourquoi|comment|que faire|faut|faudrait|doit|doivent|devrait|si)\b")
"""« y a des indicateurs au vert ? », « quels objectifs on ne tient pas ? »: the state of the
organisation's indicators, one side or the other by its words and their negation (« dans les
clous » is reached, « pas dans les clous » late); « pourquoi », « que faire si… » ask for advice."""
FIRST_PERSON = re.compile(r"\b(?:je|jai|moi|me|mes|mon|ma)\b|\b[jm]'|^g\b")
"""« j'ai des trucs à rendre ? », « qu'attend-on de moi ? »: what the asker has to report is asked in the first person."""
_MEETING_WORDS = re.compile(
    r"\b(?:reunions?|reunir|reunit|comites?|seances?|instances?|rencontres?|copil|cotech|codir|se voi\w*|se retrouv\w*)\b"
)
"""« on a une réunion bientôt ? », « on se voit quand ? »: the next meeting is asked of a meeting."""
_OTHER_COMMITTEE = re.compile(
    r"\bcomites? (?:des fetes|d[' ]entreprise|des usagers|de quartier|de jumelage|des oeuvres sociales)\b"
)
"""Committees of the organisation other than the SPASER's."""
_MISSING = re.compile(r"\bmanqu(?:e|ent|ait|aient)\b")
"""« ce qui manque pour la commande publique »: of a directorate named, what it has not entered."""
_WHAT_STANDS = re.compile(r"^(?:et )?(?:qu[' ]est[- ]ce qui|ce qui|quoi) (?:est|sont|reste|passe)\b")
"""« qu'est-ce qui est au vert ? »: what stands so among the indicators, not a subject « vert »."""
_DONE_ASKED = re.compile(
    r"\b(?:a|ont) (?:bien |deja |tout |toutes? |pas |pas encore |toujours pas )?"
    r"(?:rempli|saisi|renseigne|transmis|remonte|envoye|complete|fini)\w*"
)
"""« la DSI a rempli ses indicateurs ? »: whether others have entered theirs, not the asker entering."""
_WHAT_TO_ENTER = re.compile(r"\b(?:qu[' ]est[- ]ce qu[e']?|quoi|koi|quel(?:le)?s?)\b")
_STATE_OF_ENTRIES = re.compile(r"\b(?:sont|est|suis) (?:a jour|complete?s?|bon(?:ne)?s?|ok)\b")
"""« qu'est-ce que j'ai à saisir ? », « mes indicateurs sont à jour ? »: what is due, not opening the entry form."""
_HAVE_TO = re.compile(
    r"\b(?:j[' ]?ai|g|ai[- ]je|me reste)\b[^?.!;]{0,60}"
    r"\ba (?:remplir|saisir|renseigner|completer|faire|rendre|remettre|fournir|envoyer|transmettre|remonter)\b"
)
"""« j'ai des indicateurs à remplir ? »: what the asker has to enter, not opening the form now."""
_MY_STATE = re.compile(
    r"\b(?:je suis|suis[- ]je)\b(?: \w+){0,2} (?:a jour|en retard|en regle)\b"
    r"|\bmes \w+(?: \w+)? (?:sont|est) (?:bien |toutes? |tous )?(?:a jour|complet\w*|faites?|en retard)\b"
)
"""« je suis à jour dans mes saisies ? », « mes indicateurs sont à jour ? »: the asker's own entries."""
_WHAT_I_MUST_ENTER = re.compile(
    r"\b(?:qu[' ]est[- ]ce que|quoi|koi|quel(?:le)?s?)\b[^?.!;]{0,40}\b(?:je dois|dois[- ]je)"
    r" (?:remplir|saisir|renseigner|completer|rendre|remettre|fournir|envoyer|transmettre|remonter)\b"
    r"|\b(?:je dois|dois[- ]je) (?:remplir|saisir|renseigner|completer|rendre|fournir|transmettre|remonter) (?:quoi|koi)\b"
)
"""« qu'est-ce que je dois remplir pour la période en cours ? »: what the asker has to enter, asked;
not « je dois saisir les heures d'insertion » (entering them now)."""
_WANT_TO_DO = re.compile(
    r"\b(?:je|j) ?(?:veux|voudrais|souhaite\w*|aimerais|vais|dois|viens)\b(?! (?:voir|savoir|connaitre|consulter|comprendre))"
    r"|^(?:saisir|renseigner|remplir|rentrer|entrer|completer|mettre a jour)\b"
)
"""« je veux rentrer mes valeurs », « saisir la valeur de l'IND-13 »: the asker about to act, not asking
who entered what."""


def my_due_asked(folded: str) -> bool:
    """« j'ai des indicateurs à remplir ? », « je suis à jour dans mes saisies ? »: what the asker
    has to enter, or whether they are done, in the first person."""
    if NOT_A_STATE.search(folded):
        return False
    return bool(_HAVE_TO.search(folded) or _MY_STATE.search(folded) or _WHAT_I_MUST_ENTER.search(folded))


def fits(intent: Intent, folded: str, committee_named: bool = False) -> bool:
    """Whether the question's wording allows the intent: « qu'est-ce qui n'a pas été saisi à
    temps ? » is not what the asker has to report; « j'ai des trucs à rendre bientôt ? » is no
    meeting; « la DSI a rempli ses indicateurs ? » asks of others' entries, not to enter one's own."""
    if not folded:
        return True
    if intent.id in ("who_is_lead", "directorate_referent"):
        return bool(WHO_ASKED.search(folded) or ROLE_NAMED.search(folded))  # « suivre les achats durables… »: no one asked
    if intent.id == "my_due":
        return bool(FIRST_PERSON.search(folded))
    if intent.id in ("next_meeting", "upcoming_meetings", "calendar") and _OTHER_COMMITTEE.search(folded):
        return False  # « le comité des fêtes se réunit quand ? »: not the SPASER's
    if intent.id in ("next_meeting", "upcoming_meetings"):
        return committee_named or bool(_MEETING_WORDS.search(folded))
    if intent.id == "update_indicators":
        if _WHAT_TO_ENTER.search(folded) or _STATE_OF_ENTRIES.search(folded) or _HAVE_TO.search(folded):
            return False  # « qu'est-ce que j'ai à saisir ? », « mes indicateurs sont à jour ? »: what is due
        return not _DONE_ASKED.search(folded) or bool(FIRST_PERSON.search(folded))
    if intent.id == "reached_indicators":
        return not (_NEGATED.search(folded) and _REACHED.search(folded))  # « si on n'atteint pas nos objectifs »
    if intent.id == "indicator_history":
        # « je veux rentrer mes valeurs »: to enter them; « je suis à jour ? »: what is due; not who entered what
        return not (_WANT_TO_DO.search(folded) or _STATE_OF_ENTRIES.search(folded))
    return True


def side_asked(folded: str, directorate_named: bool = False) -> Intent | None:
    """The indicators reached or late, when the question asks which plainly (see `_REACHED`); of a
    directorate named, what is not entered (« qu'est-ce qui n'a pas été saisi côté patrimoine
    bâti ? », « la DSI a rempli ses indicateurs ? »), unless the asker speaks of their own entries
    or asks who."""
    if NOT_A_STATE.search(folded):
        return None
    of_a_directorate = directorate_named and not (FIRST_PERSON.search(folded) or WHO_ASKED.search(folded))
    if of_a_directorate and (NOT_REACHED.search(folded) or _DONE_ASKED.search(folded) or _MISSING.search(folded)):
        return INTENTS_BY_ENTRY_ID["intent-late-indicators"]  # « la DSI a rempli ses indicateurs ? »
    if not (_INDICATORS_WORD.search(folded) or _WHAT_STANDS.search(folded)):
        return None
    reached = _REACHED.search(folded)
    if reached and not NOT_REACHED.search(folded):
        late = _NEGATED.search(folded)
        return INTENTS_BY_ENTRY_ID["intent-late-indicators" if late else "intent-reached-indicators"]
    return INTENTS_BY_ENTRY_ID["intent-late-indicators"] if NOT_REACHED.search(folded) else None


def what_i_must_enter(folded: str) -> bool:
    """« qu'est-ce que je dois remplir ? »: « je dois » is the asker's own due, not a rule in general."""
    return bool(_WHAT_I_MUST_ENTER.search(folded))


def about_to_enter(folded: str) -> bool:
    """« je dois saisir les heures d'insertion »: the asker about to enter figures (`_WANT_TO_DO`)."""
    return bool(_WANT_TO_DO.search(folded))
