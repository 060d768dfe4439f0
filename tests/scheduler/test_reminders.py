"""Reminders: rows planned with the meeting, jobs rebuilt at start-up, fired once, late if worth it."""

from __future__ import annotations

import asyncio
import json

from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
from domain.committees.meetings import ReminderState
from domain.committees.reminder_plan import ReminderSettings
from domain.indicators.rules import ValueEntry
from domain.outbox import DeliveryState, SourceKind
from domain.people import Role
from scheduler import jobs
from scheduler.reminders import FireOutcome
from storage.db import Database
from storage.people import ConversationRefRepository
from tests.committees_support import (
    MEMBERS_ONLY,
    add_person,
    build_feature,
    paris,
    postgres_database,  # noqa: F401 - fixture
    received,
    reference,
    start_paused,
    utc,
)


async def organisation(database: Database, url: str) -> dict:
    """A lead, two élu·es, two contributors (DCP, DRH), one contributor not yet in Teams (DSI)."""
    return {
        "lead": await add_person(database, "camille@ville.fr", Role.LEAD, url, name="Camille Martin"),
        "marc": await add_person(database, "marc@ville.fr", Role.OFFICIAL, url, name="Marc Lefèvre"),
        "lucie": await add_person(database, "lucie@ville.fr", Role.OFFICIAL, url, name="Lucie Roux"),
        "nadia": await add_person(database, "nadia@ville.fr", Role.CONTRIBUTOR, url, "DCP", name="Nadia Benali"),
        "hugo": await add_person(database, "hugo@ville.fr", Role.CONTRIBUTOR, url, "DRH", name="Hugo Petit"),
    }


async def reminders_by_offset(feature, meeting_id: int, audience: str = "members") -> dict[int, object]:
    return {r.offset_days: r for r in await feature.committees.repository.reminders_of(meeting_id) if r.audience == audience}


def reminders_received(connector) -> list[tuple[str, str]]:
    """(conversation, text) of what the fake connector received, the summary that reaches the élu·es
    with a COPIL's member reminder left out."""
    return [(conversation, text) for conversation, text in received(connector) if not text.startswith("Synthèse SPASER")]


def conversations(connector) -> list[str]:
    return [conversation for conversation, _ in reminders_received(connector)]


async def test_a_j1_reminder_in_the_dst_week_stays_at_14_00_local_time(sqlite_database, connector):
    clock = FakeClock(utc(2027, 3, 1, 9))
    calendar_days = ReminderSettings(working_days_only=False)  # so that J-1 falls on the Sunday of the change
    feature = build_feature(sqlite_database, clock, scheduler_enabled=True, reminders=calendar_days)
    people = await organisation(sqlite_database, connector.url)
    scheduler = await start_paused(feature)
    # Monday 29 March 2027 at 14:00; clocks go forward on Sunday 28 March.
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 29, 14))

    members = await reminders_by_offset(feature, planned.meeting.id)
    assert members[7].send_at == utc(2027, 3, 22, 13)  # 14:00 CET
    assert members[1].send_at == utc(2027, 3, 28, 12)  # 14:00 CEST
    job = scheduler.scheduler.get_job(jobs.reminder_job_id(members[1].key))
    assert job.next_run_time.astimezone(paris(2027, 1, 1).tzinfo).strftime("%d/%m %H:%M") == "28/03 14:00"

    clock.set(utc(2027, 3, 28, 11, 59))
    assert await feature.jobs.fire_reminder(members[1].id) is FireOutcome.NOT_YET
    clock.set(utc(2027, 3, 28, 12, 0))
    job_function = scheduler.scheduler.get_job(jobs.reminder_job_id(members[1].key)).func
    assert await job_function(*job.args) is FireOutcome.FANNED_OUT  # the job itself
    scheduler.shutdown()
    await feature.jobs.close()

    texts = [text for _, text in reminders_received(connector)]
    assert texts.count("Rappel\u00a0: comité de pilotage du SPASER demain, le lundi 29\u00a0mars\u00a02027 à 14\u00a0h\u00a000") == 2
    # Reader 7, B13: the lead's copy is titled as one.
    assert texts.count(
        "Rappel envoyé aux membres du comité de pilotage (votre copie)\u00a0: réunion demain, le lundi 29\u00a0mars\u00a02027 à 14\u00a0h\u00a000"
    ) == 1
    assert sorted(conversations(connector)) == ["a:camille@ville.fr", "a:lucie@ville.fr", "a:marc@ville.fr"]
    assert people["lead"].role is Role.LEAD


