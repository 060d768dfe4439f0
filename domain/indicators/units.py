"""The units of indicator values and how a value is shown in French: `Unit` (its name, symbol,
kind, limits, the words that name it) and `format_number` / `format_value` (babel). Reading a value
typed in French is `domain.indicators.values`."""

from __future__ import annotations

import unicodedata
from decimal import Context, Decimal, localcontext
from enum import StrEnum

from babel.numbers import format_decimal

from domain.errors import DomainError, quoted_input
from domain.text import agreed, plural_of, singular_of

MAX_DECIMAL_PLACES = 4
DECIMAL_CONTEXT = Context(prec=28)
"""recognizers_number sets the thread's decimal precision to 15 when imported: values are computed
in their own context, so that results do not depend on who imported what."""
DISPLAY_LOCALE = "fr_FR"
NO_BREAK_SPACE = "\u00a0"


class UnitKind(StrEnum):
    PERCENTAGE = "percentage"
    COUNT = "count"
    QUANTITY = "quantity"


class Unit(StrEnum):
    """Unit of an indicator; the values are the short French forms stored and shown."""

    PERCENT = "%"
    EURO = "€"
    COUNT = "nombre"
    PEOPLE = "personnes"
    HOURS = "heures"
    DAYS = "jours"
    TCO2E = "tCO2e"
    TONNES = "tonnes"

    @property
    def label(self) -> str:
        """French name of the unit, for sentences (« exprimé en pourcentage »)."""
        return _UNIT_LABELS[self]

    @property
    def display_name(self) -> str:
        """« pourcentage (%) », « euros (€) », « nombre de personnes », « tonnes équivalent CO₂ »: the label,
        with the symbol when the label does not already say it (never the notation « tCO2e », reader 14)."""
        return self.label if self.symbol in self.label else f"{self.label} ({self.symbol})"

    @property
    def symbol(self) -> str:
        """The unit as shown after a value: in words for `tCO2e` (« tonnes équivalent CO₂ »: officials do
        not read the notation « t CO₂e »); the stored form for the others."""
        return _UNIT_LABELS[self] if self is Unit.TCO2E else self.value

    @property
    def max_decimal_places(self) -> int:
        """Euros are counted to the cent; other units allow `MAX_DECIMAL_PLACES`."""
        return 2 if self is Unit.EURO else MAX_DECIMAL_PLACES

    @property
    def kind(self) -> UnitKind:
        return _UNIT_KINDS[self]

    @property
    def example(self) -> str:
        """A valid input to show in error messages."""
        return _UNIT_EXAMPLES[self]

    @classmethod
    def parse(cls, text: str) -> Unit:
        """Read a unit as written in a CSV or a chat (`%`, `pourcentage`, `euros`, `tCO2e`…)."""
        key = unit_key(text)
        unit = _UNIT_NAMES.get(key) or UNIT_OF_WORD.get(key)
        if unit is None:
            raise InvalidUnit(
                f"Unité « {quoted_input(text)} » inconnue. Unités possibles : {', '.join(u.value for u in cls)}."
            )
        return unit


class InvalidUnit(DomainError):
    """A unit name that is not in the list; the message is French."""


