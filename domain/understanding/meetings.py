"""Meetings asked in everyday words: the next one (« c'est quand le prochain copil ? ») or those
ahead (« calendrier des comités », « toutes les dates de réunions prévues cette année », « c'est
quand les prochains cotech ? »). Pure patterns of the folded text, kept apart from the
understanding's flow."""

from __future__ import annotations

import re

SOON = re.compile(r"\b(?:quand|kan|date|jour|prochaine?s?|bientot|ce mois|semaine|lieu|heure|prevue?s?)\b")
"""The next meeting is asked with a word of time (« quand », « prochain », « la date »)."""
NEXT_MEETING_NAMED = re.compile(
    r"(?<!pour la )(?<!pour le )(?<!avant la )(?<!avant le )(?<!lors de la )(?<!lors du )(?<!a la )(?<!au )"
    r"\bprochaine?s? (?:reunions?|instances?|seances?|comites?|rencontres?|copil|cotech)\b"
)
"""« prochaine instance SPASER »: the next meeting, named with no word of time but « prochaine »
(« pour la prochaine séance » is when a request is for)."""
_MEETING = r"(?:reunions?|comites?|seances?|instances?|rencontres?|copil|cotech|codir)"
_MEETINGS = r"(?:reunions|comites|seances|instances|rencontres|copil|cotech|codir)"
_SCHEDULE = re.compile(
    rf"\b(?:calendriers?|plannings?|programme|programmation|echeanciers?|dates|liste|listing|recap\w*)\b(?: [\w']+){{0,3}} {_MEETING}\b"
    rf"|\b{_MEETING}(?: [\w']+){{0,2}} (?:calendriers?|plannings?|echeanciers?|dates)\b"
    r"|\b(?:calendrier|planning|programme|echeancier) (?:annuel|de l'annee|des reunions)\b"
)
"""« calendrier des comités », « planning des COPIL », « les dates de réunions »: the meetings listed."""
_MANY_AHEAD = re.compile(
    r"(?<!pour les )(?<!avant les )(?<!lors des )(?<!en vue des )(?<!pour mes )(?<!pour nos )"
    rf"\bprochaine?s {_MEETING}\b"
    rf"|\b{_MEETINGS} (?:a venir|prevue?s|planifiee?s|programmee?s|futures?|de l'annee)\b"
    rf"|\b(?:toutes les|tous les) (?:\w+ ){{0,2}}{_MEETINGS}\b"
)
"""« les prochains cotech », « les réunions à venir », « tous les comités »: several meetings."""
_PLURAL_WHEN = re.compile(rf"\b(?:les|des|nos|mes|quoi comme|quel(?:le)?s(?: sont les)?) {_MEETINGS}\b")
_WHEN_OR_YEAR = re.compile(
    r"\b(?:quand|kan|dates?|prevue?s|planifiee?s|programmee?s|a venir|20\d\d|cette annee|annee prochaine|an prochain"
    r"|d[' ]ici (?:la fin|l[' ]ete|decembre|juin|noel))\b"
)
"""« c'est quand les réunions ? », « les copil en 2027 », « on a quoi comme comités d'ici la fin de l'année ? »:
meetings in the plural, with a time."""
_A_YEAR = re.compile(r"\b(?:20\d\d|cette annee|annee prochaine|an prochain)\b")
_NOT_A_LIST = re.compile(
    r"\b(?:abonn\w*|liens?|url|ics|ical|outlook|synchro\w*|export\w*|ajout\w*|integr\w*|import\w*|mon agenda|mon calendrier"
    r"|faut|faudrait|doi[st]|doivent|devr\w*|conseil\w*|recommand\w*|rythme|frequence|cadence|combien|par an|oblig\w*"
    r"|impos\w*|loi|legal\w*|pourquoi|comment|membres?|particip\w*|sieg\w*|compos\w*|ordre du jour|comptes? rendus?"
    r"|proces verbal|bilan|tenus?|mettre en place|mise en place|cre\w+|instaur\w*|prevoir)\b|^(?:et )?(?:c'est )?qui\b|\bqui (?:participe|sieg|vien|anim|pilot|presid|convoqu|invit)\w*"
)
"""« s'abonner au calendrier des comités » is the agenda link; « combien de comités par an ? »,
« qui participe aux comités ? », « les comités prévus par la loi » ask about committees in general."""


def no_list_asked(folded: str) -> bool:
    """The agenda link, or committees in general (« qui participe aux prochains comités ? »)."""
    return bool(_NOT_A_LIST.search(folded))


def meetings_listed(folded: str) -> bool:
    """Whether the upcoming meetings are asked as a list, in the plural or for a period, rather
    than the next one, the agenda link, or advice on committees."""
    if no_list_asked(folded):
        return False
    if _SCHEDULE.search(folded) or _MANY_AHEAD.search(folded):
        return True
    return bool(_PLURAL_WHEN.search(folded) and _WHEN_OR_YEAR.search(folded)) or bool(
        _A_YEAR.search(folded) and re.search(rf"\b{_MEETING}\b", folded) and SOON.search(folded)
    )
