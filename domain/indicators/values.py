"""Indicator values as directorates type them in French, checked against the indicator's unit.

Numbers are read by the Microsoft Recognizers Text shipped with botbuilder-dialogs
(`recognizers_number`, `recognizers_number_with_unit`, French culture), not by hand. What they do
wrong, checked on the installed 1.0.2a2, and what this module does about it:

- a no-break space (U+00A0, inserted by Teams/Word) splits `1 200` into two numbers, and a space
  thousands group followed by decimals (`1 200,50`) is not read at all: every Unicode space is
  made a plain space and a space before a group of exactly three digits is removed;
- `pour cent` is read as the number 100: it is rewritten `%`; `deux cents` is read as 2 (the
  currency cent): `cents` is rewritten `cent`; `vingt-et-un` is split: hyphens between words
  become spaces;
- `12h` is not read: a space is put between a digit and a letter;
- suffix letters are multipliers (`12,5 t` is 12.5 × 10¹², `12,5 m` is 12.5 × 10⁶): a `t` after a
  number is rewritten `tonnes`, and a remaining k/M/G/T/B multiplier is accepted only as k€/M€
  for an amount in euros (the recognizer reads `3 M€` but not `3 m€`, so case is kept and an
  unread `m€` is refused rather than taken as 3 €);
- it rounds silently to 15 significant digits (`123456789012,3456` → `123456789012,346`): inputs
  with more digits are refused;
- spelled numbers mixing several scale words are misread (`mille deux cent` → 100 200,
  `un million deux cent mille` → 100 000 200 000) and `douze et demi` gives 6: such inputs are
  refused with a request to type digits, instead of saving a wrong value.

Values are `Decimal`: the recognizer resolves to a decimal string (`"1200,5"`), which converts
exactly; amounts and percentages are compared with bounds and stored without binary rounding
(`0,1 + 0,2` stays `0,3` in history and sums), and SQL `Numeric` columns map to `Decimal`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_FLOOR, Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import cache

from babel.numbers import format_decimal

from domain.errors import DomainError, quoted_input
from domain.text import agreed, plural_of, singular_of

MAX_INPUT_LENGTH = 60
MAX_DECIMAL_PLACES = 4
MAX_ABSOLUTE_VALUE = Decimal(10) ** 15
MAX_SIGNIFICANT_DIGITS = 15
# recognizers_number sets the thread's decimal precision to 15 when imported and rounds what it
# reads to 15 significant digits: longer inputs are refused, and this module computes in its own
# context so that its results do not depend on who imported what.
_DECIMAL_CONTEXT = Context(prec=28)
_RECOGNIZER_CONTEXT = Context(prec=MAX_SIGNIFICANT_DIGITS)
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
        """« pourcentage (%) », « euros (€) », « nombre de personnes »: the label, with the symbol when the
        label does not already say it."""
        return self.label if self.value in self.label else f"{self.label} ({self.value})"

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
        key = _suffix_key(text)
        unit = _UNIT_NAMES.get(key) or _SUFFIX_OWNERS.get(key)
        if unit is None:
            raise InvalidUnit(
                f"Unité « {quoted_input(text)} » inconnue. Unités possibles : {', '.join(u.value for u in cls)}."
            )
        return unit


class ValueProblem(StrEnum):
    """Why an input was refused; lets a dialog adapt its re-prompt without parsing the text."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    SEVERAL_NUMBERS = "several_numbers"
    SPELLED_OUT = "spelled_out"
    AMBIGUOUS_ABBREVIATION = "ambiguous_abbreviation"
    UNKNOWN_WORDS = "unknown_words"
    WRONG_UNIT = "wrong_unit"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE = "negative"
    NOT_INTEGER = "not_integer"
    TOO_PRECISE = "too_precise"
    TOO_LARGE = "too_large"


class InvalidUnit(DomainError):
    """A unit name that is not in the list; the message is French."""


