"""Digests: the élu·es get the summary with the member reminder before each COPIL; whoever asked
gets it weekly, in their own scope; the jobs have stable ids; the summary reads from storage."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from botbuilder.schema import Activity

from bot.runtime import build_runtime
from domain.committees.cadence import CommitteeKind
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.rules import IndicatorView, ValueEntry
from domain.indicators.units import Unit
from domain.outbox import SourceKind
from domain.summary.scope import Scope
from scheduler import jobs
from scheduler.reminders import FireOutcome
from storage.people import DirectorateRepository
from storage.summary.repository import StoredValue, SummaryRepository
from storage.summary.service import SnapshotCache, SummaryService
from tests.committees_support import paris, received
from tests.conftest import make_settings
from tests.summary_support import organisation, seed_catalogue


def cards_to(connector, conversation_id: str) -> list[dict]:
    out = []
    for body in connector.sent:
        if body["_conversation_id"] != conversation_id:
            continue
        activity = Activity().deserialize({k: v for k, v in body.items() if not k.startswith("_")})
        out.extend(attachment.content for attachment in activity.attachments or [])
    return out


async def test_officials_receive_the_summary_with_the_j7_reminder_of_a_copil_once(runtime, sqlite_database, clock, connector):
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    planned = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 1, 20, 14))
    [j7] = [r for r in planned.reminders if r.audience == "members" and r.offset_days == 7]

    await runtime.jobs.send_copil_digests()
    nothing_before = list(connector.sent)
    clock.set(j7.send_at)
    assert await runtime.jobs.fire_reminder(j7.id) is FireOutcome.FANNED_OUT
    await runtime.jobs.send_copil_digests()
    await runtime.jobs.send_copil_digests()
    await runtime.jobs.drain_outbox()

    digests = [(c, t) for c, t in received(connector) if t.startswith("Synthèse SPASER avant le comité de pilotage")]
    assert nothing_before == []
    assert sorted(c for c, _ in digests) == ["a:lucie@ville.fr", "a:marc@ville.fr"]
    assert digests[0][1].startswith(
        "Synthèse SPASER avant le comité de pilotage du mercredi 20 janvier 2027 à 14 h 00\u00a0: 3 indicateurs, "
    )
    assert digests[0][1].count(":") == 1, "one colon a sentence (issue 17: « … à 10 h 00 : 24 indicateurs : … »)"
    to_marc = cards_to(connector, "a:marc@ville.fr")  # the J-7 reminder and the summary, sent in the same drain
    [card] = [c for c in to_marc if c["body"][0]["text"].startswith("Voici la synthèse pour préparer")]
    assert len(to_marc) == 2
    assert card["body"][0]["text"] == "Voici la synthèse pour préparer le comité de pilotage du mercredi 20 janvier 2027 à 14 h 00."
    # No chart on the compact card (reader 7: unreadable at card width); the detail is one click away.
    assert not any(e.get("type") == "Image" for e in card["body"])
    assert "Voir le détail" in json.dumps(card, ensure_ascii=False)
    assert len(await runtime.summary.repository.digests()) == 1
    assert await runtime.outbox.counts(SourceKind.DIGEST) == {"sent": 2}


async def test_the_copil_digest_leaves_with_the_member_reminder_without_waiting_for_the_periodic_job(
    runtime, sqlite_database, clock, connector
):
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    planned = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 1, 20, 14))
    [j7] = [r for r in planned.reminders if r.audience == "members" and r.offset_days == 7]
    clock.set(j7.send_at)

    assert await runtime.jobs.fire_reminder(j7.id) is FireOutcome.FANNED_OUT  # fans out, then drains once

    to_marc = [t for c, t in received(connector) if c == "a:marc@ville.fr"]
    assert len(to_marc) == 2, "the reminder and the summary"
    assert sum(text.startswith("Synthèse SPASER avant le comité de pilotage") for text in to_marc) == 1
    assert await runtime.outbox.counts(SourceKind.DIGEST) == {"sent": 2}

async def test_the_weekly_digest_goes_to_subscribers_in_their_scope_once_a_week(runtime, sqlite_database, clock, connector):
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    for who in ("lead", "nadia"):
        await runtime.summary.repository.set_weekly(people[who].id, True)

    first = await runtime.jobs.send_weekly_digests()
    same_week = await runtime.jobs.send_weekly_digests()
    clock.advance(timedelta(days=7))
    await runtime.jobs.send_weekly_digests()
    await runtime.jobs.drain_outbox()

    assert (first, same_week) == (2, 0)
    weekly = [(c, t) for c, t in received(connector) if t.startswith("Synthèse SPASER de la semaine")]
    assert sorted(c for c, _ in weekly) == ["a:camille@ville.fr"] * 2 + ["a:nadia@ville.fr"] * 2
    nadia_card = cards_to(connector, "a:nadia@ville.fr")[0]
    scope_line = nadia_card["body"][2]["text"]
    assert scope_line.startswith("Direction DCP (Commande publique)")
    assert "ENV-01" not in str(nadia_card)


async def test_the_jobs_have_stable_ids_and_the_weekly_one_runs_on_monday_morning(sqlite_database, clock):
    runtime = build_runtime(make_settings(sqlite_database.url, scheduler_enabled=True), database=sqlite_database, clock=clock)
    runtime.scheduler.scheduler.start(paused=True)
    await runtime.jobs.start("Europe/Paris")
    await runtime.jobs.start("Europe/Paris")

    ids = runtime.scheduler.job_ids()
    weekly = runtime.scheduler.scheduler.get_job(jobs.WEEKLY_DIGEST_JOB_ID)
    runtime.scheduler.shutdown()
    await runtime.jobs.close()

    assert ids == sorted([jobs.BROADCAST_REPORT_JOB_ID, jobs.COPIL_DIGEST_JOB_ID, jobs.WEEKLY_DIGEST_JOB_ID,
                          jobs.SWEEP_JOB_ID, jobs.DRAIN_JOB_ID, jobs.HOUSEKEEPING_JOB_ID])
    assert weekly.func == runtime.jobs.send_weekly_digests
    assert (weekly.next_run_time.weekday(), weekly.next_run_time.hour, weekly.next_run_time.minute) == (0, 8, 0)


async def test_current_values_are_read_in_one_query_current_only(database, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    catalogue, values = await seed_catalogue(database, clock, people["lead"].id)
    correction = ValueEntry("ENV-01", "2026-T2", Decimal(36), "corrigé")
    await values.record_value(people["lead"], "DPB", correction, values.today())
    ids = {view.code: view.id for view in await catalogue.list_indicators()}
    repository = SummaryRepository(database)

    everything = await repository.current_values()
    dcp_only = await repository.current_values("dcp")

    assert everything[ids["ENV-01"]] == [StoredValue("2026-T2", "DPB", Decimal(36), "corrigé")]
    assert sorted(v.directorate_code for v in everything[ids["SOC-01"]]) == ["DCP", "DCP", "DPB", "DPB"]
    assert everything[ids["GOV-01"]] == [StoredValue("2025", "DCP", Decimal(12), "")]
    assert set(dcp_only) == {ids["SOC-01"], ids["GOV-01"]}
    assert {v.directorate_code for values in dcp_only.values() for v in values} == {"DCP"}


def line(summary, code: str):
    return next(line for line in summary.lines if line.code == code)


async def test_the_summary_shows_each_new_value_and_catalogue_change_at_once(database, clock):
    """The snapshot cache catches up with values recorded (new rows only) and catalogue edits."""
    people = await organisation(database, "http://127.0.0.1:9/")
    catalogue, values = await seed_catalogue(database, clock, people["lead"].id)
    service = SummaryService(SummaryRepository(database), catalogue, DirectorateRepository(database), clock,
                             "Europe/Paris")
    lead, today = people["lead"], values.today()

    before = await service.summary(Scope.everything())
    dcp_before = await service.summary(Scope.only("DCP"))
    await values.record_value(lead, "DCP", ValueEntry("SOC-01", "2026-T3", Decimal(200)), today)
    await values.record_value(lead, "DPB", ValueEntry("SOC-01", "2026-T3", Decimal(100)), today)
    after_new = await service.summary(Scope.everything())
    await values.record_value(lead, "DPB", ValueEntry("SOC-01", "2026-T3", Decimal(110)), today)
    after_correction = await service.summary(Scope.everything())
    dcp_after = await service.summary(Scope.only("DCP"))
    await catalogue.set_active("ENV-01", False)
    after_deactivation = await service.summary(Scope.everything())

    assert (line(before, "SOC-01").latest_period.code, line(before, "SOC-01").latest_value) == ("2026-T2", 280)
    assert (line(after_new, "SOC-01").latest_period.code, line(after_new, "SOC-01").latest_value) == ("2026-T3", 300)
    assert line(after_correction, "SOC-01").latest_value == 310
    assert (line(dcp_before, "SOC-01").latest_value, line(dcp_after, "SOC-01").latest_value) == (150, 200)
    assert [l.code for l in after_deactivation.lines] == ["SOC-01", "GOV-01"]


class OutOfOrderRepository:
    """Counts one more row than it finds between the versions, as when a PostgreSQL transaction
    commits a lower id after a higher one."""

    def __init__(self) -> None:
        self.full_reads = 0

    async def current_values(self, directorate_code, uow=None):
        self.full_reads += 1
        return {1: [StoredValue("2026-T2", "DCP", Decimal(self.full_reads), "")]}

    async def values_recorded_between(self, after_id, up_to_id, uow=None):
        return []


async def test_the_cache_reads_everything_again_when_new_rows_do_not_add_up():
    repository = OutOfOrderRepository()
    cache = SnapshotCache(repository)
    view = IndicatorView(1, "SOC-01", "Heures", Axis.SOCIAL, Unit.HOURS, Frequency.QUARTERLY,
                         ImprovementDirection.UP, None, None, None, "", False, True, ("DCP",))

    first = await cache.snapshots([view], None, (1, 10))
    same = await cache.snapshots([view], None, (1, 10))
    moved = await cache.snapshots([view], None, (2, 10))

    assert first == same and repository.full_reads == 2
    assert moved[0].values[0].value == 2
