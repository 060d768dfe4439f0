"""The demo's reserved markets (IND-26, computed from its generated DECP file) start near the
catalogue's reference and have not already reached the target: the public page showed « Référence :
150 000 € au 1er semestre 2024 » next to a first value of 418 100 €, above the 400 000 € aimed at
for 2028."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.demo import load_demo
from bot.demo_decp import demo_contracts
from bot.runtime import build_runtime
from domain.clock import FakeClock
from domain.summary.scope import Scope
from tests.conftest import make_settings


@pytest.mark.parametrize(
    "now", [datetime(2026, 7, 15, 9, tzinfo=UTC), datetime(2026, 12, 4, 9, tzinfo=UTC), datetime(2031, 5, 20, 9, tzinfo=UTC)]
)
async def test_the_demo_reserved_markets_start_near_their_reference_and_below_their_target(sqlite_database, now, tmp_path):
    runtime = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=FakeClock(now))
    await load_demo(runtime, "demo-tenant", tmp_path)
    summary = await runtime.summary.summary(Scope.everything())
    reserved = next(line for line in summary.lines if line.code == "IND-26")
    snapshot = reserved.snapshot

    by_period = snapshot.history.by_period
    first_period = next(iter(by_period))
    first = sum(value.value for value in by_period[first_period].values())
    assert reserved.reference is not None and reserved.reference[1] == first_period
    assert snapshot.baseline / 2 <= first <= snapshot.baseline * 2, (first_period.code, first, snapshot.baseline)
    assert first < snapshot.target, (first, snapshot.target)
    # The first year is still on its way to the target: none of its values has reached it.
    first_year = [sum(v.value for v in values.values()) for p, values in by_period.items() if p.year == first_period.year]
    assert max(first_year) < snapshot.target, first_year


def test_the_demo_reserves_more_markets_as_years_go_by():
    """As an organisation learns to: rare in 2024, twice as frequent by 2030."""
    contracts = demo_contracts(date(2031, 5, 20))
    reserved = [c["dateNotification"] for c in contracts if "Marché réservé" in str(c.get("considerationsSociales"))]
    early = [day for day in reserved if day < "2025"]
    late = [day for day in reserved if "2030" <= day < "2031"]
    assert 0 < 2 * len(early) <= len(late), (len(early), len(late))