_UNIT_LABELS = {
    Unit.PERCENT: "pourcentage",
    Unit.EURO: "euros",
    Unit.COUNT: "nombre",
    Unit.PEOPLE: "nombre de personnes",
    Unit.HOURS: "heures",
    Unit.DAYS: "jours",
    Unit.TCO2E: "tonnes équivalent CO₂",
    Unit.TONNES: "tonnes",
}
_UNIT_KINDS = {
    Unit.PERCENT: UnitKind.PERCENTAGE,
    Unit.COUNT: UnitKind.COUNT,
    Unit.PEOPLE: UnitKind.COUNT,
    Unit.EURO: UnitKind.QUANTITY,
    Unit.HOURS: UnitKind.QUANTITY,
    Unit.DAYS: UnitKind.QUANTITY,
    Unit.TCO2E: UnitKind.QUANTITY,
    Unit.TONNES: UnitKind.QUANTITY,
}
_UNIT_EXAMPLES = {
    # Neutral examples: « 30 jours » is the legal maximum payment delay, read as a value to aim at
    # (reader 9, C17).
    Unit.PERCENT: "12,5 %",
    Unit.EURO: "1 200,50 €",
    Unit.COUNT: "12",
    Unit.PEOPLE: "12",
    Unit.HOURS: "1 500 heures",
    Unit.DAYS: "28 jours",
    Unit.TCO2E: "1 250,5 tCO2e",
    Unit.TONNES: "12,5 tonnes",
}
# Names accepted for the unit itself (catalogue column `unite`), compared by `unit_key`.
_UNIT_NAMES = {
    "%": Unit.PERCENT,
    "pourcentage": Unit.PERCENT,
    "taux": Unit.PERCENT,
    "€": Unit.EURO,
    "euro": Unit.EURO,
    "euros": Unit.EURO,
    "eur": Unit.EURO,
    "nombre": Unit.COUNT,
    "nb": Unit.COUNT,
    "personnes": Unit.PEOPLE,
    "heures": Unit.HOURS,
    "jours": Unit.DAYS,
    "tco2e": Unit.TCO2E,
    "tonnes": Unit.TONNES,
}
# Words that may follow a number for each unit; the first mapping names each word's owner.
UNIT_WORDS: dict[Unit, frozenset[str]] = {
    Unit.PERCENT: frozenset({"%", "pourcent", "pourcents"}),
    Unit.EURO: frozenset(
        base + tax
        for base in ("€", "euro", "euros", "eur", "d'euros", "deuros")
        for tax in ("", "ht", "ttc")
    ),
    Unit.COUNT: frozenset(),
    Unit.PEOPLE: frozenset({"personne", "personnes", "pers", "pers."}),
    Unit.HOURS: frozenset({"h", "heure", "heures", "hrs"}),
    Unit.DAYS: frozenset({"j", "jour", "jours"}),
    Unit.TCO2E: frozenset(
        {"tco2e", "tco2", "teqco2", "tco2eq", "tonnesco2", "tonnesco2e", "tonnesdeco2",
         "tonneseqco2", "tonnesequivalentco2", "tonnesequivalentsco2", "tonneequivalentco2"}
    ),
    Unit.TONNES: frozenset({"t", "tonne", "tonnes"}),
}
UNIT_OF_WORD = {suffix: unit for unit, suffixes in UNIT_WORDS.items() for suffix in suffixes}

_SINGULAR_WORDS = {Unit.PEOPLE: "personne", Unit.HOURS: "heure", Unit.DAYS: "jour", Unit.TONNES: "tonne",
                   Unit.TCO2E: "tonne équivalent CO₂"}


def unit_name(unit: Unit, counted_noun: str = "") -> str:
    """« pourcentage (%) », or for a count that says what it counts « nombre de kilomètres »: the unit as
    the catalogue's definitions and the exports name it (reader 14: « nombre » for kilometres)."""
    if unit is not Unit.COUNT or not counted_noun:
        return unit.display_name
    counted_things = plural_of(counted_noun)
    of = "d’" if counted_things[:1].lower() in "aeiouyàâéèêëîïôûœ" else "de "
    return f"nombre {of}{counted_things}"


def format_number(value: Decimal | int) -> str:
    """French digits: `1 200,5` (narrow no-break space between thousands, comma for decimals)."""
    with localcontext(DECIMAL_CONTEXT):
        return format_decimal(Decimal(value), format="#,##0." + "#" * MAX_DECIMAL_PLACES, locale=DISPLAY_LOCALE)


def format_value(value: Decimal | int, unit: Unit, noun: str = "") -> str:
    """A value with its unit for display: `1 200,5 %`, `12 000 €`, `1 200,50 €`, `1 personne`.

    The unit is joined by a no-break space so that Teams never wraps it onto a new line. A count
    says what it counts when the catalogue names it (`noun`, column `unite_libelle`: « 2 repas
    végétariens », « 1 comité technique »); without it, the number alone. A count with decimals is a
    mean and reads as one (« 3,5 personnes »): a path between two whole counts is worded by its
    caller (`domain.summary.indicator_wording.late_text`), never « 3 à 4 ».
    """
    number = canonical(Decimal(value))
    if unit is Unit.EURO:
        pattern = "#,##0" if number == number.to_integral_value() else "#,##0.00"
        with localcontext(DECIMAL_CONTEXT):
            digits = format_decimal(number, format=pattern, locale=DISPLAY_LOCALE)
        return digits + NO_BREAK_SPACE + "€"
    digits = format_number(number)
    if unit is Unit.COUNT:
        if noun:
            return digits + NO_BREAK_SPACE + agreed(number, singular_of(noun), plural_of(noun))
        return digits
    if unit in _SINGULAR_WORDS and number.copy_abs() < 2:
        return digits + NO_BREAK_SPACE + _SINGULAR_WORDS[unit]
    return digits + NO_BREAK_SPACE + unit.symbol


def canonical(number: Decimal) -> Decimal:
    """Same value, fewest digits, never in exponent form (`1E+3` → `1000`, `-0` → `0`)."""
    if number == 0:
        return Decimal(0)
    normal = number.normalize(DECIMAL_CONTEXT)
    return normal.quantize(Decimal(1), context=DECIMAL_CONTEXT) if normal.as_tuple().exponent > 0 else normal


def unit_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'").lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(without_accents.split()).strip(".!;:,")
