"""The summary's documents: the card's chart, the COPIL report (PDF, HTML) and the values (CSV,
XLSX), each named by a resource id that a download token carries (signed, see tokens.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE
from domain.indicators.catalogue import Axis
from domain.summary.model import EntryKey, EntryRecord, Summary
from domain.summary.request import SummaryRequest

DEFAULT_PREFIX = "/synthese"
"""Where download links point (the route is served by bot/download_http.py)."""


class ExportFormat(StrEnum):
    """What can be downloaded; the value is the file extension and the resource-id suffix."""

    CHART = "png"
    CSV = "csv"
    XLSX = "xlsx"
    HTML = "html"
    PDF = "pdf"


_CONTENT_TYPES = {
    ExportFormat.CHART: "image/png",
    ExportFormat.CSV: "text/csv",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.HTML: "text/html",
    ExportFormat.PDF: "application/pdf",
}
VALUE_FORMATS = frozenset({ExportFormat.CSV, ExportFormat.XLSX})
"""The formats that list each value with who entered it and when (`entries`)."""
ENTRY_FORMATS = VALUE_FORMATS | {ExportFormat.PDF, ExportFormat.HTML}
"""The formats that read `entries`: the reports name who typed a comment for a directorate (reader 15, minor 9)."""


@dataclass(frozen=True)
class Download:
    body: bytes
    content_type: str
    filename: str | None = None  # None: shown inline (the chart in a card)

    @property
    def charset(self) -> str | None:
        return "utf-8" if self.content_type.startswith("text/") else None


def render_download(
    summary: Summary,
    export_format: ExportFormat,
    *,
    entries: Mapping[EntryKey, EntryRecord] | None = None,
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE,
    produced_at: datetime | None = None,
) -> Download:
    """The document of `summary` in `export_format` (CPU-bound: call it off the event loop).

    The renderers are imported here, in the worker that builds documents: matplotlib, fpdf2 and
    openpyxl cost ~1.5 s of start-up and ~60 MB that no turn needs. `produced_at`: when the report
    was made, from the caller's clock (the report says it, in `timezone`)."""
    from domain.summary.chart import card_chart_png
    from domain.summary.exports import export_filename, values_csv, values_xlsx
    from domain.summary.report import report_html
    from domain.summary.report_pdf import report_pdf

    if export_format is ExportFormat.CHART:
        body = card_chart_png(summary)
    elif export_format is ExportFormat.CSV:
        body = values_csv(summary, entries, timezone=timezone)
    elif export_format is ExportFormat.XLSX:
        body = values_xlsx(summary, entries, timezone=timezone)
    elif export_format is ExportFormat.HTML:
        body = report_html(summary, entries, timezone=timezone, produced_at=produced_at)
    else:
        body = report_pdf(summary, entries, timezone=timezone, produced_at=produced_at)
    inline = export_format is ExportFormat.CHART
    return Download(
        body=body,
        content_type=_CONTENT_TYPES[export_format],
        filename=None if inline else export_filename(summary, export_format.value),
    )


def resource_id(export_format: ExportFormat, request: SummaryRequest = SummaryRequest()) -> str:
    """`summary:pdf:SOCIAL:DRC`: what to rebuild, carried (signed) in the token."""
    axis = request.axis.name if request.axis is not None else "-"
    return f"summary:{export_format.value}:{axis}:{request.directorate or '-'}"


def parse_resource_id(text: str) -> tuple[ExportFormat, SummaryRequest] | None:
    """The format and filters of a resource id, or None when it is not a summary document."""
    parts = text.split(":")
    if len(parts) != 4 or parts[0] != "summary":
        return None
    _, extension, axis, directorate = parts
    try:
        export_format = ExportFormat(extension)
        chosen_axis = None if axis == "-" else Axis[axis]
    except (ValueError, KeyError):
        return None
    return export_format, SummaryRequest(axis=chosen_axis, directorate=None if directorate == "-" else directorate)
