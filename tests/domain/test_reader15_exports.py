"""Reader 15 on the exports and a directorate's own list: where a computed value belongs (m7), the
aggregation said as the catalogue declares it (m20), and what the XLSX says about itself (m21)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.sources import ORGANISATION_FROM_DECP
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.compute import compute_summary
from domain.summary.exports import values_csv, values_xlsx
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.organisation import Organisation
from domain.summary.scope import Scope
from tests.domain.test_reader14_exports import DECP, computed_share, emissions, kilometres, typed_hours

DIRECTORATES = [DirectorateInfo(code) for code in ("DCP", "DEE", "DMOB", "DPB")]
TODAY = date(2026, 12, 6)


def summary(*indicators: IndicatorSnapshot, scope: Scope = Scope.everything(), organisation: Organisation = Organisation()):
    return compute_summary(list(indicators), DIRECTORATES, TODAY, scope=scope, organisation=organisation)


def site_waste() -> IndicatorSnapshot:
    """IND-12 of the demo catalogue: « somme », entered by the DPB alone."""
    return IndicatorSnapshot(
        code="IND-12", label="Déchets de chantier valorisés", axis=Axis.ENVIRONMENTAL, unit=Unit.TONNES,
        frequency=Frequency.ANNUAL, directorates=("DPB",), direction=ImprovementDirection.UP, aggregation=AggregationRule.SUM,
        values=(("2025", "DPB", Decimal(1460)),),
    )


def single(indicator: IndicatorSnapshot) -> IndicatorSnapshot:
    """As the demo catalogue declares IND-07 and IND-13: « valeur unique »."""
    return replace(indicator, aggregation=AggregationRule.SINGLE)


def late_reserved() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-26", label="Montant des marchés réservés notifiés", axis=Axis.SOCIAL, unit=Unit.EURO,
        frequency=Frequency.HALF_YEARLY, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal(150000), target=Decimal(400000), target_year=2028, computed=True,
        values=(("2024-S1", "DCP", Decimal(150000), "", DECP), ("2026-S1", "DCP", Decimal(160000), "", DECP)),
    )


def test_a_value_computed_from_the_decp_belongs_to_the_whole_body_in_the_exports_as_in_the_chat():
    """m7: `Direction = DCP` for IND-24/25/26 in the CSV and XLSX, « Ensemble de l’organisme (calculé à
    partir des DECP) » in the chat."""
    both = summary(computed_share(), typed_hours())
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(values_csv(both).decode("utf-8-sig")), delimiter=";")}
    assert rows["IND-24"]["Direction"] == ORGANISATION_FROM_DECP and rows["IND-03"]["Direction"] == "DCP"
    sheet = load_workbook(io.BytesIO(values_xlsx(both)))["Valeurs"]
    header = [cell.value for cell in sheet[1]]
    shown = {row[0]: dict(zip(header, row))["Direction"] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert shown == {"IND-24": ORGANISATION_FROM_DECP, "IND-03": "DCP"}


def test_a_directorates_own_late_list_says_a_computed_indicator_has_nothing_to_enter():
    """m7: the DCP asking « qu’est-ce qui est en retard chez nous ? » was told IND-26 is late, as if it were theirs to enter."""
    own = late_answer(summary(late_reserved(), scope=Scope.only("DCP")))
    assert "**IND-26** (calculé à partir des DECP, rien à saisir) " in own, own
    everyone = late_answer(summary(late_reserved()))
    assert "**IND-26** " in everyone and "rien à saisir" not in everyone


def test_the_aggregation_says_the_catalogue_rule_and_when_one_directorate_reports_it():
    """m20: IND-12 « somme des directions » with « 1/1 », next to IND-07 « valeur unique de l’organisme »."""
    overview = load_workbook(io.BytesIO(values_xlsx(summary(site_waste(), single(emissions()), kilometres()))))["Synthèse"]
    header = [cell.value for cell in overview[2]]
    rows = {row[0]: dict(zip(header, row)) for row in overview.iter_rows(min_row=3, values_only=True)}
    assert rows["IND-12"]["Agrégation"] == "somme des directions (1\u00a0direction concernée)"
    assert rows["IND-12"]["Directions comptées"] == "1/1"
    assert rows["IND-07"]["Agrégation"] == "valeur unique de l’organisme"
    assert rows["IND-23"]["Agrégation"] == "somme des directions"


def test_the_spreadsheet_has_the_reports_title_and_is_made_by_the_assistant_or_the_organisation():
    """m21: author « openpyxl », no title."""
    properties = load_workbook(io.BytesIO(values_xlsx(summary(typed_hours())))).properties
    assert properties.title == "Synthèse SPASER – Toutes les directions · au 6\u00a0décembre\u00a02026"
    assert properties.creator == "Assistant SPASER"
    named = summary(typed_hours(), organisation=Organisation("Ville de Démoville"))
    properties = load_workbook(io.BytesIO(values_xlsx(named))).properties
    assert properties.title == "Synthèse SPASER – Ville de Démoville · Toutes les directions · au 6\u00a0décembre\u00a02026"
    assert properties.creator == "Ville de Démoville"
