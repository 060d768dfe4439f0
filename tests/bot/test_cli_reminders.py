"""`spaser-bot rappels` says how many reminders it leaves out when it lists the first ones only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.cli import reminders
from bot.runtime import build_runtime
from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
from domain.outbox_counts import outbox_counts_text
from tests.committees_support import paris
from tests.conftest import make_settings


async def test_the_reminder_list_says_how_many_are_left_out(sqlite_database, capsys):
    settings = make_settings(sqlite_database.url)
    runtime = build_runtime(settings, database=sqlite_database, clock=FakeClock(datetime.now(UTC)))
    year = datetime.now(UTC).year + 2
    for month in (2, 4, 6, 9, 10, 11):
        await runtime.committees.plan(CommitteeKind.COPIL if month in (4, 10) else CommitteeKind.COTECH, paris(year, month, 9, 14))
    scheduled = len(await runtime.committees.repository.scheduled_reminders())

    await sqlite_database.dispose()
    await asyncio.to_thread(reminders, settings)

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Rappels programmés : {scheduled}" and scheduled > 20
    listed = [line for line in out if line.startswith("  ") and (" avant · " in line or " la veille · " in line)]
    assert len(listed) == 20 and not any(" J-" in line for line in out)
    assert f"  … et {scheduled - 20} autres plus tard, non affichés." in out


def test_the_outbox_counts_read_per_kind_of_message_with_their_agreements():
    """Reader 7, B15: « Messages : 8 remis, 18 non remis (10 personnes injoignables) » mixed
    reminders, broadcasts and digests: no figure could be read against the chat's reports."""
    counts = {
        "digest": {"sent": 2, "unreachable": 1},
        "reminder": {"unreachable": 9, "sent": 3, "failed": 1},
        "broadcast": {"sent": 1, "unreachable": 3},
        "lead_notice": {"sent": 4},
    }
    text = outbox_counts_text(counts, {"reminder": 5, "broadcast": 3, "digest": 1}).replace("\u00a0", " ")
    assert text.splitlines() == [
        "Envois de l’assistant, par type de message :",
        "  Rappels aux membres : 3 remis ; 9 non remis (5 personnes injoignables) ; 1 en échec",
        "  Diffusions : 1 remise ; 3 non remises (3 personnes injoignables)",
        "  Synthèses : 2 remises ; 1 non remise (1 personne injoignable)",
        "  Comptes rendus envoyés à la personne responsable du SPASER : 4 remis",
    ]
    assert "Messages :" not in text
    assert outbox_counts_text({}) == "Envois de l’assistant\u00a0: aucun pour l’instant."


def test_messages_to_several_leads_are_said_to_go_to_them_all():
    """Reader 8, A10: « 3 messages à la personne responsable du SPASER remis » with two leads."""
    counts = {"lead_notice": {"sent": 3, "unreachable": 2}}
    two = outbox_counts_text(counts, {"lead_notice": 1}, lead_count=2).replace("\u00a0", " ")
    one = outbox_counts_text(counts, {"lead_notice": 1}, lead_count=1).replace("\u00a0", " ")
    assert two.splitlines()[1] == "  Comptes rendus envoyés aux personnes responsables du SPASER : 3 remis ; 2 non remis (1 personne injoignable)"
    assert one.splitlines()[1] == "  Comptes rendus envoyés à la personne responsable du SPASER : 3 remis ; 2 non remis (1 personne injoignable)"


def test_every_kind_of_message_reads_in_the_same_form_with_its_agreements():
    """Reader 9, B11: « 3 messages aux personnes responsables du SPASER remis » put the participle far
    from its noun, and « 11 non remis à 10 personnes injoignables » read as if they had been sent
    to them: one form for every kind, « Label : 2 remis ; 1 non remis (1 personne injoignable) »."""
    counts = {
        "reminder:lead_copy": {"sent": 2},
        "outlook_event": {"sent": 1, "failed": 1},
        "installation": {"sent": 2, "unreachable": 1},
        "reminder:data_collection": {"sent": 1, "cancelled": 2},
        "mystery": {"pending": 2},
    }
    text = outbox_counts_text(counts, {"installation": 1}, lead_count=2).replace("\u00a0", " ")
    assert text.splitlines()[1:] == [
        "  Copies des rappels aux personnes responsables du SPASER : 2 remises",
        "  Relances des directions pour leurs indicateurs : 1 remise ; 2 retirées",
        "  Installations de l’assistant dans Teams : 2 faites ; 1 impossible (1 personne injoignable)",
        "  Mises à jour d’invitations Outlook : 1 faite ; 1 en échec",
        "  Messages « mystery » : 2 à envoyer",
    ]


def test_the_counts_say_since_when_and_how_the_lead_copies_read_against_the_teams_reports():
    """Reader 10, A9: « par type de message » gave no period, and Teams named the lead among those who
    did not get the reminder while the command line counted her copy apart, without saying so."""
    from datetime import date

    counts = {"reminder": {"sent": 2, "unreachable": 9}, "reminder:lead_copy": {"sent": 2, "unreachable": 2},
              "lead_notice": {"sent": 3}}
    text = outbox_counts_text(counts, {"reminder": 9, "reminder:lead_copy": 1}, 1, date(2026, 12, 6)).replace("\u00a0", " ")
    lines = text.splitlines()
    assert lines[0] == "Envois de l’assistant depuis le dimanche 6 décembre 2026, par type de message :"
    assert "  Comptes rendus envoyés à la personne responsable du SPASER : 3 remis" in lines
    assert lines[-1] == (  # reader 11, A3: figures that add up to the Teams reports
        "Dans Teams, les comptes rendus comptent ensemble les rappels et les copies : 11 envois non remis "
        "(9 rappels et 2 copies) à 10 personnes."  # reader 12, A3: a sentence one reads at once
    )
    assert "comptent ensemble" not in outbox_counts_text({"reminder:lead_copy": {"sent": 1}})