class InvalidValue(DomainError):
    """A value refused for an indicator; the French message says why and gives a valid example."""

    def __init__(self, problem: ValueProblem, reason: str, unit: Unit, example: bool = True, retyped: str = "") -> None:
        if retyped:
            message = f"{reason} Tapez la valeur en chiffres : « {retyped} »."
        else:
            message = f"{reason} Exemple de saisie valide : {unit.example}." if example else reason
        super().__init__(message)
        self.problem = problem
        self.unit = unit
        self.reason = reason
        self.retyped = retyped
        """The value as it should have been typed (« 60 % » for « 6O % »), when there is one."""


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
    Unit.PERCENT: "12,5 %",
    Unit.EURO: "1 200,50 €",
    Unit.COUNT: "12",
    Unit.PEOPLE: "12",
    Unit.HOURS: "1 500 heures",
    Unit.DAYS: "30 jours",
    Unit.TCO2E: "1 250,5 tCO2e",
    Unit.TONNES: "12,5 tonnes",
}
# Names accepted for the unit itself (catalogue column `unite`), compared by `_suffix_key`.
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
_OWN_SUFFIXES: dict[Unit, frozenset[str]] = {
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
# Tonnes of CO2e are commonly typed as plain tonnes: accepted for tCO2e indicators.
_TOLERATED_SUFFIXES = {Unit.TCO2E: frozenset({"t", "tonne", "tonnes"})}
_SUFFIX_OWNERS = {suffix: unit for unit, suffixes in _OWN_SUFFIXES.items() for suffix in suffixes}

_SINGULAR_WORDS = {Unit.PEOPLE: "personne", Unit.HOURS: "heure", Unit.DAYS: "jour", Unit.TONNES: "tonne",
                   Unit.TCO2E: "tonne équivalent CO₂"}
_SPACE_BEFORE_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_POUR_CENT = re.compile(r"\bpour[ -]?cents?\b", re.IGNORECASE)
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_PLURAL_CENTS = re.compile(r"\bcents\b", re.IGNORECASE)
_DIGIT_THEN_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])")
_TONNE_ABBREVIATION = re.compile(r"(?<=\d) t\b", re.IGNORECASE)
_MULTIPLIER_SUFFIX = re.compile(r"\d ?([kmgtb])$")
_SCALE_WORDS = re.compile(r"\b(cent|mille|millions?|milliards?)\b")
_FRACTION_WORDS = re.compile(r"\b(demie?s?|quarts?|tiers)\b", re.IGNORECASE)
_MULTIPLIED_EURO = re.compile(r"^(k|m|md|mds|g)(€|eur|euros?)(ht|ttc)?$")
_LETTERS = re.compile(r"[^\W\d_]")
_LETTER_O_FOR_ZERO = re.compile(r"(?<![^\W\d_])(?=[\dOo,.]*\d)(?=[\dOo,.]*[Oo])[\dOo]+(?:[,.][\dOo]+)*(?![^\W\d_])")
"""« 6O », « 1O0 », « O,5 »: digits typed with the letter O for a zero."""
_EURO_MULTIPLIERS = frozenset({"k", "m"})


@cache
def _number_model():
    """The French number model, built once: compiling its regexes takes seconds.

    Built as `NumberRecognizer(Culture.French).get_number_model()` registers it, without the
    ordinal and percentage models that the recognizer would also compile (≈40 % of the time).
    """
    from recognizers_number.number.french.extractors import FrenchNumberExtractor
    from recognizers_number.number.french.parsers import FrenchNumberParserConfiguration
    from recognizers_number.number.models import NumberMode, NumberModel
    from recognizers_number.number.parser_factory import AgnosticNumberParserFactory, ParserType

    return NumberModel(
        AgnosticNumberParserFactory.get_parser(ParserType.NUMBER, FrenchNumberParserConfiguration()),
        FrenchNumberExtractor(NumberMode.PURE_NUMBER),
    )


@cache
def _currency_model():
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_text import Culture

    return NumberWithUnitRecognizer(Culture.French).get_currency_model()


def warm_up() -> None:
    """Build the recognizers at start-up so that the first user does not wait for them."""
    _number_model().parse("1")
    _currency_model().parse("1 €")


