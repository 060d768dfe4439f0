"""Reaching everyone and Outlook invitations through a fake Microsoft Graph on loopback: the app
installed for people who never opened the assistant, Graph's refusals told to the lead, one
Outlook event per meeting created, moved and cancelled."""

from __future__ import annotations

from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
from domain.outbox import DeliveryState, SourceKind
from domain.people import Role
from storage.people import ConversationRefRepository, PeopleRepository
from tests.committees_support import FakeTime, paris, received, reference, start_paused, utc
from tests.fakes.graph import TENANT
from tests.fakes.tenant_support import build_tenant_services, graph  # noqa: F401 - fixture

HELENE = "aad-helene"


async def organisation(database, connector, fake) -> dict:
    """A lead who has opened the assistant (their chat gives the tenant's connector address), and
    two élu·es registered by e-mail who never have; the directory knows Hélène only."""
    people = PeopleRepository(database)
    lead = await people.assign("camille@ville.fr", Role.LEAD, name="Camille Martin")
    await people.link_identity(lead.id, TENANT, _entry("aad-camille", "Camille Martin", "camille@ville.fr"))
    lead_reference = reference("a:camille", connector.url, "aad-camille")
    lead_reference["conversation"]["tenantId"] = TENANT
    await ConversationRefRepository(database).save(lead_reference, tenant_id=TENANT, aad_object_id="aad-camille",
                                                   conversation_type="personal")
    helene = await people.assign("helene.dubois@ville.fr", Role.OFFICIAL)
    marc = await people.assign("marc.lefevre@ville.fr", Role.OFFICIAL, name="Marc Lefèvre")
    fake.add_user(HELENE, "helene.dubois@ville.fr", "Hélène Dubois")
    return {"lead": lead, "helene": helene, "marc": marc}


def _entry(aad, name, email):
    from domain.tenant import DirectoryEntry

    return DirectoryEntry(aad, name, email)


async def fire_member_reminder(services, clock, meeting_id: int):
    reminder = next(r for r in await services.committees.repository.reminders_of(meeting_id) if r.offset_days == 7)
    clock.set(reminder.send_at)
    await services.jobs.fire_reminder(reminder.id)


async def stop(services) -> None:
    await services.jobs.close()
    await services.graph.close()


def lead_notices(connector) -> list[str]:
    return [text for conversation, text in received(connector) if conversation == "a:camille" and not text.startswith("Rappel")]


async def test_a_person_who_never_opened_the_assistant_gets_the_reminder_after_installation(database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    services = build_tenant_services(database, clock, graph)
    people = await organisation(database, connector, graph)
    await start_paused(services)
    planned = await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))
    await fire_member_reminder(services, clock, planned.meeting.id)
    await services.jobs.drain_outbox()

    reminders = [(conversation, text) for conversation, text in received(connector) if text.startswith("Rappel\u00a0:")]
    assert (graph.chat_id(HELENE), reminders[0][1]) in reminders  # Hélène's new chat, opened by the installation
    assert list(graph.installed) == [HELENE]
    helene = await services.people.get(people["helene"].id)
    assert (helene.name, helene.aad_object_id) == ("Hélène Dubois", HELENE)  # from the directory
    notices = "\n".join(lead_notices(connector)).replace("\u00a0", " ")
    assert "- L’assistant a été installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite." in notices
    assert "Marc Lefèvre n’a reçu ni le rappel ni la synthèse.\n- Marc Lefèvre est introuvable dans l’annuaire Microsoft 365." in notices

    calls, told = len(graph.calls), len(lead_notices(connector))
    await services.jobs.drain_outbox()  # nothing is installed nor told twice
    assert (len(graph.calls), len(lead_notices(connector))) == (calls, told)
    assert graph.calls.count("install") == 2  # the reminder's and the COPIL summary's, one at a time: 201, then 409
    await stop(services)


async def test_an_app_already_installed_409_still_reaches_the_person(sqlite_database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    services = build_tenant_services(sqlite_database, clock, graph)
    await organisation(sqlite_database, connector, graph)
    graph.installed[HELENE] = "installation-earlier"  # installed by a setup policy; its event never reached us
    await start_paused(services)
    planned = await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))
    await fire_member_reminder(services, clock, planned.meeting.id)
    await services.jobs.drain_outbox()

    assert graph.chat_id(HELENE) in [conversation for conversation, _ in received(connector)]
    assert "installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite." in "\n".join(lead_notices(connector)).replace("\u00a0", " ")
    await stop(services)


