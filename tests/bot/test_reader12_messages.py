"""What the twelfth French reader circled (/tmp/reader12/findings.md) that the conversation tests do
not reach: the variants of one sentence; the finding's number in each docstring."""

from __future__ import annotations

from dialogs.committees.plan_meeting_dialog import _too_late_to_chase


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_directorates_chasers_too_late_are_two_delays_and_say_why():
    """A1: « elles partent quatre semaines et dix jours avant la réunion » read as one delay of 38 days."""
    assert plain(_too_late_to_chase((10, 28), None)) == (
        "Les relances automatiques des directions (quatre semaines, puis dix jours avant la réunion) ne partiront "
        "pas : ces dates sont déjà passées."
    )
    assert plain(_too_late_to_chase((7, 1), [])) == (
        "Les relances automatiques des directions (une semaine avant, puis la veille) ne partiront pas : ces dates "
        "sont déjà passées. Toutes les directions ont saisi leurs indicateurs."
    )
    assert plain(_too_late_to_chase((10,), [("DEE", ["IND-07"])])) == (
        "La relance automatique des directions (dix jours avant la réunion) ne partira pas : cette date est déjà "
        "passée. Il manque encore IND-07 pour la direction DEE : relancez-la directement si besoin."
    )
