"""Issue 17, the ninth fresh reader (/tmp/reader9/findings.md): the COPIL report's directorates in one
order, the card's colours, the late answer's words; the finding's number in each test's name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from matplotlib.figure import Figure

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.chart import WIDE, _draw_completeness
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.report import directorate_rows
from domain.summary.scope import Scope

TODAY = date(2026, 3, 1)  # 2025 is due
DIRECTORATES = [
    DirectorateInfo("DRC", "Direction de la restauration collective"),
    DirectorateInfo("DCP", "Direction de la commande publique"),
    DirectorateInfo("DEE", "Direction de l’environnement"),
]


def hours(code: str, directorate: str, values=()) -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code=code, label=f"Indicateur {code}", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=(directorate,), direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=Decimal(200), target_year=2028, values=tuple(values),
    )


def test_c1_the_chart_and_the_table_list_the_directorates_in_one_order_those_behind_first():
    """The chart gave DCP, DRC, DEE…, the table DEE, DCP, DRC…: the directorate behind (DEE) came
    first in the table only."""
    catalogue = [
        hours("IND-01", "DCP", [("2025", "DCP", 150)]),
        hours("IND-02", "DRC", [("2025", "DRC", 150)]),
        hours("IND-03", "DEE", [("2024", "DEE", 150)]),
    ]
    summary = compute_summary(catalogue, DIRECTORATES, TODAY, scope=Scope.everything())
    table = [row.directorate.code for row in directorate_rows(summary)]
    assert table == ["DEE", "DCP", "DRC"]

    axes = Figure(figsize=(WIDE.width_inches, 4)).add_axes((0.4, 0.3, 0.55, 0.6))
    _draw_completeness(axes, [row for row in summary.completeness if row.expected > 0], WIDE)
    chart = [label.get_text().replace("\n", " ") for label in axes.get_yticklabels()]
    assert [label.rsplit("(", 1)[1].rstrip(")") for label in chart] == table, chart
