"""Committees through the real bot (ConsoleConversation): planning, moving, cancelling, year plan,
cadence, next meeting, calendar feed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from domain.committees.cadence import CommitteeKind
from domain.people import UNREGISTERED_REFUSAL, Role
from tests.committees_support import add_person, paris, received
from tests.conftest import make_settings, texts

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def lead(talk):
    return talk("lead-aad", "Camille Martin")


async def say_all(conversation, *lines: str) -> str:
    said = []
    for line in lines:
        said.append(texts(await conversation.say(line)))
    return "\n".join(said)


async def test_the_lead_plans_a_copil_in_one_sentence_and_the_dialog_asks_only_the_rest(runtime, lead):
    first = texts(await lead.say("planifier un COPIL le 12 mars à 14h"))
    agenda_question = texts(await lead.say("salle du conseil"))
    summary = texts(await lead.say("Bilan 2026 ; objectifs 2027"))
    done = texts(await lead.say("oui"))

    assert first.startswith("Où se tiendra-t-il ?")
    assert agenda_question.startswith("Quel est l’ordre du jour ?")
    assert "Date : vendredi 12 mars 2027 à 14 h 00" in summary and "Lieu : salle du conseil" in summary
    assert "C’est planifié : **comité de pilotage** le vendredi 12 mars 2027 à 14 h 00." in done
    assert (
        "Rappels aux membres : une semaine avant (vendredi 5 mars 2027 à 14 h 00) et la veille (jeudi 11 mars 2027 à 14 h 00). "
        "Les élu·es et directeur·rices recevront la synthèse avec le premier rappel, sauf celles et ceux qui l’auront déjà reçue ou consultée le jour même."  # reader 9, C12
    ) in done
    assert "trop tard" not in done
    assert "J-7" not in done and "J-1" not in done
    [meeting] = await runtime.committees.repository.meetings()
    assert (meeting.kind, meeting.starts_at, meeting.location, meeting.agenda) == (
        CommitteeKind.COPIL,
        paris(2027, 3, 12, 14),
        "salle du conseil",
        "Bilan 2026 ; objectifs 2027",
    )
    assert len(await runtime.committees.repository.reminders_of(meeting.id)) == 4


async def test_a_single_member_reminder_is_announced_in_the_singular(runtime, lead):
    await lead.say("planifier un COPIL le 4 décembre à 14h")
    await lead.say("salle du conseil")
    await lead.say("Bilan 2026")
    done = texts(await lead.say("oui"))

    assert "Rappel aux membres\u00a0: la veille (jeudi 3\u00a0décembre\u00a02026 à 14\u00a0h\u00a000)." in done
    assert "Rappels aux membres" not in done


async def test_each_missing_piece_is_asked_in_turn_and_non_plans_nothing(runtime, lead):
    answers = [
        texts(await lead.say(line))
        for line in ("planifier un comité", "technique", "le 3/04", "9h30", "https://teams.microsoft.com/l/meetup-join/abc", "plus tard")
    ]
    refused = texts(await lead.say("non"))

    assert answers[0].startswith("Quel comité voulez-vous planifier")
    assert answers[1].startswith("Quand a lieu le comité technique ?")
    assert answers[2].startswith("À quelle heure, le samedi 3 avril 2027 ?")
    assert answers[3].startswith("Où se tiendra-t-il ?")
    assert "Réunion Teams : [rejoindre](https://teams.microsoft.com/l/meetup-join/abc)" in answers[5]
    assert "Attention : le 3 avril 2027 tombe un samedi." in answers[5]
    assert refused == "C’est annulé : aucun comité n’a été planifié."
    assert await runtime.committees.repository.meetings() == []


async def test_a_past_date_is_refused_with_the_reason_and_asked_again(runtime, lead):
    refused_in_sentence = texts(await lead.say("planifier un COPIL le 12 mars 2026 à 14h"))
    await lead.say("annuler")
    await lead.say("planifier un COPIL")
    refused_in_dialog = texts(await lead.say("aujourd'hui à 8h"))
    accepted = texts(await lead.say("demain 15 h"))

    assert "Le jeudi 12 mars 2026 à 14 h 00 est déjà passé." in refused_in_sentence
    assert "Le lundi 30 novembre 2026 à 8 h 00 est déjà passé." in refused_in_dialog
    assert accepted.startswith("Où se tiendra-t-il ?")


async def test_only_the_lead_plans_but_everyone_asks_for_the_next_committee(runtime, talk, lead, sqlite_database):
    await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, "http://127.0.0.1:9/", "DCP")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14), location="salle du conseil")
    contributor = talk("aad-nadia@ville.fr", "Nadia Benali")
    stranger = talk("aad-unknown", "Visiteur")

    refused = texts(await contributor.say("planifier un COPIL le 19 mars à 10h"))
    answer = texts(await contributor.say("quand est le prochain COPIL ?"))
    for_stranger = texts(await stranger.say("prochain comité"))

    assert "réservée aux personnes responsables du SPASER" in refused
    assert "Prochain comité de pilotage\nDate : vendredi 12 mars 2027 à 14 h 00\nLieu : salle du conseil" in answer
    assert "[Ajouter à mon agenda]" in answer
    assert for_stranger == UNREGISTERED_REFUSAL, "unregistered people get public knowledge only"


async def test_moving_the_next_copil_by_chat_tells_its_members(runtime, lead, sqlite_database, connector):
    await add_person(sqlite_database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))

    question = texts(await lead.say("déplacer le prochain COPIL au 19 mars à 10h"))
    done = texts(await lead.say("oui"))
    await runtime.jobs.drain_outbox()

    assert "du vendredi 12 mars 2027 à 14 h 00 au **vendredi 19 mars 2027 à 10 h 00**" in question
    assert "a lieu le vendredi 19 mars 2027 à 10 h 00" in done
    [(conversation, text)] = received(runtime_connector := connector)
    assert conversation == "a:marc@ville.fr" and runtime_connector is connector
    assert text == (
        "Changement de date : le comité de pilotage du vendredi 12 mars 2027 à 14 h 00 est déplacé au "
        "vendredi 19 mars 2027 à 10 h 00"
    )


async def test_cancelling_by_chat_offers_the_coming_meetings_then_tells_the_members(runtime, lead, sqlite_database, connector):
    await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP", name="Nadia Benali")
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    cotech = await runtime.committees.plan(CommitteeKind.COTECH, paris(2027, 2, 16, 10))

    choices = texts(await lead.say("annuler un comité"))
    confirm = texts(await lead.say("2"))
    done = texts(await lead.say("oui"))
    await runtime.jobs.drain_outbox()

    assert "Quel comité voulez-vous annuler ?" in choices and "- comité technique n°\u00a02\u00a0: mardi 16" in choices
    assert "comité technique du **mardi 16 février 2027 à 10 h 00**" in confirm
    assert "est annulé" in done
    assert (await runtime.committees.repository.get_meeting(cotech.meeting.id)).status == "cancelled"
    assert received(connector) == [
        ("a:nadia@ville.fr", "Annulation : le comité technique du mardi 16 février 2027 à 10 h 00 n’aura pas lieu")
    ]


async def test_the_year_plan_is_proposed_edited_then_accepted_with_reminders(runtime, lead):
    card = texts(await lead.say("proposer un calendrier"))
    edited = texts(await lead.say("modifier 2 le 9 mars 2027 à 10h"))
    accepted = texts(await lead.say("tout accepter"))

    assert card.count("Comité de pilotage**") == 2 and card.count("Comité technique**") == 4
    assert "**2. Comité de pilotage** — mardi 2 mars 2027 à 10 h 00" in card
    assert "**2. Comité de pilotage** — mardi 9 mars 2027 à 10 h 00" in edited
    assert "C’est planifié : 6 comités, avec leurs rappels." in accepted
    meetings = await runtime.committees.repository.meetings()
    assert [m.starts_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") for m in meetings if m.kind is CommitteeKind.COPIL] == [
        "09/03/2027 10:00",
        "22/09/2027 10:00",  # its comité technique three weeks before, out of the summer break
    ]
    assert all(m.starts_at.astimezone(PARIS).weekday() < 5 for m in meetings)
    assert sum([len(await runtime.committees.repository.reminders_of(m.id)) for m in meetings]) == 24


async def test_the_year_plan_names_the_committee_it_keeps(runtime, lead):
    await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    card = texts(await lead.say("proposer un calendrier"))

    assert "Le comité de pilotage déjà planifié (vendredi 12\u00a0mars\u00a02027) est conservé." in card


async def test_accepting_the_year_plan_twice_does_not_double_the_meetings(runtime, lead):
    await say_all(lead, "proposer un calendrier", "tout accepter")
    second = texts(await lead.say("proposer un calendrier"))

    assert "atteignent la cadence recommandée : je n’ai rien à proposer de plus" in second
    assert len(await runtime.committees.repository.meetings()) == 6


async def test_the_cadence_check_warns_below_and_above_the_recommended_range(runtime, lead):
    below = texts(await lead.say("vérifier la cadence"))
    for month in (1, 3, 6):
        await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, month, 12, 14))
    above = texts(await lead.say("vérifier la cadence"))
    await lead.say("cadence du COPIL 1 à 3")
    after_edit = texts(await lead.say("vérifier la cadence"))

    # One sentence per committee, past and coming 12 months together, as the summary says it.
    assert (
        "⚠ Comité technique : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois ni dans les 12 "
        "prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an."
    ) in below
    # A COPIL planned within the next months: nothing to say about the past year (reader 10, A4).
    assert (
        "⚠ Comité de pilotage : 3 réunions planifiées avec l’assistant dans les 12 prochains mois (les réunions "
        "organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 1 à 2 par an."
    ) in above
    assert "3 réunions planifiées" not in after_edit
    warnings = await runtime.committees.cadence_warnings()
    assert {(w.kind, w.window, w.problem) for w in warnings} >= {(CommitteeKind.COTECH, "coming", "below")}


async def test_the_calendar_feed_link_serves_the_meetings_and_unknown_tokens_get_404(sqlite_database, clock, tmp_path):
    settings = make_settings(sqlite_database.url)
    app = create_app(settings, clock=clock)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        from app import RUNTIME
        from bot.console import ConsoleConversation

        runtime = app[RUNTIME]
        planned = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14), location="salle du conseil")
        lead = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille Martin")
        link = texts(await lead.say("mon agenda")).split("\u00a0: ", 1)[1].split()[0]
        token = link.rsplit("/", 1)[1].removesuffix(".ics")

        feed = await client.get(f"/calendar/{token}.ics")
        body = await feed.text()
        one = await client.get(f"/calendar/{token}/meeting-{planned.meeting.id}.ics")
        unknown = await client.get("/calendar/not-a-token.ics")
        beyond_ids = [await client.get(f"/calendar/{token}/meeting-{n}.ics") for n in (2**31, 10**20, 0)]

    assert link.startswith("http://localhost:3978/calendar/")
    assert feed.status == 200 and feed.content_type == "text/calendar"
    assert "DTSTART;TZID=Europe/Paris:20270312T140000" in body and "LOCATION:salle du conseil" in body
    assert one.status == 200 and 'filename="copil-2027-03-12.ics"' in one.headers["Content-Disposition"]
    assert unknown.status == 404
    assert [response.status for response in beyond_ids] == [404, 404, 404]


async def test_a_typed_number_is_the_meeting_number_and_the_kind_must_match(runtime, lead):
    """Issue #17, point 4: « 1 » chose the first line (the comité technique n° 2), not the meeting n° 1;
    « annuler le COPIL n° 2 » cancelled the comité technique n° 2."""
    copil = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await runtime.committees.plan(CommitteeKind.COTECH, paris(2027, 2, 16, 10))

    await lead.say("annuler un comité")
    confirm = texts(await lead.say("1"))
    await lead.say("non")
    mismatch = texts(await lead.say("annuler le COPIL n° 2"))

    assert "comité de pilotage du **vendredi 12 mars 2027 à 14 h 00**" in confirm.replace("\u00a0", " ")
    assert copil.meeting.id == 1
    assert mismatch.replace("\u00a0", " ") == (
        "Le comité n° 2 est un comité technique, pas un comité de pilotage. Tapez « lister les comités » pour voir "
        "leurs numéros."
    )


async def test_asking_for_a_year_plan_while_one_waits_says_why_and_the_choices(runtime, talk):
    """Reader 10, C13: the bare « Répondez « tout accepter »… » gave no reason."""
    lead = talk()
    await lead.say("proposer un calendrier")

    again = texts(await lead.say("proposer un calendrier")).replace("\u00a0", " ")

    assert again == (
        "Une proposition de calendrier est déjà en cours : répondez « tout accepter », « modifier 2 le 9 mars à 10 h » ou « annuler »."
    )
