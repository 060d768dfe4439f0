"""The COPIL report of a summary, as one self-contained HTML file (inline CSS, chart and logo as
base64 images) to open, mail or print; the PDF is in report_pdf.py. Like every export, it reads a
`Summary` already restricted to the person's scope.

Both formats read the same way: the organisation's name and logo, then one first page of
« points d'attention » (late indicators, missing reports, committee cadence, decisions to take),
then the detail (every indicator by axis, reports by directorate, meetings, comments).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape as html_escape
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE
from domain.committees.messages import no_meeting_text
from domain.indicators.aggregation import AggregationRule
from domain.indicators.sources import is_computed
from domain.summary import indicator_wording, reading_rules, trajectory_wording, wording
from domain.summary.attention import attention_points, cadence_alerts, indicator_order, not_reported_headings
from domain.summary.chart import Panel, summary_chart_png
from domain.summary.model import (
    DirectorateCompleteness,
    DirectorateValue,
    EntryKey,
    EntryRecord,
    IndicatorLine,
    Summary,
    completeness_order,
    counted_statuses,
)
from domain.summary.status_colours import LEGAL_HEX, STATUS_HEX
from domain.text import (
    agreed,
    as_sentence,
    joined,
    printed,
    sorted_names,
    typographic_apostrophes,
    upper_first,
)

REPORT_SUBTITLE = "Rapport pour le comité de pilotage"
KEPT_TOGETHER_ROWS = 8
"""A table of up to this many rows is printed on one page (HTML: `table.short`; the PDF does the same)."""
MAX_ATTENTION_LINES = 8
"""Items per group on the first page; the rest is in the detail, so the page stays one page."""
NOTHING_TO_FLAG = "Aucun point d’attention : tous les indicateurs sont renseignés et sur leur trajectoire."


def escape(text: str) -> str:
    """The text in HTML, typeset as the cards are (`printed`: « 24 indicateurs », « 3 calculés » and
    « ↑ en hausse » never broken at their space, « IND‑09 » and « R. 2192‑10 » at their hyphen)."""
    return html_escape(printed(text))


@dataclass(frozen=True)
class AttentionGroup:
    heading: str
    items: tuple[str, ...]
    more: str | None = None


def attention_groups(summary: Summary) -> list[AttentionGroup]:
    """The first page's groups, each cut to `MAX_ATTENTION_LINES` items; empty groups left out."""
    points = attention_points(summary)
    # « Décisions à prendre » is a section of its own, before this one (`decision_items`, reader 10, C18),
    # and the indicators outside the law are in its first decision with their value and limit, named
    # by the headline above: their own list said each breach a third time (reader 10, A1).
    groups = [
        _group(
            ("Indicateur en retard", "Indicateurs en retard"),
            [f"{line.code} {wording.short_title(line)} — {indicator_wording.late_text(line)}" for line in points.late],
            [wording.short_name(line) for line in points.late],
        ),
        _group(
            not_reported_headings(points.not_reported),
            [
                f"{line.code} {wording.short_title(line)} — {indicator_wording.value_text(line)}"
                for line in points.not_reported
            ],
            [wording.short_name(line) for line in points.not_reported],
        ),
        _group(
            ("Direction en attente", "Directions en attente"),
            [f"{row.directorate.display} : {wording.completeness_sentence(row)} ; {wording.missing_sentence(row)}"
             for row in points.directorates_behind],
        ),
        _group(("Rythme des comités", "Rythme des comités"), list(points.cadence), counted=False),
    ]
    return [group for group in groups if group.items]


DECISIONS_HEADING = "Décisions à prendre"


def decision_items(summary: Summary) -> list[str]:
    """The decisions, first on page 1 under their own heading, at the level of « Points d’attention »:
    nested in it, they read as one more point to watch (reader 10, C18)."""
    return list(attention_points(summary).decisions)


