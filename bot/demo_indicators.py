"""The demo catalogue (24 active indicators over the 7 demo directorates, 3 of them computed from
the DECP) and the values of the reported ones, generated relative to today so that the demo is
always current.

Each indicator gets `HISTORY_PERIODS` periods of values ending with the period due today, on a
path from its baseline towards its target drawn like the summary's (compute.py): most indicators
are ahead of it, some behind (`LATE`), some have reached the target (`REACHED`). What a newcomer
should find waiting:

- DCP (Nadia Benali's directorate, and the end-to-end run's contributor) has not reported the
  period due yet: her indicators are due, and the indicators DCP shares are incomplete;
- DEE has not reported IND-07 for the year due: its last value is a year older (stale);
- a summed indicator is split between its directorates (their shares add up to the total the
  target is about), a weighted mean gets each directorate's own rate and weight.

The catalogue's target years are written for `CATALOGUE_YEAR`; a later year moves them as much,
so the targets stay ahead.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.periods import Period, current_reporting_period
from domain.indicators.rules import IndicatorView
from domain.indicators.units import Unit, UnitKind
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues

DEMO_CATALOGUE = Path(__file__).with_name("demo_catalogue.csv")
CATALOGUE_YEAR = 2026
HISTORY_PERIODS = 4
LATE_DIRECTORATE = "DCP"
"""Has not reported the period due (the demo contributor's work waiting)."""
STALE = {("IND-07", "DEE")}
"""(indicator, directorate) that has not reported the period due either."""
PACE = Decimal("1.3")
"""Share of the expected way covered by an indicator on track (ahead of its path)."""
LATE = {"IND-12": Decimal("0.3"), "IND-13": Decimal("0.25"), "IND-22": Decimal("0.4")}
REACHED = frozenset({"IND-08", "IND-17", "IND-18"})
START = {"IND-15": Decimal(40), "IND-23": Decimal(240_000)}
"""First value of an indicator without baseline."""
SHARES = {"IND-03": (55, 45), "IND-10": (40, 60), "IND-15": (50, 30, 20), "IND-23": (75, 25)}
"""Percent of a summed indicator's total reported by each of its directorates, in catalogue order."""
RATE_SPREAD = {"IND-21": (Decimal(2), Decimal(-6))}
"""Each directorate's rate around the organisation's, for a weighted mean; weighted by their shares of the
base (`SHARES`: IND-23, 75 and 25), they average to it: the weighted mean of the first period is the
catalogue's baseline (reader 15, B1: 22,75 % measured against a baseline of 22 %)."""
_CONTEXT = Context(prec=28)
# A correction in the history of IND-03, made by the lead, to show the audit trail.
CORRECTED = ("IND-03", "DCP", Decimal(350), "Heures du chantier du collège ajoutées après le bilan du service de facilitation.")


def demo_catalogue(today: date) -> bytes:
    """The catalogue file with its target years moved by as many years as today is past `CATALOGUE_YEAR`."""
    shift = max(0, today.year - CATALOGUE_YEAR)
    rows = list(csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";"))
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row["annee_cible"]:
            row["annee_cible"] = str(int(row["annee_cible"]) + shift)
        writer.writerow(row)
    return output.getvalue().encode("utf-8")


def demo_periods(indicator: IndicatorView, today: date) -> list[Period]:
    """The `HISTORY_PERIODS` periods ending with the one due today, oldest first."""
    periods = [current_reporting_period(indicator.frequency, today)]
    while len(periods) < HISTORY_PERIODS:
        periods.append(periods[-1].previous())
    return periods[::-1]


