"""Delays and days in words: a reminder goes out « la veille », « une semaine avant », never at
« J-1 » or « J-7 »; a day « tombe un samedi », not « un week-end »."""

from __future__ import annotations

from datetime import date

import pytest

from domain.clock import days_before_text, duration_text, format_day_fr, format_weekday_fr


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "le jour même"),
        (1, "la veille"),
        (2, "deux jours avant"),
        (7, "une semaine avant"),
        (10, "dix jours avant"),
        (21, "trois semaines avant"),
        (45, "45\u00a0jours avant"),
    ],
)
def test_a_reminder_delay_is_said_in_words(days, expected):
    assert days_before_text(days) == expected


def test_a_duration_counts_whole_weeks_in_weeks():
    assert [duration_text(days) for days in (1, 14, 15)] == ["un jour", "deux semaines", "15\u00a0jours"]


def test_a_day_without_its_weekday_and_the_weekday_alone():
    assert format_day_fr(date(2027, 4, 3)) == "3\u00a0avril\u00a02027" and format_weekday_fr(date(2027, 4, 3)) == "samedi"
    assert format_day_fr(date(2027, 4, 1)) == "1er\u00a0avril\u00a02027"


def test_a_link_lasts_a_duration_said_in_words_until_a_time_or_a_day():
    from datetime import UTC, datetime, timedelta

    from domain.clock import link_expiry_text

    issued = datetime(2026, 12, 6, 0, 50, tzinfo=UTC)  # 1 h 50 in Paris
    same_day = link_expiry_text(issued + timedelta(hours=1), timedelta(hours=1), issued, "Europe/Paris")
    assert same_day == "valable une heure (jusqu’à 2\u00a0h\u00a050)"
    late = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)  # 23 h 30 in Paris: the link ends the next day
    next_day = link_expiry_text(late + timedelta(hours=1), timedelta(hours=1), late, "Europe/Paris")
    assert next_day.replace("\u00a0", " ") == "valable une heure (jusqu’au lundi 7 décembre 2026 à 0 h 30)"
    assert link_expiry_text(late + timedelta(minutes=30), timedelta(minutes=30), late, "UTC").startswith("valable 30\u00a0minutes")