def _group(
    headings: tuple[str, str], items: list[str], names: list[str] | None = None, *, counted: bool = True
) -> AttentionGroup:
    """`headings`: the singular and plural heading, chosen by the number of items; `names`: a short
    name per item, to name the few left out rather than count them. One item over the limit is listed
    like the others: a line naming it takes as much room, and 8 bullets under « (9) » read as one
    missing (reader 14, minor 4); those left out are said to be, and why (« Les 2 autres, détaillés
    plus loin faute de place sur cette page : … »), so that the heading's count adds up."""
    shown = tuple(items if len(items) <= MAX_ATTENTION_LINES + 1 else items[:MAX_ATTENTION_LINES])
    more = None
    left = len(items) - len(shown)
    if names and wording.rest_is_named(left):
        more = f"Les {left} autres, détaillés plus loin faute de place sur cette page : {joined(names[len(shown):])}."
    elif left:
        more = f"Les {left} autres, faute de place sur cette page : voir le détail ci-après."
    heading = agreed(len(items), *headings)
    return AttentionGroup(f"{heading} ({len(items)})" if counted else heading, shown, more)


def listed(items: Sequence[str]) -> list[str]:
    """Items as printed lines: bulleted when there are several; one item reads as a sentence, never
    as a list of one bullet."""
    if len(items) == 1:
        return [as_sentence(items[0])]
    return [f"• {item}" for item in items]


def html_list(items: Sequence[str]) -> str:
    """`listed` in HTML (`items` already escaped): one item is a paragraph, several a list."""
    if len(items) == 1:
        return f"<p>{as_sentence(items[0])}</p>"
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def meetings_heading(summary: Summary) -> str:
    return "Prochaine réunion" if len(summary.next_meetings) == 1 else "Prochaines réunions"


def logo_alt(organisation_name: str | None) -> str:
    """Empty when the organisation's name is printed beside the logo: the image then adds nothing to
    read, a screen reader would say the name twice, and « Logo : Ville de Démoville » described an
    image the assistant never sees (reader 9, C14: the demo's logo is a check mark). Without a name,
    the logo is all that says whose report it is."""
    return "" if organisation_name else "Logo de l’organisation"


def directorate_rows(summary: Summary) -> list[DirectorateCompleteness]:
    """The directorates of the « Saisies attendues » table, in the chart's order (`completeness_order`)."""
    return completeness_order(summary.completeness)


def report_comments(
    summary: Summary, entries: Mapping[EntryKey, EntryRecord] | None = None
) -> list[tuple[IndicatorLine, list[tuple[str, str, str]]]]:
    """Per indicator, the (directorate, period, comment) of each directorate's latest value, the
    comment as the person typed it (whatever it says); computed values are in `computed_sources`:
    what a value is, is told by its source, never by its text. A comment a person responsible for the
    SPASER typed for the directorate says so (« 2ᵉ trimestre 2026, saisi par Camille Martin, responsable
    du SPASER », reader 15, minor 9: the directorate was credited with the lead's words)."""
    result = []
    for line in summary.lines:
        comments = [
            (summary.directorate_name(item.directorate), _period_and_author(line, item, entries or {}),
             typographic_apostrophes(item.comment))
            for item in line.latest_by_directorate
            if item.comment and not is_computed(item.source)
        ]
        comments = sorted_names(comments, key=lambda comment: comment[0])
        if comments:
            result.append((line, comments))
    return result


def _period_and_author(line: IndicatorLine, item: DirectorateValue, entries: Mapping[EntryKey, EntryRecord]) -> str:
    """« 2ᵉ trimestre 2026 », and « , saisi par Camille Martin, responsable du SPASER » when a lead typed it."""
    entry = entries.get((line.code, item.directorate, item.period.code))
    if entry is None or not entry.by_lead or not entry.author:
        return item.period.label
    return f"{item.period.label}, saisi par {entry.author}, responsable du SPASER"


COMPUTED_SOURCES_HEADING = "Sources des calculs automatiques"
COMPUTED_SOURCES_INTRO = (
    "Ces valeurs sont calculées à partir des marchés notifiés que l’organisme publie dans les données essentielles "
    "de la commande publique (DECP), pour chaque marché de 40 000 € HT ou plus. Les marchés de moins de "
    "40 000 € HT n’y figurent pas ; un indicateur saisi par les directions (le nombre de marchés réservés, par "
    "exemple) peut, lui, les compter."
)