def parse_value(text: str, unit: Unit) -> Decimal:
    """Read a value typed in French for an indicator of `unit` and validate it.

    Accepts `12,5 %`, `12,5`, `1 200`, `1 200,50 €`, `1.200,50`, `douze`, `vingt et un`,
    `3 millions`; the unit may be omitted but, when given, must be the indicator's.
    Raises `InvalidValue` with a French explanation.
    """
    if text is None or not str(text).strip():
        raise InvalidValue(ValueProblem.EMPTY, "Aucune valeur saisie.", unit)
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidValue(
            ValueProblem.TOO_LONG,
            f"La réponse est trop longue ({MAX_INPUT_LENGTH} caractères au plus) : tapez seulement la valeur.",
            unit,
        )
    _check_letter_o(text, unit)
    cleaned = _pre_clean(text)
    if _FRACTION_WORDS.search(cleaned):
        raise InvalidValue(
            ValueProblem.SPELLED_OUT,
            f"Je ne sais pas lire « {quoted_input(text)} » avec certitude : écrivez la valeur en chiffres, "
            "avec une virgule pour les décimales.",
            unit,
        )
    with localcontext(_RECOGNIZER_CONTEXT):
        results = _number_model().parse(cleaned)
    if not results:
        raise InvalidValue(
            ValueProblem.NOT_A_NUMBER, f"« {quoted_input(text)} » n’est pas un nombre que je reconnais.", unit
        )
    if len(results) > 1:
        found = ", ".join(f"« {result.text} »" for result in results[:4])
        raise InvalidValue(
            ValueProblem.SEVERAL_NUMBERS,
            f"J’ai trouvé plusieurs nombres dans « {quoted_input(text)} » ({found}) : tapez une seule valeur, "
            "avec une virgule pour les décimales.",
            unit,
        )
    result = results[0]
    span = cleaned[result.start : result.end + 1].lower()
    leftover = (cleaned[: result.start] + " " + cleaned[result.end + 1 :]).strip()
    _check_spelled_number(span, text, unit)
    if len(re.sub(r"\D", "", span).strip("0")) > MAX_SIGNIFICANT_DIGITS:
        raise InvalidValue(
            ValueProblem.TOO_PRECISE,
            f"« {quoted_input(text)} » a trop de chiffres ({MAX_SIGNIFICANT_DIGITS} chiffres significatifs au plus).",
            unit,
        )
    _check_unit_words(leftover, span, cleaned, text, unit)
    value = _to_decimal(result.resolution.get("value") if result.resolution else None, text, unit)
    return validate_value(value, unit)


