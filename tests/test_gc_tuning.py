"""Full garbage collections skip what the bot keeps for its whole life (bot/gc_tuning.py), and the
summary walks each indicator's history once, not at every « synthèse »."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal

from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from bot.summary.compute import compute_summary
from bot.summary.model import IndicatorSnapshot, Scope
from storage.catalogue_csv import Axis, ImprovementDirection
from storage.indicator_values import Unit
from storage.periods import Frequency
from tests.conftest import make_settings


async def test_a_started_app_freezes_its_start_up_objects_and_a_stopped_one_releases_them(tmp_path):
    client = TestClient(TestServer(create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'gc.db'}"))))
    await client.start_server()
    try:
        await client.server.app[RUNTIME].settled()
        frozen = gc.get_freeze_count()
    finally:
        await client.close()

    assert frozen > 10_000, "the recognizers, the libraries' metadata and the summary's values are frozen"
    assert gc.get_freeze_count() == 0


def snapshot() -> IndicatorSnapshot:
    values = [
        (f"{year}-T{quarter}", directorate, Decimal(year - 2000 + quarter), "")
        for year in (2024, 2025, 2026)
        for quarter in (1, 2, 3, 4)
        for directorate in ("DCP", "DPB")
        if (year, quarter) <= (2026, 3) and not (directorate == "DPB" and (year, quarter) == (2026, 3))
    ]
    return IndicatorSnapshot(
        code="IND-01", label="Test", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.QUARTERLY,
        directorates=("DCP", "DPB"), direction=ImprovementDirection.UP, baseline=Decimal(10),
        target=Decimal(50), target_year=2030, values=values,
    )


def test_an_indicators_history_is_grouped_once_and_in_period_order():
    indicator = snapshot()
    history = indicator.history

    assert indicator.history is history
    assert [period.code for period in history.by_period] == [
        f"{year}-T{quarter}" for year in (2024, 2025, 2026) for quarter in (1, 2, 3, 4) if (year, quarter) <= (2026, 3)
    ]
    assert set(history.by_key[(2026, 3)]) == {"DCP"}
    assert {code: value.period.code for code, value in history.latest_by_directorate.items()} == {
        "DCP": "2026-T3", "DPB": "2026-T2"
    }


def test_a_summary_computed_twice_from_the_same_snapshots_is_the_same():
    indicators = [snapshot()]
    first = compute_summary(indicators, ["DCP", "DPB"], date(2026, 11, 30), scope=Scope.everything())
    second = compute_summary(indicators, ["DCP", "DPB"], date(2026, 11, 30), scope=Scope.everything())

    assert first == second
    [line] = [line for section in first.sections for line in section.lines]
    assert (line.latest_period.code, line.reporting_count) == ("2026-T2", 2), "a sum waits for every directorate"
    [missing] = [row for row in first.completeness if row.directorate.code == "DPB"]
    assert [report.indicator_code for report in missing.missing] == ["IND-01"]
