"""The COPIL report as an A4 PDF, same content as the HTML report (report.py): made with fpdf2
(pure-Python wheel, no system package) and the DejaVu fonts that matplotlib ships, so accents,
« », · and arrows print without relying on fonts installed on the server.

Page 1: the organisation's logo and name, the title, the counts per status and the points
d'attention, then the reports by directorate (« Saisies attendues »); the detail starts on a page of
its own with the progress chart, then the tables by axis.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from domain.clock import DEFAULT_TIMEZONE
from domain.committees.messages import no_meeting_text
from domain.summary import indicator_wording, reading_rules, trajectory_wording, wording
from domain.summary.chart import Panel, summary_chart_png
from domain.summary.model import AxisSection, EntryKey, EntryRecord, Summary, counted_statuses
from domain.summary.report import (
    COMPUTED_SOURCES_HEADING,
    COMPUTED_SOURCES_INTRO,
    DECISIONS_HEADING,
    KEPT_TOGETHER_ROWS,
    NOTHING_TO_FLAG,
    REPORT_SUBTITLE,
    attention_groups,
    computed_imports,
    computed_sources,
    decision_items,
    directorate_rows,
    listed,
    logo_alt,
    meetings_heading,
    panel_alt,
    report_comments,
    value_cell,
    warning_messages,
)
from domain.summary.status_colours import LEGAL_HEX, STATUS_HEX
from domain.text import printed

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_PDF_FONT = "DejaVu"
LOGO_MAX_HEIGHT_MM = 18
LOGO_MAX_WIDTH_MM = 45
_TABLE_STYLE = {
    "text_align": "LEFT",
    "line_height": 4,
    "padding": 1.2,
    "headings_style": FontFace(emphasis="BOLD", fill_color=(227, 242, 253)),
    "borders_layout": "HORIZONTAL_LINES",
}


class _ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.add_font(_PDF_FONT, "", _FONT_DIR / "DejaVuSans.ttf")
        self.add_font(_PDF_FONT, "B", _FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(_PDF_FONT, "I", _FONT_DIR / "DejaVuSans-Oblique.ttf")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def normalize_text(self, text: str) -> str:
        """Every text printed, typeset as the HTML report is (`printed`: « IND‑09 », « R. 2192‑10 »)."""
        return super().normalize_text(printed(text))

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(_PDF_FONT, "I", 7)
        self.set_text_color(117, 117, 117)
        self.cell(0, 5, f"{self._footer_text} – page {self.page_no()}/{{nb}}", align="C")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def report_pdf(
    summary: Summary, entries: Mapping[EntryKey, EntryRecord] | None = None, *,
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE, produced_at: datetime | None = None,
) -> bytes:
    """The COPIL report as an A4 PDF: points d'attention on page 1, the detail after."""
    pdf = _ReportPdf(f"{wording.TITLE} – {wording.scope_text(summary)}")
    pdf.set_title(f"{wording.TITLE} – {wording.scope_text(summary)}")
    pdf.set_lang("fr")
    pdf.add_page()
    _header(pdf, summary)
    empty = wording.empty_text(summary)
    if empty:
        _warning(pdf, empty)
    else:
        _attention_page(pdf, summary)
        # The reports by directorate right after « Directions en attente », which they detail: after the
        # attention points, page 2 held two short groups and was three quarters empty, the chart being
        # too tall for the rest (reader 14, minor 26).
        _completeness(pdf, summary)
        pdf.add_page()
        _indicators(pdf, summary)
    if empty:
        _completeness(pdf, summary)
    _heading(pdf, meetings_heading(summary))
    pdf.set_font(_PDF_FONT, "", 9)
    if summary.next_meetings:
        for item in listed([f"{meeting.label} : {wording.meeting_text(meeting, timezone)}" for meeting in summary.next_meetings]):
            _paragraph(pdf, item, 5)
    else:
        _paragraph(pdf, no_meeting_text(), 5)
    if empty:
        for message in warning_messages(summary):
            _warning(pdf, message)
    _comments(pdf, summary, entries)
    _computed(pdf, summary)
    if summary.lines:
        # A heading and the body's size and colour: small grey italics read as fine print (reader 7, C54).
        _heading(pdf, reading_rules.RULES_HEADING, keep=20)
        pdf.set_font(_PDF_FONT, "", 9)
        for rule in listed(reading_rules.rules_items(summary)):
            _paragraph(pdf, rule, 5)
    pdf.ln(2)
    pdf.set_font(_PDF_FONT, "", 8)
    _paragraph(pdf, wording.produced_text(summary, produced_at, timezone), 5)
    return bytes(pdf.output())


