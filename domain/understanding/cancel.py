"""« annuler » in all the ways people type it (fillers, typos, slang), recognised in one place:
by the router when nothing is under way, and by every dialog at any of its steps.

A dialog's prompt may be answered « rien » or « tant pis » (no comment, no place): while a
question is asked, only a word that cannot answer it (« annule », « laisse béton », « oublie »)
cancels. A request that merely starts alike (« annuler le prochain COPIL », « arrêté du 3 mars »)
is no cancel at all: the whole text must be made of such words.
"""

from __future__ import annotations

import re

from domain.text import fold

_FILLERS = r"(?:non|bon|ben|bah|beh|euh|bof|ok|oh|ah|allez|finalement|en fait|au final|pardon|desole)"
_CANCELLING = (
    r"(?:an?nule[rz]?|stop|arrete[rz]?|on arrete|abandonne[rz]?|laisse[rz]?(?: moi)? (?:tomber|beton|courir)"
    r"|quitte[rz]?|sortir|cancel|oublie[rz]?(?: moi)?)"
)
_ANSWERING_TOO = r"(?:rien|pas grave|tant pis)"
"""Said to cancel with nothing under way, but also what a prompt may be answered (« rien »)."""
_CANCEL = re.compile(
    rf"^(?:{_FILLERS}[ ,.]+)*(?:(?:{_CANCELLING}|{_ANSWERING_TOO})[ ,.!]*){{1,3}}(?: tout| ca| la saisie)?[ .!]*$"
)
_SURELY_CANCELLING = re.compile(rf"\b{_CANCELLING}\b")


def cancel_request(text: str | None, answering: bool = False) -> re.Match | None:
    """The match when `text` (folded or not) asks to stop what is under way, else None.

    `answering`: the text answers a dialog's prompt, where « rien » alone is an answer."""
    folded = fold(text)
    found = _CANCEL.match(folded)
    if found is None or (answering and not _SURELY_CANCELLING.search(folded)):
        return None
    return found