def validate_value(value: Decimal | int | float, unit: Unit) -> Decimal:
    """Check a number against the rules of `unit` and return it as a canonical `Decimal`.

    Percentages 0–100; counts (nombre, personnes) non-negative integers; other amounts
    non-negative; at most `MAX_DECIMAL_PLACES` decimals. Used for parsed text, numeric card
    fields and catalogue baselines/targets alike.
    """
    number = value if isinstance(value, Decimal) else _decimal_from_number(value, unit)
    if not number.is_finite():
        raise InvalidValue(ValueProblem.NOT_A_NUMBER, "Cette valeur n’est pas un nombre.", unit)
    if number.copy_abs() >= MAX_ABSOLUTE_VALUE:
        raise InvalidValue(
            ValueProblem.TOO_LARGE,
            f"La valeur {_plain(number)} est trop grande pour être plausible (moins d’un million de milliards).",
            unit,
        )
    number = _canonical(number)
    if len(number.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise InvalidValue(
            ValueProblem.TOO_PRECISE,
            f"La valeur {_plain(number)} a trop de chiffres "
            f"({MAX_SIGNIFICANT_DIGITS} chiffres significatifs au plus).",
            unit,
        )
    if number.as_tuple().exponent < -unit.max_decimal_places:
        raise InvalidValue(
            ValueProblem.TOO_PRECISE,
            f"La valeur {_plain(number)} a trop de décimales pour un indicateur en "
            f"{unit.display_name} ({unit.max_decimal_places} chiffres après la virgule au plus).",
            unit,
        )
    if number < 0:
        raise InvalidValue(
            ValueProblem.NEGATIVE,
            f"La valeur ne peut pas être négative ({format_number(number)}) pour un indicateur en {unit.label}.",
            unit,
        )
    if unit.kind is UnitKind.PERCENTAGE and number > 100:
        raise InvalidValue(
            ValueProblem.OUT_OF_RANGE,
            f"Une part ne peut pas dépasser 100 % (vous avez saisi {format_number(number)} %).",
            unit,
        )
    if unit.kind is UnitKind.COUNT and number != number.to_integral_value():
        raise InvalidValue(
            ValueProblem.NOT_INTEGER,
            f"Cet indicateur compte des unités entières ({unit.label}) : {format_number(number)} n’est pas "
            "un nombre entier.",
            unit,
        )
    return number


def format_number(value: Decimal | int) -> str:
    """French digits: `1 200,5` (narrow no-break space between thousands, comma for decimals)."""
    with localcontext(_DECIMAL_CONTEXT):
        return format_decimal(Decimal(value), format="#,##0." + "#" * MAX_DECIMAL_PLACES, locale=DISPLAY_LOCALE)


def format_value(value: Decimal | int, unit: Unit, noun: str = "") -> str:
    """A value with its unit for display: `1 200,5 %`, `12 000 €`, `1 200,50 €`, `1 personne`.

    The unit is joined by a no-break space so that Teams never wraps it onto a new line. A count
    says what it counts when the catalogue names it (`noun`, column `unite_libelle`: « 2 repas
    végétariens », « 1 comité technique »); without it, the number alone.
    """
    number = _canonical(Decimal(value))
    if unit is Unit.EURO:
        pattern = "#,##0" if number == number.to_integral_value() else "#,##0.00"
        with localcontext(_DECIMAL_CONTEXT):
            digits = format_decimal(number, format=pattern, locale=DISPLAY_LOCALE)
        return digits + NO_BREAK_SPACE + "€"
    if unit.kind is UnitKind.COUNT and number != number.to_integral_value():
        # Half a committee is not a count: a point on a path between two counts (« la trajectoire
        # prévoit 3 à 4 comités techniques »), never « 3,5 comités ».
        low = number.to_integral_value(rounding=ROUND_FLOOR)
        return f"{format_number(low)} à {format_value(low + 1, unit, noun)}"
    digits = format_number(number)
    if unit is Unit.COUNT:
        if noun:
            return digits + NO_BREAK_SPACE + agreed(number, singular_of(noun), plural_of(noun))
        return digits
    if unit in _SINGULAR_WORDS and number.copy_abs() < 2:
        return digits + NO_BREAK_SPACE + _SINGULAR_WORDS[unit]
    return digits + NO_BREAK_SPACE + unit.symbol


def _pre_clean(text: str) -> str:
    """Unify spaces and the spellings the recognizer misreads (see the module docstring)."""
    cleaned = " ".join(str(text).replace("’", "'").split())
    cleaned = cleaned.strip(" .!;:,")
    cleaned = cleaned.removeprefix("+").strip()
    cleaned = _POUR_CENT.sub("%", cleaned)
    cleaned = _WORD_HYPHEN.sub(" ", cleaned)
    cleaned = _PLURAL_CENTS.sub("cent", cleaned)
    cleaned = _DIGIT_THEN_LETTER.sub(" ", cleaned)
    cleaned = _TONNE_ABBREVIATION.sub(" tonnes", cleaned)
    return _SPACE_BEFORE_GROUP.sub("", cleaned)


def _check_spelled_number(span: str, text: str, unit: Unit) -> None:
    scales = {word.rstrip("s") for word in _SCALE_WORDS.findall(span)}
    if _LETTERS.search(span) and len(scales) > 1:
        raise InvalidValue(
            ValueProblem.SPELLED_OUT,
            f"Je ne sais pas lire « {quoted_input(text)} » avec certitude : écrivez ce nombre en chiffres.",
            unit,
        )


def _check_letter_o(text: str, unit: Unit) -> None:
    """« 6O % » is not a number: say that the letter O stands for a zero, and show the value typed
    as it should be (« 60 % ») when it then reads as one."""
    if not _LETTER_O_FOR_ZERO.search(text):
        return
    retyped = _LETTER_O_FOR_ZERO.sub(lambda found: found.group(0).replace("O", "0").replace("o", "0"), text)
    try:
        suggestion = format_value(parse_value(retyped, unit), unit)
    except InvalidValue:
        suggestion = ""
    raise InvalidValue(
        ValueProblem.NOT_A_NUMBER,
        f"« {quoted_input(text)} » contient la lettre O au lieu du chiffre zéro.",
        unit,
        retyped=suggestion,
    )


def _check_unit_words(leftover: str, span: str, cleaned: str, text: str, unit: Unit) -> None:
    """The words around the number may only name the indicator's unit."""
    multiplier = _MULTIPLIER_SUFFIX.search(span)
    key = _suffix_key(leftover)
    keys = {key, key.removeprefix("de"), key.removeprefix("d'")} - {""} if key else set()
    if multiplier:
        letter = multiplier.group(1)
        if not (unit is Unit.EURO and letter in _EURO_MULTIPLIERS and key in _OWN_SUFFIXES[Unit.EURO]):
            raise InvalidValue(
                ValueProblem.AMBIGUOUS_ABBREVIATION,
                f"L’abréviation « {letter} » dans « {quoted_input(text)} » est ambiguë : écrivez le nombre en entier "
                "ou en mots (mille, millions).",
                unit,
            )
    accepted = _OWN_SUFFIXES[unit] | _TOLERATED_SUFFIXES.get(unit, frozenset())
    if not key or keys & accepted:
        return
    if _MULTIPLIED_EURO.match(key):
        raise InvalidValue(
            ValueProblem.AMBIGUOUS_ABBREVIATION,
            f"L’abréviation « {quoted_input(leftover)} » est ambiguë : écrivez par exemple 3 millions € ou 3 000 000 €.",
            unit,
        )
    other_unit = next((_SUFFIX_OWNERS[k] for k in keys if k in _SUFFIX_OWNERS), None) or _foreign_currency(cleaned)
    if other_unit is not None:
        named = other_unit.label if isinstance(other_unit, Unit) else f"monnaie « {other_unit} »"
        raise InvalidValue(
            ValueProblem.WRONG_UNIT,
            f"Cet indicateur s’exprime en {unit.display_name} : « {quoted_input(text)} » est en {named}.",
            unit,
        )
    raise InvalidValue(
        ValueProblem.UNKNOWN_WORDS,
        f"Je n’ai pas compris « {quoted_input(_unknown_words(leftover, accepted))} » dans « {quoted_input(text)} » : "
        f"tapez seulement la valeur{'' if unit is Unit.COUNT else ' en ' + unit.label}, sans autre mot.",
        unit,
    )


def _unknown_words(leftover: str, accepted: frozenset[str]) -> str:
    """The words left around the number less the unit's own (« environ » of « environ 12 % »)."""
    return " ".join(word for word in leftover.split() if _suffix_key(word) not in accepted) or leftover


def _foreign_currency(cleaned: str) -> Unit | str | None:
    """Name the currency when the recognizer finds one (`12 $` → Dollar) for the error message."""
    with localcontext(_RECOGNIZER_CONTEXT):
        results = _currency_model().parse(cleaned)
    for result in results:
        currency = (result.resolution or {}).get("unit")
        if currency == "Euro":
            return Unit.EURO
        if currency and currency != "Cent":
            return currency
    return None


def _to_decimal(resolved: str | None, text: str, unit: Unit) -> Decimal:
    try:
        return Decimal(str(resolved).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidValue(
            ValueProblem.NOT_A_NUMBER, f"« {quoted_input(text)} » n’est pas un nombre que je reconnais.", unit
        ) from None


def _decimal_from_number(value: int | float, unit: Unit) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(ValueProblem.NOT_A_NUMBER, "Cette valeur n’est pas un nombre.", unit)
    return Decimal(str(value))


def _canonical(number: Decimal) -> Decimal:
    """Same value, fewest digits, never in exponent form (`1E+3` → `1000`, `-0` → `0`)."""
    if number == 0:
        return Decimal(0)
    normal = number.normalize(_DECIMAL_CONTEXT)
    return normal.quantize(Decimal(1), context=_DECIMAL_CONTEXT) if normal.as_tuple().exponent > 0 else normal


def _plain(number: Decimal) -> str:
    """Digits with a French decimal comma and no rounding, for error messages."""
    return format(number, "f").replace(".", ",")


def _suffix_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'").lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(without_accents.split()).strip(".!;:,")
