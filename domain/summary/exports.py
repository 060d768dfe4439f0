"""Exports of a summary's indicator values (CSV, XLSX); the COPIL report is in report.py.

Every export reads a `Summary`, which `compute_summary` already restricted to the person's
scope: an export cannot contain more than the card did.

- CSV: `;`-separated, UTF-8 with a BOM and decimal commas, what French Excel opens with a
  double click. Text cells that a spreadsheet would run as a formula (=, +, -, @) are prefixed
  with an apostrophe (OWASP "CSV injection"): comments are typed by people.
- XLSX: openpyxl; numbers are numbers (with the unit's format), text is never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.indicators.values import Unit
from domain.summary import wording
from domain.summary.chart import STATUS_HEX
from domain.summary.model import IndicatorSnapshot, ReportedValue, Summary

VALUE_COLUMNS = ("code_indicateur", "libelle", "axe", "unite", "direction", "periode", "valeur", "commentaire")
SUMMARY_COLUMNS = (
    "Code",
    "Indicateur",
    "Axe",
    "Unité",
    "Statut",
    "Dernière valeur",
    "Période",
    "Directions ayant remonté",
    "Cible",
    "Année cible",
    "Avancement (%)",
    "Tendance",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XLSX_NUMBER_FORMATS = {Unit.EURO: "#,##0.00 €", Unit.PERCENT: "0.0##", Unit.COUNT: "#,##0"}


def export_filename(summary: Summary, extension: str) -> str:
    """`synthese-spaser-DRC-2026-11-30.pdf`: ASCII only, safe in a Content-Disposition header."""
    scope = summary.viewed_directorate or "toutes-directions"
    return f"synthese-spaser-{scope}-{summary.today.isoformat()}.{extension}"


# --- values: CSV and XLSX -------------------------------------------------------------------


def _value_rows(summary: Summary) -> Iterator[tuple[IndicatorSnapshot, ReportedValue]]:
    for indicator in sorted(summary.visible_indicators, key=lambda item: item.code):
        for value in sorted(indicator.values, key=lambda item: (item.directorate, item.period)):
            yield indicator, value


def _safe_text(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def decimal_fr(value: Decimal) -> str:
    """`1234,5`: no thousands separator, so that spreadsheets read it back as a number."""
    return format(value, "f").replace(".", ",")


def values_csv(summary: Summary) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(VALUE_COLUMNS)
    for indicator, value in _value_rows(summary):
        writer.writerow(
            (
                indicator.code,
                _safe_text(indicator.label),
                indicator.axis.value,
                indicator.unit.value,
                value.directorate,
                value.period.code,
                decimal_fr(value.value),
                _safe_text(value.comment),
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


def values_xlsx(summary: Summary) -> bytes:
    """A « Synthèse » sheet (one row per indicator) and a « Valeurs » sheet (the CSV's rows).

    Written in openpyxl's write-only mode: a 48 000-value history saves in seconds, not minutes.
    """
    workbook = Workbook(write_only=True)
    overview = workbook.create_sheet("Synthèse")
    _layout(overview, header_row=2, rows=len(summary.lines), widths=(12, 50, 20, 10, 15, 16, 10, 12, 14, 8, 10, 32))
    title = WriteOnlyCell(overview, value=wording.TITLE + " – " + wording.scope_text(summary))
    title.font = Font(bold=True, size=13)
    overview.append([title])
    overview.append(_header(overview, SUMMARY_COLUMNS))
    for line in summary.lines:
        snapshot = line.snapshot
        number_format = _XLSX_NUMBER_FORMATS.get(snapshot.unit, "#,##0.####")
        target_shown = line.target_note is None
        overview.append(
            [
                _cell(overview, snapshot.code),
                _cell(overview, snapshot.label),
                _cell(overview, snapshot.axis.value),
                _cell(overview, snapshot.unit.value),
                _cell(overview, line.status.value, font=Font(bold=True, color=STATUS_HEX[line.status].lstrip("#"))),
                _cell(overview, line.latest_value, number_format=number_format),
                _cell(overview, line.latest_period.code if line.latest_period else None),
                _cell(overview, f"{line.reporting_count}/{line.responsible_count}" if line.latest_period else None),
                _cell(overview, snapshot.target if target_shown else None, number_format=number_format),
                _cell(overview, snapshot.target_year if target_shown else None),
                _cell(overview, round(line.progress_percent, 1) if line.progress_percent is not None else None),
                _cell(overview, wording.trend_text(line) or None),
            ]
        )

    values = workbook.create_sheet("Valeurs")
    value_count = sum(len(indicator.values) for indicator in summary.visible_indicators)
    _layout(values, header_row=1, rows=value_count, widths=(14, 50, 20, 10, 10, 10, 14, 60))
    values.append(_header(values, VALUE_COLUMNS))
    for indicator, value in _value_rows(summary):
        # Plain values where they cannot be read as a formula: a styled cell per value costs
        # seconds on a 10-year history.
        values.append(
            [
                indicator.code,
                _text_cell(values, indicator.label),
                indicator.axis.value,
                indicator.unit.value,
                value.directorate,
                value.period.code,
                value.value,
                _text_cell(values, value.comment) if value.comment else None,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _cell(sheet, value, *, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    """A cell whose text stays text: openpyxl would store `=…` as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def _text_cell(sheet, text: str) -> str | WriteOnlyCell:
    """Text as is, or a cell forced to text when openpyxl would take it for a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return _cell(sheet, text) if text.startswith("=") else text


def _header(sheet, names: tuple[str, ...]) -> list[WriteOnlyCell]:
    fill = PatternFill("solid", fgColor="E3F2FD")
    cells = []
    for name in names:
        cell = _cell(sheet, name, font=Font(bold=True))
        cell.fill = fill
        cells.append(cell)
    return cells


def _layout(sheet, header_row: int, rows: int, widths: tuple[int, ...]) -> None:
    """Column widths, frozen header and filter: set before rows in write-only mode."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(widths))}{header_row + rows}"
