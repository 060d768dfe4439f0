"""What people type: folded for matching commands regardless of case, accents and quotes, and shown
to others without any markup that could hide where a link goes. And the house rules of the French
the assistant writes, in one place: counts with real plurals, the no-break spaces of French
typography, names sorted as a French reader expects (CONTRIBUTING.md says how texts are written)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TypeVar

from pyuca import Collator

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_SPACES = re.compile(r"\s+")
_MARKUP_START = re.compile(r"(\]|<)(?=[(A-Za-z/!?])")
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]{0,300})\]\(\s{0,5}(\S{1,2000}?)\s{0,5}\)")
_ZERO_WIDTH_SPACE = "\u200b"
_TYPED_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
NO_BREAK_SPACE = "\u00a0"
"""Before « : ; ? ! % € », between a number and its unit, and in « n° 3 »: never a line break there."""
NARROW_NO_BREAK_SPACE = "\u202f"
"""Between the digit groups of a number (« 12 500 »), as babel writes French numbers."""
T = TypeVar("T")


def fold(text: str | None) -> str:
    """Lower-case, accents removed, apostrophes unified, spaces collapsed, ends trimmed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", without_accents).strip(" \t\n.!?;:")


_LINE_BREAKS_AND_SPACES = re.compile(r"[ \t\r\n\f\v]+")
"""Ordinary white space only: a quoted message keeps its no-break spaces (« Rappel : »)."""


def one_line(text: str) -> str:
    """Line breaks and runs of ordinary spaces collapsed to one space; no-break spaces are kept."""
    return _LINE_BREAKS_AND_SPACES.sub(" ", text).strip()


def excerpt(text: str | None, limit: int) -> str:
    """One line of at most `limit` characters for quoting a message back, cut between two words.

    A word cut in half (« le bilan des indicat… ») reads as a typo in the quoted message.
    """
    flat = _LINE_BREAKS_AND_SPACES.sub(" ", text or "").strip(" ")
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


_MARKDOWN_EMPHASIS = re.compile(r"(\*{1,3}|(?<!\w)_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MARKDOWN_LINE_MARKS = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+])\s+")


def plain_excerpt(text: str | None, limit: int) -> str:
    """A message quoted back in another message or in a preview (a notification, a report), where
    Markdown is not rendered or a cut would break it: its emphasis and heading marks removed (« Le
    **bilan** » reads « Le bilan »), then `excerpt` and `shown`."""
    lines = [_MARKDOWN_LINE_MARKS.sub("", line) for line in (text or "").splitlines()]
    flat = _MARKDOWN_EMPHASIS.sub(lambda found: found.group(2), "\n".join(lines))
    return shown(excerpt(flat.replace("**", ""), limit))


def listed_names(names: Sequence[str], limit: int = 30) -> str:
    """« A, B, C » in French alphabetical order or, past `limit` names, « A, B et 12 autres »: a
    report stays readable in Teams."""
    names = sorted_names(names)
    shown = ", ".join(names[:limit])
    return shown + (f" et {len(names) - limit} autres" if len(names) > limit else "")


def directorates_text(codes: Sequence[str]) -> str:
    """« la direction DCP », « les directions DCP et DPB »: a directorate code never stands alone in a
    sentence (« pour la direction DCP », not « pour DCP »)."""
    if len(codes) == 1:
        return f"la direction {codes[0]}"
    return f"les directions {joined(list(codes))}"


def shown(text: str | None) -> str:
    """Text someone typed, safe to show to someone else in Teams (messages and Adaptive Cards, which
    render Markdown and some HTML): an invisible space after `]` before `(` and after `<` before a
    tag breaks every link, image and tag, while the text and any address in it read as typed; an
    apostrophe typed between two letters is shown as the typographic one."""
    return _MARKUP_START.sub(lambda found: found.group(1) + _ZERO_WIDTH_SPACE, typographic_apostrophes(text))


def typographic_apostrophes(text: str | None) -> str:
    """« clause d'insertion » as typed on a keyboard, as others read it: « clause d’insertion »."""
    return _TYPED_APOSTROPHE.sub("’", text or "")


def with_link_targets(text: str | None) -> str:
    """The lead's own text with each Markdown link written out as « label (address) », so that
    recipients see where it goes, and nothing else rendered as markup."""
    return shown(_MARKDOWN_LINK.sub(lambda found: f"{found.group(1)} ({found.group(2)})", text or ""))


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """« 1 valeur », « 2 valeurs », « 12 500 heures »: French counts, singular below 2, never « (s) »."""
    number = f"{count:,}".replace(",", NARROW_NO_BREAK_SPACE)
    return f"{number}{NO_BREAK_SPACE}{agreed(count, singular, plural)}"


_LINKING_WORDS = frozenset({"à", "au", "aux", "avec", "d’", "de", "des", "du", "en", "par", "pour", "sans", "sur"})
"""After these, a noun's complement keeps its number: « marchés avec clause d’insertion »."""


def plural_of(noun: str) -> str:
    """« repas végétarien » → « repas végétariens », « comité technique » → « comités techniques »,
    « marché avec clause d’insertion » → « marchés avec clause d’insertion », « agent·e formé·e »
    → « agent·es formé·es »: the words before the first linking word take the French plural (-s;
    unchanged after s, x or z; -x after -au and -eu; -aux for -al). `singular|plural` gives an
    irregular plural as it is (« travail|travaux »)."""
    if "|" in noun:
        return noun.split("|", 1)[1].strip()
    words = noun.split(" ")
    for index, word in enumerate(words):
        if word.lower() in _LINKING_WORDS or word.lower().startswith(("d’", "d'", "l’", "l'")):
            break
        words[index] = _plural_word(word)
    return " ".join(words)


def singular_of(noun: str) -> str:
    """The singular of a counted noun as the catalogue stores it (`singular|plural` or `singular`)."""
    return noun.split("|", 1)[0].strip()


_REGULAR_PLURALS = frozenset({
    "bal", "banal", "bleu", "carnaval", "chacal", "émeu", "festival", "final", "landau", "naval", "pneu", "récital",
    "régal", "sarrau",
})
"""Words in -al, -au or -eu that take an -s all the same."""


def _plural_word(word: str) -> str:
    if not word or not word[-1].isalpha() or word.endswith(("s", "x", "z", "S", "X", "Z")):
        return word
    if word.endswith("·e") or word.lower() in _REGULAR_PLURALS:
        return word + "s"
    if word.endswith(("au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def agreed(count: int, singular: str, plural: str | None = None) -> str:
    """The word that agrees with `count` (« est conservé » / « sont conservés »): in French 0 and 1
    take the singular."""
    return singular if abs(count) < 2 else plural or singular + "s"


@cache
def _collator() -> Collator:
    return Collator()


def collation_key(text: str) -> tuple[int, ...]:
    """Sort key of the Unicode Collation Algorithm (pyuca): « Élise » before « Emma » and « Thomas »,
    case and accents weighing less than letters, as in a French index."""
    return _collator().sort_key(text or "")


def sorted_names(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """Names (people, directorates) in French alphabetical order, not in code-point order where
    every accented capital comes after « Z »."""
    return sorted(items, key=lambda item: collation_key(key(item) if key else item))  # type: ignore[arg-type]


def lower_first(text: str) -> str:
    """Lower-case the first letter after « : », as French writes, unless it starts an
    acronym or a code (« IND-05 », « DCP »)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def joined(items: Sequence[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
