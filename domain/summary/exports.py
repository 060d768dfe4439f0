"""Exports of a summary's indicator values (CSV, XLSX); the COPIL report is in report.py.

Every export reads a `Summary`, which `compute_summary` already restricted to the person's
scope: an export cannot contain more than the card did. Who entered each value and when
(`entries`) is read by the caller for the same values; the dates are shown in the bot's time zone.

- CSV: `;`-separated, UTF-8 with a BOM, decimal commas and `jj/mm/aaaa hh:mm` dates, what French
  Excel opens with a double click. Text cells that a spreadsheet would run as a formula (=, +, -,
  @) are prefixed with an apostrophe (OWASP "CSV injection"): comments are typed by people.
- XLSX: openpyxl; numbers and dates are typed cells. Number formats are Excel's invariant codes,
  which Excel shows with the reader's separators (« 28 700 », « 12,5 »): each value gets exactly
  the decimals it has, since an optional-digit format (`#,##0.##`) leaves a whole number with a
  dangling decimal comma (« 28 700, »). Text is never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.clock import DEFAULT_TIMEZONE, load_timezone
from domain.indicators.sources import ORGANISATION_FROM_DECP
from domain.indicators.units import MAX_DECIMAL_PLACES, Unit, unit_name
from domain.summary import indicator_wording, wording
from domain.summary.indicator_wording import shown_number
from domain.summary.model import EntryKey, EntryRecord, IndicatorSnapshot, ReportedValue, Summary
from domain.summary.status_colours import STATUS_HEX

VALUE_COLUMNS = (
    "Code",
    "Indicateur",
    "Axe",
    "Unité",
    "Direction",
    "Période",
    "Valeur",
    "Cible",
    "Année cible",
    "Enregistré le",
    "Origine",
    "Commentaire",
)
"""« Origine » says who typed a value, or that it was computed from the DECP and who imported them: « Saisie
par » credited computed values to the lead who imported the file (reader 14, B4)."""
SUMMARY_COLUMNS = (
    "Code",
    "Indicateur",
    "Axe",
    "Unité",
    "Statut",
    "Dernière valeur",
    "Période",
    "Période à renseigner",  # the reports' and the reading rules' term (reader 14, m8)
    "Directions comptées",
    "Agrégation",
    "Cible",
    "Année cible",
    "Avancement (%)",
    "Tendance",
)
XLSX_CREATOR = "Assistant SPASER"
"""The XLSX's author when no organisation name is configured."""
DATE_FORMAT_CSV = "%d/%m/%Y %H:%M"
DATE_FORMAT_XLSX = "dd/mm/yyyy hh:mm"
_UNIT_SUFFIXES = {Unit.EURO: '\u00a0"€"', Unit.PERCENT: '\u00a0"%"'}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Entries = Mapping[EntryKey, EntryRecord]


def export_filename(summary: Summary, extension: str) -> str:
    """`synthese-spaser-DRC-2026-11-30.pdf`: ASCII only, safe in a Content-Disposition header."""
    scope = summary.viewed_directorate or "toutes-directions"
    return f"synthese-spaser-{scope}-{summary.today.isoformat()}.{extension}"


def number_format(value: Decimal | float | int, unit: Unit | None = None) -> str:
    """Excel's format for `value`: its own decimals, never an optional one (see the module docstring)."""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    decimals = 0
    if number != number.to_integral_value():
        decimals = min(-number.normalize().as_tuple().exponent, MAX_DECIMAL_PLACES)
        if unit is Unit.EURO:
            decimals = 2
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return pattern + _UNIT_SUFFIXES.get(unit, "")


def _value_rows(summary: Summary) -> Iterator[tuple[IndicatorSnapshot, ReportedValue]]:
    for indicator in sorted(summary.visible_indicators, key=lambda item: item.code):
        for value in sorted(indicator.values, key=lambda item: (item.directorate, item.period)):
            yield indicator, value


