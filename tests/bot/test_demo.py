"""The demo organisation is generated relative to today: whatever the date, its summary is current
and shows indicators reached, on track, late, stale and missing, each aggregated by its rule."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.demo import load_demo
from bot.demo_indicators import DEMO_CATALOGUE
from bot.runtime import build_runtime
from domain.clock import FakeClock
from domain.indicators.aggregation import AggregationRule
from domain.summary.model import Scope, Status
from domain.summary.wording import target_text, value_text
from tests.conftest import make_settings


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


async def demo_summary(database, now: datetime, folder):
    runtime = build_runtime(make_settings(database.url), database=database, clock=FakeClock(now))
    await load_demo(runtime, "demo-tenant", folder)
    return await runtime.summary.summary(Scope.everything())


def test_every_demo_indicator_declares_how_its_directorates_values_add_up():
    rows = list(csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";"))
    assert all(row["agregation"] for row in rows), [row["code"] for row in rows if not row["agregation"]]
    by_code = {row["code"]: row for row in rows}
    # IND-07 (purchase emissions) is the organisation's total, reported once: never summed again.
    assert by_code["IND-07"]["agregation"] == "valeur unique"
    assert by_code["IND-21"]["agregation"] == "moyenne pondérée" and by_code["IND-21"]["base_ponderation"] == "IND-23"


def test_demo_labels_cite_the_code_as_legal_texts_do():
    rows = list(csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";"))
    by_code = {row["code"]: row for row in rows}
    assert plain(by_code["IND-06"]["libelle"]) == "Nombre de marchés réservés (articles L. 2113-12 et L. 2113-13)"


@pytest.mark.parametrize("now", [datetime(2026, 12, 4, 9, tzinfo=UTC), datetime(2031, 5, 20, 9, tzinfo=UTC)])
async def test_the_demo_summary_is_current_on_any_date_and_shows_every_kind_of_indicator(sqlite_database, now, tmp_path):
    summary = await demo_summary(sqlite_database, now, tmp_path)
    lines = {line.code: line for line in summary.lines}
    counts = summary.status_counts

    assert len(lines) == 24  # 3 of them computed from the DECP
    assert all(counts[status] >= 1 for status in Status), counts
    # Directorates other than DCP (whose contributor has work waiting) reported the period due.
    up_to_date = [row.directorate.code for row in summary.completeness if row.is_complete]
    assert set(up_to_date) == {"DMOB", "DPB", "DRC", "DRH", "DSI"}
    assert lines["IND-08"].status is Status.ACHIEVED and lines["IND-12"].status is Status.LATE
    assert lines["IND-09"].status is Status.ON_TRACK and lines["IND-21"].status is Status.ON_TRACK
    # IND-07: DEE has not reported the year due, its last value is a year older.
    stale = lines["IND-07"]
    assert stale.status is Status.NOT_REPORTED and stale.is_stale
    assert plain(value_text(stale)).endswith(f"en {stale.due_period.year - 1} ; l’année {stale.due_period.year} reste à remonter")
    # A sum shared by directorates is split between them: the total stays on the target's scale.
    hours = lines["IND-03"]
    assert hours.aggregation is AggregationRule.SUM and Decimal(12_500) <= hours.latest_value <= Decimal(20_000)
    assert hours.status is Status.NOT_REPORTED and hours.pending_count == 1  # DPB reported, DCP not yet
    assert lines["IND-21"].aggregation is AggregationRule.WEIGHTED_MEAN and not lines["IND-21"].unweighted
    # Issue 17: a count says what it counts, value and target alike (« 2 repas végétariens »).
    meals = lines["IND-18"]
    assert plain(value_text(meals)).startswith(f"{meals.latest_value:f} repas végétariens ")
    assert plain(target_text(meals)) == f"cible : 2 repas végétariens en {meals.snapshot.target_year}"