def _header(pdf: FPDF, summary: Summary) -> None:
    """The logo on the left, the organisation, title and scope beside it."""
    organisation = summary.organisation
    top = pdf.get_y()
    if organisation.logo:
        with Image.open(io.BytesIO(organisation.logo)) as image:
            ratio = image.width / image.height
        height = min(LOGO_MAX_HEIGHT_MM, LOGO_MAX_WIDTH_MM / ratio)
        pdf.image(io.BytesIO(organisation.logo), x=pdf.l_margin, y=top, h=height, w=height * ratio,
                  alt_text=logo_alt(organisation.name))
        pdf.set_left_margin(pdf.l_margin + height * ratio + 5)
        pdf.set_xy(pdf.l_margin, top)
        bottom = top + height
    else:
        bottom = top
    if organisation.name:
        pdf.set_font(_PDF_FONT, "B", 11)
        pdf.set_text_color(66, 66, 66)
        _paragraph(pdf, organisation.name, 6)
    pdf.set_font(_PDF_FONT, "B", 18)
    pdf.set_text_color(33, 33, 33)
    _paragraph(pdf, wording.TITLE, 9)
    pdf.set_font(_PDF_FONT, "", 10)
    pdf.set_text_color(97, 97, 97)
    _paragraph(pdf, f"{REPORT_SUBTITLE} · {wording.scope_text(summary, with_organisation=False)}", 5.5)
    pdf.set_text_color(33, 33, 33)
    pdf.set_left_margin(15)
    pdf.set_xy(15, max(pdf.get_y(), bottom) + 3)


def _attention_page(pdf: FPDF, summary: Summary) -> None:
    alert = wording.legal_alert_text(summary)
    if alert:  # the first sentence an élu·e reads (reader 9), above the counts
        pdf.set_font(_PDF_FONT, "B", 10.5)
        pdf.set_text_color(*_rgb(LEGAL_HEX))
        _paragraph(pdf, alert, 5.5)
        pdf.set_text_color(33, 33, 33)
        pdf.ln(2)
    _counts(pdf, summary)
    pdf.set_font(_PDF_FONT, "", 9)
    _paragraph(pdf, wording.headline_text(summary), 5)
    decisions = decision_items(summary)
    if decisions:
        # A section of its own, before the points to watch, not nested in them (reader 10, C18).
        _heading(pdf, DECISIONS_HEADING, keep=0)
        _kept_group(pdf, None, decisions)
    _heading(pdf, "Points d’attention", keep=20)
    groups = attention_groups(summary)
    if not groups:
        pdf.set_font(_PDF_FONT, "", 9)
        _paragraph(pdf, NOTHING_TO_FLAG, 5)
    for group in groups:
        pdf.ln(1.5)
        _kept_group(pdf, group.heading, list(group.items), group.more)


def _kept_group(pdf: FPDF, heading: str | None, items: list[str], more: str | None = None) -> None:
    """A group of page 1, never cut inside an item: a whole group that fits a page moves to the next
    one rather than leave a line or a word behind (reader 10, B1: page 2 held « an. » alone); a longer
    one keeps its heading with its first item."""
    lines = listed(items)
    if pdf.will_page_break(_group_height(pdf, heading, lines, more)) and _group_height(
        pdf, heading, lines, more
    ) < pdf.h - pdf.t_margin - pdf.b_margin:
        pdf.add_page()
    for index, item in enumerate(lines):
        pdf.set_font(_PDF_FONT, "", 8.5)
        height = _text_height(pdf, item, 4.3)
        if index == 0 and heading:
            pdf.set_font(_PDF_FONT, "B", 9.5)
            height += _text_height(pdf, heading, 5.5)
        if pdf.will_page_break(height):
            pdf.add_page()
        if index == 0 and heading:
            pdf.set_font(_PDF_FONT, "B", 9.5)
            _paragraph(pdf, heading, 5.5)
        pdf.set_font(_PDF_FONT, "", 8.5)
        _paragraph(pdf, item, 4.3)
    if more:
        pdf.set_font(_PDF_FONT, "I", 8)
        if pdf.will_page_break(_text_height(pdf, more, 4.3)):
            pdf.add_page()
        _paragraph(pdf, more, 4.3)


