"""A digest is not sent to a person who read the same summary earlier that day (issue #17): the
élue who asked « où en est-on ? » a minute before the COPIL digest, or who got the weekly digest
that morning. A summary that changed since is sent; the record is in the database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from bot.cli import reminders
from domain.committees.cadence import CommitteeKind
from domain.indicators.rules import ValueEntry
from domain.people import Role
from domain.summary.card import summary_fingerprint
from domain.summary.scope import Scope
from scheduler.reminders import FireOutcome
from tests.committees_support import add_person, paris, received
from tests.conftest import make_settings
from tests.summary_support import aad, organisation, reachable_again, seed_catalogue

COPIL_DIGEST = "Synthèse SPASER avant le comité de pilotage"


async def copil_with_j7(runtime):
    planned = await runtime.committees.plan(CommitteeKind.COPIL, paris(2027, 1, 20, 14))
    [j7] = [r for r in planned.reminders if r.audience == "members" and r.offset_days == 7]
    return j7


def digests_to(connector, prefix: str) -> list[str]:
    return sorted(conversation for conversation, text in received(connector) if text.startswith(prefix))


async def test_an_official_who_just_asked_for_the_summary_is_not_sent_the_copil_digest_again(
    runtime, talk, sqlite_database, clock, connector
):
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    j7 = await copil_with_j7(runtime)
    clock.set(j7.send_at - timedelta(minutes=1))
    await talk(aad(people["marc"]), "Marc Lefèvre").say("où en est-on ?")
    await reachable_again(sqlite_database, people["marc"], connector.url)
    clock.set(j7.send_at)

    assert await runtime.jobs.fire_reminder(j7.id) is FireOutcome.FANNED_OUT  # the digest leaves with it

    assert digests_to(connector, COPIL_DIGEST) == ["a:lucie@ville.fr"]
    assert [d.recipient_count for d in await runtime.summary.repository.digests()] == [1]
    await runtime.jobs.send_copil_digests()
    assert digests_to(connector, COPIL_DIGEST) == ["a:lucie@ville.fr"], "recorded: not sent later either"


async def test_the_copil_digest_is_sent_when_the_summary_changed_since_or_was_read_another_day(
    runtime, talk, sqlite_database, clock, connector
):
    people = await organisation(sqlite_database, connector.url)
    _, values = await seed_catalogue(sqlite_database, clock, people["lead"].id)
    j7 = await copil_with_j7(runtime)
    clock.set(j7.send_at - timedelta(minutes=5))
    await talk(aad(people["marc"]), "Marc Lefèvre").say("synthèse")
    await reachable_again(sqlite_database, people["marc"], connector.url)
    await values.record_value(people["lead"], "DPB", ValueEntry("ENV-01", "2026-T2", Decimal(36), "corrigé"),
                              values.today())
    clock.set(j7.send_at - timedelta(days=1))
    await talk(aad(people["lucie"]), "Lucie Roux").say("synthèse")
    await reachable_again(sqlite_database, people["lucie"], connector.url)
    clock.set(j7.send_at)

    assert await runtime.jobs.fire_reminder(j7.id) is FireOutcome.FANNED_OUT

    assert digests_to(connector, COPIL_DIGEST) == ["a:lucie@ville.fr", "a:marc@ville.fr"]


async def test_the_weekly_and_the_copil_digest_on_the_same_day_send_the_summary_once(
    runtime, sqlite_database, clock, connector
):
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    await runtime.summary.repository.set_weekly(people["marc"].id, True)
    j7 = await copil_with_j7(runtime)
    clock.set(j7.send_at - timedelta(hours=1))
    assert await runtime.jobs.send_weekly_digests() == 1
    clock.set(j7.send_at)

    assert await runtime.jobs.fire_reminder(j7.id) is FireOutcome.FANNED_OUT

    assert digests_to(connector, "Synthèse SPASER de la semaine") == ["a:marc@ville.fr"]
    assert digests_to(connector, COPIL_DIGEST) == ["a:lucie@ville.fr"]


async def test_when_a_summary_was_read_comes_back_as_an_instant_on_sqlite(runtime, sqlite_database, clock, connector):
    """Review: SQLite drops the offset, so « read today » was judged in the server's own time zone."""
    people = await organisation(sqlite_database, connector.url)
    await runtime.summary.repository.record_shown({people["marc"].id: "f" * 64}, clock.now())
    [shown] = (await runtime.summary.repository.shown([people["marc"].id])).values()
    assert shown.at == clock.now() and shown.at.tzinfo is not None


async def test_a_summary_read_is_recorded_for_the_people_the_digests_go_to_and_only_for_them(
    runtime, talk, sqlite_database, clock, connector
):
    """Officials (COPIL digest) and weekly subscribers; a contributor who never asked for the weekly
    digest costs no fingerprint, and a filtered summary is not the one a digest sends."""
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    await runtime.summary.repository.set_weekly(people["julien"].id, True)
    for name, display in (("marc", "Marc Lefèvre"), ("nadia", "Nadia Benali"), ("julien", "Julien Petit"),
                          ("camille", "Camille Martin")):
        person = people["lead" if name == "camille" else name]
        await talk(aad(person), display).say("synthèse")
    await talk(aad(people["lucie"]), "Lucie Roux").say("synthèse axe environnemental")

    shown = await runtime.summary.repository.shown([person.id for person in people.values()])

    assert sorted(shown) == sorted([people["marc"].id, people["julien"].id])


