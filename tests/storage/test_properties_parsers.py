"""Property-based tests of every parser of typed or imported input: numbers in French, periods,
dates, the catalogue CSV, the form card, and the saving of values and catalogues in the database.

Each property says what any input gives: a valid result, or the parser's own French refusal
(a `DomainError`), never another exception; and a refused save or import leaves every table as
it was (all or nothing). Inputs mix what people really type with hostile text (control
characters, no-break spaces, quotes, formulas, very long cells).
"""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.clock import FakeClock
from domain.committees.meeting_dates import (
    DATE_EXAMPLES,
    MAX_WHEN_TEXT_LENGTH,
    MeetingDateReader,
    normalise_french_datetime_text,
)
from domain.errors import DomainError
from domain.indicators.cards import read_form
from domain.indicators.catalogue import CATALOGUE_COLUMNS, Axis, CatalogueRow, ImprovementDirection
from domain.indicators.catalogue_csv import CatalogueImportError, export_catalogue, parse_catalogue_csv
from domain.indicators.periods import MAX_YEAR, MIN_YEAR, Frequency, InvalidPeriod, Period, parse_period
from domain.indicators.rules import ValueEntry
from domain.indicators.units import Unit, UnitKind, format_value
from domain.indicators.values import MAX_ABSOLUTE_VALUE, InvalidValue, parse_value, validate_value, warm_up
from domain.people import Role
from storage.indicators import indicator_repositories
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue
from storage.people import DirectorateRepository, PeopleRepository
from tests.indicators_support import EXAMPLE, EXAMPLE_DIRECTORATES
from tests.properties_support import budget

FRENCH = re.compile(
    r"\b(le|la|les|de|des|du|un|une|est|pas|ou|et|à|au|en|pour|exemple|ne|je|ce|cet|cette|inconnue?|"
    r"indiquez|choisissez|trop|aucune?|ligne|colonnes?|valeur|fichier|période|saisissez|écrivez)\b",
    re.I,
)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    """The French recognizers take seconds to build: once for the module, not in an example."""
    warm_up()
    MeetingDateReader(FakeClock(NOW), "Europe/Paris").read("le 12 mars à 14h")


def assert_french_refusal(error: DomainError) -> None:
    assert isinstance(error, DomainError)
    assert error.message.strip() and FRENCH.search(error.message), error.message


# ----- strategies --------------------------------------------------------------------------------

SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\t", "\n"]
HOSTILE = ["\x00", "\x1b", "\ufeff", "\u200b", "\ud7ff", "😀", "'", "’", '"', ";", "=", "@", "+", "-", "|", "\\"]
NUMBER_WORDS = [
    "zéro", "un", "une", "deux", "trois", "douze", "seize", "vingt", "vingt-et-un", "trente", "soixante",
    "quatre-vingt", "cent", "cents", "mille", "million", "millions", "milliard", "et", "demi", "virgule", "moins",
]
UNIT_WORDS = [
    "%", "€", "euros", "EUR", "k€", "M€", "m€", "HT", "TTC", "pour cent", "pourcent", "h", "heures", "j", "jours",
    "t", "tonnes", "tCO2e", "personnes", "pers.", "$", "USD", "k", "M", "Md", "m", "kg", "km",
]
digits = st.from_regex(r"\A[0-9]{1,8}\Z")
number_pieces = st.one_of(
    digits,
    st.sampled_from([",", ".", "-", "+", "'", "’", "/", "e", "E", "x"]),
    st.sampled_from(SPACES),
    st.sampled_from(NUMBER_WORDS),
    st.sampled_from(UNIT_WORDS),
    st.sampled_from(HOSTILE),
)
# What people type in the value field, and anything else.
typed_values = st.one_of(
    st.lists(number_pieces, max_size=9).map("".join),
    st.text(max_size=80),
)
units = st.sampled_from(list(Unit))
frequencies = st.sampled_from(list(Frequency))


def check_valid_value(value: Decimal, unit: Unit) -> None:
    """What every accepted value satisfies, whatever was typed."""
    assert isinstance(value, Decimal) and value.is_finite()
    assert 0 <= value < MAX_ABSOLUTE_VALUE
    assert value.as_tuple().exponent >= -unit.max_decimal_places
    if unit.kind is UnitKind.PERCENTAGE:
        assert value <= 100
    if unit.kind is UnitKind.COUNT:
        assert value == value.to_integral_value()
    assert validate_value(value, unit) == value