def _group_height(pdf: FPDF, heading: str | None, lines: list[str], more: str | None) -> float:
    height = 0.0
    if heading:
        pdf.set_font(_PDF_FONT, "B", 9.5)
        height += _text_height(pdf, heading, 5.5)
    pdf.set_font(_PDF_FONT, "", 8.5)
    height += sum(_text_height(pdf, line, 4.3) for line in lines)
    if more:
        pdf.set_font(_PDF_FONT, "I", 8)
        height += _text_height(pdf, more, 4.3)
    return height


def _text_height(pdf: FPDF, text: str, height: float) -> float:
    """The height `_paragraph` would take, in the current font."""
    return len(pdf.multi_cell(0, height, text, align="L", dry_run=True, output="LINES")) * height


INDICATOR_COLUMNS_MM = (44, 49, 55, 32)
"""Widths of the indicator tables' columns (180 mm): the longest word of each cell fits (fpdf2 cuts a
word wider than its column without a hyphen), every status on one line and « (dernière valeur) »
under « Non conforme » on one line (`wording.report_status_lines`)."""
COMPLETENESS_COLUMNS_MM = (62, 52, 66)
"""« 10 sur 10 (100 %), plus 3 calculés automatiquement » on two lines, never « automatiqueme / nt »."""


def _indicators(pdf: FPDF, summary: Summary) -> None:
    """The progress chart on the page that opens the detail, as in the HTML report, then the tables:
    after them, the chart took a page of its own and left the last table's page almost empty."""
    png = summary_chart_png(summary, panels=(Panel.PROGRESS,), with_title=False, panel_titles=False)
    _heading(pdf, "Avancement vers la cible", keep=0)
    _chart(pdf, png, panel_alt(Panel.PROGRESS))
    _keep_room(pdf, 70)
    pdf.set_font(_PDF_FONT, "B", 14)
    _paragraph(pdf, "Détail des indicateurs", 8)
    for section in summary.sections:
        if len(section.lines) <= KEPT_TOGETHER_ROWS:
            with pdf.offset_rendering() as trial:
                _axis_table(trial, section)
            if trial.page_break_triggered:
                pdf.add_page()
        _axis_table(pdf, section)


def _axis_table(pdf: FPDF, section: AxisSection) -> None:
    _heading(pdf, f"Axe {section.axis.value}")
    pdf.set_font(_PDF_FONT, "", 8)
    with pdf.table(col_widths=INDICATOR_COLUMNS_MM, **_TABLE_STYLE) as table:
        table.row(("Indicateur", "Dernière valeur · tendance", "Cible · avancement", "Statut"))
        for line in section.lines:
            row = table.row()
            row.cell(f"{line.code} {line.label}")  # the full catalogue label: the legal reference stays
            row.cell("\n".join(part for part in (value_cell(line), indicator_wording.trend_text(line)) if part))
            aims = (indicator_wording.target_text(line), indicator_wording.reference_text(line),
                    trajectory_wording.progress_text(line))
            row.cell("\n".join(part for part in aims if part))
            row.cell(
                "\n".join(wording.report_status_lines(line)),
                style=FontFace(emphasis="BOLD", color=_rgb(STATUS_HEX[line.status])),
            )


def _comments(pdf: FPDF, summary: Summary, entries: Mapping[EntryKey, EntryRecord] | None = None) -> None:
    _heading(pdf, "Commentaires des directions")
    pdf.set_font(_PDF_FONT, "", 9)
    comments = report_comments(summary, entries)
    if not comments:
        _paragraph(pdf, "Aucun commentaire.", 5)
    for line, items in comments:
        pdf.set_font(_PDF_FONT, "B", 9)
        _paragraph(pdf, f"{line.code} {wording.short_title(line)}", 5)
        pdf.set_font(_PDF_FONT, "", 9)
        for item in listed([f"{name}, {period} : « {comment} »" for name, period, comment in items]):
            _paragraph(pdf, item, 4.6)
        pdf.ln(1)