def demo_series(indicator: IndicatorView, periods: list[Period], offset: int) -> list[Decimal]:
    """The organisation's values over `periods`, on the profile of the indicator (deterministic)."""
    with localcontext(_CONTEXT):
        start = indicator.baseline if indicator.baseline is not None else START.get(indicator.code, Decimal(40))
        if indicator.target is None:
            return [start * (1 + Decimal(step) / 20) for step in range(len(periods))]
        if indicator.code in REACHED:
            overshoot = Decimal("1.02") if indicator.improvement is ImprovementDirection.UP else Decimal("0.98")
            steps = len(periods) - 1
            return [start + (indicator.target * overshoot - start) * step / steps for step in range(len(periods))]
        pace = LATE.get(indicator.code, PACE)
        path_days = Decimal(max(1, (date(indicator.target_year, 12, 31) - periods[0].end).days))
        values = []
        for step, period in enumerate(periods):
            fraction = Decimal((period.end - periods[0].end).days) / path_days
            wobble = Decimal((offset + step) % 3 - 1) / 100 if 0 < step < len(periods) - 1 else Decimal(0)
            values.append(start + (indicator.target - start) * min(Decimal(1), fraction * pace) + start * wobble)
        return values


def directorate_values(indicator: IndicatorView, total: Decimal) -> dict[str, Decimal]:
    """Each responsible directorate's value: its share of a sum, its rate for a mean."""
    codes = indicator.directorates
    if indicator.aggregation_rule is AggregationRule.SUM and len(codes) > 1:
        shares = SHARES.get(indicator.code) or tuple(100 // len(codes) for _ in codes)
        return {code: total * share / 100 for code, share in zip(codes, shares)}
    spread = RATE_SPREAD.get(indicator.code) or tuple(Decimal(0) for _ in codes)
    return {code: total + delta for code, delta in zip(codes, spread)}


def _rounded(value: Decimal, unit: Unit) -> Decimal:
    whole = unit.kind is UnitKind.COUNT or unit in (Unit.EURO, Unit.HOURS, Unit.TONNES, Unit.TCO2E)
    value = max(Decimal(0), value.quantize(Decimal(1) if whole else Decimal("0.1"), rounding=ROUND_HALF_UP,
                                           context=_CONTEXT))
    return min(value, Decimal(100)) if unit.kind is UnitKind.PERCENTAGE else value


def _entered_at(period: Period, today: date, days_after: int, at: time) -> datetime:
    """A plausible entry date after the period, never later than yesterday, on a working day (reader
    10, C16: values entered « le dimanche 12 avril 2026 » looked made up)."""
    entered = datetime.combine(period.end + timedelta(days=days_after), at, tzinfo=UTC)
    entered = min(entered, datetime.combine(today - timedelta(days=1), time(17, 0), tzinfo=UTC))
    while entered.weekday() >= 5:  # Saturday, Sunday: the Friday before
        entered -= timedelta(days=1)
    return entered


async def load_demo_indicators(
    catalogue: IndicatorCatalogue, values: IndicatorValues, people_by_directorate: dict[str, int], lead_id: int
) -> dict[str, int]:
    """Import the catalogue (create or update) and, once, the values."""
    today = values.today()
    result = await catalogue.import_catalogue(demo_catalogue(today))
    if await values.has_values():
        return {"indicators": result.active_count, "values": 0}
    rows = []
    for offset, indicator in enumerate(await catalogue.list_indicators()):
        if indicator.computation is not Computation.REPORTED:
            continue  # from the demo's DECP file (bot/demo_decp.py)
        periods = demo_periods(indicator, today)
        series = demo_series(indicator, periods, offset)
        for directorate in indicator.directorates:
            skipped = directorate == LATE_DIRECTORATE or (indicator.code, directorate) in STALE
            for period, total in zip(periods[:-1] if skipped else periods, series):
                rows.append(
                    {
                        "code": indicator.code,
                        "directorate": directorate,
                        "period": period.code,
                        "value": _rounded(directorate_values(indicator, total)[directorate], indicator.unit),
                        "entered_by_id": people_by_directorate.get(directorate, lead_id),
                        "entered_at": _entered_at(period, today, 12, time(9, 30)),
                    }
                )
            if (indicator.code, directorate) == CORRECTED[:2]:
                last = rows[-1]
                rows.append(
                    {
                        **last,
                        "value": last["value"] + CORRECTED[2],
                        "comment": CORRECTED[3],
                        "entered_by_id": lead_id,
                        "entered_at": _entered_at(periods[-2], today, 20, time(14, 0)),
                    }
                )
    return {"indicators": result.active_count, "values": await values.seed_values(rows)}
