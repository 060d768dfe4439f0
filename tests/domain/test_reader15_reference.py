"""Reader 15, B1 and m6: the reference the status, the path and the progress start from is the one the
reading rules describe (the catalogue's baseline, or else the first value), the report prints it with
its period, and a progress below the reference is one negative figure everywhere, said as such."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.public_page import PublicSpaser, public_indicators, public_page_html
from domain.summary.compute import compute_summary
from domain.summary.exports import values_xlsx
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.reading_rules import rules_items
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope


def reserved(baseline: Decimal | None) -> IndicatorSnapshot:
    """IND-26 of the demo: 179 100 € at first, 88 900 € now, below where it started."""
    return IndicatorSnapshot(
        code="IND-26", label="Montant des marchés réservés notifiés", axis=Axis.SOCIAL, unit=Unit.EURO,
        frequency=Frequency.HALF_YEARLY, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=baseline, target=Decimal(400000), target_year=2028,
        values=(("2024-S1", "DCP", Decimal(179100)), ("2026-S1", "DCP", Decimal(88900))),
    )


def summary(snapshot: IndicatorSnapshot):
    return compute_summary([snapshot], [DirectorateInfo("DCP")], date(2026, 12, 6), scope=Scope.everything())


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def pdf_text(data: bytes) -> str:
    return plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_reading_rules_name_the_catalogue_baseline_not_the_end_of_the_first_period():
    rules = plain(" ".join(rules_items(summary(reserved(Decimal(150000))))))
    assert "valeur de référence (à la fin de la première période renseignée)" not in rules
    assert "la valeur de référence déclarée dans le catalogue du SPASER, à défaut la première valeur renseignée" in rules


def test_the_report_prints_the_reference_the_figures_start_from():
    declared, first = summary(reserved(Decimal(150000))), summary(reserved(None))
    for render in (lambda s: plain(report_html(s).decode()), lambda s: pdf_text(report_pdf(s))):
        assert "référence du catalogue : 150 000 €, trajectoire depuis la fin du 1er semestre 2024" in render(declared)
        assert "référence : 179 100 € au 1er semestre 2024 (première valeur)" in render(first)


def test_a_progress_below_the_reference_is_the_same_negative_figure_said_everywhere():
    line = summary(reserved(None)).lines[0]
    assert round(line.progress_percent, 1) == -40.8
    overview = load_workbook(io.BytesIO(values_xlsx(summary(reserved(None)))))["Synthèse"]
    header = [cell.value for cell in overview[2]]
    assert overview.cell(3, header.index("Avancement (%)") + 1).value == -40.8
    spaser = PublicSpaser("Ville de Démoville", None, (), public_indicators([line], set(), {}), date(2026, 12, 6))
    html = plain(public_page_html(spaser))
    assert "-41 % du chemin parcouru vers la cible (valeur actuelle en deçà de la référence)" in html
    assert "0 % du chemin parcouru" not in html.replace("-41 %", "")
    assert "valeur actuelle en deçà de la référence" in plain(report_html(summary(reserved(None))).decode())
