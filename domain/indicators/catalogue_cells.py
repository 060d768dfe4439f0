"""How one cell of the catalogue reads: a code, a bounded text, directorates, a number, a year,
oui/non, each refused with its French problem (`InvalidCatalogueValue`), and the cell written back
for an export. The row that combines them, and the checks across cells, are catalogue.py's; kept
apart so the row's rules read without the cell-level parsing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection
from decimal import Decimal

from domain.errors import DomainError, quoted_input
from domain.indicators.periods import MAX_YEAR, MIN_YEAR
from domain.indicators.units import Unit
from domain.indicators.values import parse_value, validate_value
from domain.text import one_line, upper_first

MAX_CODE_LENGTH = 32
MAX_LABEL_LENGTH = 200
MAX_SOURCE_LENGTH = 300
MAX_DEFINITION_LENGTH = 1000
MAX_COUNTED_NOUN_LENGTH = 60
MAX_LEGAL_BASIS_LENGTH = 120
MAX_DIRECTORATES_PER_INDICATOR = 10

INDICATOR_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")
# Same rule as domain.people.normalise_directorate_code.
DIRECTORATE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
_DIRECTORATE_SPLIT = re.compile(r"[|;,/\s]+")
# The export format: digits and a decimal comma. Anything else is read as a person types it.
_MACHINE_NUMBER = re.compile(r"^-?\d+(?:,\d+)?$")
_DIGIT = re.compile(r"\d")
_FORMULA_STARTS = ("=", "+", "-", "@")

_YES = frozenset({"oui", "o", "vrai", "1", "x", "yes", "true"})
_NO = frozenset({"non", "n", "faux", "0", "no", "false"})


class InvalidCatalogueValue(DomainError):
    """One field of a catalogue row is wrong; the message names the column, in French."""


def read_code(text: str) -> str:
    code = text.upper()
    if not INDICATOR_CODE_PATTERN.match(code):
        raise InvalidCatalogueValue(
            f"code « {quoted_input(text)} » invalide : lettres, chiffres, point, - ou _, {MAX_CODE_LENGTH} caractères "
            "au plus, sans espace (exemple : IND-03)."
        )
    return code


def read_text(text: str, max_length: int) -> str:
    if len(text) > max_length:
        raise InvalidCatalogueValue(f"texte trop long ({len(text)} caractères, {max_length} au plus).")
    if text.startswith(_FORMULA_STARTS):
        raise InvalidCatalogueValue(
            f"« {quoted_input(text)} » ne doit pas commencer par =, +, - ou @ (formule de tableur)."
        )
    return text


def read_counted_noun(text: str) -> str:
    """« repas végétarien »: a noun in the singular, or « singulier|pluriel » for an irregular plural."""
    noun = read_text(text, MAX_COUNTED_NOUN_LENGTH)
    if _DIGIT.search(noun) or noun.count("|") > 1 or noun.strip("| ") != noun or "||" in noun:
        raise InvalidCatalogueValue(
            f"« {quoted_input(text)} » : indiquez ce qui est compté, au singulier et sans chiffre (exemple : "
            "repas végétarien ; pour un pluriel irrégulier, travail|travaux)."
        )
    return noun


def read_directorates(text: str, known_directorates: Collection[str] | None) -> tuple[str, ...]:
    codes = list(dict.fromkeys(part.upper() for part in _DIRECTORATE_SPLIT.split(text) if part))
    if not codes:
        raise InvalidCatalogueValue("valeur obligatoire manquante.")
    if len(codes) > MAX_DIRECTORATES_PER_INDICATOR:
        raise InvalidCatalogueValue(
            f"trop de directions ({len(codes)}, {MAX_DIRECTORATES_PER_INDICATOR} au plus par indicateur)."
        )
    malformed = [code for code in codes if not DIRECTORATE_CODE_PATTERN.match(code)]
    if malformed:
        raise InvalidCatalogueValue(
            f"code de direction « {quoted_input(malformed[0])} » invalide : lettres, chiffres, - ou _ "
            "(exemple : DAJ ; plusieurs directions séparées par | comme DAJ|DRH)."
        )
    if known_directorates is not None:
        known = {code.strip().upper() for code in known_directorates}
        unknown = [code for code in codes if code not in known]
        if unknown:
            messages = [_unknown_directorate_message(code, known) for code in unknown]
            raise InvalidCatalogueValue(" ".join([messages[0], *map(upper_first, messages[1:])]))
    return tuple(codes)


def _unknown_directorate_message(code: str, known: set[str]) -> str:
    close = difflib.get_close_matches(code, sorted(known), n=1)
    hint = f" : vouliez-vous dire « {close[0]} » ?" if close else " : créez-la d’abord ou corrigez le code."
    return f"direction « {code} » inconnue{hint}"


def read_number(text: str, unit: Unit | None) -> Decimal | None:
    """Exported numbers (`1200,5`) directly; anything else as a person would type it (`1 200,5 %`).

    Without a valid unit only an obvious non-number is reported: the unit error comes first.
    """
    if _MACHINE_NUMBER.match(text):
        number = Decimal(text.replace(",", "."))
        return validate_value(number, unit) if unit is not None else number
    if unit is not None:
        return parse_value(text, unit)
    if not _DIGIT.search(text):
        raise InvalidCatalogueValue(f"« {quoted_input(text)} » n’est pas un nombre (exemple : 12,5).")
    return None


def read_year(text: str) -> int:
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise InvalidCatalogueValue(
            f"« {quoted_input(text)} » n’est pas une année entre {MIN_YEAR} et {MAX_YEAR} (exemple : 2030)."
        )
    return int(text)


def read_yes_no(text: str) -> bool:
    folded = fold_cell(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise InvalidCatalogueValue(f"« {quoted_input(text)} » : indiquez oui ou non.")


def csv_number(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number, "f").replace(".", ",")


def clean_cell(value: str | None) -> str:
    """Spaces collapsed and control characters (NUL, tabs, line breaks of a cell) removed."""
    if value is None:
        return ""
    visible = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(value))
    return one_line(visible)


def header_key(cell: str) -> str:
    return re.sub(r"[\s\-']+", "_", fold_cell(cell)).strip("_")


def fold_cell(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'").lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[/,;:()]", " ", without_accents).split())


def french_int(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")
