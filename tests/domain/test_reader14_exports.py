"""Reader 14 on the exports (CSV, XLSX) and the public page: who or what produced a value, its
decimals and unit as the reports show them, the reference value progress starts from, and the
adopted SPASER's placeholder."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.sources import SourceKind, ValueSource
from domain.indicators.units import Unit, unit_name
from domain.public_page import (
    CSV_COLUMNS,
    PublicSpaser,
    public_indicators,
    public_page_csv,
    public_page_html,
    public_page_xlsx,
)
from domain.summary.compute import compute_summary
from domain.summary.exports import values_csv, values_xlsx
from domain.summary.model import DirectorateInfo, EntryRecord, IndicatorSnapshot, ReportedValue
from domain.summary.scope import Scope

IMPORTED_AT = datetime(2026, 12, 6, 18, 44, 27, 614000, tzinfo=UTC)
DECP = ValueSource(SourceKind.DECP_IMPORT, "decp.json", 3, IMPORTED_AT, "Camille Martin")


def computed_share() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-24", label="Part des marchés notifiés avec une considération sociale, en montant", axis=Axis.SOCIAL,
        unit=Unit.PERCENT, frequency=Frequency.QUARTERLY, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal(25), target=Decimal(30), target_year=2030, computed=True,
        values=(ReportedValue("2024-T1", "DCP", Decimal("18.6"), "775 000 € sur 4 157 860 €", DECP),),
    )


def typed_hours() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-03", label="Heures d’insertion", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.QUARTERLY,
        directorates=("DCP",), direction=ImprovementDirection.UP, values=(("2026-T3", "DCP", Decimal(900)),),
    )


def kilometres() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-23", label="Kilomètres parcourus par les véhicules de service", axis=Axis.ENVIRONMENTAL,
        unit=Unit.COUNT, frequency=Frequency.HALF_YEARLY, directorates=("DMOB", "DPB"), direction=ImprovementDirection.UP,
        counted_noun="kilomètre", aggregation=AggregationRule.SUM,
        values=(("2026-S1", "DMOB", Decimal(180000)), ("2026-S1", "DPB", Decimal(96000))),
    )


def electric_share() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-21", label="Part des kilomètres parcourus en véhicules électriques", axis=Axis.ENVIRONMENTAL,
        unit=Unit.PERCENT, frequency=Frequency.HALF_YEARLY, directorates=("DMOB", "DPB"), direction=ImprovementDirection.UP,
        baseline=Decimal(22), target=Decimal(50), target_year=2030, aggregation=AggregationRule.MEAN,
        values=(("2026-S1", "DMOB", Decimal("31.8")), ("2026-S1", "DPB", Decimal("31.9"))),
    )


def emissions() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-07", label="Émissions de gaz à effet de serre liées aux achats", axis=Axis.ENVIRONMENTAL,
        unit=Unit.TCO2E, frequency=Frequency.ANNUAL, directorates=("DEE",), direction=ImprovementDirection.DOWN,
        values=(("2025", "DEE", Decimal(45365)),),
    )


DIRECTORATES = [DirectorateInfo(code) for code in ("DCP", "DEE", "DMOB", "DPB")]
ENTRIES = {
    ("IND-24", "DCP", "2024-T1"): EntryRecord(IMPORTED_AT, "Camille Martin"),
    ("IND-03", "DCP", "2026-T3"): EntryRecord(datetime(2026, 10, 12, 8, 30, 12, tzinfo=UTC), "Nadia Benali"),
}


def summary(*indicators: IndicatorSnapshot):
    return compute_summary(list(indicators), DIRECTORATES, date(2026, 12, 6), scope=Scope.everything())


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_a_value_computed_from_the_decp_is_not_credited_to_a_person_as_typed_in():
    """B4: « Saisie le 06/12/2026 19:44 · Saisie par Camille Martin » for a 1st-quarter 2024 share nobody typed."""
    both = summary(computed_share(), typed_hours())
    rows = {row["Code"]: row for row in csv_rows(values_csv(both, ENTRIES))}
    assert "Saisie par" not in rows["IND-24"] and "Saisie le" not in rows["IND-24"]
    assert rows["IND-24"]["Origine"] == "calcul automatique (DECP importées par Camille Martin)"
    assert rows["IND-24"]["Enregistré le"] == "06/12/2026 19:44"
    assert rows["IND-03"]["Origine"] == "saisie par Nadia Benali"

    sheet = load_workbook(io.BytesIO(values_xlsx(both, ENTRIES)))["Valeurs"]
    header = [cell.value for cell in sheet[1]]
    by_code = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["IND-24"]["Origine"] == "calcul automatique (DECP importées par Camille Martin)"
    assert by_code["IND-03"]["Origine"] == "saisie par Nadia Benali"
    # To the minute, as the CSV: 19:44:27.614 in Excel's formula bar was a precision nobody entered.
    assert by_code["IND-24"]["Enregistré le"] == datetime(2026, 12, 6, 19, 44)
    assert by_code["IND-03"]["Enregistré le"] == datetime(2026, 10, 12, 10, 30)


def test_the_spreadsheet_shows_a_mean_with_the_reports_one_decimal_and_stays_a_number():
    """m6: IND-21 « 31,85 % » in the XLSX, « 31,9 % » on the card, in the PDF and on the public page."""
    overview = load_workbook(io.BytesIO(values_xlsx(summary(electric_share()))))["Synthèse"]
    header = [cell.value for cell in overview[2]]
    latest = overview.cell(row=3, column=header.index("Dernière valeur") + 1)
    assert latest.value == 31.9 and latest.number_format == '#,##0.0\u00a0"%"'


def test_the_exports_name_units_as_the_definitions_do_never_by_their_stored_code():
    """m7: « nombre » for kilometres, « tCO2e », « % »."""
    assert Unit.TCO2E.display_name == "tonnes équivalent CO₂"
    assert unit_name(Unit.COUNT, "kilomètre") == "nombre de kilomètres"
    all_three = summary(kilometres(), emissions(), electric_share())
    units = {row["Code"]: row["Unité"] for row in csv_rows(values_csv(all_three))}
    assert units == {"IND-23": "nombre de kilomètres", "IND-07": "tonnes équivalent CO₂", "IND-21": "pourcentage (%)"}
    workbook = load_workbook(io.BytesIO(values_xlsx(all_three)))
    for sheet, header_row in ((workbook["Synthèse"], 2), (workbook["Valeurs"], 1)):
        column = [cell.value for cell in sheet[header_row]].index("Unité")
        shown = {row[0]: row[column] for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)}
        assert shown["IND-23"] == "nombre de kilomètres" and shown["IND-07"] == "tonnes équivalent CO₂"


def test_the_spreadsheet_calls_the_period_due_as_the_reports_do():
    """m8: « Période due » in the XLSX, « période à renseigner » in the reports and the reading rules."""
    overview = load_workbook(io.BytesIO(values_xlsx(summary(typed_hours()))))["Synthèse"]
    header = [cell.value for cell in overview[2]]
    assert "Période à renseigner" in header and "Période due" not in header


def reserved_amount() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-26", label="Montant des marchés réservés notifiés", axis=Axis.SOCIAL, unit=Unit.EURO,
        frequency=Frequency.HALF_YEARLY, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal(150000), target=Decimal(400000), target_year=2028,
        values=(("2024-S1", "DCP", Decimal(418100)), ("2026-S1", "DCP", Decimal(260100))),
    )


def test_the_public_page_shows_the_reference_value_the_progress_starts_from_with_its_period():
    """m9: « la progression depuis la valeur de référence », a reference shown nowhere: « 44 % du chemin
    parcouru » could not be reconciled with values above the target."""
    (line,) = summary(reserved_amount()).lines
    spaser = PublicSpaser("Ville de Démoville", None, (), public_indicators([line], set(), {}), date(2026, 12, 6))
    html = public_page_html(spaser).replace("\u202f", " ")
    assert "44\u00a0% du chemin parcouru vers la cible" in html
    # reader 15, B1: a declared baseline is not dated by a period whose measure differs (418 100 € then)
    assert ('<span class="note">Référence du catalogue\u00a0: 150 000\u00a0€, trajectoire depuis la fin du '
            '1er\u00a0semestre 2024</span>') in html
    assert "depuis la valeur de référence, indiquée sous la cible" in html
    (row,) = csv.DictReader(io.StringIO(public_page_csv(spaser).decode()))
    assert (row["valeur_reference"], row["periode_reference"]) == ("150000", "2024-S1")
    assert list(CSV_COLUMNS).index("periode_reference") == list(CSV_COLUMNS).index("valeur_reference") + 1
    sheet = load_workbook(io.BytesIO(public_page_xlsx(spaser))).active
    (header, values) = list(sheet.iter_rows(values_only=True))
    shown = dict(zip(header, values))
    assert (shown["Valeur de référence"], shown["Période de référence"]) == (150000, "1er\u00a0semestre 2024")


def page_with(contact: str = "", title: str | None = None) -> str:
    return public_page_html(PublicSpaser("Ville de Démoville", title, (), (), date(2026, 12, 6), contact=contact))


def test_the_adopted_spaser_section_gives_somewhere_to_write_or_is_left_out():
    """m11: « vous pouvez le demander à la Ville de Démoville » with no address, on a public page."""
    assert "Le SPASER adopté" not in page_with() and "le demander" not in page_with()
    mail = page_with("achats-responsables@demoville.fr")
    assert ("vous pouvez le demander à la Ville de Démoville en écrivant à "
            '<a href="mailto:achats-responsables@demoville.fr">achats-responsables@demoville.fr</a>.</p>') in mail
    postal = page_with("Direction de la commande publique, 1 place de la Mairie <Démoville>")
    assert "en écrivant à Direction de la commande publique, 1 place de la Mairie &lt;Démoville&gt;.</p>" in postal
    adopted = page_with(title="SPASER 2026-2030 de la Ville de Démoville")
    assert "Le SPASER adopté" in adopted and "<p>SPASER 2026-2030 de la Ville de Démoville</p>" in adopted