async def test_a_restart_rebuilds_the_same_jobs_without_duplicates(sqlite_database, clock, connector):
    await organisation(sqlite_database, connector.url)
    first = build_feature(sqlite_database, clock, scheduler_enabled=True)
    scheduler = await start_paused(first)
    await first.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await first.committees.plan(CommitteeKind.COTECH, paris(2027, 2, 16, 10))
    before = scheduler.job_ids()
    scheduler.shutdown()
    await first.jobs.close()

    restarted = build_feature(sqlite_database, clock, scheduler_enabled=True)
    new_scheduler = await start_paused(restarted)
    await restarted.jobs.rebuild()  # a second rebuild replaces, never adds
    after = new_scheduler.job_ids()
    new_scheduler.shutdown()
    await restarted.jobs.close()

    reminder_jobs = [job for job in after if job.startswith("reminder:")]
    assert after == before
    assert len(reminder_jobs) == 8 and len(set(reminder_jobs)) == 8
    assert "reminder:meeting-1:members:J-7" in reminder_jobs
    assert {"committees:sweep-reminders", "committees:drain-outbox"} <= set(after)


async def test_downtime_before_the_meeting_sends_only_the_latest_missed_reminder_once(sqlite_database, connector):
    clock = FakeClock(utc(2027, 3, 1, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    await feature.jobs.close()

    clock.set(utc(2027, 3, 11, 20))  # down from before J-7 until after J-1, the meeting is tomorrow
    for _ in range(2):  # started twice: the second start finds nothing left to send
        restarted = build_feature(sqlite_database, clock, scheduler_enabled=True)
        await restarted.jobs.start("Europe/Paris")
        await restarted.jobs.drain_outbox()
        await restarted.jobs.close()

    members = await reminders_by_offset(restarted, planned.meeting.id)
    assert (members[7].state, members[1].state) == (ReminderState.SKIPPED, ReminderState.FANNED_OUT)
    reminded = sorted(c for c, text in reminders_received(connector) if text.startswith("Rappel"))
    chased = sorted(conversation for conversation, text in reminders_received(connector) if text.startswith("Indicateurs"))
    assert reminded == ["a:camille@ville.fr", "a:lucie@ville.fr", "a:marc@ville.fr"]
    assert chased == ["a:hugo@ville.fr", "a:nadia@ville.fr"]  # J-10 was also missed; J-28 was past when planned
    assert all("demain" in text for _, text in reminders_received(connector) if text.startswith("Rappel"))


async def test_a_reminder_missed_during_downtime_is_sent_late_while_its_meeting_is_ahead(sqlite_database, connector):
    clock = FakeClock(utc(2027, 3, 1, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 12, 14))
    clock.set(utc(2027, 3, 8, 8))  # J-7 passed on Friday 5th while down; J-1 still to come

    await feature.jobs.sweep_reminders()

    members = await reminders_by_offset(feature, planned.meeting.id)
    assert (members[7].state, members[1].state) == (ReminderState.FANNED_OUT, ReminderState.SCHEDULED)
    # Sent late, on Monday 8th: the text counts from the day it is sent, not from the planned J-7.
    texts = [text for _, text in reminders_received(connector)]
    assert sorted(texts) == [
        "Rappel envoyé aux membres du comité de pilotage (votre copie)\u00a0: réunion dans 4 jours, le vendredi 12\u00a0mars\u00a02027 à 14\u00a0h\u00a000",
        *["Rappel\u00a0: comité de pilotage du SPASER dans 4 jours, le vendredi 12\u00a0mars\u00a02027 à 14\u00a0h\u00a000"] * 2,
    ]


async def test_a_j1_reminder_for_a_monday_meeting_arrives_on_friday_and_says_when(sqlite_database, connector):
    clock = FakeClock(utc(2027, 3, 1, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 15, 10))  # Monday
    members = await reminders_by_offset(feature, planned.meeting.id)
    assert members[1].send_at == utc(2027, 3, 12, 9)  # Friday 10:00 in Paris

    clock.set(utc(2027, 3, 12, 9))
    await feature.jobs.sweep_reminders()
    await feature.jobs.drain_outbox()
    await feature.jobs.close()

    texts = {text for _, text in reminders_received(connector)}
    assert texts == {
        "Rappel\u00a0: comité de pilotage du SPASER dans 3 jours, le lundi 15\u00a0mars\u00a02027 à 10\u00a0h\u00a000",
        "Rappel envoyé aux membres du comité de pilotage (votre copie)\u00a0: réunion dans 3 jours, le lundi 15\u00a0mars\u00a02027 à 10\u00a0h\u00a000",
    }


async def test_downtime_past_the_meeting_sends_nothing(sqlite_database, connector):
    clock = FakeClock(utc(2027, 3, 1, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock)
    planned = await feature.committees.plan(CommitteeKind.COTECH, paris(2027, 3, 24, 10))
    clock.set(utc(2027, 3, 24, 10))  # back up when the meeting has already started

    outcomes = await feature.jobs.sweep_reminders()

    assert outcomes == {FireOutcome.EXPIRED: 3}  # J-28 was already past when the meeting was planned
    assert {r.state for r in await feature.committees.repository.reminders_of(planned.meeting.id)} == {ReminderState.EXPIRED}
    assert connector.attempts == 0


async def test_data_collection_reminders_go_to_contributors_with_a_button_to_update(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock)
    planned = await feature.committees.plan(CommitteeKind.COTECH, paris(2027, 3, 2, 14))
    data = await reminders_by_offset(feature, planned.meeting.id, "data_collection")
    clock.set(data[28].send_at)

    await feature.jobs.fire_reminder(data[28].id)

    assert sorted(conversations(connector)) == ["a:hugo@ville.fr", "a:nadia@ville.fr"]
    [nadia_row] = [row for row in await feature.outbox.list() if row.recipient_label == "Nadia Benali"]
    card = json.loads(nadia_row.card_json)
    assert "DCP" not in nadia_row.text and "de la direction DCP" in json.dumps(card, ensure_ascii=False)
    assert card["actions"][-1]["data"]["msteams"] == {"type": "imBack", "value": "mettre à jour mes indicateurs"}


async def test_data_reminders_go_only_to_the_directorates_with_indicators_still_due(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    people = await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock)
    await feature.catalogue.import_catalogue(
        "code;libelle;axe;unite;directions;frequence;valeur_reference;cible;annee_cible;sens;source;preexistant;actif\n"
        "SOC-01;Heures d'insertion réalisées;social;heures;DCP|DRH;trimestrielle;;;;hausse;;non;oui\n"
    )
    planned = await feature.committees.plan(CommitteeKind.COTECH, paris(2027, 3, 2, 14))
    data = await reminders_by_offset(feature, planned.meeting.id, "data_collection")
    clock.set(data[10].send_at)
    await feature.values.record_value(people["nadia"], "DCP", ValueEntry("SOC-01", "2026-T4", "12"), feature.values.today())

    await feature.jobs.sweep_reminders()

    assert conversations(connector) == ["a:hugo@ville.fr"]


async def test_registered_members_and_a_channel_replace_the_default_audience(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    people = await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    channel = "19:copil-channel@thread.tacv2"
    await ConversationRefRepository(sqlite_database).save(
        reference(channel, connector.url), tenant_id="t", aad_object_id=None, conversation_type="channel"
    )
    await feature.committees.repository.add_person_member(CommitteeKind.COPIL, people["marc"].id)
    await feature.committees.repository.add_conversation_member(CommitteeKind.COPIL, channel, "Canal COPIL")
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))
    members = await reminders_by_offset(feature, planned.meeting.id)
    clock.set(members[7].send_at)

    await feature.jobs.sweep_reminders()

    assert sorted(conversations(connector)) == [channel, "a:marc@ville.fr"]


async def test_a_reminder_without_any_recipient_is_reported_to_the_lead(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    feature = build_feature(sqlite_database, clock)
    planned = await feature.committees.plan(CommitteeKind.COTECH, paris(2027, 3, 2, 14))
    data = await reminders_by_offset(feature, planned.meeting.id, "data_collection")
    clock.set(data[28].send_at)

    await feature.jobs.sweep_reminders()

    [(conversation, text)] = reminders_received(connector)
    assert conversation == "a:camille@ville.fr" and "n’a été envoyé à personne" in text


async def test_moving_a_meeting_supersedes_its_reminders_and_tells_its_members(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock, scheduler_enabled=True)
    scheduler = await start_paused(feature)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))
    old_jobs = scheduler.job_ids()

    change = await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 9, 10))
    await feature.jobs.drain_outbox()

    states = {r.key: r.state for r in await feature.committees.repository.reminders_of(planned.meeting.id)}
    assert {states[k] for k in states if ":r1:" not in k} == {ReminderState.SUPERSEDED}
    assert {states[k] for k in states if ":r1:" in k} == {ReminderState.SCHEDULED}
    new_jobs = [j for j in scheduler.job_ids() if j.startswith("reminder:")]
    assert all(":r1:" in j for j in new_jobs) and len(new_jobs) == 4 and set(new_jobs).isdisjoint(old_jobs)
    texts = [text for _, text in reminders_received(connector)]
    assert len(texts) == 3 and all("déplacé au mardi 9 mars 2027 à 10 h 00" in t for t in texts)
    assert change.meeting.sequence == 1
    scheduler.shutdown()
    await feature.jobs.close()