# ----- numbers in French ---------------------------------------------------------------------------


@settings(max_examples=budget(120))
@given(text=typed_values, unit=units)
def test_a_typed_value_is_a_valid_number_or_a_french_refusal(text, unit):
    try:
        value = parse_value(text, unit)
    except InvalidValue as error:
        assert_french_refusal(error)
        assert "Exemple de saisie valide" in error.message
        return
    check_valid_value(value, unit)


@st.composite
def valid_values(draw):
    unit = draw(units)
    places = 0 if unit.kind is UnitKind.COUNT else draw(st.integers(0, unit.max_decimal_places))
    high = 100 if unit.kind is UnitKind.PERCENTAGE else 10**14
    value = draw(st.decimals(min_value=0, max_value=high, places=places, allow_nan=False, allow_infinity=False))
    return value, unit


@settings(max_examples=budget(80))
@given(valid_values())
def test_every_value_shown_by_the_bot_reads_back_to_the_same_value(drawn):
    value, unit = drawn
    try:
        expected = validate_value(value, unit)
    except InvalidValue:
        assume(False)
    assert parse_value(format_value(expected, unit), unit) == expected


@settings(max_examples=budget(100))
@given(
    number=st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.text(max_size=5),
    ),
    unit=units,
)
def test_a_number_from_a_card_field_is_valid_or_refused_in_french(number, unit):
    try:
        value = validate_value(number, unit)
    except InvalidValue as error:
        assert_french_refusal(error)
        return
    check_valid_value(value, unit)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
form_keys = st.one_of(
    st.text(max_size=20),
    st.builds(
        "|".join,
        st.lists(st.one_of(st.sampled_from(["valeur", "commentaire", "IND-01", "2026-T3", ""]), st.text(max_size=8)), max_size=4),
    ),
)


@settings(max_examples=budget(60))
@given(value=st.dictionaries(form_keys, st.one_of(json_scalars, st.lists(json_scalars, max_size=3), st.dictionaries(st.text(max_size=5), json_scalars, max_size=3)), max_size=12))
def test_any_submitted_card_data_is_read_into_entries_and_errors(value):
    form = read_form(value)
    for entry in form.entries:
        assert isinstance(entry.value, str) and entry.value.strip()
        assert (entry.code, entry.period) in form.pairs
    assert all(isinstance(message, str) and message for message in form.errors.values())


# ----- periods -----------------------------------------------------------------------------------

period_pieces = st.one_of(
    st.integers(1890, 2210).map(str),
    st.integers(0, 13).map(str),
    st.sampled_from(["S", "T", "H", "Q", "s", "t", "q", "h", "er", "e", "ème", "re", "trimestre", "semestre", "année", "exercice", "de", "d'", "Trimestre"]),
    st.sampled_from(["-", " ", "_", "/", ".", ",", ":", "\t", "\u00a0", "’"]),
    st.sampled_from(HOSTILE),
)
typed_periods = st.one_of(st.lists(period_pieces, max_size=7).map("".join), st.text(max_size=50))


@settings(max_examples=budget(150))
@given(text=typed_periods, expected=st.one_of(st.none(), frequencies))
def test_a_typed_period_is_a_real_period_or_a_french_refusal(text, expected):
    try:
        period = parse_period(text, expected)
    except InvalidPeriod as error:
        assert_french_refusal(error)
        return
    assert MIN_YEAR <= period.year <= MAX_YEAR
    assert 1 <= period.number <= period.frequency.periods_per_year
    assert expected is None or period.frequency is expected
    assert parse_period(period.code) == period


periods = st.builds(
    lambda year, frequency, index: Period(year, frequency, index % frequency.periods_per_year + 1),
    st.integers(MIN_YEAR, MAX_YEAR),
    frequencies,
    st.integers(0, 3),
)


@settings(max_examples=budget(60))
@given(periods)
def test_every_period_reads_back_from_its_code_and_its_french_label(period):
    assert parse_period(period.code, period.frequency) == period
    assert parse_period(period.label) == period
    assert parse_period(period.code.lower().replace("-", " ")) == period


