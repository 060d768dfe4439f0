"""Committee conversations of issue #17, through the real bot (ConsoleConversation): one reply per
refusal, the meeting meant by « le prochain » or « n° 1 », the year plan around what is planned,
what a contributor sees as her next committee."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from domain.committees.cadence import CommitteeKind
from domain.outbox import SourceKind
from domain.people import Role
from tests.committees_support import add_person, paris
from tests.conftest import texts

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def lead(talk):
    return talk("lead-aad", "Camille Martin")


async def test_a_past_date_in_the_plan_dialog_gets_one_message_the_reason(runtime, lead):
    await lead.say("planifier un COPIL")

    replies = await lead.say("hier à 10h")

    assert [reply.text for reply in replies] == [
        "Le dimanche 29 novembre 2026 à 10 h 00 est déjà passé. Indiquez une date à venir, par exemple "
        "« le 12 mars à 14 h », « mardi prochain 10 h », « demain 15 h » ou « le 3/04 à 9 h 30 »."
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


async def test_moving_the_next_copil_takes_the_coming_one_when_two_are_planned(runtime, lead):
    first = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 9, 14, 14))

    question = texts(await lead.say("déplacer le prochain COPIL au 19 mars à 10h"))
    await lead.say("oui")

    assert "du vendredi 12 mars 2027 à 14 h 00 au **vendredi 19 mars 2027 à 10 h 00**" in question
    moved = await runtime.committees.repository.get_meeting(first.meeting.id)
    assert moved.starts_at == paris(2027, 3, 19, 10)


async def test_cancelling_the_next_copil_takes_the_coming_one(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 9, 14, 14))

    question = texts(await lead.say("annuler le prochain COPIL"))

    assert "J’annule le comité de pilotage du **vendredi 12 mars 2027 à 14 h 00**" in question


async def test_moving_meeting_number_1_to_a_day_keeps_the_day_and_the_hour(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))

    question = texts(await lead.say("déplacer le comité n° 1 au 13 avril à 11h"))

    assert "au **mardi 13 avril 2027 à 11 h 00**" in question


async def test_a_contributors_next_committee_is_her_comite_technique(runtime, talk, sqlite_database):
    await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, "http://127.0.0.1:9/", "DCP")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await runtime.committees.plan(CommitteeKind.COTECH, paris(2027, 4, 20, 10))
    nadia = talk("aad-nadia@ville.fr", "Nadia Benali")

    answer = texts(await nadia.say("prochain comité"))
    asked_for_the_copil = texts(await nadia.say("prochain COPIL"))

    assert answer.startswith("Prochain comité technique\nDate : mardi 20 avril 2027 à 10 h 00")
    assert asked_for_the_copil.startswith("Prochain comité de pilotage")


async def test_a_contributor_with_no_comite_technique_planned_is_still_given_the_next_committee(
    runtime, talk, sqlite_database
):
    """Reader 6, A2: « Aucune réunion de comité n’est planifiée » while a COPIL was planned."""
    await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, "http://127.0.0.1:9/", "DCP")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    nadia = talk("aad-nadia@ville.fr", "Nadia Benali")

    answer = texts(await nadia.say("prochain comité")).replace("\u00a0", " ")

    assert answer == (
        "Aucun comité dont vous êtes membre n’est planifié. "
        "Prochain comité de pilotage : vendredi 12 mars 2027 à 14 h 00."
    )


async def test_the_year_plan_places_the_missing_copil_around_the_one_already_planned(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 4, 6, 14))

    card = texts(await lead.say("proposer un calendrier"))

    assert card.count("Comité de pilotage**") == 1
    copil_line = next(line for line in card.splitlines() if "Comité de pilotage**" in line)
    assert any(month in copil_line for month in ("septembre\u00a02027", "octobre\u00a02027")), copil_line
    assert "Second comité de pilotage de l’année avec les élu·es." in card and "sur 2 prévus" not in card


async def test_the_year_plan_puts_no_comite_technique_in_the_summer_break(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 4, 6, 14))
    await lead.say("proposer un calendrier")
    await lead.say("tout accepter")

    days = [m.starts_at.astimezone(PARIS).date() for m in await runtime.committees.repository.meetings()]
    assert not [day for day in days if (7, 14) <= (day.month, day.day) <= (8, 31)], days


async def test_the_lead_is_not_sent_the_notice_of_her_own_move_or_cancellation(runtime, lead, sqlite_database, connector):
    await add_person(sqlite_database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await lead.say("qui suis-je")

    await lead.say("déplacer le prochain COPIL au 19 mars à 10h")
    await lead.say("oui")
    await lead.say("annuler le prochain COPIL")
    await lead.say("oui")

    notices = [row for row in await runtime.outbox.list() if row.source_kind == SourceKind.MEETING_NOTICE]
    assert sorted(row.recipient_label for row in notices) == ["Marc Lefèvre", "Marc Lefèvre"]
    [lead_person] = [p for p in await runtime.people.list() if p.role is Role.LEAD]
    members = [r.person_id for r in (await runtime.committees.members(CommitteeKind.COPIL))[1]]
    assert lead_person.id in members, "she is a member: she is left out for being the one who acted"


async def test_next_tuesday_names_a_date_not_the_next_meeting(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 9, 14, 14))

    question = texts(await lead.say("déplacer un COPIL à mardi prochain 10h"))

    assert question.startswith("Quel comité voulez-vous déplacer ?")


async def test_a_year_plan_number_out_of_range_gets_one_message_that_says_what_to_type(runtime, lead):
    await lead.say("proposer un calendrier")

    replies = await lead.say("modifier 9")

    assert [reply.text for reply in replies] == [
        "Il n’y a pas de proposition n°\u00a09 (1 à 6). Tapez « tout accepter », « modifier » suivi du numéro de la "
        "proposition ou « annuler »."
    ]