def computed_sources(summary: Summary) -> list[tuple[IndicatorLine, list[tuple[str, str]]]]:
    """Per computed indicator, the (period, what it was computed from) of its latest value; where
    the data come from is said once for all (`computed_imports`)."""
    result = []
    for line in summary.lines:
        # At the head of a paragraph (« Année 2025 : 3 sur 4 marchés notifiés. », reader 15, minor 12).
        sources = [
            (upper_first(item.period.label), item.comment)
            for item in line.latest_by_directorate if is_computed(item.source)
        ]
        if sources:
            result.append((line, sources))
    return sorted(result, key=lambda item: indicator_order(item[0]))


def computed_imports(summary: Summary) -> str:
    """« Source : le fichier des données essentielles, importé le … par Camille Martin. »:
    each import named once, whoever did it named once (it was repeated on every indicator), and
    the file by what it holds rather than by its name (« decp-demo.json »), all from the values'
    source columns."""
    imports: list[str] = []
    for line in summary.lines:
        for item in line.latest_by_directorate:
            if is_computed(item.source) and item.source.report_described not in imports:
                imports.append(item.source.report_described)
    if not imports:
        return ""
    return f"{'Source' if len(imports) == 1 else 'Sources'} : {' ; '.join(imports)}."


def value_cell(line: IndicatorLine) -> str:
    """The latest value, how the directorates' values make it when there are several, and what the
    law says of it (`indicator_wording.legal_notes`); a cell of its own, so it starts with a capital, as
    the card's line does (reader 9, B6). How the directorates' values add up goes between parentheses
    after the value, as on the card (reader 12, B18: « ensemble des directions » alone on its line)."""
    parts = [upper_first(indicator_wording.value_text(line, aggregated=True))]
    if line.responsible_count > 1 and line.aggregation is AggregationRule.SINGLE:
        parts.append(indicator_wording.aggregation_sentence(line))
    elif line.responsible_count > 1 and line.is_partial:  # the value already says « (d’après 1 des 2…) »
        parts.append(f"({indicator_wording.aggregation_sentence(line)})")
    parts += indicator_wording.legal_notes(line)
    return "\n".join(parts)


def warning_messages(summary: Summary) -> list[str]:
    messages = list(cadence_alerts(summary))
    if summary.catalogue_warning:
        messages.append(summary.catalogue_warning)
    return messages


def panel_alt(panel: Panel) -> str:
    if panel is Panel.PROGRESS:
        return "Graphique : avancement de chaque indicateur vers sa cible"
    return "Graphique : part des indicateurs saisis par direction"


_HTML_STYLE = """
body{font-family:"Segoe UI",Arial,sans-serif;color:#212121;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{margin:0}h2{border-bottom:2px solid #e0e0e0;padding-bottom:.2em;margin-top:1.6em}h3{margin-bottom:.3em}
.head{display:flex;gap:1em;align-items:center}.logo{max-height:72px;max-width:180px}.org{margin:0;font-weight:bold}
.subtle{color:#616161}.small{font-size:.85em}
.counts{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}
.count{border:1px solid #e0e0e0;border-radius:6px;padding:.5em 1em;text-align:center;min-width:7em}
.count b{display:block;font-size:2em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #e0e0e0;padding:.35em .5em;text-align:left;vertical-align:top;hyphens:auto}
th{background:#e3f2fd}.status{font-weight:bold;white-space:nowrap}.status .note{font-weight:normal;font-size:.85em;white-space:normal}
.legal{font-weight:bold;font-size:1.1em;margin:1em 0 0}
.warning{background:#fff3e0;border-left:4px solid #ef6c00;padding:.5em 1em;margin:.5em 0}
.detail{break-before:page}
img{max-width:100%}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}table.short{break-inside:avoid}}
"""


