"""French dates typed in chat, resolved against the injected clock in Europe/Paris."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import regex
from recognizers_number.resources.french_numeric import FrenchNumeric

from domain.clock import FakeClock
from domain.committees.meeting_dates import CompactOrdinalExtractor, MeetingDateReader, normalise_french_datetime_text
from domain.errors import DomainError
from tests.committees_support import paris

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 in Paris


@pytest.fixture(scope="module")
def reader() -> MeetingDateReader:
    return MeetingDateReader(FakeClock(NOW), "Europe/Paris")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 mars à 14h", paris(2027, 3, 12, 14)),
        ("planifier un COPIL le 12 mars à 14h", paris(2027, 3, 12, 14)),
        ("le 3/04 à 9h30", paris(2027, 4, 3, 9, 30)),
        ("le 03/04/2027 à 09:30", paris(2027, 4, 3, 9, 30)),
        ("mardi prochain 10h", paris(2026, 12, 8, 10)),
        ("demain 15 h", paris(2026, 12, 1, 15)),
        ("demain à 15 h", paris(2026, 12, 1, 15)),
        ("le 12 mars à 14 heures", paris(2027, 3, 12, 14)),
        ("jeudi 14h", paris(2026, 12, 3, 14)),
        ("le 1er avril 2027 à 10h", paris(2027, 4, 1, 10)),
        ("12/03 14h", paris(2027, 3, 12, 14)),
        ("le quatrième jeudi de février à 10h", paris(2027, 2, 25, 10)),
        ("le premier lundi de mars à 9h", paris(2027, 3, 1, 9)),
    ],
)
def test_french_dates_typed_in_several_ways_resolve_to_the_next_such_moment_in_paris(reader, typed, expected):
    resolved = reader.read(typed)

    assert resolved.starts_at == expected
    assert resolved.starts_at.utcoffset() == expected.utcoffset()


def test_a_date_without_an_hour_and_an_hour_without_a_date_are_partial(reader):
    day_only = reader.read("le 12 mars")
    hour_only = reader.read("14 h 30")

    assert (day_only.day.isoformat(), day_only.time, day_only.starts_at) == ("2027-03-12", None, None)
    assert (hour_only.day, hour_only.time.isoformat(), hour_only.starts_at) == (None, "14:30:00", None)


def test_a_partial_answer_is_completed_by_what_was_said_before(reader):
    day = reader.read("le 12 mars").day

    assert reader.read("9h30", day=day).starts_at == paris(2027, 3, 12, 9, 30)


@pytest.mark.parametrize("typed", ["le 12 mars 2026 à 14h", "aujourd'hui à 8h"])
def test_a_moment_already_past_is_refused_in_french(reader, typed):
    with pytest.raises(DomainError) as refused:
        reader.read(typed)

    assert "est déjà passé" in refused.value.message


def test_text_without_any_date_gives_nothing(reader):
    assert reader.read("dans la salle du conseil") is None


def test_the_recognizer_workarounds_rewrite_only_what_it_misreads():
    assert normalise_french_datetime_text("le 3/04 à 15 h 30") == "le 3 avril à 15h30"
    assert normalise_french_datetime_text("le 03/04/2027 à 14 heures") == "le 03/04/2027 à 14h"
    assert normalise_french_datetime_text("le 45/13") == "le 45/13"


_UNITS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
          "dix-huit dix-neuf").split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _cardinal(number: int) -> str:
    if number < 20:
        return _UNITS[number]
    if number < 70:
        tens, unit = divmod(number, 10)
        return _TENS[tens] + ("" if unit == 0 else " et un" if unit == 1 else "-" + _UNITS[unit])
    if number < 80:
        return "soixante et onze" if number == 71 else "soixante-" + _UNITS[number - 60]
    if number < 100:
        return "quatre-vingts" if number == 80 else "quatre-vingt-" + _UNITS[number - 80]
    hundreds, rest = divmod(number, 100)
    return ("cent" if hundreds == 1 else _UNITS[hundreds] + " cent") + ("" if rest == 0 else " " + _cardinal(rest))


def _ordinal(number: int) -> str:
    """French ordinals in words: premier, deuxième… vingt et unième… quatre-vingtième… cent cinquième."""
    if number == 1:
        return "premier"
    word = _cardinal(number).removesuffix("s") if number % 100 == 80 else _cardinal(number)
    if word.endswith("cinq"):
        return word + "uième"
    if word.endswith("neuf"):
        return word[:-1] + "vième"
    return word.removesuffix("e") + "ième"


def test_the_compact_ordinal_expression_finds_what_the_library_expression_finds():
    """The date model reads ordinals with a 14,000-character expression instead of the library's
    111,000-character one (5 MB of memory): the same words are found in every ordinal up to 999
    (the library's own gaps included: « treizième » is found by neither)."""
    library = regex.compile(FrenchNumeric.OrdinalFrenchRegex, regex.I | regex.S)
    compact = CompactOrdinalExtractor()
    for number in range(1, 1000):
        text = f"le {_ordinal(number)} jour, le 3e mardi"
        assert [(r.start, r.length) for r in compact.extract(text)] == sorted(
            [(m.start(), m.end() - m.start()) for m in library.finditer(text)] + [(text.index("3e"), 2)]
        ), text
    assert compact.extract("le premier lundi")[0].text == "premier"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("planifier un COPIL aujourd’hui à 22h", paris(2026, 11, 30, 22)),
        ("aujourd‘hui 18 h 30", paris(2026, 11, 30, 18, 30)),
        ("aujourdʼhui à 15h", paris(2026, 11, 30, 15)),
        ("ce soir à 22h", paris(2026, 11, 30, 22)),
        ("ce soir à 8h", paris(2026, 11, 30, 20)),
        ("à 19 h 30 ce soir", paris(2026, 11, 30, 19, 30)),
        ("cet après-midi à 16h", paris(2026, 11, 30, 16)),
    ],
)
def test_today_typed_with_a_typographic_apostrophe_or_as_a_part_of_the_day_is_today(reader, typed, expected):
    """Phones and Teams type « aujourd’hui » with U+2019, which the recognizer's rules did not know:
    the lead's « planifier un COPIL aujourd’hui à 22h » was asked « Quel jour ? »."""
    assert reader.read(typed).starts_at == expected