@settings(max_examples=budget(60))
@given(st.one_of(st.text(max_size=30), st.sampled_from(["Trimestrielle", "semestriel", "T", "an", "annuel", " quarterly "])))
def test_a_typed_frequency_is_known_or_refused_in_french(text):
    try:
        assert Frequency.parse(text) in Frequency
    except InvalidPeriod as error:
        assert_french_refusal(error)


# ----- dates -------------------------------------------------------------------------------------

MONTHS = ["janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
date_pieces = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(2020, 2032).map(str),
    st.sampled_from(MONTHS),
    st.sampled_from(["le", "à", "a", "h", "heures", "demain", "mardi", "prochain", "lundi", "midi", "minuit", "après-midi", "matin", "soir", "dans", "semaines", "jours", "du", "au", "de", "et", "COPIL"]),
    st.sampled_from([" ", " ", " ", "/", ":", "h", "-", ",", "\u00a0"]),
    st.sampled_from(HOSTILE),
)
typed_dates = st.one_of(st.lists(date_pieces, max_size=8).map("".join), st.text(max_size=30))


@pytest.fixture(scope="module")
def reader():
    return MeetingDateReader(FakeClock(NOW), "Europe/Paris")


@settings(max_examples=budget(30))
@given(text=typed_dates)
def test_a_typed_date_is_a_coming_moment_nothing_or_a_french_refusal(reader, text):
    try:
        resolved = reader.read(text)
    except DomainError as error:
        assert_french_refusal(error)
        return
    if resolved is None:
        return
    assert resolved.day is not None or resolved.time is not None
    if resolved.day is not None:
        assert resolved.day >= reader.now_local.date()
    if resolved.starts_at is not None:
        assert resolved.starts_at > reader.now_local


@settings(max_examples=budget(100))
@given(text=st.one_of(typed_dates, st.text(max_size=200)))
def test_the_recognizer_workarounds_never_fail(text):
    assert isinstance(normalise_french_datetime_text(text), str)


def test_a_message_too_long_to_search_for_a_date_is_refused_in_french(reader):
    with pytest.raises(DomainError) as refused:
        reader.read("le 12 mars à 14h " * 20_000)
    assert f"{MAX_WHEN_TEXT_LENGTH} caractères au plus" in refused.value.message
    assert reader.read(("le 12 mars à 14h " + "x" * MAX_WHEN_TEXT_LENGTH)[:MAX_WHEN_TEXT_LENGTH]) is not None


def test_a_text_where_the_recognizer_finds_a_date_without_a_resolution_is_read(reader):
    """The recognizer gives a result with no resolution for the second « le 12 mars »."""
    resolved = reader.read("le 12 mars blabla le 12 mars")
    assert resolved is not None and resolved.day == date(2027, 3, 12)


# ----- the catalogue CSV -------------------------------------------------------------------------

DIRECTORATES = list(EXAMPLE_DIRECTORATES)
cell_pieces = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "éèàç -_.,|", max_size=12),
    st.sampled_from(HOSTILE + SPACES + ["\r\n", '""', '"', ";;", "x" * 400, "9" * 40, "0," + "0" * 60 + "1", "1E+999", "NaN", "-1"]),
)
hostile_cells = st.lists(cell_pieces, max_size=5).map("".join)


@st.composite
def catalogue_rows(draw):
    count = draw(st.integers(1, 6))
    rows = []
    for index in range(count):
        unit = draw(units)
        frequency = draw(frequencies)
        with_target = draw(st.booleans())
        rows.append(
            CatalogueRow(
                code=f"P-{index:02d}",
                # As a validated label is: spaces collapsed (the import does it, see _clean_text).
                label=draw(st.text(alphabet=string.ascii_letters + "éàç ;\"'", min_size=1, max_size=40).map(lambda text: " ".join(text.split())).filter(bool)),
                axis=draw(st.sampled_from(list(Axis))),
                unit=unit,
                directorates=tuple(draw(st.lists(st.sampled_from(DIRECTORATES), min_size=1, max_size=3, unique=True))),
                frequency=frequency,
                improvement=ImprovementDirection.UP,
                baseline=Decimal(draw(st.integers(0, 50))),
                target=Decimal(draw(st.integers(50, 100))) if with_target else None,
                target_year=2030 if with_target else None,
                source="",
                preexisting=draw(st.booleans()),
                active=True,
            )
        )
    return rows


