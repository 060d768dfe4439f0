"""Committee conversations of issue #17, through the real bot (ConsoleConversation): one reply per
refusal, the meeting meant by « le prochain » or « n° 1 », the year plan around what is planned,
what a contributor sees as her next committee."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from domain.committees.cadence import CommitteeKind
from tests.committees_support import paris

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def lead(talk):
    return talk("lead-aad", "Camille Martin")


async def test_a_past_date_in_the_plan_dialog_gets_one_message_the_reason(runtime, lead):
    await lead.say("planifier un COPIL")

    replies = await lead.say("hier à 10h")

    assert [reply.text for reply in replies] == [
        "Le dimanche 29 novembre 2026 à 10 h 00 est déjà passé. Indiquez une date à venir, par exemple "
        "« le 12 mars à 14h », « mardi prochain 10h », « demain 15 h » ou « le 3/04 à 9h30 »."
    ]


async def test_a_past_date_when_moving_or_editing_the_year_plan_gets_one_message(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await lead.say("déplacer le comité n° 1")
    moving = await lead.say("hier à 10h")
    await lead.say("annuler")
    await lead.say("proposer un calendrier")
    await lead.say("modifier 2")
    editing = await lead.say("hier à 10h")

    assert len(moving) == 1 and "est déjà passé" in moving[0].text
    assert len(editing) == 1 and "est déjà passé" in editing[0].text
