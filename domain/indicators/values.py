"""Indicator values as directorates type them in French, checked against the indicator's unit
(`domain.indicators.units`: the units and how a value is shown).

Numbers are read by the Microsoft Recognizers Text shipped with botbuilder-dialogs
(`recognizers_number`, French culture; built in `number_reading`), not by hand. What it does
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
  refused with a request to type digits, instead of saving a wrong value; so are fractions in
  words (« trois quarts », « deux cinquièmes »).

Values are `Decimal`: the recognizer resolves to a decimal string (`"1200,5"`), which converts
exactly; amounts and percentages are compared with bounds and stored without binary rounding
(`0,1 + 0,2` stays `0,3` in history and sums), and SQL `Numeric` columns map to `Decimal`.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import cache

from domain.errors import DomainError, quoted_input
from domain.indicators.units import (
    UNIT_OF_WORD,
    UNIT_WORDS,
    Unit,
    UnitKind,
    canonical,
    format_number,
    format_value,
    unit_key,
)

MAX_INPUT_LENGTH = 60
MAX_ABSOLUTE_VALUE = Decimal(10) ** 15
MAX_SIGNIFICANT_DIGITS = 15
# recognizers_number rounds what it reads to 15 significant digits: longer inputs are refused.
_RECOGNIZER_CONTEXT = Context(prec=MAX_SIGNIFICANT_DIGITS)


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


# Tonnes of CO2e are commonly typed as plain tonnes: accepted for tCO2e indicators.
_TOLERATED_SUFFIXES = {Unit.TCO2E: frozenset({"t", "tonne", "tonnes"})}
_SPACE_BEFORE_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_POUR_CENT = re.compile(r"\bpour[ -]?cents?\b", re.IGNORECASE)
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_PLURAL_CENTS = re.compile(r"\bcents\b", re.IGNORECASE)
_DIGIT_THEN_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])")
_TONNE_ABBREVIATION = re.compile(r"(?<=\d) t\b", re.IGNORECASE)
_MULTIPLIER_SUFFIX = re.compile(r"\d ?([kmgtb])$")
_SCALE_WORDS = re.compile(r"\b(cent|mille|millions?|milliards?)\b")
_FRACTION_WORDS = re.compile(r"\b(demie?s?|quarts?|tiers|[^\W\d_]+i[eè]mes?)\b", re.IGNORECASE)
"""Fractions in words (« trois quarts », « deux cinquièmes », « un centième »): refused, as they are read
unreliably (and those with an ordinal not at all: `number_reading`)."""
_MULTIPLIED_EURO = re.compile(r"^(k|m|md|mds|g)(€|eur|euros?)(ht|ttc)?$")
_LETTERS = re.compile(r"[^\W\d_]")
_LETTER_O_FOR_ZERO = re.compile(r"(?<![^\W\d_])(?=[\dOo,.]*\d)(?=[\dOo,.]*[Oo])[\dOo]+(?:[,.][\dOo]+)*(?![^\W\d_])")
"""« 6O », « 1O0 », « O,5 »: digits typed with the letter O for a zero."""
_EURO_MULTIPLIERS = frozenset({"k", "m"})


@cache
def _number_model():
    """The French number model, built once (`number_reading.number_model`: without the ordinal and
    percentage models, nor the fractions spelled with an ordinal)."""
    from domain.indicators.number_reading import number_model

    return number_model()


def warm_up() -> None:
    """Build the recognizer at start-up so that the first user does not wait for it."""
    _number_model().parse("1")


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
    _check_unit_words(leftover, span, text, unit)
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
    number = canonical(number)
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


def _check_unit_words(leftover: str, span: str, text: str, unit: Unit) -> None:
    """The words around the number may only name the indicator's unit."""
    multiplier = _MULTIPLIER_SUFFIX.search(span)
    key = unit_key(leftover)
    keys = {key, key.removeprefix("de"), key.removeprefix("d'")} - {""} if key else set()
    if multiplier:
        letter = multiplier.group(1)
        if not (unit is Unit.EURO and letter in _EURO_MULTIPLIERS and key in UNIT_WORDS[Unit.EURO]):
            raise InvalidValue(
                ValueProblem.AMBIGUOUS_ABBREVIATION,
                f"L’abréviation « {letter} » dans « {quoted_input(text)} » est ambiguë : écrivez le nombre en entier "
                "ou en mots (mille, millions).",
                unit,
            )
    accepted = UNIT_WORDS[unit] | _TOLERATED_SUFFIXES.get(unit, frozenset())
    if not key or keys & accepted:
        return
    if _MULTIPLIED_EURO.match(key):
        raise InvalidValue(
            ValueProblem.AMBIGUOUS_ABBREVIATION,
            f"L’abréviation « {quoted_input(leftover)} » est ambiguë : écrivez par exemple 3 millions € ou 3 000 000 €.",
            unit,
        )
    other_unit = next((UNIT_OF_WORD[k] for k in keys if k in UNIT_OF_WORD), None) or _foreign_currency(leftover)
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
    return " ".join(word for word in leftover.split() if unit_key(word) not in accepted) or leftover


def _foreign_currency(leftover: str) -> Unit | str | None:
    """Name the currency the words around the number spell (`12 $` → Dollar) for the error message."""
    from domain.indicators.number_reading import currency_named

    currency = currency_named(leftover)
    if currency == "Euro":
        return Unit.EURO
    return currency if currency != "Cent" else None


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


def _plain(number: Decimal) -> str:
    """Digits with a French decimal comma and no rounding, for error messages."""
    return format(number, "f").replace(".", ",")