def report_html(
    summary: Summary, entries: Mapping[EntryKey, EntryRecord] | None = None, *,
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE, produced_at: datetime | None = None,
) -> bytes:
    """The COPIL report as one self-contained HTML page (UTF-8)."""
    organisation = summary.organisation
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{escape(wording.TITLE)} – {escape(wording.scope_text(summary))}</title>",
        f"<style>{_HTML_STYLE}</style></head><body>",
        '<header class="head">',
    ]
    if organisation.logo:
        alt = logo_alt(organisation.name)
        parts.append(
            f'<img class="logo" alt="{escape(alt)}" src="data:{organisation.logo_media_type};base64,'
            f'{base64.b64encode(organisation.logo).decode("ascii")}">'
        )
    parts.append("<div>")
    if organisation.name:
        parts.append(f'<p class="org">{escape(organisation.name)}</p>')
    parts += [
        f"<h1>{escape(wording.TITLE)}</h1>",
        f'<p class="subtle">{escape(REPORT_SUBTITLE)} · '
        f"{escape(wording.scope_text(summary, with_organisation=False))}</p>",
        "</div></header>",
    ]
    empty = wording.empty_text(summary)
    if empty:
        parts.append(f'<p class="warning">{escape(empty)}</p>')
    else:
        parts.extend(_html_attention(summary))
    parts.append('<section class="detail">')
    if not empty:
        parts.extend(_html_indicators(summary))
    parts.extend(_html_completeness(summary))
    parts.extend(_html_meetings(summary, timezone, with_warnings=bool(empty)))
    parts.extend(_html_comments(summary, entries))
    parts.extend(_html_computed(summary))
    if summary.lines:
        # In the body's size and colour: small grey type read as fine print (reader 7, C54).
        parts.append(f"<div><h2>{escape(reading_rules.RULES_HEADING)}</h2>")
        parts.append(html_list([escape(rule) for rule in reading_rules.rules_items(summary)]))
        parts.append("</div>")
    parts.append(f'<p class="subtle small">{escape(wording.produced_text(summary, produced_at, timezone))}</p>')
    parts.append("</section></body></html>")
    return "\n".join(parts).encode("utf-8")


def _html_attention(summary: Summary) -> list[str]:
    parts = []
    alert = wording.legal_alert_text(summary)
    if alert:  # read first, above the counts (reader 9)
        parts.append(f'<p class="legal" style="color:{LEGAL_HEX}">{escape(alert)}</p>')
    parts += [f"<p>{escape(wording.headline_text(summary))}</p>", '<div class="counts">']
    for status in counted_statuses(summary.status_counts):
        count = summary.status_counts.get(status, 0)
        parts.append(
            f'<div class="count" style="color:{STATUS_HEX[status]}"><b>{count}</b>'
            f"{escape(wording.tile_label(status, count))}</div>"
        )
    parts.append("</div>")
    decisions = decision_items(summary)
    if decisions:
        parts += [f"<h2>{DECISIONS_HEADING}</h2>", html_list([escape(item) for item in decisions])]
    parts.append("<h2>Points d’attention</h2>")
    groups = attention_groups(summary)
    if not groups:
        parts.append(f"<p>{escape(NOTHING_TO_FLAG)}</p>")
    for group in groups:
        parts.append(f"<h3>{escape(group.heading)}</h3>")
        parts.append(html_list([escape(item) for item in group.items]))
        if group.more:
            parts.append(f'<p class="subtle small">{escape(group.more)}</p>')
    return parts


