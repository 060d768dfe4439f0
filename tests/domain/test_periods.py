"""Reporting periods: parsing as typed, calendar bounds, the period due at a date, trends."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from domain.errors import DomainError
from domain.indicators.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Frequency,
    FuturePeriod,
    InvalidPeriod,
    Period,
    PeriodFrequencyMismatch,
    current_reporting_period,
    ensure_frequency,
    ensure_not_future,
    has_ended,
    is_future,
    last_periods,
    parse_period,
    period_containing,
)

ANNUAL, HALF, QUARTER = Frequency.ANNUAL, Frequency.HALF_YEARLY, Frequency.QUARTERLY
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|de|des|du|un|une|est|pas|ou|et|à|au|en|pour|exemple|ne|je|ce|cet|cette|inconnue?|possibles?|"
    r"indiquez|choisissez|trop|aucune?)\b",
    re.I,
)
ENGLISH_WORDS = re.compile(
    r"\b(the|is|must|should|invalid|expected|error|not|value|cannot|please|period|between)\b", re.I
)


def assert_french(message: str) -> None:
    assert message.strip(), "empty message"
    assert FRENCH_WORDS.search(message), f"not French: {message!r}"
    assert not ENGLISH_WORDS.search(message), f"English word in: {message!r}"


def all_periods(first_year: int, last_year: int, frequency: Frequency) -> list[Period]:
    return [
        Period(year, frequency, number)
        for year in range(first_year, last_year + 1)
        for number in range(1, frequency.periods_per_year + 1)
    ]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


# --- codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "code"),
    [
        (Period(2026, ANNUAL), "2026"),
        (Period(2026, HALF, 1), "2026-S1"),
        (Period(2026, HALF, 2), "2026-S2"),
        (Period(2026, QUARTER, 1), "2026-T1"),
        (Period(2026, QUARTER, 4), "2026-T4"),
    ],
)
def test_period_code_is_the_canonical_french_code(period: Period, code: str) -> None:
    assert period.code == code
    assert str(period) == code


@pytest.mark.parametrize("frequency", list(Frequency))
def test_every_code_parses_back_to_its_period(frequency: Frequency) -> None:
    for period in all_periods(MIN_YEAR, MAX_YEAR, frequency):
        assert parse_period(period.code) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", Period(2026, ANNUAL)),
        ("  2026 ", Period(2026, ANNUAL)),
        ("année 2026", Period(2026, ANNUAL)),
        ("Annee 2026", Period(2026, ANNUAL)),
        ("2026-S1", Period(2026, HALF, 1)),
        ("2026-s2", Period(2026, HALF, 2)),
        ("2026 S2", Period(2026, HALF, 2)),
        ("S1 2026", Period(2026, HALF, 1)),
        ("s1-2026", Period(2026, HALF, 1)),
        ("2026-H2", Period(2026, HALF, 2)),
        ("1er semestre 2026", Period(2026, HALF, 1)),
        ("2e semestre 2026", Period(2026, HALF, 2)),
        ("2ème semestre 2026", Period(2026, HALF, 2)),
        ("2026-T3", Period(2026, QUARTER, 3)),
        ("2026 t3", Period(2026, QUARTER, 3)),
        ("2026t3", Period(2026, QUARTER, 3)),
        ("T3 2026", Period(2026, QUARTER, 3)),
        ("t3-2026", Period(2026, QUARTER, 3)),
        ("T3/2026", Period(2026, QUARTER, 3)),
        ("2026 - T 3", Period(2026, QUARTER, 3)),
        ("2026_T03", Period(2026, QUARTER, 3)),
        ("2026-Q3", Period(2026, QUARTER, 3)),
        ("3e trimestre 2026", Period(2026, QUARTER, 3)),
        ("3ème trimestre de 2026", Period(2026, QUARTER, 3)),
        ("1er trimestre 2026", Period(2026, QUARTER, 1)),
        ("trimestre 4 2026", Period(2026, QUARTER, 4)),
        ("2026\u00a0T3", Period(2026, QUARTER, 3)),
        ("2026\u202fT3", Period(2026, QUARTER, 3)),
    ],
)
def test_parse_period_tolerates_case_spaces_order_and_words(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "T3", "2026-T", "26-T3", "2026-X1", "2026-T3-T4", "20266", "2026 T3 2027", "T3 T4", "x" * 200],
)
def test_parse_period_refuses_unreadable_text_in_french(text: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(text)
    assert_french(caught.value.message)


def test_unreadable_period_message_lists_the_accepted_formats() -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period("troisième")
    assert "2026-S1" in caught.value.message and "2026-T1" in caught.value.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("2026-T5", "T1 à T4"), ("2026-T0", "T1 à T4"), ("2026-S3", "S1 ou S2"), ("5e trimestre 2026", "T1 à T4")],
)
def test_out_of_range_period_number_says_which_numbers_exist(text: str, fragment: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(text)
    assert fragment in caught.value.message
    assert_french(caught.value.message)


@pytest.mark.parametrize("text", ["1999", "2101", "1999-T1", "T1 2101"])
def test_years_outside_the_accepted_range_are_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(text)
    assert "2000" in caught.value.message and "2100" in caught.value.message


def test_period_errors_are_domain_errors_shown_to_the_user() -> None:
    assert issubclass(InvalidPeriod, DomainError)
    assert issubclass(PeriodFrequencyMismatch, InvalidPeriod)
    assert issubclass(FuturePeriod, InvalidPeriod)


def test_period_accepts_the_frequency_as_its_stored_french_word() -> None:
    assert Period(2026, "trimestrielle", 2) == Period(2026, QUARTER, 2)


# --- frequency of the indicator --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "frequency", "example"),
    [
        ("2026-S1", QUARTER, "2026-T3"),
        ("2026", QUARTER, "2026-T3"),
        ("2026-T3", HALF, "2026-S1"),
        ("2026", HALF, "2026-S1"),
        ("2026-T3", ANNUAL, "2026"),
        ("2026-S2", ANNUAL, "2026"),
    ],
)
def test_period_of_another_frequency_is_refused_with_an_example(text: str, frequency: Frequency, example: str) -> None:
    with pytest.raises(PeriodFrequencyMismatch) as caught:
        parse_period(text, frequency)
    message = caught.value.message
    assert frequency.adjective in message
    assert f"Exemple : {example}." in message
    assert_french(message)


@pytest.mark.parametrize("frequency", list(Frequency))
def test_period_of_the_indicator_frequency_is_accepted(frequency: Frequency) -> None:
    period = Period(2026, frequency, frequency.periods_per_year)
    assert parse_period(period.code, frequency) == period
    assert ensure_frequency(period, frequency) is period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("annuelle", ANNUAL),
        ("Annuel", ANNUAL),
        ("SEMESTRIELLE", HALF),
        ("semestriel", HALF),
        ("trimestrielle", QUARTER),
        ("Trimestriel ", QUARTER),
        ("trimestre", QUARTER),
    ],
)
def test_frequency_parse_accepts_french_spellings(text: str, expected: Frequency) -> None:
    assert Frequency.parse(text) is expected


@pytest.mark.parametrize("text", ["mensuelle", "", "bimestriel", "tous les ans"])
def test_unknown_frequency_is_refused_with_the_list(text: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        Frequency.parse(text)
    assert "annuelle, semestrielle, trimestrielle" in caught.value.message
    assert_french(caught.value.message)


def test_frequency_values_are_the_french_labels() -> None:
    assert [f.value for f in Frequency] == ["annuelle", "semestrielle", "trimestrielle"]


# --- calendar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(2026, ANNUAL), date(2026, 1, 1), date(2026, 12, 31)),
        (Period(2026, HALF, 1), date(2026, 1, 1), date(2026, 6, 30)),
        (Period(2026, HALF, 2), date(2026, 7, 1), date(2026, 12, 31)),
        (Period(2026, QUARTER, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (Period(2026, QUARTER, 2), date(2026, 4, 1), date(2026, 6, 30)),
        (Period(2026, QUARTER, 3), date(2026, 7, 1), date(2026, 9, 30)),
        (Period(2026, QUARTER, 4), date(2026, 10, 1), date(2026, 12, 31)),
        (Period(MAX_YEAR, QUARTER, 4), date(MAX_YEAR, 10, 1), date(MAX_YEAR, 12, 31)),
    ],
)
def test_start_and_end_dates(period: Period, start: date, end: date) -> None:
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("year", [2024, 2025, 2100])
def test_periods_of_a_year_tile_it_without_gap_or_overlap(frequency: Frequency, year: int) -> None:
    periods = all_periods(year, year, frequency)
    assert periods[0].start == date(year, 1, 1)
    assert periods[-1].end == date(year, 12, 31)
    for earlier, later in zip(periods, periods[1:]):
        assert later.start == earlier.end + timedelta(days=1)


@pytest.mark.parametrize("frequency", list(Frequency))
def test_every_day_falls_in_exactly_one_period(frequency: Frequency) -> None:
    candidates = all_periods(2023, 2025, frequency)
    for day in days(date(2024, 1, 1), date(2024, 12, 31)):
        containing = period_containing(day, frequency)
        assert containing.start <= day <= containing.end
        assert [p for p in candidates if p.contains(day)] == [containing]


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(2026, ANNUAL), "année 2026"),
        (Period(2026, HALF, 1), "1er\u00a0semestre 2026"),
        (Period(2026, HALF, 2), "2\u1d49\u00a0semestre 2026"),
        (Period(2026, QUARTER, 1), "1er\u00a0trimestre 2026"),
        (Period(2026, QUARTER, 3), "3\u1d49\u00a0trimestre 2026"),
    ],
)
def test_label_is_french_wording(period: Period, label: str) -> None:
    assert period.label == label


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(2026, ANNUAL), Period(2025, ANNUAL)),
        (Period(2026, HALF, 1), Period(2025, HALF, 2)),
        (Period(2026, HALF, 2), Period(2026, HALF, 1)),
        (Period(2026, QUARTER, 1), Period(2025, QUARTER, 4)),
        (Period(2026, QUARTER, 3), Period(2026, QUARTER, 2)),
    ],
)
def test_previous_period_crosses_year_boundaries(period: Period, previous: Period) -> None:
    assert period.previous() == previous


@pytest.mark.parametrize("frequency", list(Frequency))
def test_next_and_previous_are_inverse_and_adjacent(frequency: Frequency) -> None:
    for period in all_periods(2001, 2099, frequency):
        assert period.next().previous() == period
        assert period.previous().next() == period
        assert period.next().start == period.end + timedelta(days=1)


def test_periods_sort_chronologically() -> None:
    shuffled = [Period(2026, QUARTER, 2), Period(2025, QUARTER, 4), Period(2026, QUARTER, 1), Period(2024, QUARTER, 3)]
    assert [p.code for p in sorted(shuffled)] == ["2024-T3", "2025-T4", "2026-T1", "2026-T2"]
    assert Period(2025, ANNUAL) < Period(2026, QUARTER, 1) < Period(2026, HALF, 2)


def test_periods_do_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = Period(2026, ANNUAL) < "2027"


def test_periods_are_hashable_values() -> None:
    assert len({Period(2026, QUARTER, 3), parse_period("T3 2026"), Period(2026, QUARTER, 4)}) == 2


# --- what is due at a date -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "due"),
    [
        (QUARTER, date(2026, 4, 1), "2026-T1"),
        (QUARTER, date(2026, 3, 31), "2025-T4"),
        (QUARTER, date(2026, 1, 1), "2025-T4"),
        (QUARTER, date(2026, 12, 31), "2026-T3"),
        (HALF, date(2026, 7, 1), "2026-S1"),
        (HALF, date(2026, 6, 30), "2025-S2"),
        (HALF, date(2026, 2, 15), "2025-S2"),
        (ANNUAL, date(2026, 1, 1), "2025"),
        (ANNUAL, date(2026, 12, 31), "2025"),
    ],
)
def test_current_reporting_period_is_the_latest_ended_one(frequency: Frequency, today: date, due: str) -> None:
    assert current_reporting_period(frequency, today).code == due


@pytest.mark.parametrize("frequency", list(Frequency))
def test_current_reporting_period_has_ended_and_its_successor_has_not(frequency: Frequency) -> None:
    for today in days(date(2025, 1, 1), date(2026, 12, 31)):
        due = current_reporting_period(frequency, today)
        assert has_ended(due, today)
        assert not has_ended(due.next(), today)
        assert due.frequency is frequency


@pytest.mark.parametrize(
    ("period", "today", "future"),
    [
        (Period(2027, ANNUAL), date(2026, 5, 1), True),
        (Period(2026, ANNUAL), date(2026, 5, 1), False),
        (Period(2026, QUARTER, 3), date(2026, 6, 30), True),
        (Period(2026, QUARTER, 3), date(2026, 7, 1), False),
        (Period(2026, HALF, 1), date(2026, 12, 31), False),
    ],
)
def test_is_future_means_not_started(period: Period, today: date, future: bool) -> None:
    assert is_future(period, today) is future


def test_running_period_is_neither_future_nor_ended() -> None:
    today = date(2026, 8, 15)
    running = period_containing(today, QUARTER)
    assert not is_future(running, today)
    assert not has_ended(running, today)
    assert ensure_not_future(running, today) is running


def test_future_period_is_refused_with_the_period_due() -> None:
    with pytest.raises(FuturePeriod) as caught:
        ensure_not_future(Period(2026, QUARTER, 4), date(2026, 5, 10))
    message = caught.value.message
    assert "2026-T4" in message and "2026-T1" in message
    assert_french(message)


def test_past_period_is_allowed() -> None:
    period = Period(2020, QUARTER, 2)
    assert ensure_not_future(period, date(2026, 5, 10)) is period


# --- trends ----------------------------------------------------------------------------------


def test_last_periods_are_oldest_first_and_end_with_the_period_due() -> None:
    assert [p.code for p in last_periods(QUARTER, 4, date(2026, 5, 10))] == ["2025-T2", "2025-T3", "2025-T4", "2026-T1"]
    assert [p.code for p in last_periods(HALF, 3, date(2026, 7, 1))] == ["2025-S1", "2025-S2", "2026-S1"]
    assert [p.code for p in last_periods(ANNUAL, 2, date(2026, 1, 1))] == ["2024", "2025"]


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("count", [1, 2, 5, 20])
def test_last_periods_are_consecutive_and_counted(frequency: Frequency, count: int) -> None:
    today = date(2026, 2, 14)
    periods = last_periods(frequency, count, today)
    assert len(periods) == count
    assert periods[-1] == current_reporting_period(frequency, today)
    assert all(earlier.next() == later for earlier, later in zip(periods, periods[1:]))


def test_last_zero_periods_is_empty() -> None:
    assert last_periods(QUARTER, 0, date(2026, 5, 1)) == []


def test_last_periods_stop_at_the_first_supported_year() -> None:
    periods = last_periods(ANNUAL, 50, date(2003, 6, 1))
    assert [p.code for p in periods] == ["2000", "2001", "2002"]


def test_negative_count_is_refused_in_french() -> None:
    with pytest.raises(InvalidPeriod) as caught:
        last_periods(QUARTER, -1, date(2026, 5, 1))
    assert_french(caught.value.message)