async def test_missing_consent_403_is_reported_to_the_lead(sqlite_database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    services = build_tenant_services(sqlite_database, clock, graph)
    await organisation(sqlite_database, connector, graph)
    graph.consent_missing = True
    await start_paused(services)
    planned = await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))
    await fire_member_reminder(services, clock, planned.meeting.id)
    await services.jobs.drain_outbox()

    notices = "\n".join(lead_notices(connector)).replace("\u00a0", " ")
    assert "L’application n’a pas pu être installée pour Hélène Dubois. Il manque le consentement administrateur" in notices
    assert "TeamsAppInstallation.ReadWriteSelfForUser.All" in notices and "Hélène Dubois" in notices
    states = {row.recipient_label: row.state for row in await services.outbox.list(SourceKind.REMINDER)}
    assert states["Hélène Dubois"] == DeliveryState.UNREACHABLE
    await stop(services)


async def test_throttling_429_waits_its_retry_after_then_installs(sqlite_database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    fake_time = FakeTime(clock)
    services = build_tenant_services(sqlite_database, clock, graph, fake_time=fake_time)
    await organisation(sqlite_database, connector, graph)
    graph.fail_next("install", 429, code="TooManyRequests", **{"Retry-After": "7"})
    await start_paused(services)
    planned = await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))
    await fire_member_reminder(services, clock, planned.meeting.id)
    await services.jobs.drain_outbox()

    assert graph.calls.count("install") == 3  # Hélène: 429 then 201; Marc: 404 at the user look-up… and Hélène's retry
    assert sum(fake_time.slept) >= 7
    assert graph.chat_id(HELENE) in [conversation for conversation, _ in received(connector)]
    await stop(services)


async def test_a_committee_planned_moved_and_cancelled_makes_one_outlook_event(database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    services = build_tenant_services(database, clock, graph)
    await organisation(database, connector, graph)
    await start_paused(services)
    planned = await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14), agenda="Bilan 2026")
    await services.jobs.drain_outbox()
    (event,) = graph.events.values()
    assert event.body["isOnlineMeeting"] is True and event.body["onlineMeetingProvider"] == "teamsForBusiness"
    assert event.body["start"] == {"dateTime": "2027-03-29T12:00:00", "timeZone": "UTC"}
    assert sorted(a["emailAddress"]["address"] for a in event.body["attendees"]) == [
        "camille@ville.fr", "helene.dubois@ville.fr", "marc.lefevre@ville.fr"]
    meeting = await services.committees.repository.get_meeting(planned.meeting.id)
    assert meeting.teams_url == f"https://teams.microsoft.com/l/meetup-join/{event.id}"  # shown on the bot's cards

    await services.committees.reschedule(planned.meeting.id, paris(2027, 4, 2, 10))
    await services.jobs.drain_outbox()
    assert event.patches == 1 and event.body["start"]["dateTime"] == "2027-04-02T08:00:00"
    await services.committees.cancel(planned.meeting.id)
    await services.jobs.drain_outbox()
    await services.jobs.drain_outbox()

    assert len(graph.events) == 1 and event.cancelled and event.patches == 1
    assert [graph.calls.count(kind) for kind in ("create_event", "update_event", "cancel_event")] == [1, 1, 1]
    await stop(services)


async def test_an_outlook_event_created_before_a_crash_is_not_created_twice(sqlite_database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    killed = build_tenant_services(sqlite_database, clock, graph)
    await organisation(sqlite_database, connector, graph)
    await start_paused(killed)
    graph.hold["create_event"] = 30  # Graph creates the event, the bot dies before the answer arrives
    await killed.committees.plan(CommitteeKind.COTECH, paris(2027, 3, 29, 14))
    import asyncio

    drain = asyncio.create_task(killed.jobs.drain_outbox())
    while not graph.events:
        await asyncio.sleep(0.05)
    drain.cancel()
    await asyncio.gather(drain, return_exceptions=True)
    await stop(killed)
    assert [row.state for row in await killed.outbox.list(SourceKind.OUTLOOK_EVENT)] == ["sending"]

    graph.hold.clear()
    restarted = build_tenant_services(sqlite_database, clock, graph)
    await start_paused(restarted)  # SQLite: rows left "sending" are taken back at once
    await restarted.jobs.drain_outbox()
    assert len(graph.events) == 1 and graph.calls.count("create_event") == 2
    assert [row.state for row in await restarted.outbox.list(SourceKind.OUTLOOK_EVENT)] == ["sent"]
    await stop(restarted)


async def test_an_organiser_mailbox_the_tenant_refuses_is_reported_to_the_lead(sqlite_database, connector, graph):
    clock = FakeClock(utc(2027, 3, 1, 9))
    services = build_tenant_services(sqlite_database, clock, graph)
    await organisation(sqlite_database, connector, graph)
    graph.fail_next("create_event", 403, code="ErrorAccessDenied")
    await start_paused(services)
    await services.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))
    await services.jobs.drain_outbox()

    (notice,) = lead_notices(connector)
    assert notice.startswith("L’invitation Outlook du comité de pilotage du SPASER, le lundi 29 mars 2027")
    assert "consentement administrateur manquant pour l’agenda (permission Calendars.ReadWrite" in notice
    assert graph.events == {}
    await stop(services)