@st.composite
def damaged_catalogues(draw):
    """A valid export whose cells may be replaced by hostile text, in some encoding and separator."""
    rows = draw(catalogue_rows())
    lines = [line for line in export_catalogue(rows).split("\r\n") if line]
    records = [line.split(";") for line in lines]
    damaged = 0
    for _ in range(draw(st.integers(0, 3))):
        line = draw(st.integers(0, len(records) - 1))
        column = draw(st.integers(0, len(CATALOGUE_COLUMNS) - 1))
        if column < len(records[line]):
            records[line][column] = draw(hostile_cells)
            damaged += 1
    text = "\r\n".join(";".join(record) for record in records) + draw(st.sampled_from(["", "\r\n", "\n\n;;;"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "text"]))
    if encoding == "text":
        return rows, text, damaged
    return rows, text.encode(encoding, errors="replace"), damaged


@settings(max_examples=budget(60))
@given(damaged_catalogues())
def test_a_catalogue_file_gives_all_its_rows_or_only_french_errors_by_line(drawn):
    rows, data, damaged = drawn
    try:
        parsed = parse_catalogue_csv(data, known_directorates=DIRECTORATES)
    except CatalogueImportError as error:
        assert error.errors and all(FRENCH.search(str(line)) for line in error.errors), error.message
        assert "aucun indicateur n’a été importé" in error.message
        assert damaged, f"an undamaged export was refused: {error.message}"
        return
    assert len(parsed) == len(rows)
    if not damaged:
        assert parsed == rows


@settings(max_examples=budget(60))
@given(st.one_of(st.binary(max_size=600), st.text(max_size=600)))
def test_any_bytes_or_text_as_a_catalogue_are_rows_or_a_french_refusal(data):
    try:
        parsed = parse_catalogue_csv(data, known_directorates=DIRECTORATES)
    except CatalogueImportError as error:
        assert error.errors and FRENCH.search(error.message)
        return
    assert all(isinstance(row, CatalogueRow) for row in parsed)


# ----- saving: all or nothing in the database (SQLite and PostgreSQL) -----------------------------


async def table_contents(database) -> tuple:
    """Every catalogue and value row: equal before and after means nothing was written."""
    async with database.session() as session:
        indicators = (await session.execute(select(Indicator).order_by(Indicator.id))).scalars().all()
        links = (await session.execute(select(IndicatorDirectorate.indicator_id, IndicatorDirectorate.directorate_id).order_by(IndicatorDirectorate.indicator_id, IndicatorDirectorate.directorate_id))).all()
        values = (await session.execute(select(IndicatorValue).order_by(IndicatorValue.id))).scalars().all()
        return (
            [(i.id, i.code, i.label, i.axis, i.unit, i.frequency, i.baseline, i.target, i.target_year, i.direction, i.source, i.preexisting, i.active) for i in indicators],
            [tuple(link) for link in links],
            [(v.id, v.indicator_id, v.directorate_id, v.period, v.value, v.comment, v.entered_by_id, v.current_key, v.submission_key) for v in values],
        )


@pytest.fixture
async def catalogue(database):
    """The example catalogue on a real database, with a lead and a DCP contributor."""
    directorates = DirectorateRepository(database)
    for code in EXAMPLE_DIRECTORATES:
        await directorates.add(code, f"Direction {code}")
    catalogue, values = indicator_repositories(database, clock=FakeClock(NOW), timezone="Europe/Paris")
    await catalogue.import_catalogue(EXAMPLE.read_bytes())
    people = PeopleRepository(database, ("lead-aad",))
    lead = await people.assign("lead@ville.fr", Role.LEAD, None, name="Camille")
    nadia = await people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia")
    official = await people.assign("maire@ville.fr", Role.OFFICIAL, None, name="Hélène")
    return (catalogue, values), {"lead": lead, "contributor": nadia, "official": official}


@settings(max_examples=budget(20))
@given(drawn=damaged_catalogues())
async def test_a_catalogue_import_writes_every_row_or_nothing(database, catalogue, drawn):
    (repository, _values), _ = catalogue
    rows, data, _damaged = drawn
    before = await table_contents(database)
    try:
        result = await repository.import_catalogue(data)
    except DomainError as error:
        event("refused")
        assert_french_refusal(error)
        assert await table_contents(database) == before
        return
    event("imported")
    assert len(result.created) + len(result.updated) == len(rows)
    stored = {row[1] for row in (await table_contents(database))[0]}
    assert {row.code for row in rows} <= stored


