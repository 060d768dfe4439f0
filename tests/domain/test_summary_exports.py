"""Exports of the summary: CSV and XLSX read back, HTML and PDF reports with the directorates' comments."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.compute import compute_summary
from domain.summary.exports import VALUE_COLUMNS, export_filename, number_format, values_csv, values_xlsx
from domain.summary.model import DirectorateInfo, EntryRecord, IndicatorSnapshot, UpcomingMeeting
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.text import unbreakable

TODAY = date(2026, 3, 1)
EVERYONE = Scope.everything()
DIRECTORATES = [DirectorateInfo("DRC", "Ressources et commande"), DirectorateInfo("DCP", "Commande publique")]
DRC_COMMENT = "Clause d’insertion ajoutée au marché de nettoyage ; 1 200 h attendues."
DCP_COMMENT = "Retard dû au renouvellement du marché <voirie> & co."
FORMULA_COMMENT = "=HYPERLINK(\"http://exemple.test\";\"clic\")"


def catalogue():
    return [
        IndicatorSnapshot(
            code="SOC-01", label="Heures d’insertion réalisées", axis=Axis.SOCIAL, unit=Unit.HOURS,
            frequency=Frequency.ANNUAL, directorates=("DRC", "DCP"), direction=ImprovementDirection.UP,
            baseline=Decimal(100), target=Decimal(2000), target_year=2027,
            values=(("2024", "DRC", Decimal("50.5")), ("2024", "DCP", Decimal(60)),
                    ("2025", "DRC", Decimal("1200.25"), DRC_COMMENT), ("2025", "DCP", Decimal(80), DCP_COMMENT)),
        ),
        IndicatorSnapshot(
            code="ENV-02", label="Part des marchés avec une considération environnementale", axis=Axis.ENVIRONMENTAL,
            unit=Unit.PERCENT, frequency=Frequency.ANNUAL, directorates=("DCP",), direction=ImprovementDirection.UP,
            values=(("2025", "DCP", Decimal("12.5"), FORMULA_COMMENT),),
        ),
    ]


ENTRIES = {
    ("SOC-01", "DRC", "2025"): EntryRecord(datetime(2026, 1, 12, 8, 30, tzinfo=UTC), "Sophie Laurent"),
    ("SOC-01", "DCP", "2025"): EntryRecord(datetime(2026, 1, 14, 15, 5, tzinfo=UTC), "=Nadia"),
}


def summary(**options):
    meetings = [UpcomingMeeting("Comité de pilotage", datetime(2026, 4, 2, 8, 0, tzinfo=UTC), "Hôtel de ville")]
    options.setdefault("scope", EVERYONE)
    return compute_summary(catalogue(), DIRECTORATES, TODAY, next_meetings=meetings, **options)


def test_csv_has_a_bom_semicolons_french_headers_decimals_and_dates_and_reads_back():
    data = values_csv(summary(), ENTRIES)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Code", "Indicateur", "Axe", "Unité", "Direction", "Période", "Valeur", "Cible", "Année cible",
                       "Enregistré le", "Origine", "Commentaire"]
    body = rows[1:]
    assert len(body) == 5
    # Entered at 8:30 UTC on 12 January: 9:30 in Paris, the bot's time zone.
    assert ["SOC-01", "Heures d’insertion réalisées", "social", "heures", "DRC", "2025", "1200,25", "2000", "2027",
            "12/01/2026 09:30", "saisie par Sophie Laurent", DRC_COMMENT] in body
    assert ["SOC-01", "Heures d’insertion réalisées", "social", "heures", "DRC", "2024", "50,5", "2000", "2027",
            "", "", ""] in body
    values = sorted(Decimal(row[6].replace(",", ".")) for row in body)
    assert values == sorted([Decimal("50.5"), Decimal(60), Decimal("1200.25"), Decimal(80), Decimal("12.5")])


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    rows = list(csv.reader(io.StringIO(values_csv(summary(), ENTRIES).decode("utf-8-sig")), delimiter=";"))
    comments = [row[11] for row in rows[1:]]
    assert "'" + FORMULA_COMMENT in comments and FORMULA_COMMENT not in comments
    assert "saisie par =Nadia" in [row[10] for row in rows[1:]]  # « saisie par » first: never a formula


def test_xlsx_opens_with_openpyxl_with_numbers_and_dates_typed_and_formulas_as_text():
    workbook = load_workbook(io.BytesIO(values_xlsx(summary(), ENTRIES)))
    assert workbook.sheetnames == ["Synthèse", "Valeurs"]
    values = workbook["Valeurs"]
    rows = list(values.iter_rows(values_only=True))
    assert rows[0] == VALUE_COLUMNS
    by_key = {(row[0], row[4], row[5]): row for row in rows[1:]}
    row = by_key[("SOC-01", "DRC", "2025")]
    assert row[6] == 1200.25 and row[7] == 2000 and row[8] == 2027
    assert row[9] == datetime(2026, 1, 12, 9, 30) and row[10] == "saisie par Sophie Laurent" and row[11] == DRC_COMMENT
    entered = next(cell for cell in values["J"] if cell.value == datetime(2026, 1, 12, 9, 30))
    assert entered.is_date and entered.number_format == "dd/mm/yyyy hh:mm"
    formula_cell = next(cell for row in values.iter_rows(min_row=2) for cell in row if cell.value == FORMULA_COMMENT)
    assert formula_cell.data_type == "s"
    author_cell = next(cell for row in values.iter_rows(min_row=2) for cell in row if cell.value == "saisie par =Nadia")
    assert author_cell.data_type == "s"
    overview = list(workbook["Synthèse"].iter_rows(values_only=True))
    assert overview[0][0].startswith("Synthèse SPASER – Toutes les directions")
    assert overview[1][:9] == ("Code", "Indicateur", "Axe", "Unité", "Statut", "Dernière valeur", "Période",
                               "Période à renseigner", "Directions comptées")
    assert overview[2][0] == "SOC-01" and overview[2][4] == "en bonne voie" and overview[2][10] == 2000
    assert overview[2][9] == "somme des directions"


def test_xlsx_number_formats_never_leave_a_dangling_decimal_comma():
    # `#,##0.####` showed 28 700 as « 28 700, » in Excel: each number gets exactly its decimals.
    workbook = load_workbook(io.BytesIO(values_xlsx(summary(), ENTRIES)))
    numbers = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
               if isinstance(cell.value, (int, float)) and not cell.is_date]
    assert numbers
    for cell in numbers:
        pattern = cell.number_format.split("\u00a0")[0]
        assert not re.search(r"\.0*#", pattern), cell.number_format
        whole = float(cell.value).is_integer()
        assert ("." in pattern) is (not whole), (cell.value, cell.number_format)
    assert number_format(Decimal(28700), Unit.HOURS) == "#,##0"
    assert number_format(Decimal("12.5"), Unit.PERCENT) == '#,##0.0\u00a0"%"'
    assert number_format(Decimal("850000"), Unit.EURO) == '#,##0\u00a0"€"'
    assert number_format(Decimal("12.5"), Unit.EURO) == '#,##0.00\u00a0"€"'
    assert number_format(Decimal("1200.25"), Unit.HOURS) == "#,##0.00"


def test_html_report_is_self_contained_with_the_card_content_and_the_comments():
    html = report_html(summary()).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert 'src="data:image/png;base64,iVBOR' in html and "http://" not in html.replace("http://exemple.test", "")
    assert "Axe social" in html and "Axe environnemental" in html
    assert "En bonne voie" in html and "Sans cible" in html
    assert "1\u202f280,25\u00a0heures en 2025" in html
    assert unbreakable(DRC_COMMENT) in html  # « 1 200 h » typeset as in the chat
    assert "Retard dû au renouvellement du marché &lt;voirie&gt; &amp; co." in html
    assert "<voirie>" not in html
    assert "jeudi 2 avril 2026 à 10 h 00 (Hôtel de ville)" in html


def test_pdf_report_has_the_same_content_and_the_comments():
    data = report_pdf(summary())
    assert data.startswith(b"%PDF-")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    assert "Synthèse SPASER" in text
    assert "Heures d’insertion réalisées" in text and "En bonne voie" in text
    assert "Clause d’insertion ajoutée au marché de nettoyage" in text
    assert "Retard dû au renouvellement du marché <voirie> & co." in text
    assert "Comité de pilotage" in text


def test_contributor_exports_contain_only_their_directorate():
    mine = summary(scope=Scope.only("DRC"))
    for data in (values_csv(mine), re.sub(rb"base64,[^\"]+", b"", report_html(mine))):  # a chart's base64 may spell it
        assert b"DCP" not in data and "renouvellement".encode() not in data
    workbook = load_workbook(io.BytesIO(values_xlsx(mine)))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not [cell for cell in cells if "DCP" in cell or "renouvellement" in cell]
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(mine))).pages)
    assert "DCP" not in pdf_text and "renouvellement" not in pdf_text


def test_empty_catalogue_reports_still_render_and_say_so():
    empty = compute_summary([], DIRECTORATES, TODAY, scope=EVERYONE)
    assert "Le catalogue d’indicateurs est vide" in report_html(empty).decode()
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(empty))).pages)
    assert "catalogue d’indicateurs est vide" in " ".join(pdf_text.split())
    assert values_csv(empty).decode("utf-8-sig").strip() == ";".join(VALUE_COLUMNS)


def test_export_filenames_are_ascii_and_name_the_scope():
    assert export_filename(summary(), "pdf") == "synthese-spaser-toutes-directions-2026-03-01.pdf"
    assert export_filename(summary(directorate="DRC"), "csv") == "synthese-spaser-DRC-2026-03-01.csv"
