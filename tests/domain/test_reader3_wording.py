"""What a third careful French reader circled in one end-to-end run (issue #17), in the domain's
texts: each text as it now reads; the point's number in each test's docstring."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.teams_text import card_summary
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.meetings import MeetingView
from domain.committees.messages import data_collection_reminder, member_reminder
from domain.indicators.units import Unit, format_value
from tests.committees_support import paris

NBSP = "\u00a0"


def _meeting(kind: CommitteeKind = CommitteeKind.COTECH) -> MeetingView:
    starts_at = paris(2027, 3, 12, 14)
    return MeetingView(1, kind, starts_at, None, "salle 204", None, None, MeetingStatus.PLANNED, 0,
                       datetime(2027, 1, 1, tzinfo=UTC))


def _texts(card: dict) -> list[str]:
    return [block["text"] for block in card["body"] if block.get("type") == "TextBlock"]


def test_a_reminder_is_quoted_as_it_was_sent():
    """1: the lead's report quoted « Rappel : comité technique du SPASER demain… », the card said
    « Rappel : comité technique demain »."""
    text, card = member_reminder(_meeting(), 1, "Europe/Paris")

    title = _texts(card)[0]
    assert title == f"Rappel{NBSP}: comité technique du SPASER demain"
    assert text.startswith(title + ", le ")
    assert card_summary(card) == title


def test_a_reminder_says_what_to_do_and_by_when():
    """16: a reminder said when the meeting was, not what its reader had to do nor by when."""
    _, members = member_reminder(_meeting(), 7, "Europe/Paris")
    text, collection = data_collection_reminder(_meeting(CommitteeKind.COPIL), 10, "Europe/Paris", "DCP")

    # Reader 9, C3: the day is in the card's facts; the sentence says what to do, by the meeting.
    assert "votre présence est attendue. Si vous ne pouvez pas venir" in _texts(members)[1]
    assert "prévenez la personne responsable du SPASER avant la réunion" in _texts(members)[1]
    assert "vendredi 12" not in _texts(members)[1]
    assert text.startswith("Indicateurs SPASER à mettre à jour avant le vendredi 12")
    assert _texts(collection)[0].startswith("Indicateurs SPASER à mettre à jour avant le vendredi 12")
    assert "Mettez à jour les indicateurs de la direction DCP avant cette date" in _texts(collection)[1]
    assert "(DCP)" not in " ".join(_texts(collection))


def test_a_count_with_decimals_is_a_mean_and_reads_as_one():
    """2 revisited: « 3 à 4 personnes » misread an average of 3,5 people as a range. A path between
    two whole counts is worded by the summary (« en deçà de la trajectoire »), never by the number."""
    assert format_value(Decimal("3.5"), Unit.PEOPLE) == f"3,5{NBSP}personnes"
    assert format_value(Decimal("1.5"), Unit.PEOPLE) == f"1,5{NBSP}personne"
    assert format_value(Decimal("3.5"), Unit.COUNT, "comité technique") == f"3,5{NBSP}comités techniques"
    assert format_value(Decimal("0.5"), Unit.COUNT) == "0,5"
    assert format_value(Decimal("3"), Unit.COUNT, "comité technique") == f"3{NBSP}comités techniques"
    assert format_value(Decimal("3.5"), Unit.HOURS) == f"3,5{NBSP}heures"


