"""Values typed in French, read by the botbuilder recognizers and checked against the unit."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

import pytest

from domain.errors import DomainError
from domain.indicators.units import InvalidUnit, Unit, UnitKind, format_number, format_value
from domain.indicators.values import MAX_INPUT_LENGTH, InvalidValue, ValueProblem, parse_value, validate_value

FRENCH_WORDS = re.compile(
    r"\b(le|la|les|de|des|du|un|une|est|pas|ou|et|à|au|en|pour|exemple|ne|je|ce|cet|cette|inconnue?|possibles?|"
    r"indiquez|choisissez|trop|aucune?)\b",
    re.I,
)
ENGLISH_WORDS = re.compile(r"\b(the|is|must|should|invalid|expected|error|not|value|cannot|please|between)\b", re.I)
SPACES = ("\u00a0", "\u202f", "\u2009", " ")


def assert_french(message: str) -> None:
    assert message.strip(), "empty message"
    assert FRENCH_WORDS.search(message), f"not French: {message!r}"
    assert not ENGLISH_WORDS.search(message), f"English word in: {message!r}"


def refused(text: str, unit: Unit) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        parse_value(text, unit)
    return caught.value


def plain_spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# --- what people type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12,5 %", Unit.PERCENT, "12.5"),
        ("12,5%", Unit.PERCENT, "12.5"),
        ("12,5", Unit.PERCENT, "12.5"),
        ("12,5 pour cent", Unit.PERCENT, "12.5"),
        ("12,5 pourcent", Unit.PERCENT, "12.5"),
        ("0", Unit.PERCENT, "0"),
        ("0,0", Unit.PERCENT, "0"),
        ("100 %", Unit.PERCENT, "100"),
        ("12.5", Unit.PERCENT, "12.5"),
        ("1 200", Unit.COUNT, "1200"),
        ("1200", Unit.COUNT, "1200"),
        ("1 200 000", Unit.EURO, "1200000"),
        ("1 200,50 €", Unit.EURO, "1200.5"),
        ("1 200,50€", Unit.EURO, "1200.5"),
        ("1 200,50 euros", Unit.EURO, "1200.5"),
        ("1 200,50 EUR", Unit.EURO, "1200.5"),
        ("1 200 € HT", Unit.EURO, "1200"),
        ("1.200,50", Unit.EURO, "1200.5"),
        ("1.200", Unit.EURO, "1200"),
        ("1,200", Unit.EURO, "1.2"),
        ("12 000 €", Unit.EURO, "12000"),
        ("3 millions", Unit.EURO, "3000000"),
        ("3 millions d'euros", Unit.EURO, "3000000"),
        ("3 millions d’euros", Unit.EURO, "3000000"),
        ("1,5 million", Unit.EURO, "1500000"),
        ("3 M€", Unit.EURO, "3000000"),
        ("250 k€", Unit.EURO, "250000"),
        ("douze", Unit.COUNT, "12"),
        ("Douze", Unit.COUNT, "12"),
        ("DOUZE.", Unit.COUNT, "12"),
        ("vingt et un", Unit.PEOPLE, "21"),
        ("vingt-et-un", Unit.PEOPLE, "21"),
        ("vingt-deux", Unit.COUNT, "22"),
        ("quatre-vingt-dix", Unit.COUNT, "90"),
        ("deux cents", Unit.COUNT, "200"),
        ("deux mille vingt six", Unit.COUNT, "2026"),
        ("douze virgule cinq", Unit.PERCENT, "12.5"),
        ("12 personnes", Unit.PEOPLE, "12"),
        ("1 personne", Unit.PEOPLE, "1"),
        ("1 500 heures", Unit.HOURS, "1500"),
        ("1500 h", Unit.HOURS, "1500"),
        ("35h", Unit.HOURS, "35"),
        ("30 jours", Unit.DAYS, "30"),
        ("34,5 j", Unit.DAYS, "34.5"),
        ("1 250,5 tCO2e", Unit.TCO2E, "1250.5"),
        ("1 250,5 t CO2e", Unit.TCO2E, "1250.5"),
        ("12,5 teqCO2", Unit.TCO2E, "12.5"),
        ("12,5 tonnes", Unit.TCO2E, "12.5"),
        ("12,5 t", Unit.TONNES, "12.5"),
        ("12,5t", Unit.TONNES, "12.5"),
        ("+5", Unit.COUNT, "5"),
        ("  42  ", Unit.COUNT, "42"),
    ],
)
def test_french_inputs_are_read(text: str, unit: Unit, expected: str) -> None:
    value = parse_value(text, unit)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


@pytest.mark.parametrize("space", SPACES)
@pytest.mark.parametrize(
    ("template", "unit", "expected"),
    [
        ("1{s}200", Unit.COUNT, "1200"),
        ("1{s}200{s}000", Unit.EURO, "1200000"),
        ("1{s}200,50{s}€", Unit.EURO, "1200.5"),
        ("12,5{s}%", Unit.PERCENT, "12.5"),
        ("12{s}345,678{s}h", Unit.HOURS, "12345.678"),
    ],
)
def test_teams_and_word_spaces_are_thousand_separators(space: str, template: str, unit: Unit, expected: str) -> None:
    assert parse_value(template.format(s=space), unit) == Decimal(expected)


def test_doubled_spaces_between_groups_are_tolerated() -> None:
    assert parse_value("12  000", Unit.COUNT) == Decimal("12000")


def test_long_values_are_not_rounded_by_the_recognizer() -> None:
    assert parse_value("12345678901,2345", Unit.HOURS) == Decimal("12345678901.2345")


def test_results_do_not_depend_on_the_thread_decimal_precision() -> None:
    with localcontext() as context:
        context.prec = 3
        assert parse_value("123 456,5", Unit.HOURS) == Decimal("123456.5")
        assert plain_spaces(format_value(Decimal("123456.5"), Unit.HOURS)) == "123 456,5 heures"


def test_value_is_an_exact_decimal_not_a_float() -> None:
    assert parse_value("0,1", Unit.EURO) + parse_value("0,2", Unit.EURO) == Decimal("0.3")
    assert parse_value("1 200,50 €", Unit.EURO).as_tuple() == Decimal("1200.5").as_tuple()


def test_canonical_value_has_no_exponent_form() -> None:
    assert str(parse_value("3 millions", Unit.EURO)) == "3000000"
    assert str(parse_value("0,0", Unit.PERCENT)) == "0"


# --- misreadings of the recognizer that must not become saved values ------------------------


@pytest.mark.parametrize(
    "text",
    ["mille deux cent", "mille cent", "un million deux cent mille", "un million cinq cent", "douze mille cinq cent"],
)
def test_spelled_numbers_with_several_scales_ask_for_digits(text: str) -> None:
    error = refused(text, Unit.COUNT)
    assert error.problem is ValueProblem.SPELLED_OUT
    assert "chiffres" in error.message


@pytest.mark.parametrize(
    "text", ["douze et demi", "trois quarts", "un tiers", "trois cinquièmes", "un centième", "vingt-deux deuxième"]
)
def test_fractions_in_words_ask_for_a_decimal_comma(text: str) -> None:
    """« trois cinquièmes » was saved as 0,6 (of a percentage meant as 60 %), « vingt-deux deuxième » as 11."""
    assert refused(text, Unit.HOURS).problem is ValueProblem.SPELLED_OUT


@pytest.mark.parametrize("text", ["vingt et un premier", "cent premier"])
def test_a_number_followed_by_an_ordinal_is_not_read_as_the_number(text: str) -> None:
    """« vingt et un premier » was saved as 21."""
    assert refused(text, Unit.HOURS).problem is ValueProblem.UNKNOWN_WORDS


@pytest.mark.parametrize(("text", "expected"), [("3/4", "0.75"), ("3 sur 4", "0.75"), ("trois sur quatre", "0.75")])
def test_fractions_in_digits_or_with_sur_are_read(text: str, expected: str) -> None:
    assert parse_value(text, Unit.HOURS) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("12,5 k", Unit.COUNT),
        ("12,5 G€", Unit.EURO),
        ("12,5 m", Unit.HOURS),
        ("3 m€", Unit.EURO),
        ("3 keur", Unit.EURO),
    ],
)
def test_multiplier_abbreviations_are_refused_as_ambiguous(text: str, unit: Unit) -> None:
    assert refused(text, unit).problem is ValueProblem.AMBIGUOUS_ABBREVIATION


def test_tonne_abbreviation_is_not_read_as_tera() -> None:
    assert parse_value("12,5 t", Unit.TONNES) == Decimal("12.5")
    assert parse_value("12,5 T", Unit.TCO2E) == Decimal("12.5")


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "problem"),
    [
        ("", Unit.COUNT, ValueProblem.EMPTY),
        ("   ", Unit.COUNT, ValueProblem.EMPTY),
        ("abc", Unit.COUNT, ValueProblem.NOT_A_NUMBER),
        ("zéro virgule", Unit.COUNT, ValueProblem.NOT_A_NUMBER),
        ("1er", Unit.COUNT, ValueProblem.UNKNOWN_WORDS),
        ("12 13", Unit.COUNT, ValueProblem.SEVERAL_NUMBERS),
        ("1 23", Unit.COUNT, ValueProblem.SEVERAL_NUMBERS),
        ("1,200.50", Unit.EURO, ValueProblem.SEVERAL_NUMBERS),
        ("entre 10 et 12", Unit.COUNT, ValueProblem.SEVERAL_NUMBERS),
        ("moins 5", Unit.EURO, ValueProblem.UNKNOWN_WORDS),
        ("environ 12", Unit.COUNT, ValueProblem.UNKNOWN_WORDS),
        ("12 marchés", Unit.COUNT, ValueProblem.UNKNOWN_WORDS),
        ("IND-03", Unit.COUNT, ValueProblem.UNKNOWN_WORDS),
        ("12 %%", Unit.PERCENT, ValueProblem.UNKNOWN_WORDS),
        ("-5", Unit.EURO, ValueProblem.NEGATIVE),
        ("-0,5", Unit.PERCENT, ValueProblem.NEGATIVE),
        ("120 %", Unit.PERCENT, ValueProblem.OUT_OF_RANGE),
        ("100,01", Unit.PERCENT, ValueProblem.OUT_OF_RANGE),
        ("1 200,5 %", Unit.PERCENT, ValueProblem.OUT_OF_RANGE),
        ("12,5", Unit.COUNT, ValueProblem.NOT_INTEGER),
        ("12,5 personnes", Unit.PEOPLE, ValueProblem.NOT_INTEGER),
        ("12,12345", Unit.HOURS, ValueProblem.TOO_PRECISE),
        ("12,123 €", Unit.EURO, ValueProblem.TOO_PRECISE),
        ("1" * (MAX_INPUT_LENGTH + 1), Unit.COUNT, ValueProblem.TOO_LONG),
        ("123456789012,3456", Unit.HOURS, ValueProblem.TOO_PRECISE),
        ("1234567890123456", Unit.COUNT, ValueProblem.TOO_PRECISE),
        ("5000000 milliards", Unit.EURO, ValueProblem.TOO_LARGE),
    ],
)
def test_bad_inputs_are_refused_with_the_reason(text: str, unit: Unit, problem: ValueProblem) -> None:
    error = refused(text, unit)
    assert error.problem is problem
    assert error.unit is unit


@pytest.mark.parametrize(
    ("text", "unit", "named"),
    [
        ("12 €", Unit.PERCENT, "euros"),
        ("12 euros", Unit.PERCENT, "euros"),
        ("50 %", Unit.HOURS, "pourcentage"),
        ("50 %", Unit.EURO, "pourcentage"),
        ("12 heures", Unit.PEOPLE, "heures"),
        ("5 jours", Unit.HOURS, "jours"),
        ("3 tCO2e", Unit.TONNES, "tonnes équivalent CO₂"),
        ("3 tonnes", Unit.PERCENT, "tonnes"),
        ("12 personnes", Unit.COUNT, "nombre de personnes"),
        ("12 $", Unit.EURO, "Dollar"),
        ("12 dollars", Unit.PERCENT, "Dollar"),
        ("12 £", Unit.EURO, "Livre"),
        ("$12", Unit.EURO, "Dollar"),
        ("environ 12 $", Unit.EURO, "Dollar"),
        ("12 USD", Unit.HOURS, "Dollar États-Unis"),
        ("12 francs suisses", Unit.EURO, "Franc Suisse"),
        ("12 CHF", Unit.TONNES, "Franc Suisse"),
        ("12 yens", Unit.COUNT, "Yen Japonais"),
    ],
)
def test_value_with_another_unit_is_refused(text: str, unit: Unit, named: str) -> None:
    error = refused(text, unit)
    assert error.problem is ValueProblem.WRONG_UNIT
    assert named in error.message
    assert unit.display_name in error.message


@pytest.mark.parametrize("unit", list(Unit))
@pytest.mark.parametrize("text", ["abc", "-3", "12 13", "150 %", "12,123456", "12 $", "environ 4", "mille cent"])
def test_every_refusal_is_french_and_shows_a_valid_example(unit: Unit, text: str) -> None:
    error = refused(text, unit)
    assert_french(error.message)
    assert error.message.endswith(f"Exemple de saisie valide : {unit.example}.")
    assert isinstance(error, DomainError)
    assert str(error) == error.message


@pytest.mark.parametrize(
    "text, unit, retyped",
    [("6O %", Unit.PERCENT, "60\u00a0%"), ("6o%", Unit.PERCENT, "60\u00a0%"), ("O,5", Unit.PERCENT, "0,5\u00a0%"),
     ("1 2OO €", Unit.EURO, "1\u202f200\u00a0€"), ("2OO personnes", Unit.PEOPLE, "200\u00a0personnes")],
)
def test_the_letter_o_typed_for_a_zero_is_named_and_the_value_shown_as_it_should_be_typed(text: str, unit: Unit, retyped: str) -> None:
    """« 6O % » got « Je n’ai pas compris « O » dans « 6O % » », which did not say what was wrong."""
    error = refused(text, unit)
    assert error.problem is ValueProblem.NOT_A_NUMBER
    assert error.message == (
        f"«\u00a0{text}\u00a0» contient la lettre O au lieu du chiffre zéro. "
        f"Tapez la valeur en chiffres\u00a0: «\u00a0{retyped}\u00a0»."
    )
    assert_french(error.message)


@pytest.mark.parametrize("unit", list(Unit))
def test_the_example_of_each_unit_is_itself_valid(unit: Unit) -> None:
    parse_value(unit.example, unit)


# --- validation rules by unit, checked over a grid of values ---------------------------------

GRID = [Decimal(n) / 4 for n in range(-20, 420)]


@pytest.mark.parametrize("unit", list(Unit))
def test_validation_rules_over_a_grid(unit: Unit) -> None:
    for number in GRID:
        if unit.kind is UnitKind.PERCENTAGE:
            should_pass = 0 <= number <= 100
        elif unit.kind is UnitKind.COUNT:
            should_pass = number >= 0 and number == number.to_integral_value()
        else:
            should_pass = number >= 0
        if should_pass:
            assert validate_value(number, unit) == number
        else:
            with pytest.raises(InvalidValue):
                validate_value(number, unit)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (12.5, Unit.PERCENT, "12.5"),
        (12, Unit.COUNT, "12"),
        (0.1, Unit.EURO, "0.1"),
        (Decimal("1E+3"), Unit.EURO, "1000"),
    ],
)
def test_validate_value_accepts_numbers_from_card_fields(value, unit: Unit, expected: str) -> None:
    result = validate_value(value, unit)
    assert isinstance(result, Decimal) and str(result) == expected


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("inf"), True, "12"])
def test_validate_value_refuses_non_numbers(value) -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_value(value, Unit.EURO)
    assert_french(caught.value.message)


# --- display ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("1200.5", Unit.PERCENT, "1 200,5 %"),
        ("12.5", Unit.PERCENT, "12,5 %"),
        ("12000", Unit.EURO, "12 000 €"),
        ("1200.5", Unit.EURO, "1 200,50 €"),
        ("0.1", Unit.EURO, "0,10 €"),
        ("1200", Unit.COUNT, "1 200"),
        ("1", Unit.PEOPLE, "1 personne"),
        ("0", Unit.PEOPLE, "0 personne"),
        ("2", Unit.PEOPLE, "2 personnes"),
        ("1.5", Unit.HOURS, "1,5 heure"),
        ("15000", Unit.HOURS, "15 000 heures"),
        ("30", Unit.DAYS, "30 jours"),
        ("1250.5", Unit.TCO2E, "1 250,5 tonnes équivalent CO₂"),
        ("1", Unit.TCO2E, "1 tonne équivalent CO₂"),
        ("1", Unit.TONNES, "1 tonne"),
        ("1234567.8912", Unit.TONNES, "1 234 567,8912 tonnes"),
    ],
)
def test_format_value_in_french(value: str, unit: Unit, shown: str) -> None:
    assert plain_spaces(format_value(Decimal(value), unit)) == shown


@pytest.mark.parametrize("unit", list(Unit))
def test_formatted_value_never_breaks_between_number_and_unit(unit: Unit) -> None:
    """The unit may wrap between its own words (« tonnes équivalent CO₂ »), never away from its number."""
    shown = format_value(Decimal("1234567"), unit)
    assert " " not in shown.removesuffix(unit.symbol)


def test_format_number_uses_comma_and_narrow_no_break_space() -> None:
    assert format_number(Decimal("1234.5")) == "1\u202f234,5"


ROUND_TRIP_VALUES = ["0", "1", "1.5", "12", "99.99", "100", "1200", "1200.5", "12345.67", "1000000", "7654321.25"]


def valid_for(raw: str, unit: Unit) -> bool:
    number = Decimal(raw)
    if unit.kind is UnitKind.PERCENTAGE:
        return number <= 100
    return unit.kind is not UnitKind.COUNT or number == number.to_integral_value()


@pytest.mark.parametrize(
    ("unit", "raw"), [(unit, raw) for unit in Unit for raw in ROUND_TRIP_VALUES if valid_for(raw, unit)]
)
def test_what_is_displayed_reads_back_to_the_same_value(unit: Unit, raw: str) -> None:
    value = Decimal(raw)
    assert parse_value(format_value(value, unit), unit) == value


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("%", Unit.PERCENT),
        ("pourcentage", Unit.PERCENT),
        ("€", Unit.EURO),
        ("Euros", Unit.EURO),
        ("EUR", Unit.EURO),
        ("nombre", Unit.COUNT),
        ("Personnes", Unit.PEOPLE),
        ("heures", Unit.HOURS),
        ("h", Unit.HOURS),
        ("jours", Unit.DAYS),
        ("tCO2e", Unit.TCO2E),
        ("TCO2E", Unit.TCO2E),
        ("teqCO2", Unit.TCO2E),
        ("tonnes", Unit.TONNES),
    ],
)
def test_unit_parse_accepts_usual_names(text: str, unit: Unit) -> None:
    assert Unit.parse(text) is unit


@pytest.mark.parametrize("text", ["kg", "", "dollars", "km"])
def test_unknown_unit_is_refused_with_the_list(text: str) -> None:
    with pytest.raises(InvalidUnit) as caught:
        Unit.parse(text)
    assert "%, €, nombre" in caught.value.message
    assert_french(caught.value.message)


def test_every_unit_has_french_label_kind_and_example() -> None:
    for unit in Unit:
        assert unit.label and unit.example and unit.kind in UnitKind
    assert Unit.PERCENT.display_name == "pourcentage (%)"
    assert Unit.HOURS.display_name == "heures"


@pytest.mark.parametrize(
    ("value", "noun", "shown"),
    [
        ("2", "repas végétarien", "2 repas végétariens"),
        ("1", "comité technique", "1 comité technique"),
        ("0", "marché réservé", "0 marché réservé"),
        ("12500", "kilomètre", "12 500 kilomètres"),
        ("3", "marché avec clause d’insertion", "3 marchés avec clause d’insertion"),
        ("4", "agent·e formé·e", "4 agent·es formé·es"),
        ("2", "travail|travaux", "2 travaux"),
        ("1", "travail|travaux", "1 travail"),
    ],
)
def test_a_count_says_what_it_counts_when_the_catalogue_names_it(value: str, noun: str, shown: str) -> None:
    """Issue 17: « 2 » alone for two vegetarian meals a week."""
    text = format_value(Decimal(value), Unit.COUNT, noun)
    assert plain_spaces(text) == shown
    bare = format_value(Decimal(value), Unit.COUNT)
    assert text.startswith(bare + "\u00a0"), "no line break between the number and what it counts"