def _safe_text(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def decimal_fr(value: Decimal | None) -> str:
    """`1234,5`: no thousands separator, so that spreadsheets read it back as a number."""
    return "" if value is None else format(value, "f").replace(".", ",")


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A naive local time to the minute, as the CSV writes it: spreadsheets have no time zones, and
    « 19:44:27.614 » in Excel's formula bar was a precision nobody entered (reader 14, B4)."""
    return None if moment is None else moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def _entry(entries: Entries, indicator: IndicatorSnapshot, value: ReportedValue) -> EntryRecord:
    return entries.get((indicator.code, value.directorate, value.period.code)) or EntryRecord(None, "")


def origin_text(value: ReportedValue, entry: EntryRecord) -> str:
    """« saisie par Nadia Benali », or « calcul automatique (DECP importées par Camille Martin) » for a value
    computed from the DECP: nobody typed it; empty when nobody is known."""
    if value.source is not None and value.source.is_decp:
        importer = value.source.imported_by or entry.author
        return f"calcul automatique (DECP importées par {importer})" if importer else "calcul automatique (DECP)"
    return f"saisie par {entry.author}" if entry.author else ""


def directorate_text(indicator: IndicatorSnapshot, value: ReportedValue) -> str:
    """The directorate a value belongs to; for an indicator computed from the DECP, the whole body, as the
    chat says it: its contracts are the organisation's, whichever directorate files them (reader 15, m7)."""
    return ORGANISATION_FROM_DECP if indicator.computed else value.directorate


def _unit(indicator: IndicatorSnapshot) -> str:
    """« pourcentage (%) », « nombre de kilomètres », « tonnes équivalent CO₂ », as the definitions say it,
    never the stored code « nombre » or « tCO2e » (reader 14, m7)."""
    return unit_name(indicator.unit, indicator.counted_noun)


def values_csv(
    summary: Summary, entries: Entries | None = None, *, timezone: ZoneInfo | str = DEFAULT_TIMEZONE
) -> bytes:
    zone, entries = load_timezone(timezone), entries or {}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(VALUE_COLUMNS)
    for indicator, value in _value_rows(summary):
        entry = _entry(entries, indicator, value)
        entered_at = _local(entry.entered_at, zone)
        writer.writerow(
            (
                indicator.code,
                _safe_text(indicator.label),
                indicator.axis.value,
                _unit(indicator),
                directorate_text(indicator, value),
                value.period.code,
                decimal_fr(value.value),
                decimal_fr(indicator.target),
                indicator.target_year or "",
                entered_at.strftime(DATE_FORMAT_CSV) if entered_at else "",
                _safe_text(origin_text(value, entry)),
                _safe_text(value.note),
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


def values_xlsx(
    summary: Summary, entries: Entries | None = None, *, timezone: ZoneInfo | str = DEFAULT_TIMEZONE
) -> bytes:
    """A « Synthèse » sheet (one row per indicator) and a « Valeurs » sheet (the CSV's rows).

    Written in openpyxl's write-only mode: a 48 000-value history saves in seconds, not minutes.
    """
    zone, entries = load_timezone(timezone), entries or {}
    workbook = Workbook(write_only=True)
    # The PDF's title, and who made the file: openpyxl names itself otherwise (reader 15, m21).
    workbook.properties.title = f"{wording.TITLE} – {wording.scope_text(summary)}"
    workbook.properties.creator = summary.organisation.name or XLSX_CREATOR
    workbook.properties.language = "fr-FR"
    overview = workbook.create_sheet("Synthèse")
    _layout(overview, header_row=2, rows=len(summary.lines),
            widths=(12, 50, 20, 22, 15, 16, 10, 20, 12, 34, 14, 11, 14, 32))
    title = WriteOnlyCell(overview, value=wording.TITLE + " – " + wording.scope_text(summary))
    title.font = Font(bold=True, size=13)
    overview.append([title])
    overview.append(_header(overview, SUMMARY_COLUMNS))
    for line in summary.lines:
        snapshot = line.snapshot
        target_shown = line.target_note is None
        progress = round(line.progress_percent, 1) if line.progress_percent is not None else None
        overview.append(
            [
                _cell(overview, snapshot.code),
                _cell(overview, snapshot.label),
                _cell(overview, snapshot.axis.value),
                _cell(overview, _unit(snapshot)),
                _cell(overview, line.status.value, font=Font(bold=True, color=STATUS_HEX[line.status].lstrip("#"))),
                # A mean to one decimal, as the card, the report and the public page (reader 14, m6: 31,85 %).
                _number(overview, None if line.latest_value is None else shown_number(line.latest_value, line.aggregation),
                        snapshot.unit),
                _cell(overview, line.latest_period.code if line.latest_period else None),
                _cell(overview, line.due_period.code if line.due_period else None),
                _cell(overview, f"{line.reporting_count}/{line.responsible_count}" if line.latest_period else None),
                _cell(overview, indicator_wording.aggregation_text(line)),
                _number(overview, snapshot.target if target_shown else None, snapshot.unit),
                _cell(overview, snapshot.target_year if target_shown else None, number_format="0"),
                _cell(overview, progress, number_format=number_format(progress) if progress is not None else None),
                _cell(overview, indicator_wording.trend_text(line) or None),
            ]
        )

    values = workbook.create_sheet("Valeurs")
    value_count = sum(len(indicator.values) for indicator in summary.visible_indicators)
    _layout(values, header_row=1, rows=value_count, widths=(12, 50, 20, 22, 10, 10, 14, 14, 11, 17, 44, 60))
    values.append(_header(values, VALUE_COLUMNS))
    formats: dict[tuple[Decimal, Unit], str] = {}
    for indicator, value in _value_rows(summary):
        entry = _entry(entries, indicator, value)
        values.append(
            [
                indicator.code,
                _text_cell(values, indicator.label),
                indicator.axis.value,
                _unit(indicator),
                directorate_text(indicator, value),
                value.period.code,
                _number(values, value.value, indicator.unit, formats),
                _number(values, indicator.target, indicator.unit, formats),
                indicator.target_year,
                _cell(values, _local(entry.entered_at, zone), number_format=DATE_FORMAT_XLSX),
                _text_cell(values, origin_text(value, entry)) or None,
                _text_cell(values, value.note) if value.comment else None,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _number(sheet, value: Decimal | None, unit: Unit, formats: dict | None = None) -> WriteOnlyCell | None:
    """A number cell with its own format (formats cached per value: a history repeats them)."""
    if value is None:
        return None
    if formats is None:
        return _cell(sheet, value, number_format=number_format(value, unit))
    key = (value, unit)
    if key not in formats:
        formats[key] = number_format(value, unit)
    return _cell(sheet, value, number_format=formats[key])


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
