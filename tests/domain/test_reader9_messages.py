"""What the ninth French reader circled in the messages about committees and in the chat's
buttons and form (issue #17)."""

from __future__ import annotations

from datetime import timedelta

from domain.committees.cadence import CommitteeKind
from domain.committees.messages import cancelled_notice, member_reminder, moved_notice
from domain.text import fold
from tests.domain.test_reader3_wording import _meeting


def _buttons(card: dict) -> list[tuple[str, str]]:
    return [(action["title"], action["data"]["msteams"]["value"]) for action in card.get("actions", [])
            if action.get("type") == "Action.Submit"]


def test_a_committee_card_s_button_shows_that_committee_not_the_next_of_any():
    """C2: « Prochain comité » on the comité technique's reminder could show the next COPIL."""
    cotech, copil = _meeting(CommitteeKind.COTECH), _meeting(CommitteeKind.COPIL)

    assert _buttons(member_reminder(cotech, 1, "Europe/Paris")[1]) == []
    assert _buttons(member_reminder(copil, 1, "Europe/Paris", to_lead=True)[1]) == []
    moved = moved_notice(cotech, cotech.starts_at - timedelta(days=7), "Europe/Paris")[1]
    assert _buttons(moved) == [("Prochain comité technique", "prochain comité technique")]
    assert [fold(value) for _, value in _buttons(cancelled_notice(copil, "Europe/Paris")[1])] == ["prochain copil"]