async def test_the_fingerprint_of_a_summary_read_in_the_chat_is_the_digests_own(
    runtime, talk, sqlite_database, clock, connector
):
    """The chat reuses the card of its reply (chart link and buttons in it, texts typeset on the way
    out); the digest builds its own: both must say « the same summary »."""
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    await talk(aad(people["marc"]), "Marc Lefèvre").say("synthèse")

    [shown] = (await runtime.summary.repository.shown([people["marc"].id])).values()

    summary = await runtime.summary.summary(Scope.everything())
    assert shown.fingerprint == summary_fingerprint(summary, runtime.summary.timezone)


async def test_the_lead_is_told_who_was_not_sent_the_digest_because_they_had_read_it(
    runtime, talk, sqlite_database, clock, connector
):
    """Reader 6, A1: Marc read the summary a minute before; Lucie blocked the assistant. The lead's
    report says Lucie got neither message and Marc was not sent the summary again: nobody is left
    thought to have received it."""
    people = await organisation(sqlite_database, connector.url)
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    j7 = await copil_with_j7(runtime)
    clock.set(j7.send_at - timedelta(minutes=1))
    await talk(aad(people["marc"]), "Marc Lefèvre").say("où en est-on ?")
    await reachable_again(sqlite_database, people["marc"], connector.url)
    connector.blocked.add("a:lucie@ville.fr")
    clock.set(j7.send_at)

    await runtime.jobs.fire_reminder(j7.id)
    await runtime.jobs.drain_outbox()

    [report] = [text for conversation, text in received(connector) if "pas reçu" in text]
    lines = [line for line in report.replace("\u00a0", " ").splitlines() if line]  # Teams: blank lines
    assert lines[1:] == [
        "Lucie Roux n’a reçu ni le rappel ni la synthèse.",
        "Lucie Roux a bloqué ou désinstallé l’assistant dans Teams.",
        # Reader 7, B10: who did what, without « elle ne lui » pointing at nobody in particular. Reader 14,
        # B3: he asked for it himself, nobody sent it to him: « consulté », not « reçu ».
        "Marc Lefèvre a déjà consulté la synthèse aujourd’hui (à 13 h 59) : je ne la lui ai pas renvoyée.",
    ]


async def test_the_lead_s_report_and_rappels_tell_a_summary_consulted_from_one_received(
    runtime, talk, sqlite_database, clock, connector, capsys
):
    """Reader 14, B3: « Adele Vance a déjà reçu la synthèse aujourd’hui » when she had only asked for it,
    and `spaser-bot rappels` counted no summary delivered. Marc asks for it a minute before the COPIL
    digest, Lucie got the weekly digest an hour before, Hélène blocked the assistant: the report says
    who consulted it and who received it, and when; `rappels` counts the summaries not sent again."""
    people = await organisation(sqlite_database, connector.url)
    await add_person(sqlite_database, "helene@ville.fr", Role.OFFICIAL, connector.url, name="Hélène Dubois")
    await seed_catalogue(sqlite_database, clock, people["lead"].id)
    await runtime.summary.repository.set_weekly(people["lucie"].id, True)
    j7 = await copil_with_j7(runtime)
    clock.set(j7.send_at - timedelta(hours=1))
    assert await runtime.jobs.send_weekly_digests() == 1
    clock.set(j7.send_at - timedelta(minutes=1))
    await talk(aad(people["marc"]), "Marc Lefèvre").say("où en est-on ?")
    await reachable_again(sqlite_database, people["marc"], connector.url)
    connector.blocked.add("a:helene@ville.fr")
    clock.set(j7.send_at)

    await runtime.jobs.fire_reminder(j7.id)
    await runtime.jobs.drain_outbox()

    assert digests_to(connector, COPIL_DIGEST) == []
    [report] = [text for conversation, text in received(connector) if "pas reçu" in text]
    lines = [line for line in report.replace("\u00a0", " ").splitlines() if line]
    assert lines[1] == "Hélène Dubois n’a reçu ni le rappel ni la synthèse."
    assert lines[-1] == (
        "Marc Lefèvre a déjà consulté la synthèse aujourd’hui (à 13 h 59) : je ne la lui ai pas renvoyée. "
        "Lucie Roux a déjà reçu la synthèse aujourd’hui (à 13 h 00) : je ne la lui ai pas renvoyée."
    )

    await sqlite_database.dispose()
    await asyncio.to_thread(reminders, make_settings(sqlite_database.url))
    [digests] = [line for line in capsys.readouterr().out.replace("\u00a0", " ").splitlines() if "Synthèses" in line]
    assert digests == (
        "  Synthèses : 1 remise ; 1 non envoyée (déjà reçue le jour même) ; "
        "1 non envoyée (déjà consultée le jour même) ; 1 non remise (1 personne injoignable)"
    )
