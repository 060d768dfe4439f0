"""The year a list of meetings is asked for (« planning des comités 2027 », « les réunions prévues
cette année », « les COPIL de l’année prochaine »), read in words and resolved against today."""

from __future__ import annotations

import re

_YEAR = re.compile(
    r"\b(20\d\d)\b|\b(?:cette annee|l'annee en cours|annee en cours|cette annee-ci)\b"
    r"|\b(?:l'annee prochaine|annee prochaine|l'an prochain|an prochain)\b"
)
THIS_YEAR = "cette année"
NEXT_YEAR = "l’année prochaine"


def year_words(folded: str) -> str | None:
    """The year a folded text names, as a command may carry it: « 2027 », « cette année » or
    « l’année prochaine »."""
    found = _YEAR.search(folded)
    if found is None:
        return None
    if found[1]:
        return found[1]
    return NEXT_YEAR if "prochain" in found[0] else THIS_YEAR


def year_in(folded: str, this_year: int) -> int | None:
    """The calendar year a folded text names, « cette année » being `this_year`."""
    words = year_words(folded)
    if words is None:
        return None
    if words.isdigit():
        return int(words)
    return this_year + 1 if words == NEXT_YEAR else this_year
