"""Who holds a role, asked of people: the SPASER's lead or a directorate's referent here and now,
told apart from what a role is (« le référent, il fait quoi ? »), from who should hold it in
general (« qui doit piloter… ») and from who sits on a committee. Pure functions of the folded
text, kept apart from the understanding's flow."""

from __future__ import annotations

import re

from domain.knowledge.normalize import tokenize
from domain.understanding.indicator_asks import HISTORY_ASKED
from domain.understanding.states import WHO_ASKED

PERSON_INTENTS = frozenset({"who_is_lead", "directorate_referent"})
"""Intents naming who holds a role."""
_ROLE_ASKED = re.compile(
    r"\b(?:role|fonctions?|missions?|attributions?|recouvr\w*|consist\w*|a quoi (?:sert|servent)|en quoi|"
    r"(?:il|elle|ils|elles|ca) (?:fai\w*|sert|servent) (?:a )?quoi|que (?:fai\w*|doi\w*)|implique\w*)\b"
)
"""« ce que recouvre la fonction de référent », « le référent, il fait quoi ? »: what a role is,
not who holds it, unless who is asked too."""
_WHAT_NOT_WHO = re.compile(_ROLE_ASKED.pattern + r"|\b(?:quoi|koi)\b")
_WHO_HOLDS = re.compile(r"^(?:et )?(?:a |c[' ]?(?:est )?)?(?:qui|ki)\b|\b(?:c[' ]?(?:est )?|a )?(?:qui|ki)(?:[- ]est[- ]ce)?\s*[?!.]*$")
IN_GENERAL = re.compile(
    r"(?<!\bje )(?<!\bj )(?<!\bj')\b(?:doi\w*|faut|faudrait|devrai\w*|peu[tv]\w*|pourrai\w*|habitude|en general|generalement|souvent|en principe"
    r"|normalement|idealement|impliqu\w*|compos\w*|siege\w*|particip\w*|vien\w*)\b"
)
"""« qui pilote le SPASER ? », « c'est qui le chef de projet ? »: who holds the role here and now,
not who should (« qui doit piloter… », « qui porte le SPASER d'habitude ») nor who sits on a
committee (« je dois lui écrire, c'est qui ? » is the asker's own need)."""
_REPORTS = re.compile(
    r"\b(?:sais\w*|rempli\w*|remplit|renseign\w*|remont\w*|transmet\w*|s occupe\w*|charge|ref|referente?s?|contacts?|chiffres"
    r"|correspondante?s?|interlocut\w*)\b"
)
"""« qui fait la saisie pour la flotte ? »: who reports for a directorate named."""
_THEIR_ROLE = re.compile(r"\b(?:son|sa|ses|leurs?) (?:role|fonction|missions?|attributions?)\b")
"""« le référent de ma direction, son rôle ? »: the role of someone else, not mine."""
_THE_SPASER_WORDS = frozenset({"spaser", "schema", "demarche"})
_MY_DIRECTORATE = re.compile(r"\b(?:ma|mon|notre) (?:direction|service|equipe|pole)\b")
"""« qui dans ma direction doit remplir… »: who reports for the asker's own directorate."""
_SOME_DIRECTORATE = re.compile(r"\b(?:directions?|services?|equipes?|ma|mon|mes|notre|nos|chez (?:nous|eux|moi))\b")


def no_one_asked(folded: str) -> bool:
    """« le référent, il fait quoi ? », « on suit quoi comme indicateur ? »: what, not who."""
    return bool(_WHAT_NOT_WHO.search(folded)) and not WHO_ASKED.search(folded)


def holder_asked(folded: str, committee: bool) -> bool:
    """Who holds a role here and now (see `IN_GENERAL`), no committee named."""
    return bool(_WHO_HOLDS.search(folded.strip())) and not IN_GENERAL.search(folded) and not committee


def reporter_asked(folded: str, directorate: bool, committee: bool) -> bool:
    """Who reports for a directorate named or for the asker's own: « qui dans ma direction doit
    remplir le bio ? » (« doit » is who reports here, not who should in general)."""
    mine = bool(_MY_DIRECTORATE.search(folded) and _WHO_HOLDS.search(folded.strip())) and not committee
    if not (holder_asked(folded, committee) or mine) or not (directorate or mine):
        return False
    return bool(_REPORTS.search(folded)) and not HISTORY_ASKED.search(folded)


def lead_meant(folded: str) -> bool:
    """« le référent SPASER »: the SPASER's lead, no directorate's referent."""
    return bool(set(tokenize(folded)) & _THE_SPASER_WORDS) and not _SOME_DIRECTORATE.search(folded)


def their_role_asked(folded: str) -> bool:
    """« le référent de ma direction, son rôle ? »: someone else's role, not the asker's standing."""
    return bool(_THEIR_ROLE.search(folded))