def _html_indicators(summary: Summary) -> list[str]:
    parts = []
    for panel in (Panel.PROGRESS, Panel.COMPLETENESS):
        png = summary_chart_png(summary, panels=(panel,), with_title=False)
        parts.append(
            f'<p><img alt="{escape(panel_alt(panel))}" src="data:image/png;base64,'
            f'{base64.b64encode(png).decode("ascii")}"></p>'
        )
    for section in summary.sections:
        parts.append(f"<h2>Axe {escape(section.axis.value)}</h2>")
        short = ' class="short"' if len(section.lines) <= KEPT_TOGETHER_ROWS else ""
        parts.append(
            f"<table{short}><tr><th>Indicateur</th><th>Dernière valeur</th><th>Cible</th>"
            "<th>Avancement</th><th>Tendance</th><th>Statut</th></tr>"
        )
        for line in section.lines:
            value = "<br>".join(escape(part) for part in value_cell(line).split("\n"))
            parts.append(
                f"<tr><td><b>{escape(line.code)}</b> {escape(line.label)}</td>"
                f"<td>{value}</td>"
                f"<td>{escape(indicator_wording.target_text(line))}{_html_reference(line)}</td>"
                f"<td>{escape(trajectory_wording.progress_text(line))}</td>"
                f"<td>{escape(indicator_wording.trend_text(line))}</td>"
                f'<td class="status" style="color:{STATUS_HEX[line.status]}">{_html_status(line)}</td></tr>'
            )
        parts.append("</table>")
    return parts


def _html_reference(line: IndicatorLine) -> str:
    """The path's start under the target, what the status and the progress are measured from (reader 15, B1)."""
    reference = indicator_wording.reference_text(line)
    return f'<br><span class="note">{escape(reference)}</span>' if reference else ""


def _html_status(line: IndicatorLine) -> str:
    """The badge on one line, what qualifies it under it in small type, which may wrap."""
    badge, *notes = wording.report_status_lines(line)
    return escape(badge) + "".join(f'<br><span class="note">{escape(note)}</span>' for note in notes)


def _html_completeness(summary: Summary) -> list[str]:
    if not summary.completeness:
        return []
    parts = [
        f"<h2>{wording.COMPLETENESS_HEADING}</h2>",
        f"<p>{escape(wording.completeness_headline(summary))}</p>",
        "<table><tr><th>Direction</th><th>Indicateurs saisis</th><th>À saisir</th></tr>",
    ]
    for row in directorate_rows(summary):
        missing = wording.missing_text(row)
        parts.append(
            f"<tr><td>{escape(row.directorate.display)}</td><td>{escape(wording.completeness_text(row))}</td>"
            f"<td>{escape(missing) or '—'}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _html_meetings(summary: Summary, timezone: ZoneInfo | str, *, with_warnings: bool) -> list[str]:
    """`with_warnings`: the cadence warnings, when the first page (« Rythme des comités ») is not there."""
    parts = [f"<h2>{meetings_heading(summary)}</h2>"]
    if summary.next_meetings:
        parts.append(html_list([
            f"<b>{escape(meeting.label)}</b> : {escape(wording.meeting_text(meeting, timezone))}"
            for meeting in summary.next_meetings
        ]))
    else:
        parts.append(f'<p class="subtle">{no_meeting_text()}</p>')
    if with_warnings:
        parts.extend(f'<p class="warning">⚠ {escape(message)}</p>' for message in warning_messages(summary))
    return parts


def _html_comments(summary: Summary, entries: Mapping[EntryKey, EntryRecord] | None = None) -> list[str]:
    parts = ["<h2>Commentaires des directions</h2>"]
    comments = report_comments(summary, entries)
    if not comments:
        return parts + ['<p class="subtle">Aucun commentaire.</p>']
    for line, items in comments:
        parts.append(f"<h3>{escape(line.code)} {escape(wording.short_title(line))}</h3>")
        parts.append(html_list([f"<b>{escape(name)}</b>, {escape(period)} : « {escape(comment)} »"
                                for name, period, comment in items]))
    return parts


def _html_computed(summary: Summary) -> list[str]:
    sources = computed_sources(summary)
    if not sources:
        return []
    parts = [f"<h2>{COMPUTED_SOURCES_HEADING}</h2>", f"<p>{escape(COMPUTED_SOURCES_INTRO)}</p>"]
    imports = computed_imports(summary)
    if imports:
        parts.append(f"<p>{escape(imports)}</p>")
    for line, items in sources:
        parts.append(f"<h3>{escape(line.code)} {escape(wording.short_title(line))}</h3>")
        parts.append(html_list([f"{escape(period)} : {escape(source)}" for period, source in items]))
    return parts
