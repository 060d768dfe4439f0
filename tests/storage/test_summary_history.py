"""The summary walks each indicator's history once per snapshot, not at every « synthèse », and a
value recorded updates the cached snapshot in place of a full rebuild, with the same result."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.rules import ValueEntry
from domain.indicators.units import Unit
from domain.summary.compute import compute_summary
from domain.summary.model import IndicatorSnapshot
from domain.summary.scope import Scope
from storage.people import DirectorateRepository
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService
from tests.summary_support import organisation, seed_catalogue


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


def test_replacing_values_keeps_the_others_as_they_are_and_checks_the_new_ones():
    indicator = snapshot()
    updated = indicator.with_values_replaced([("2026-T3", "dpb", "31", " en  retard "), ("2026-T2", "DCP", 99, "")])

    assert updated.history is not indicator.history
    assert len(updated.values) == len(indicator.values) + 1
    unchanged = [value for value in updated.values if (value.directorate, value.period.code) not in
                 {("DPB", "2026-T3"), ("DCP", "2026-T2")}]
    assert all(any(value is old for old in indicator.values) for value in unchanged)
    assert updated.history.by_key[(2026, 3)]["DPB"].value == Decimal(31)
    assert updated.history.by_key[(2026, 3)]["DPB"].comment == "en retard"
    assert updated.history.by_key[(2026, 2)]["DCP"].value == Decimal(99)
    assert updated == dataclasses.replace(indicator, values=updated.values)


async def test_a_summary_after_new_values_and_corrections_is_what_a_fresh_read_gives(database, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    catalogue, values = await seed_catalogue(database, clock, people["lead"].id)

    def service() -> SummaryService:
        return SummaryService(SummaryRepository(database), catalogue, DirectorateRepository(database), clock,
                              "Europe/Paris")

    running, lead, today = service(), people["lead"], values.today()
    await running.summary(Scope.everything())
    for directorate, value in (("DCP", 200), ("DPB", 100), ("DPB", 110), ("DCP", 205)):
        await values.record_value(lead, directorate, ValueEntry("SOC-01", "2026-T3", Decimal(value)), today)
        assert await running.summary(Scope.everything()) == await service().summary(Scope.everything())