comments = st.one_of(st.just(""), st.text(max_size=20), st.sampled_from(["\x00", "a" * 501, "ok \x00 nul", "😀", "\ud800"]))
plausible_entries = st.builds(
    lambda pair, value, comment: ValueEntry(pair[0], pair[1], value, comment),
    st.sampled_from([("IND-01", "2026-T3"), ("IND-02", "2026-T3"), ("IND-03", "2026-T3"), ("IND-04", "2025"), ("IND-03", "2025-T4")]),
    st.sampled_from(["12", "0", "45,5", "45,5 %", "douze", "7,25"]),
    comments,
)
# Codes are looked up in the database: without NUL, which the HTTP front door removes from every
# string (tests/bot/test_properties_http.py) and PostgreSQL refuses even in a query parameter.
random_entries = st.builds(
    ValueEntry,
    code=st.one_of(
        st.sampled_from(["IND-01", "IND-02", "IND-03", "IND-04", "IND-08", "ind-01"]),
        st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=8),
    ),
    period=st.one_of(st.sampled_from(["2026-T3", "2026-T2", "2025", "2026-S1", "2027-T1", "2025-T4"]), typed_periods),
    value=typed_values,
    comment=comments,
)


@settings(max_examples=budget(30))
@given(
    who=st.one_of(st.just("contributor"), st.sampled_from(["lead", "contributor", "official"])),
    directorate=st.sampled_from(["DCP", "DCP", "DCP", "DPB", "dcp", "", "XXX"]),
    batch=st.one_of(
        st.lists(plausible_entries, min_size=1, max_size=3, unique_by=lambda entry: entry.key),
        st.lists(st.one_of(plausible_entries, random_entries), min_size=1, max_size=3),
    ),
    key=st.one_of(st.none(), st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)),
)
async def test_recording_values_saves_the_whole_batch_or_nothing(database, catalogue, who, directorate, batch, key):
    (_catalogue, repository), people = catalogue
    before = await table_contents(database)
    try:
        outcome = await repository.record_values(people[who], directorate, batch, TODAY, submission_key=key)
    except DomainError as error:
        event("refused")
        assert_french_refusal(error)
        assert await table_contents(database) == before
        return
    after = await table_contents(database)
    assert after[:2] == before[:2], "recording values changed the catalogue"
    old_values, new_values = after[2][: len(before[2])], after[2][len(before[2]) :]
    without_current_key = [row[:7] + row[8:] for row in before[2]]
    assert [row[:7] + row[8:] for row in old_values] == without_current_key, "a stored value was rewritten"
    event("duplicate" if outcome.duplicate else "saved")
    if outcome.duplicate:
        assert new_values == []
    else:
        assert len(new_values) == len(outcome.saved) == len(batch)
        assert {row[6] for row in new_values} == {people[who].id}


async def test_a_comment_with_nul_or_a_lone_surrogate_is_saved_without_them(database, catalogue):
    """NUL is refused by PostgreSQL and a lone surrogate by every driver: both used to crash the save."""
    (_catalogue, repository), people = catalogue
    entry = ValueEntry("IND-01", "2026-T3", "12", "bon\x00 trimestre \ud800fin")
    outcome = await repository.record_values(people["contributor"], "DCP", [entry], TODAY)
    assert [view.comment for view in outcome.saved] == ["bon trimestre fin"]
    history = (await repository.history("IND-01"))[1]
    assert [view.comment for view in history] == ["bon trimestre fin"]


def test_an_amount_shown_with_its_cents_reads_back_although_its_last_zero_is_a_sixteenth_digit():
    """Found by the round-trip property: 10 000 000 000 000,10 € was refused as too precise."""
    assert parse_value(format_value(Decimal("10000000000000.1"), Unit.EURO), Unit.EURO) == Decimal("10000000000000.1")


def test_every_date_example_shown_to_people_is_understood(reader):
    examples = re.findall(r"«\u00a0(.+?)\u00a0»", DATE_EXAMPLES)
    assert len(examples) == 4 and "le 12\u00a0mars à 14\u00a0h" in examples
    assert all(reader.read(example) is not None for example in examples)
