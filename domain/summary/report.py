"""The COPIL report of a summary: one self-contained HTML file (inline CSS, chart as a base64 PNG)
to open, mail or print, and a PDF made with fpdf2 (pure-Python wheel, no system package) and the
DejaVu fonts that matplotlib ships, so accents, « », · and arrows print without relying on fonts
installed on the server. Like every export, it reads a `Summary` already restricted to the
person's scope.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from domain.clock import DEFAULT_TIMEZONE, format_date_fr
from domain.summary import wording
from domain.summary.chart import STATUS_HEX, Panel, summary_chart_png
from domain.summary.model import STATUS_ORDER, IndicatorLine, Summary

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_PDF_FONT = "DejaVu"


def report_comments(summary: Summary) -> list[tuple[IndicatorLine, list[tuple[str, str, str]]]]:
    """Per indicator, the (directorate, period, comment) of each directorate's latest value."""
    result = []
    for line in summary.lines:
        comments = [
            (summary.directorate_name(item.directorate), item.period.code, item.comment)
            for item in line.latest_by_directorate
            if item.comment
        ]
        if comments:
            result.append((line, comments))
    return result


_HTML_STYLE = """
body{font-family:"Segoe UI",Arial,sans-serif;color:#212121;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{margin-bottom:0}h2{border-bottom:2px solid #e0e0e0;padding-bottom:.2em;margin-top:1.6em}
.subtle{color:#616161}.small{font-size:.85em}
.counts{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}
.count{border:1px solid #e0e0e0;border-radius:6px;padding:.5em 1em;text-align:center;min-width:7em}
.count b{display:block;font-size:2em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #e0e0e0;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#e3f2fd}.status{font-weight:bold;white-space:nowrap}
.warning{background:#fff3e0;border-left:4px solid #ef6c00;padding:.5em 1em;margin:.5em 0}
img{max-width:100%}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def report_html(summary: Summary, *, timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> bytes:
    """The COPIL report as one self-contained HTML page (UTF-8)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{escape(wording.TITLE)} – {escape(wording.scope_text(summary))}</title>",
        f"<style>{_HTML_STYLE}</style></head><body>",
        f"<h1>{escape(wording.TITLE)}</h1>",
        f'<p class="subtle">{escape(wording.scope_text(summary))}</p>',
    ]
    empty = wording.empty_text(summary)
    if empty:
        parts.append(f'<p class="warning">{escape(empty)}</p>')
    else:
        parts.append(f"<p>{escape(wording.headline_text(summary))}</p>")
        parts.append('<div class="counts">')
        for status in STATUS_ORDER:
            count = summary.status_counts.get(status, 0)
            parts.append(
                f'<div class="count" style="color:{STATUS_HEX[status]}"><b>{count}</b>'
                f"{escape(wording.status_count_label(status, count))}</div>"
            )
        parts.append("</div>")
        for panel in (Panel.PROGRESS, Panel.COMPLETENESS):
            png = summary_chart_png(summary, panels=(panel,), with_title=False)
            parts.append(
                f'<p><img alt="{escape(_panel_alt(panel))}" src="data:image/png;base64,'
                f'{base64.b64encode(png).decode("ascii")}"></p>'
            )
        for section in summary.sections:
            parts.append(f"<h2>Axe {escape(section.axis.value)}</h2>")
            parts.append(
                "<table><tr><th>Indicateur</th><th>Dernière valeur</th><th>Cible</th>"
                "<th>Avancement</th><th>Tendance</th><th>Statut</th></tr>"
            )
            for line in section.lines:
                parts.append(
                    f"<tr><td><b>{escape(line.code)}</b> {escape(line.label)}</td>"
                    f"<td>{escape(wording.value_text(line))}</td>"
                    f"<td>{escape(wording.target_text(line))}</td>"
                    f"<td>{escape(wording.progress_text(line))}</td>"
                    f"<td>{escape(wording.trend_text(line))}</td>"
                    f'<td class="status" style="color:{STATUS_HEX[line.status]}">'
                    f"{escape(wording.status_title(line.status))}</td></tr>"
                )
            parts.append("</table>")
    parts.extend(_html_completeness(summary))
    parts.append("<h2>Prochaines réunions</h2>")
    if summary.next_meetings:
        parts.append("<ul>")
        parts.extend(
            f"<li><b>{escape(meeting.label)}</b> : {escape(wording.meeting_text(meeting, timezone))}</li>"
            for meeting in summary.next_meetings
        )
        parts.append("</ul>")
    else:
        parts.append('<p class="subtle">Aucune réunion planifiée.</p>')
    for message in _warning_messages(summary):
        parts.append(f'<p class="warning">⚠ {escape(message)}</p>')
    parts.append("<h2>Commentaires des directions</h2>")
    comments = report_comments(summary)
    if comments:
        for line, items in comments:
            parts.append(f"<h3>{escape(line.code)} {escape(line.label)}</h3><ul>")
            parts.extend(
                f"<li><b>{escape(name)}</b> ({escape(period)}) : {escape(comment)}</li>" for name, period, comment in items
            )
            parts.append("</ul>")
    else:
        parts.append('<p class="subtle">Aucun commentaire.</p>')
    if summary.lines:
        parts.append(f'<p class="subtle small">{escape(wording.RULES_TEXT)}</p>')
    parts.append(f'<p class="subtle small">Document produit le {escape(format_date_fr(summary.today))}.</p>')
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def _html_completeness(summary: Summary) -> list[str]:
    if not summary.completeness:
        return []
    parts = [
        "<h2>Remontées de la période en cours</h2>",
        f"<p>{escape(wording.completeness_headline(summary))}</p>",
        "<table><tr><th>Direction</th><th>Indicateurs remontés</th><th>À remonter</th></tr>",
    ]
    for row in summary.completeness:
        missing = wording.missing_text(row)
        parts.append(
            f"<tr><td>{escape(row.directorate.display)}</td><td>{escape(wording.completeness_text(row))}</td>"
            f"<td>{escape(missing) or '—'}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _warning_messages(summary: Summary) -> list[str]:
    messages = [warning.message for warning in summary.cadence_warnings]
    if summary.catalogue_warning:
        messages.append(summary.catalogue_warning)
    return messages


def _panel_alt(panel: Panel) -> str:
    if panel is Panel.PROGRESS:
        return "Graphique : avancement de chaque indicateur vers sa cible"
    return "Graphique : part des indicateurs remontés par direction"


class _ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.add_font(_PDF_FONT, "", _FONT_DIR / "DejaVuSans.ttf")
        self.add_font(_PDF_FONT, "B", _FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(_PDF_FONT, "I", _FONT_DIR / "DejaVuSans-Oblique.ttf")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(_PDF_FONT, "I", 7)
        self.set_text_color(117, 117, 117)
        self.cell(0, 5, f"{self._footer_text} – page {self.page_no()}/{{nb}}", align="C")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def report_pdf(summary: Summary, *, timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> bytes:
    """The COPIL report as an A4 PDF, same content as the HTML report."""
    pdf = _ReportPdf(f"{wording.TITLE} – {wording.scope_text(summary)}")
    pdf.set_title(f"{wording.TITLE} – {wording.scope_text(summary)}")
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font(_PDF_FONT, "B", 18)
    _paragraph(pdf, wording.TITLE, 9)
    pdf.set_font(_PDF_FONT, "", 10)
    pdf.set_text_color(97, 97, 97)
    _paragraph(pdf, wording.scope_text(summary), 6)
    pdf.set_text_color(33, 33, 33)
    pdf.ln(2)
    empty = wording.empty_text(summary)
    if empty:
        _warning(pdf, empty)
    else:
        _pdf_counts(pdf, summary)
        for section in summary.sections:
            _heading(pdf, f"Axe {section.axis.value}")
            pdf.set_font(_PDF_FONT, "", 8)
            with pdf.table(
                col_widths=(62, 38, 36, 24),
                text_align="LEFT",
                line_height=4,
                padding=1.2,
                headings_style=FontFace(emphasis="BOLD", fill_color=(227, 242, 253)),
                borders_layout="HORIZONTAL_LINES",
            ) as table:
                table.row(("Indicateur", "Dernière valeur · tendance", "Cible · avancement", "Statut"))
                for line in section.lines:
                    row = table.row()
                    row.cell(f"{line.code} {line.label}")
                    row.cell("\n".join(part for part in (wording.value_text(line), wording.trend_text(line)) if part))
                    row.cell("\n".join(part for part in (wording.target_text(line), wording.progress_text(line)) if part))
                    row.cell(
                        wording.status_title(line.status),
                        style=FontFace(emphasis="BOLD", color=_rgb(STATUS_HEX[line.status])),
                    )
    if summary.lines:
        png = summary_chart_png(summary, panels=(Panel.PROGRESS,), with_title=False)
        _keep_room(pdf, _chart_height(pdf, png) + 20)
        _heading(pdf, "Avancement vers la cible")
        _pdf_chart(pdf, png, _panel_alt(Panel.PROGRESS))
    _pdf_completeness(pdf, summary)
    _heading(pdf, "Prochaines réunions")
    pdf.set_font(_PDF_FONT, "", 9)
    if summary.next_meetings:
        for meeting in summary.next_meetings:
            _paragraph(pdf, f"• {meeting.label} : {wording.meeting_text(meeting, timezone)}", 5)
    else:
        _paragraph(pdf, "Aucune réunion planifiée.", 5)
    for message in _warning_messages(summary):
        _warning(pdf, message)
    _heading(pdf, "Commentaires des directions")
    pdf.set_font(_PDF_FONT, "", 9)
    comments = report_comments(summary)
    if not comments:
        _paragraph(pdf, "Aucun commentaire.", 5)
    for line, items in comments:
        pdf.set_font(_PDF_FONT, "B", 9)
        _paragraph(pdf, f"{line.code} {line.label}", 5)
        pdf.set_font(_PDF_FONT, "", 9)
        for name, period, comment in items:
            _paragraph(pdf, f"• {name} ({period}) : {comment}", 4.6)
        pdf.ln(1)
    if summary.lines:
        pdf.ln(3)
        pdf.set_font(_PDF_FONT, "I", 7.5)
        pdf.set_text_color(97, 97, 97)
        _paragraph(pdf, wording.RULES_TEXT, 3.8)
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _keep_room(pdf: FPDF, height: float) -> None:
    """Start a new page unless `height` mm are left, so a heading stays with what follows."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _heading(pdf: FPDF, text: str) -> None:
    _keep_room(pdf, 60)  # the heading, a table header and a first row
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


def _pdf_counts(pdf: FPDF, summary: Summary) -> None:
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(STATUS_ORDER)
    top = pdf.get_y()
    for index, status in enumerate(STATUS_ORDER):
        count = summary.status_counts.get(status, 0)
        pdf.set_xy(pdf.l_margin + index * width, top)
        pdf.set_text_color(*_rgb(STATUS_HEX[status]))
        pdf.set_font(_PDF_FONT, "B", 20)
        pdf.cell(width, 10, str(count), align="C")
        pdf.set_xy(pdf.l_margin + index * width, top + 10)
        pdf.set_font(_PDF_FONT, "", 9)
        pdf.cell(width, 5, wording.status_count_label(status, count), align="C")
    pdf.set_text_color(33, 33, 33)
    pdf.set_xy(pdf.l_margin, top + 18)


def _chart_height(pdf: FPDF, png: bytes) -> float:
    """Height of the chart at full text width, capped to one page."""
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    return min((pdf.w - pdf.l_margin - pdf.r_margin) * ratio, pdf.h - pdf.t_margin - pdf.b_margin - 30)


def _pdf_chart(pdf: FPDF, png: bytes, alt_text: str) -> None:
    """The chart at full width, shrunk only to fit the page (`_keep_room` made room for it)."""
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    height = min(_chart_height(pdf, png), pdf.h - pdf.b_margin - pdf.get_y())
    pdf.image(io.BytesIO(png), x="C", w=height / ratio, h=height, alt_text=alt_text)
    pdf.ln(2)


def _pdf_completeness(pdf: FPDF, summary: Summary) -> None:
    if not summary.completeness:
        return
    png = None
    if any(row.expected for row in summary.completeness) and len(summary.completeness) > 1:
        png = summary_chart_png(summary, panels=(Panel.COMPLETENESS,), with_title=False)
        _keep_room(pdf, _chart_height(pdf, png) + 26)
    _heading(pdf, "Remontées de la période en cours")
    pdf.set_font(_PDF_FONT, "", 9)
    _paragraph(pdf, wording.completeness_headline(summary), 5)
    if png is not None:
        _pdf_chart(pdf, png, _panel_alt(Panel.COMPLETENESS))
    pdf.set_font(_PDF_FONT, "", 8)
    with pdf.table(
        col_widths=(60, 25, 95),
        text_align="LEFT",
        line_height=4,
        padding=1.2,
        headings_style=FontFace(emphasis="BOLD", fill_color=(227, 242, 253)),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(("Direction", "Indicateurs remontés", "À remonter"))
        for row in summary.completeness:
            table.row((row.directorate.display, wording.completeness_text(row), wording.missing_text(row) or "—"))