async def test_cancelling_withdraws_unsent_reminders_and_tells_the_members(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await organisation(sqlite_database, connector.url)
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))
    members = await reminders_by_offset(feature, planned.meeting.id)
    clock.set(members[7].send_at)
    await feature.jobs.engine.fire(members[7].id)  # fanned out, not yet sent when the lead cancels

    await feature.committees.cancel(planned.meeting.id)
    await feature.jobs.drain_outbox()

    by_kind = {}
    for row in await feature.outbox.list():
        by_kind.setdefault(row.source_kind, set()).add(row.state)
    assert by_kind == {SourceKind.REMINDER: {DeliveryState.CANCELLED}, SourceKind.MEETING_NOTICE: {DeliveryState.SENT}}
    assert all("n’aura pas lieu" in text for _, text in reminders_received(connector)) and len(received(connector)) == 3
    assert {r.state for r in await feature.committees.repository.reminders_of(planned.meeting.id)} >= {ReminderState.SUPERSEDED}


async def test_two_schedulers_on_postgresql_fan_out_and_send_a_reminder_once(postgres_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await organisation(postgres_database, connector.url)
    other_engine = Database(postgres_database.url, connect_args=postgres_database.connect_args)
    first = build_feature(postgres_database, clock, reminders=MEMBERS_ONLY)
    second = build_feature(other_engine, clock, reminders=MEMBERS_ONLY)
    planned = await first.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))
    members = await reminders_by_offset(first, planned.meeting.id)
    clock.set(members[7].send_at)

    outcomes = await asyncio.gather(first.jobs.fire_reminder(members[7].id), second.jobs.fire_reminder(members[7].id))
    await asyncio.gather(first.jobs.sweep_reminders(), second.jobs.sweep_reminders(), first.jobs.drain_outbox(), second.jobs.drain_outbox())
    await other_engine.dispose()

    assert sorted(o.value for o in outcomes) == ["already_done", "fanned_out"]
    assert sorted(conversations(connector)) == ["a:camille@ville.fr", "a:lucie@ville.fr", "a:marc@ville.fr"]
