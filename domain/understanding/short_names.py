"""The everyday short names of a directorate, derived from its full name rather than listed:
« la restau co » (the first letters of its words, in order), « l'info » (one word cut short, after
« la », « le », « les », « l' »), « les SI » (the initials of its words, typed in capitals).

A cut word alone must follow a definite article, be four letters at least and a third shorter
than the word at least, so « une info », « la com » and « l'humain » stay words; initials must be typed in capitals, so « si » and
« pb » (« un PB » is a problem) stay words too. A word of the same family as a word of the name, after a definite article,
names it too: « l'informatique » (« information »), « le restaurant scolaire » (« restauration »): both words share a long
start and go on differently, so an inflection (« la ressource », « l'humain ») is no other word.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from domain.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_FUNCTION_WORDS = frozenset("direction service pole de la le les des du d l et en a au aux".split())
_ARTICLES = frozenset("la le les du des au aux l".split())
_DEFINITE = re.compile(r"(?:\b(?:la|le|les|du|des|au|aux|cote|chez|direction|service|pole)\s+|\bl'\s*)$")
MIN_CUT = 4
"""Letters a word cut short alone keeps (« info », « restau »), to be told from a small word."""
MAX_CUT_SHARE = 2 / 3
"""A word cut short alone keeps at most this share of its letters: « info » is « information »
clipped, « humain » is « humaines » inflected, another word."""
MIN_FAMILY_START = 7
"""Letters two words of one family share at their start (« informati-que », « informati-on »)."""
MIN_FAMILY_ENDING = 2
"""Letters each of them goes on with, so that an inflection (« ressource-s ») is not another word."""
MIN_PIECE = 2
"""Letters each word of a run of cut words keeps (« restau co »)."""


class ShortNames:
    """Finds a directorate named by a short form of its name (see the module's docstring)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """`names`: (code, full name) of each directorate."""
        self._words = {code: _content_words(name) for code, name in names}
        self._initials = {
            "".join(word[0] for word in words): code for code, words in self._words.items() if len(words) >= 2
        }

    def find(self, typed: str) -> tuple[str | None, frozenset[str]]:
        """The directorate `typed` names by a short form, and the folded words naming it."""
        for found in re.finditer(r"\b[A-Z]{2,4}\b", typed):
            code = self._initials.get(found[0].lower())
            if code is not None and _DEFINITE.search(fold(typed[: found.start()]) + " "):
                return code, frozenset({found[0].lower()})
        folded = fold(typed)
        words = [(found[0], found.start()) for found in _WORD.finditer(folded)]
        named = [
            (code, run)
            for code, name_words in self._words.items()
            for run in _runs_of_cut_words(words, name_words, folded)
        ]
        codes = {code for code, _ in named}
        if len(codes) != 1:
            return None, frozenset()
        return codes.pop(), frozenset(word for _, run in named for word in run)


def _content_words(name: str) -> list[str]:
    return [word for word in _WORD.findall(fold(name)) if word not in _FUNCTION_WORDS]


def _runs_of_cut_words(words: list[tuple[str, int]], name_words: list[str], folded: str) -> list[tuple[str, ...]]:
    """The runs of typed words that are, in order, the starts of consecutive words of a name: two
    words or more (« restau co »), or one proper start after a definite article (« l'info »), or the
    first word of a longer name, whole, after one (« les chiffres de la restauration »)."""
    runs = []
    for start in range(len(words)):
        for first in range(len(name_words)):
            length = 0
            while (
                start + length < len(words)
                and first + length < len(name_words)
                and len(words[start + length][0]) >= MIN_PIECE
                and name_words[first + length].startswith(words[start + length][0])
            ):
                length += 1
            run = tuple(word for word, _ in words[start : start + length])
            if length >= 2 and any(word != name_words[first + index] for index, word in enumerate(run)):
                runs.append(run)
            elif length == 1:
                word, position = words[start]
                clipped = MIN_CUT <= len(word) <= MAX_CUT_SHARE * len(name_words[first])
                leading = first == 0 and len(name_words) >= 2 and word == name_words[0]  # « la restauration »
                introduced = _introduced(folded[:position])
                if (clipped or leading) and introduced is not None:
                    runs.append(introduced + run)
            elif length == 0 and _same_family(words[start][0], name_words[first]):
                introduced = _introduced(folded[: words[start][1]])
                if introduced is not None:
                    runs.append((*introduced, words[start][0]))
    return runs


def _introduced(before: str) -> tuple[str, ...] | None:
    """How a word alone is introduced as a name: by an article (nothing more to name it), by
    « service » or « direction » (« le service informatique »: that word names it too), or not."""
    found = _DEFINITE.search(before)
    if found is None:
        return None
    word = found[0].strip(" '")
    return (word,) if word in _FUNCTION_WORDS and word not in _ARTICLES else ()


def _same_family(typed: str, name_word: str) -> bool:
    """« informatique » and « information »: a long shared start, then two different endings."""
    shared = len(os.path.commonprefix((typed, name_word)))
    return shared >= MIN_FAMILY_START and min(len(typed), len(name_word)) - shared >= MIN_FAMILY_ENDING
