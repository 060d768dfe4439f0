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

_FOLDED_CHARACTERS = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-", "\u2212": "-"}
)
"""Apostrophes, spaces and hyphens as people type them: a code copied from a card (« IND‑09 », no-break
hyphen) reads as typed."""
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
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDED_CHARACTERS).lower())
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


def without_emphasis(text: str) -> str:
    """« Vous êtes **Alex Wilber** » read « Vous êtes Alex Wilber »: bold, italics and strike-through
    marks removed, links and everything else kept."""
    return _MARKDOWN_EMPHASIS.sub(lambda found: found.group(2), text)


def plain_excerpt(text: str | None, limit: int) -> str:
    """A message quoted back in another message or in a preview (a notification, a report), where
    Markdown is not rendered or a cut would break it: its emphasis and heading marks removed (« Le
    **bilan** » reads « Le bilan »), then `excerpt` and `shown`."""
    lines = [_MARKDOWN_LINE_MARKS.sub("", line) for line in (text or "").splitlines()]
    flat = _MARKDOWN_EMPHASIS.sub(lambda found: found.group(2), "\n".join(lines))
    return shown(excerpt(flat.replace("**", ""), limit))


def listed_names(names: Sequence[str], limit: int = 30) -> str:
    """« A, B et C » in French alphabetical order or, past `limit` names, « A, B et 12 autres »: a
    report stays readable in Teams."""
    names = sorted_names(names)
    if len(names) <= limit:
        return joined(names)
    return ", ".join(names[:limit]) + f" et {len(names) - limit} autres"


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
    apostrophe typed between two letters is shown as the typographic one, and the ordinary space
    typed before « : ; ? ! » or inside « guillemets » as a no-break space (a line of the card never
    starts with « : merci… »)."""
    typeset = typed_no_break_spaces(typographic_apostrophes(text))
    return _MARKUP_START.sub(lambda found: found.group(1) + _ZERO_WIDTH_SPACE, typeset)


def typographic_apostrophes(text: str | None) -> str:
    """« clause d'insertion » as typed on a keyboard, as others read it: « clause d’insertion »."""
    return _TYPED_APOSTROPHE.sub("’", text or "")


_TYPED_SPACE_BEFORE_MARK = re.compile(r"(?<=\S) (?=[:;?!]+(?:\s|$|[)»\]])|»)")
_TYPED_SPACE_AFTER_GUILLEMET = re.compile(r"(?<=«) (?=\S)")


def typed_no_break_spaces(text: str | None) -> str:
    """« COPIL : merci », « Une question ? », « « bilan » » as typed with an ordinary space: the space
    becomes a no-break one, so that a line break never leaves the mark alone at the start of a line.
    Only a space that is there is changed (« Rappel: » stays as typed); « 10:30 », « :) » and
    addresses are left alone."""
    text = _TYPED_SPACE_BEFORE_MARK.sub(NO_BREAK_SPACE, text or "")
    return _TYPED_SPACE_AFTER_GUILLEMET.sub(NO_BREAK_SPACE, text)


NON_BREAKING_HYPHEN = "\u2011"
"""Inside an article number (« L. 2113‑12 »): the line never breaks at its hyphen."""
_ARTICLE_NUMBER = re.compile(r"\b((?:[LRD]|[Aa]rt)\.[ \u00a0]|[LRD](?=\d{3}))(\d+(?:[-\u2011]\d+)*)")
"""« L. 2113-12 », « art. 35 », and « L2113-12 » as Légifrance also writes it."""
_NUMERO_SPACE = re.compile(r"(?<=\bn°) (?=\d)")
_MONTH_YEAR_SPACE = re.compile(
    r"\b((?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)) (?=\d{4}\b)"
)
"""« décembre 2026 »: a month and its year stay on one line, as a day stays with its month."""
_ARROW_SPACE = re.compile(r"(?<=[↑↓→↗↘]) ")
_NOT_COUNTED = r"(?:à|a|au|aux|avec|dans|de|des|du|en|est|et|ont|ou|par|pour|que|qui|sont|sur|le|la|les)\b|[dlnsj]’"
NUMBER_BEFORE_WORD = re.compile(
    r"(?<![^\s(«\[*])(?<!\u202f)(?!\d{4}(?![\d\u202f,]))(\d+(?:\u202f\d{3})*(?:,\d+)?(?:ᵉ|er|re)?) "
    r"(?!" + _NOT_COUNTED + r")(?=[^\W\d_A-ZÀ-ÖØ-Þ])"
)
"""A number and the lower-case word it counts or measures, joined by a no-break space (« 11 autres
indicateurs », « 12 mois », « 32,7 jours », « 12 500 heures », « 3ᵉ trimestre »): the number never
ends a line alone. Left alone: a number glued to what precedes it (codes « IND-14 », « 2026-T3 »,
« L. 2113‑12 », addresses), a year (four digits without a group separator: « 2025 reste à
saisir »), and a number followed by a small word that counts nothing (« de 1 à 12 », « Microsoft
365 a refusé »)."""


