"""The demo organisation is generated relative to today: whatever the date, its summary is current
and shows indicators reached, on track, late, stale and missing, each aggregated by its rule."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.demo import load_demo
from bot.demo_indicators import DEMO_CATALOGUE
from bot.runtime import build_runtime
from domain.clock import FakeClock
from domain.indicators.aggregation import AggregationRule
from domain.summary.indicator_wording import target_text, value_text
from domain.summary.model import Status
from domain.summary.scope import Scope
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
    # Reader 10, C14: one label everywhere, the articles as a note.
    assert plain(by_code["IND-06"]["libelle"]) == "Nombre de marchés réservés"
    assert plain(by_code["IND-06"]["base_legale"]) == (
        "marchés réservés au sens des articles L. 2113-12 et L. 2113-13 du code de la commande publique")


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
    assert lines["IND-21"].status is Status.ON_TRACK
    # On its path to 60 %, but under the 50 % the loi EGalim requires now: said so, never « en bonne voie ».
    egalim = lines["IND-09"]
    assert egalim.latest_value < 50 and egalim.status is Status.OUTSIDE_LEGAL_LIMIT
    assert plain(egalim.legal_breach) == "sous le minimum légal de 50 % (loi EGalim)"
    assert lines["IND-17"].status is Status.ACHIEVED  # 20 % organic: above its floor, unchanged
    # IND-07: DEE has not reported the year due, its last value is a year older.
    stale = lines["IND-07"]
    assert stale.status is Status.NOT_REPORTED and stale.is_stale
    assert plain(value_text(stale)).endswith(f"en {stale.due_period.year - 1} ; l’année {stale.due_period.year} reste à saisir")
    # A sum shared by directorates is split between them: the total stays on the target's scale.
    hours = lines["IND-03"]
    assert hours.aggregation is AggregationRule.SUM and Decimal(12_500) <= hours.latest_value <= Decimal(20_000)
    assert hours.status is Status.NOT_REPORTED and hours.pending_count == 1  # DPB reported, DCP not yet
    assert lines["IND-21"].aggregation is AggregationRule.WEIGHTED_MEAN and not lines["IND-21"].unweighted
    # Issue 17: a count says what it counts, value and target alike (« 2 repas végétariens »).
    meals = lines["IND-18"]
    assert plain(value_text(meals)).startswith(f"{meals.latest_value:f} repas végétariens ")
    # Reader 1, B7: a rate says so (« 2 repas végétariens au 3ᵉ trimestre » read as two meals in the quarter).
    assert plain(value_text(meals)).startswith(f"{meals.latest_value:f} repas végétariens par semaine ")
    assert plain(target_text(meals)) == f"cible : 2 repas végétariens par semaine en {meals.snapshot.target_year}"


def test_the_demo_organisation_has_one_name_on_the_public_page_the_report_and_in_the_e2e_run():
    """Reader 1, A7: « Ville de Démoville (organisme fictif) » on the public page, « Ville de Démo-sur-Loire »
    on the report and the cards."""
    from pathlib import Path

    from bot.demo import DEMO_ORGANISATION

    run_sh = (Path(__file__).parents[2] / "e2e" / "run.sh").read_text(encoding="utf-8")
    assert f'SPASER_ORGANISATION_NAME="{DEMO_ORGANISATION}"' in run_sh
    assert "(" not in DEMO_ORGANISATION


async def test_the_demo_names_its_public_page_after_the_configured_organisation(sqlite_database, tmp_path):
    from domain.summary.organisation import Organisation

    settings = make_settings(sqlite_database.url)
    settings = dataclasses.replace(settings, organisation=Organisation("Ville de Rivebelle"))
    runtime = build_runtime(settings, database=sqlite_database, clock=FakeClock(datetime(2026, 12, 4, 9, tzinfo=UTC)))
    await load_demo(runtime, "demo-tenant", tmp_path)
    assert (await runtime.public_page.state()).organisation_name == "Ville de Rivebelle"


def test_demo_targets_are_not_below_the_legal_obligations():
    """Reader 1, C12: EGalim asks 50 % of sustainable products, 20 % organic, since 2022; the Climate and
    Resilience law an environmental consideration in every procurement launched from 22 August 2026."""
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";")}
    assert Decimal(rows["IND-09"]["cible"]) > 50 and Decimal(rows["IND-17"]["cible"]) > 20
    for code in ("IND-01", "IND-25"):
        assert (rows[code]["cible"], rows[code]["annee_cible"]) == ("100", "2027"), code
    # Reader 1, B7: a rate says its time unit (« 2 repas végétariens au 3ᵉ trimestre » read as two meals).
    assert "par semaine" in rows["IND-18"]["unite_libelle"] and "par trimestre" in rows["IND-03"]["libelle"]


def test_demo_values_are_entered_on_working_days():
    """Reader 10, C16: « le dimanche 12 avril 2026 à 11 h 30 » looked made up to a town hall."""
    from datetime import date, time

    from bot.demo_indicators import _entered_at
    from domain.indicators.periods import parse_period

    days = {
        _entered_at(parse_period(code), date(2026, 12, 6), after, time(9, 30)).weekday()
        for code in ("2025", "2026-S1", "2026-T1", "2026-T2", "2026-T3", "2025-T4")
        for after in range(0, 30)
    }
    assert days and max(days) <= 4, days
