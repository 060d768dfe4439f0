"""The demo catalogue (23 active indicators over the 7 demo directorates, 3 of them computed from
the DECP) and a few past values of the reported ones.

Values go back three periods before the one due today, so « valeur de IND-03 » and
« historique de IND-03 » have something to show, while the period due today stays to be
entered: a newcomer trying `chat --as nadia.benali@…` has work waiting. The computed indicators
get theirs from the demo's DECP file (bot/demo_decp.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

from domain.indicators.aggregation import Computation
from domain.indicators.periods import current_reporting_period
from domain.indicators.rules import IndicatorView
from domain.indicators.values import Unit, UnitKind
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues

DEMO_CATALOGUE = Path(__file__).with_name("demo_catalogue.csv")
HISTORY_PERIODS = 3
_CONTEXT = Context(prec=28)
# A correction in the history of IND-03, made by the lead, to show the audit trail.
CORRECTED = ("IND-03", "DCP", Decimal("13450"), "Heures du chantier du collège ajoutées après le bilan du facilitateur.")


def demo_series(indicator: IndicatorView, count: int, offset: int) -> list[Decimal]:
    """`count` plausible values moving from the baseline towards the target (deterministic)."""
    values = []
    with localcontext(_CONTEXT):
        start = indicator.baseline if indicator.baseline is not None else Decimal(5 + offset % 20)
        end = indicator.target if indicator.target is not None else start * Decimal("1.5")
        for step in range(count):
            progress = Decimal(step + 1) / Decimal(count * 3)
            wobble = Decimal((offset + step) % 3 - 1) / Decimal(50)
            values.append(_rounded(start + (end - start) * progress + start.copy_abs() * wobble, indicator.unit))
    return values


def _rounded(value: Decimal, unit: Unit) -> Decimal:
    places = Decimal(1) if unit.kind is UnitKind.COUNT or unit in (Unit.EURO, Unit.HOURS, Unit.TONNES, Unit.TCO2E) else Decimal("0.1")
    value = max(Decimal(0), value.quantize(places, rounding=ROUND_HALF_UP, context=_CONTEXT))
    return min(value, Decimal(100)) if unit.kind is UnitKind.PERCENTAGE else value


async def load_demo_indicators(
    catalogue: IndicatorCatalogue, values: IndicatorValues, people_by_directorate: dict[str, int], lead_id: int) -> dict[str, int]:
    """Import the catalogue (create or update) and, once, the past values."""
    result = await catalogue.import_catalogue(DEMO_CATALOGUE.read_bytes())
    if await values.has_values():
        return {"indicators": result.active_count, "values": 0}
    today = values.today()
    rows = []
    for offset, indicator in enumerate(await catalogue.list_indicators()):
        if indicator.computation is not Computation.REPORTED:
            continue
        due = current_reporting_period(indicator.frequency, today)
        periods = []
        period = due
        for _ in range(HISTORY_PERIODS):
            period = period.previous()
            periods.append(period)
        periods.reverse()
        for directorate in indicator.directorates:
            series = demo_series(indicator, len(periods), offset + sum(map(ord, directorate)))
            for period, value in zip(periods, series):
                rows.append(
                    {
                        "code": indicator.code,
                        "directorate": directorate,
                        "period": period.code,
                        "value": value,
                        "entered_by_id": people_by_directorate.get(directorate, lead_id),
                        "entered_at": datetime.combine(period.end + timedelta(days=12), time(9, 30), tzinfo=UTC),
                    }
                )
            if (indicator.code, directorate) == CORRECTED[:2]:
                last = periods[-1]
                rows.append(
                    {
                        "code": indicator.code,
                        "directorate": directorate,
                        "period": last.code,
                        "value": CORRECTED[2],
                        "comment": CORRECTED[3],
                        "entered_by_id": lead_id,
                        "entered_at": datetime.combine(last.end + timedelta(days=20), time(14, 0), tzinfo=UTC),
                    }
                )
    return {"indicators": result.active_count, "values": await values.seed_values(rows)}