def unbreakable(text: str | None) -> str:
    """What must stay on one line, joined: « L. 2113‑12 » and « art. 35 » (a no-break space after the
    abbreviation, a non-breaking hyphen inside the number), a number and the word it counts
    (« 12 derniers mois », « 11 autres indicateurs »: `NUMBER_BEFORE_WORD`), « n° 3 », a month and its
    year (« décembre 2026 ») and an arrow with its word (« ↑ en hausse »). Applied to every reply the bot sends, texts and cards
    (`bot.teams_text`), so that the catalogue's labels and every computed count are joined too."""
    text = _ARTICLE_NUMBER.sub(
        lambda found: found.group(1).replace(" ", NO_BREAK_SPACE) + found.group(2).replace("-", NON_BREAKING_HYPHEN),
        text or "",
    )
    text = _ARROW_SPACE.sub(NO_BREAK_SPACE, text)
    text = _NUMERO_SPACE.sub(NO_BREAK_SPACE, text)
    text = _MONTH_YEAR_SPACE.sub(lambda found: found.group(1) + NO_BREAK_SPACE, text)
    return NUMBER_BEFORE_WORD.sub(lambda found: found.group(1) + NO_BREAK_SPACE, text)


_CODE = re.compile(r"\b([A-Z]{2,6})-(\d+)\b")
_TYPED = re.compile(r"(tapez «[^»]*»)")


def unbroken_codes(text: str) -> str:
    """« IND‑23 » with a non-breaking hyphen (U+2011), so that a card never shows « (IND- / 23) »
    (reader 10, C5); the commands people type (« tapez « … » ») keep the hyphen they type."""
    parts = _TYPED.split(text)
    return "".join(
        part if index % 2 else _CODE.sub(lambda found: f"{found.group(1)}{NON_BREAKING_HYPHEN}{found.group(2)}", part)
        for index, part in enumerate(parts)
    )


def printed(text: str | None) -> str:
    """A document's text (the COPIL report, in HTML and in PDF), typeset as the cards are: `unbreakable`
    (« R. 2192‑10 », « 24 indicateurs »), and each indicator's code with a non-breaking hyphen
    (`unbroken_codes`: « IND‑09 » never ends a line on « IND- »). The CSV and XLSX exports keep plain
    codes: people filter on them."""
    return unbroken_codes(unbreakable(text))


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


def upper_first(text: str) -> str:
    """The first letter upper-case, the rest as written: « comité technique n° 2 » starting a line."""
    return text[:1].upper() + text[1:]


def joined(items: Sequence[str], conjunction: str = "et") -> str:
    """« A », « A et B », « A, B et C »; « A, B ou C » with `conjunction="ou"`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize",
    "quatorze", "quinze", "seize",
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}


def number_in_words(number: int, *, feminine: bool = False) -> str:
    """« un » (« une »), « trois », « vingt et un », « soixante-douze », « quatre-vingts », « cent »: a
    number from 0 to 100 in French words (traditional spelling); larger ones in digits."""
    if not 0 <= number <= 100:
        return f"{number:,}".replace(",", NARROW_NO_BREAK_SPACE)
    if number == 100:
        return "cent"
    if number < 17:
        word = _UNITS[number]
    elif number < 20:
        word = f"dix-{_UNITS[number - 10]}"
    else:
        tens, unit = divmod(number, 10)
        if tens in (7, 9):
            tens, unit = tens - 1, unit + 10
        base = _TENS[tens]
        if unit == 0:
            word = base + ("s" if tens == 8 else "")
        elif unit in (1, 11) and tens != 8:
            word = f"{base} et {number_in_words(unit)}"
        else:
            word = f"{base}-{number_in_words(unit)}"
    return word[:-2] + "une" if feminine and word.endswith("un") else word


def counted_in_words(count: int, singular: str, plural: str | None = None, *, feminine: bool = False) -> str:
    """A count that opens a sentence, in words: « Un message envoyé », « Trois personnes
    injoignables », « Vingt et une valeurs » (French does not start a sentence with a figure); past
    100, « Au total, 120 messages envoyés »."""
    if count > 100:
        return f"Au total, {counted(count, singular, plural)}"
    words = number_in_words(count, feminine=feminine)
    return f"{upper_first(words)} {agreed(count, singular, plural)}"


_VOWEL_START = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def of(word: str) -> str:
    """« d’IND-03 », « de DCP-01 »: « de » elided before a vowel, as French writes it."""
    return f"d’{word}" if _VOWEL_START.match(word) else f"de {word}"


def directorate_title(code: str, name: str = "") -> str:
    """« Direction de la commande publique (DCP) »: the name, then its code, without saying « direction »
    twice (« Direction DCP – Direction de la commande publique » read as a stammer); « Direction DCP »
    when the name says nothing more than the code; « Direction DCP (Commande publique) » when the
    name is not a direction's."""
    if not name or name == code or fold(name) in (fold(code), fold(f"direction {code}")):
        return f"Direction {code}"
    if fold(name).startswith("direction"):
        return f"{name} ({code})"
    return f"Direction {code} ({name})"


def directorate_introduced(code: str, name: str) -> str:
    """« direction de la commande publique (**DCP**) », the form a directorate is introduced by in a
    sentence (`directorate_title` in lower case, the code in bold), never « direction DCP (Direction
    de la commande publique) »."""
    title = directorate_title(code, name)
    if title.endswith(f"({code})"):
        return lower_first(title.replace(f"({code})", f"(**{code}**)"))
    return lower_first(title.replace(f"Direction {code}", f"Direction **{code}**", 1))


def as_sentence(text: str) -> str:
    """An item of a list written alone ends its sentence, unless a quotation it ends with did."""
    return text if text.rstrip(" \u00a0»").endswith((".", "!", "?", "…")) else f"{text}."
