"""`spaser-bot rappels` says how many reminders it leaves out when it lists the first ones only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.cli import outbox_counts_text, reminders
from bot.runtime import build_runtime
from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
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


def test_the_outbox_counts_read_as_french_counts():
    text = outbox_counts_text({"unreachable": 18, "sent": 9, "failed": 1})
    assert text == "Messages\u00a0: 9\u00a0remis, 1\u00a0en échec, 18\u00a0non remis"
    with_people = outbox_counts_text({"unreachable": 18, "sent": 9}, unreachable_people=10)
    assert with_people == "Messages\u00a0: 9\u00a0remis, 18\u00a0non remis (10\u00a0personnes injoignables)"
    assert outbox_counts_text({}) == "Messages\u00a0: aucun"