def _computed(pdf: FPDF, summary: Summary) -> None:
    sources = computed_sources(summary)
    if not sources:
        return
    _heading(pdf, COMPUTED_SOURCES_HEADING)
    pdf.set_font(_PDF_FONT, "", 9)
    _paragraph(pdf, COMPUTED_SOURCES_INTRO, 5)
    imports = computed_imports(summary)
    if imports:
        _paragraph(pdf, imports, 5)
    for line, items in sources:
        pdf.set_font(_PDF_FONT, "B", 9)
        _paragraph(pdf, f"{line.code} {wording.short_title(line)}", 5)
        pdf.set_font(_PDF_FONT, "", 9)
        for item in listed([f"{period} : {source}" for period, source in items]):
            _paragraph(pdf, item, 4.6)
        pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _keep_room(pdf: FPDF, height: float) -> None:
    """Start a new page unless `height` mm are left, so a heading stays with what follows."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _heading(pdf: FPDF, text: str, *, keep: float = 60) -> None:
    """A section heading; `keep` mm (a table header and a first row) must follow on the page."""
    _keep_room(pdf, keep)
    pdf.ln(4)
    pdf.set_font(_PDF_FONT, "B", 12)
    pdf.set_text_color(33, 33, 33)
    _paragraph(pdf, text, 7)
    pdf.set_draw_color(224, 224, 224)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _warning(pdf: FPDF, text: str) -> None:
    pdf.ln(1)
    pdf.set_font(_PDF_FONT, "", 9)
    pdf.set_fill_color(255, 243, 224)
    pdf.set_text_color(130, 60, 0)
    pdf.multi_cell(0, 5, "⚠ " + text, align="L", fill=True, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(33, 33, 33)
    pdf.ln(1)


def _counts(pdf: FPDF, summary: Summary) -> None:
    statuses = counted_statuses(summary.status_counts)
    counts = [summary.status_counts.get(status, 0) for status in statuses]
    labels = [wording.tile_label(status, count) for status, count in zip(statuses, counts)]
    pdf.set_font(_PDF_FONT, "", 9)
    # Each column as wide as its label, the room left shared out: « non conformes à la loi » does not
    # fit a sixth of the page, and a label on two lines read as two.
    natural = [pdf.get_string_width(label) + 2 for label in labels]
    spare = max(0.0, pdf.w - pdf.l_margin - pdf.r_margin - sum(natural)) / len(labels)
    top = pdf.get_y()
    left = pdf.l_margin
    for status, count, label, width in zip(statuses, counts, labels, natural):
        width += spare
        pdf.set_xy(left, top)
        pdf.set_text_color(*_rgb(STATUS_HEX[status]))
        pdf.set_font(_PDF_FONT, "B", 20)
        pdf.cell(width, 10, str(count), align="C")
        pdf.set_xy(left, top + 10)
        pdf.set_font(_PDF_FONT, "", 9)
        pdf.cell(width, 5, label, align="C")
        left += width
    pdf.set_text_color(33, 33, 33)
    pdf.set_xy(pdf.l_margin, top + 18)


def _chart_height(pdf: FPDF, png: bytes) -> float:
    """Height of the chart at full text width, capped to one page."""
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    return min((pdf.w - pdf.l_margin - pdf.r_margin) * ratio, pdf.h - pdf.t_margin - pdf.b_margin - 30)


def _chart(pdf: FPDF, png: bytes, alt_text: str) -> None:
    """The chart at full width, shrunk only to fit the page (`_keep_room` made room for it)."""
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    height = min(_chart_height(pdf, png), pdf.h - pdf.b_margin - pdf.get_y())
    pdf.image(io.BytesIO(png), x="C", w=height / ratio, h=height, alt_text=alt_text)
    pdf.ln(2)


def _completeness(pdf: FPDF, summary: Summary) -> None:
    if not summary.completeness:
        return
    png = None
    if any(row.expected for row in summary.completeness) and len(summary.completeness) > 1:
        png = summary_chart_png(summary, panels=(Panel.COMPLETENESS,), with_title=False, panel_titles=False)
        _keep_room(pdf, _chart_height(pdf, png) + 26)
    _heading(pdf, wording.COMPLETENESS_HEADING)
    pdf.set_font(_PDF_FONT, "", 9)
    _paragraph(pdf, wording.completeness_headline(summary), 5)
    if png is not None:
        _chart(pdf, png, panel_alt(Panel.COMPLETENESS))
    pdf.set_font(_PDF_FONT, "", 8)
    with pdf.table(col_widths=COMPLETENESS_COLUMNS_MM, **_TABLE_STYLE) as table:
        table.row(("Direction", "Indicateurs saisis", "À saisir"))
        for row in directorate_rows(summary):
            table.row((row.directorate.display, wording.completeness_text(row), wording.missing_text(row) or "—"))
