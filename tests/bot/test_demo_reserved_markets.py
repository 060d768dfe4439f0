"""The demo's reserved markets (IND-26, computed from its generated DECP file) start from their first
value and have not already reached the target: the public page showed « Référence :
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
async def test_the_demo_reserved_markets_start_from_their_first_value_and_below_their_target(sqlite_database, now, tmp_path):
    runtime = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=FakeClock(now))
    await load_demo(runtime, "demo-tenant", tmp_path)
    summary = await runtime.summary.summary(Scope.everything())
    reserved = next(line for line in summary.lines if line.code == "IND-26")
    snapshot = reserved.snapshot

    by_period = snapshot.history.by_period
    first_period = next(iter(by_period))
    first = sum(value.value for value in by_period[first_period].values())
    assert reserved.reference is not None and reserved.reference[1] == first_period
    # No declared baseline: the reference is the first value measured, never a catalogue figure that the
    # first half-year's contracts contradict (reader 15, B1: « Référence : 150 000 € » next to 179 100 €).
    assert snapshot.baseline is None and reserved.reference[0] == first, (first_period.code, first)
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


async def test_the_demo_references_are_the_values_measured_for_their_period(sqlite_database, tmp_path):
    """Reader 15, B1: « Référence : 25 % au 1er trimestre 2024 » next to 18,6 % measured then (IND-24, 25,
    26), and IND-21's 22 % next to a weighted mean of 22,75 %: every reference with a period is the value
    the demo gives for that period."""
    now = datetime(2026, 12, 6, 9, tzinfo=UTC)
    runtime = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=FakeClock(now))
    await load_demo(runtime, "demo-tenant", tmp_path)
    summary = await runtime.summary.summary(Scope.everything())
    lines = {line.code: line for line in summary.lines}
    for code in ("IND-24", "IND-25", "IND-26"):
        line = lines[code]
        first = next(iter(line.snapshot.history.by_period.values()))
        assert line.snapshot.baseline is None and line.reference[0] == sum(v.value for v in first.values()), code
    electric = lines["IND-21"]
    kilometres = lines["IND-23"].snapshot.history.by_period[electric.reference[1]]
    rates = electric.snapshot.history.by_period[electric.reference[1]]
    weighted = sum(rates[code].value * kilometres[code].value for code in rates) / sum(
        kilometres[code].value for code in rates)
    assert weighted == electric.reference[0] == electric.snapshot.baseline, weighted
