"""A value far from the directorate's last one (4 800 typed after 48) is questioned before it is
stored: through the real bot and its update dialog (TestAdapter, real SQLite), as in
test_indicator_dialogs.py; the rule itself is pure (`domain.indicators.plausibility`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.indicators.periods import parse_period
from domain.indicators.plausibility import suspicious_jump
from domain.indicators.rules import ValueEntry
from domain.indicators.units import Unit
from domain.indicators.values import warm_up
from domain.people import Role
from tests.conftest import texts
from tests.indicators_support import seed, value_rows

QUESTION = (
    "Vous avez saisi 4\u202f800\u00a0heures. C’est 100\u00a0fois la valeur du 2\u1d49\u00a0trimestre 2026 (48\u00a0heures)"
    "\u00a0: vous confirmez\u00a0?"
)


@pytest.fixture(scope="session", autouse=True)
def recognizers():
    warm_up()


@pytest.fixture
async def seeded(runtime):
    """DCP reported 48 hours of insertion (IND-03) for the 2nd quarter; the 3rd is due."""
    await seed(runtime)
    lead = await runtime.people.assign("camille@ville.fr", Role.LEAD)
    await runtime.values.record_value(lead, "DCP", ValueEntry("IND-03", "2026-T2", "48"), runtime.values.today())
    return runtime


@pytest.fixture
async def nadia(seeded, talk):
    conversation = talk("nadia-aad", "Nadia Benali")
    await conversation.say("mettre à jour mes indicateurs")
    await conversation.say("passer")  # IND-01
    asked = texts(await conversation.say("passer"))  # IND-02
    assert "**IND-03**" in asked and "dernière valeur\u00a0: 48\u00a0heures au 2\u1d49\u00a0trimestre 2026" in asked
    return conversation


async def ind03_rows(runtime) -> list[tuple]:
    return [row for row in await value_rows(runtime) if row[0] == "IND-03" and row[1] == "2026-T3"]


async def test_a_jump_is_questioned_and_no_lets_the_person_retype_with_nothing_stored(seeded, nadia):
    asked = await nadia.say("4 800")
    assert QUESTION in texts(asked)
    assert [button.value for button in asked[-1].attachments[0].content.buttons] == ["Oui", "Non"]
    retype = texts(await nadia.say("non"))
    assert "D’accord, rien n’est enregistré. Retapez la valeur de l’indicateur IND-03, ou tapez «\u00a0passer\u00a0»." in retype
    assert await ind03_rows(seeded) == []
    assert "Un commentaire sur IND-03 (52\u00a0heures)" in texts(await nadia.say("52"))
    await nadia.say("aucun")
    await nadia.say("oui")
    assert [row[2] for row in await ind03_rows(seeded)] == [Decimal(52)]


async def test_yes_keeps_the_value_and_it_is_stored_once(seeded, nadia):
    assert QUESTION in texts(await nadia.say("4 800"))
    assert "Un commentaire sur IND-03 (4\u202f800\u00a0heures)" in texts(await nadia.say("oui"))
    assert await ind03_rows(seeded) == [], "still asked to confirm the whole entry"
    await nadia.say("aucun")
    assert "Enregistré\u00a0: 4\u202f800\u00a0heures pour IND-03." in texts(await nadia.say("oui"))
    assert [row[2] for row in await ind03_rows(seeded)] == [Decimal(4800)]


async def test_a_new_value_typed_instead_of_an_answer_is_read_as_such(seeded, nadia):
    assert QUESTION in texts(await nadia.say("4 800"))
    assert "Un commentaire sur IND-03 (50\u00a0heures)" in texts(await nadia.say("50"))


async def test_a_plausible_value_goes_straight_to_the_comment(seeded, nadia):
    reply = texts(await nadia.say("60"))
    assert "vous confirmez" not in reply and "Un commentaire sur IND-03 (60\u00a0heures)" in reply


async def test_four_and_a_half_times_the_previous_value_is_questioned_once_then_stored_once(seeded, nadia):
    """Reader 14: 36 500 hours after 8 111 (4,5 times) went into the figures without a question; past
    three times (or under a third) the value is questioned once, Oui/Non buttons or typed."""
    asked = await nadia.say("216")
    assert ("Vous avez saisi 216\u00a0heures. C’est 4,5\u00a0fois la valeur du 2\u1d49\u00a0trimestre 2026 (48\u00a0heures)"
            "\u00a0: vous confirmez\u00a0?") in texts(asked)
    assert [button.value for button in asked[-1].attachments[0].content.buttons] == ["Oui", "Non"]
    assert await ind03_rows(seeded) == []
    assert "Un commentaire sur IND-03 (216\u00a0heures)" in texts(await nadia.say("oui"))
    await nadia.say("aucun")
    saved = texts(await nadia.say("oui"))
    assert "Enregistré\u00a0: 216\u00a0heures pour IND-03." in saved and "vous confirmez" not in saved
    assert [row[2] for row in await ind03_rows(seeded)] == [Decimal(216)]


async def test_under_a_third_of_the_previous_value_is_questioned_in_times_less(seeded, nadia):
    asked = texts(await nadia.say("15"))
    assert "C’est 3,2\u00a0fois moins que la valeur du 2\u1d49\u00a0trimestre 2026 (48\u00a0heures)" in asked
    assert "D’accord, rien n’est enregistré." in texts(await nadia.say("non"))
    assert await ind03_rows(seeded) == []


@pytest.mark.parametrize(
    ("value", "previous", "asked"),
    [("4800", "48", True), ("145", "48", True), ("144", "48", False), ("15.9", "48", True), ("16", "48", False),
     ("216", "48", True), ("0", "48", True), ("12", "0", False), ("12", None, False)],
)
def test_the_rule_asks_past_three_times_or_a_third(value, previous, asked):
    period = parse_period("2026-T2")
    jump = suspicious_jump(Decimal(value), None if previous is None else Decimal(previous), period, Unit.COUNT)
    assert (jump is not None) is asked
