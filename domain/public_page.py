"""The public SPASER page (`/spaser`) and its open-data CSV (`/spaser.csv`), published by the lead.

Read-only, in French, and with nothing personal: the organisation's name, the adopted SPASER's
title and sections, each active indicator's latest organisation-wide value (the summary's, same
rules), its target and progress, and the date of the last update. Never a person's name, a
directorate's comment or a contract. RGAA basics: `lang`, one `h1` then `h2`/`h3`, tables with a
caption and header cells, text contrast ≥ 4.5:1, progress given in words as well as drawn.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from domain.clock import format_date_fr
from domain.decp.measures import NO_CONTRACT
from domain.indicators.catalogue import Axis
from domain.indicators.periods import parse_period
from domain.indicators.units import Unit, format_number, unit_name
from domain.summary.indicator_wording import below_reference_text, per_period_text, reference_text, shown_number
from domain.summary.model import IndicatorLine, Status, shown_amount
from domain.summary.status_colours import STATUS_HEX
from domain.text import upper_first

PAGE_PATH = "/spaser"
CSV_PATH = "/spaser.csv"
XLSX_PATH = "/spaser.xlsx"
MAX_SECTIONS_SHOWN = 12
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
CSV_COLUMNS = (
    "code", "libelle", "axe", "unite", "origine", "periode", "valeur", "valeur_reference", "periode_reference", "cible",
    "annee_cible", "progression_pct", "statut", "remarque",
)
XLSX_COLUMNS = (
    ("Code", 10), ("Indicateur", 55), ("Axe", 20), ("Unité", 22), ("Origine", 30), ("Période", 20),
    ("Dernière valeur", 16), ("Valeur de référence", 16), ("Période de référence", 20), ("Cible", 16), ("Année cible", 11),
    ("Progression vers la cible (%)", 16), ("Statut", 18), ("Remarque", 50),
)
"""The spreadsheet's columns (French headers) and their widths: the CSV's, for people rather than programs."""
_AMOUNT_COLUMNS = {"Dernière valeur", "Valeur de référence", "Cible"}
AXIS_TITLES = {
    # After « Axe social : »: the axis as the report and the chat name it, then what it is about.
    Axis.SOCIAL: "achats socialement responsables",
    Axis.ENVIRONMENTAL: "achats écologiquement responsables",
    Axis.RESPONSIBLE_ECONOMY: "accès des PME et de l’économie sociale et solidaire",
    Axis.GOVERNANCE: "pilotage et suivi du SPASER",
}


@dataclass(frozen=True)
class PublicIndicator:
    code: str
    label: str
    axis: Axis
    unit: Unit
    computed: bool
    period: str | None
    value: Decimal | None
    baseline: Decimal | None
    target: Decimal | None
    target_year: int | None
    progress_percent: float | None
    status: Status
    note: str = ""
    counted_noun: str = ""
    due_period: str | None = None
    """The period due today: a value older than it is stale (« Valeur pour l’année 2025 pas encore disponible »)."""
    per_period: str = ""
    """« par trimestre » for the target of a quarterly amount, as the card and the report say it."""
    reference_period: str | None = None
    """The period the progress starts from (the end of the first period reported)."""
    reference: str = ""
    """« Référence déclarée dans le catalogue : 25 %, départ de la trajectoire au 1er trimestre 2024 », as the
    report writes it under the target (`reference_text`, reader 15, B1)."""
    below_reference: str = ""
    """« valeur actuelle en deçà de la référence » when the progress is negative (reader 15, m6)."""

    def shown(self, number: Decimal | None) -> str:
        """As the card and the report write it: « 1,2 million d’euros », not « 1 200 000 € » (reader 9, C9)."""
        if number is None:
            return "—"
        # In digits next to a value under a million, as the card and the report (reader 11, B22).
        words = self.value is None or abs(self.value) >= 1_000_000
        return shown_amount(number, self.unit, self.counted_noun, words=words)

    @property
    def origin(self) -> str:
        return "calculé à partir des marchés notifiés (DECP)" if self.computed else "saisi par les directions"


@dataclass(frozen=True)
class PublicSpaser:
    organisation: str
    document_title: str | None
    sections: tuple[str, ...]
    indicators: tuple[PublicIndicator, ...]
    updated_on: date | None
    contact: str = ""
    """Where residents ask for the adopted SPASER until it is online (`SPASER_PUBLIC_CONTACT`): an e-mail or an address."""


def public_indicators(
    lines: Iterable[IndicatorLine], computed_codes: set[str], latest_figures: Mapping[str, tuple[str, bool]]
) -> tuple[PublicIndicator, ...]:
    """The summary's lines, reduced to what may be published; a computed indicator whose last
    period had no contract says so (`latest_figures`: code → (period, had contracts))."""
    indicators = []
    for line in lines:
        snapshot = line.snapshot
        period, had_contracts = latest_figures.get(snapshot.code, (None, True))
        note = f"{NO_CONTRACT} {parse_period(period).in_sentence()}" if not had_contracts and period else ""
        baseline, reference_period = snapshot.baseline, None
        if line.reference is not None:  # the value the progress is measured from, shown with its period (reader 14, m9)
            baseline, reference_period = shown_number(line.reference[0], line.aggregation), line.reference[1].code
        if line.legal_breach:  # published as plainly as the COPIL reads it
            note = " ; ".join(filter(None, [note, upper_first(line.legal_breach)]))
        indicators.append(
            PublicIndicator(
                code=snapshot.code,
                label=snapshot.label,
                axis=snapshot.axis,
                unit=snapshot.unit,
                computed=snapshot.code in computed_codes,
                period=line.latest_period.code if line.latest_period else None,
                value=None if line.latest_value is None else shown_number(line.latest_value, line.aggregation),
                baseline=baseline,
                target=snapshot.target,
                target_year=snapshot.target_year,
                progress_percent=line.progress_percent,
                status=line.status,
                note=note,
                counted_noun=snapshot.counted_noun,
                due_period=line.due_period.code if line.is_stale else None,
                per_period=per_period_text(line).strip(),
                reference=upper_first(reference_text(line, with_side=False)),
                below_reference=below_reference_text(snapshot.direction)
                if line.progress_percent is not None and line.progress_percent < 0 else "",
                reference_period=reference_period,
            )
        )
    return tuple(indicators)


def section_titles(titles: Iterable[str]) -> tuple[str, ...]:
    """The adopted SPASER's outline: each section's top heading, once, in order."""
    seen: dict[str, None] = {}
    for title in titles:
        top = title.split(" › ")[0].removesuffix(" (suite)").strip()
        if top:
            seen.setdefault(top, None)
    return tuple(seen)[:MAX_SECTIONS_SHOWN]


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Marianne,Arial,sans-serif;color:#1e1e1e;background:#fff;margin:0;line-height:1.5}
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:4px solid #000091}
.organisation{font-weight:700;font-size:1.1rem;margin:0}
h1{font-size:clamp(1.3rem,4vw + .45rem,1.8rem);line-height:1.25;margin:.3rem 0;overflow-wrap:break-word;hyphens:auto}
h2{font-size:clamp(1.2rem,3vw + .45rem,1.4rem);line-height:1.3;margin-top:2rem;color:#000091}
.table-scroll{overflow-x:auto;margin:.5rem 0 1rem}
.table-scroll table{margin:0}
.table-scroll caption{position:sticky;left:0;max-width:calc(100vw - 2rem);box-sizing:border-box}
@media (max-width:30rem){header,main,footer{padding:.75rem 1rem}}
h3{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #929292;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eeeef6}
td.number{text-align:right;white-space:nowrap}
.bar{display:block;height:.5rem;background:#e5e5e5;margin-top:.2rem;border-radius:.25rem;overflow:hidden}
.bar span{display:block;height:100%;background:#000091}
.note{color:#3a3a3a;font-size:.9rem}
a{color:#000091}
footer{border-top:1px solid #929292;color:#3a3a3a;font-size:.9rem}
@media (max-width:37.5rem){.table-scroll table,.table-scroll caption,.table-scroll tbody,.table-scroll tr,.table-scroll th,.table-scroll td{display:block;width:auto}
.table-scroll thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.table-scroll tr{border:1px solid #929292;margin-bottom:.75rem}
.table-scroll th,.table-scroll td{border:0;border-top:1px solid #e5e5e5}.table-scroll tr>:first-child{border-top:0;background:#eeeef6}
.table-scroll td[data-label]::before{content:attr(data-label) "\u00a0: ";font-weight:600}}
"""
"""Under 600 px each row is a card, its cells one under the other with their column's name: at 375 px the
table was cut at its right edge with nothing to say it scrolled (reader 15, minor 19)."""


_FEMININE_NOUNS = frozenset(
    {"ville", "commune", "métropole", "eurométropole", "communauté", "agglomération", "région", "collectivité"}
)
_MASCULINE_NOUNS = frozenset({"département", "conseil", "syndicat", "établissement", "centre"})


def organisation_with_article(name: str, preposition: str = "") -> str:
    """« la Ville de Démoville », « à la Ville de Démoville », « au Département du Rhône »,
    « à l’Eurométropole de Strasbourg », « à Lyon »: the organisation named in a sentence with the
    article its first noun takes (a place name takes none). Reader 10, C19: « l’organisme » on the
    organisation's own page read like a template."""
    first = name.split(" ", 1)[0].lower()
    if first in _FEMININE_NOUNS or first in _MASCULINE_NOUNS:
        if _starts_with_vowel(first):
            article = "l’"
        else:
            article = "la " if first in _FEMININE_NOUNS else "le "
        if article == "le " and preposition in ("à", "de"):
            return f"{'au' if preposition == 'à' else 'du'} {name}"
        return f"{preposition} {article}{name}".lstrip()
    if preposition == "de" and _starts_with_vowel(first):
        return f"d’{name}"
    return f"{preposition} {name}".lstrip()


def _starts_with_vowel(word: str) -> bool:
    return word[:1].lower() in "aeiouyàâéèêîïôûœ"


def public_page_html(page: PublicSpaser) -> str:
    organisation = escape(page.organisation)
    updated = f"Dernière mise à jour : {format_date_fr(page.updated_on)}." if page.updated_on else "Aucune valeur publiée pour l’instant."
    parts = [
        "<!doctype html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>SPASER — {organisation}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="organisation">{organisation}</p>',
        "<h1>Schéma de promotion des achats publics socialement et écologiquement responsables (SPASER)</h1>",
        f"<p>{updated}</p>",
        "</header>",
        "<main>",
        *_schema_section(page),
        '<section aria-labelledby="indicateurs">',
        '<h2 id="indicateurs">Indicateurs de suivi</h2>',
    ]
    named = escape(organisation_with_article(page.organisation))
    parts.append(
        f"<p>Pour chaque indicateur : sa dernière valeur pour {named}, sa cible et la progression depuis la valeur "
        "de référence, indiquée sous la cible (celle que déclare le catalogue du SPASER, à défaut la première valeur "
        "mesurée). Les indicateurs calculés le sont à partir des données essentielles "
        "de la commande publique "
        f"(DECP) que {named} publie pour chaque marché de 40 000 € HT ou plus.</p>".replace("40 000 €", "40\u202f000\u00a0€")
    )
    for axis in Axis:
        indicators = [indicator for indicator in page.indicators if indicator.axis is axis]
        if indicators:
            parts += _axis_table(axis, indicators)
    if not page.indicators:
        parts.append("<p>Aucun indicateur n’est encore suivi.</p>")
    parts += [
        "</section>",
        '<section aria-labelledby="donnees">',
        '<h2 id="donnees">Données ouvertes</h2>',
        # A spreadsheet that opens as it is; the CSV, in open data's conventions, for reuse (reader 9, B15:
        # « séparateur virgule… encodage UTF-8 » was jargon for the residents).
        f'<p><a href="{XLSX_PATH}" download>Télécharger les indicateurs (tableur, fichier XLSX)</a>\u00a0: '
        "il s’ouvre directement dans Excel, LibreOffice Calc ou un autre tableur.</p>",
        f'<p>Pour réutiliser ces données\u00a0: <a href="{CSV_PATH}" download>les indicateurs au format CSV</a>. '
        "Si un tableur l’affiche mal, ouvrez-le par le menu Données, Importer, en choisissant la virgule comme "
        "séparateur de colonnes et le point comme séparateur décimal.</p>",
        "</section>",
        "</main>",
        # A label, not « publiée par … »: the article depends on the name (la Ville, le Département, Lyon).
        f"<footer><p>Éditeur de la page : {organisation}. Page réalisée avec l’assistant SPASER.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts)


def _schema_section(page: PublicSpaser) -> list[str]:
    """The adopted SPASER: its title and outline; before it is imported, where to ask for it
    (`page.contact`), or nothing at all: « vous pouvez le demander à la Ville » with no address to
    write to was an empty promise on a public page (reader 14, m11)."""
    if page.document_title:
        body = [f"<p>{escape(page.document_title)}</p>"]
        if page.sections:
            body.append("<ul>" + "".join(f"<li>{escape(title)}</li>" for title in page.sections) + "</ul>")
    elif page.contact:
        # No promise of a date: the lead has not attached the adopted document to the assistant yet (the
        # publish reply tells her). Reader 10, A6: the organisation named with its article.
        body = [
            "<p>Le texte du SPASER adopté sera mis en ligne sur cette page. En attendant, vous pouvez le demander "
            f"{escape(organisation_with_article(page.organisation, 'à'))} en écrivant à {_contact_html(page.contact)}.</p>"
        ]
    else:
        return []
    return ['<section aria-labelledby="schema">', '<h2 id="schema">Le SPASER adopté</h2>', *body, "</section>"]


def _contact_html(contact: str) -> str:
    """An e-mail address as a link to write to; a postal address as it is."""
    if _EMAIL.fullmatch(contact):
        return f'<a href="mailto:{escape(contact)}">{escape(contact)}</a>'
    return escape(contact)


COLUMNS = ("Indicateur", "Dernière valeur", "Cible", "Progression", "Origine")
"""The axis tables' columns; on a phone each cell says its column (`data-label`)."""


def _axis_table(axis: Axis, indicators: list[PublicIndicator]) -> list[str]:
    title = AXIS_TITLES[axis]
    rows = [
        f"<h3>Axe {escape(axis.value)} : {escape(title)}</h3>",
        # Scrolled on its own on a phone, the page keeps its width (375 px: the table made it 734 px wide,
        # issue 17); focusable so that a keyboard scrolls it too (axe: scrollable-region-focusable).
        f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="tableau-{axis.name.lower()}">',
        "<table>",
        f'<caption id="tableau-{axis.name.lower()}">'
        f"Dernière valeur, cible et progression des indicateurs de l’axe {escape(axis.value)}</caption>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{name}</th>' for name in COLUMNS)
        + "</tr></thead>",
        "<tbody>",
    ]
    for indicator in indicators:
        rows.append(
            "<tr>"
            f'<th scope="row">{escape(indicator.code)} — {escape(indicator.label)}</th>'
            f'<td data-label="{COLUMNS[1]}">{_value_cell(indicator)}</td>'
            f'<td data-label="{COLUMNS[2]}">{_target_cell(indicator)}</td>'
            f'<td data-label="{COLUMNS[3]}">{_progress_cell(indicator)}</td>'
            f'<td data-label="{COLUMNS[4]}">{escape(upper_first(indicator.origin))}</td>'
            "</tr>"
        )
    rows += ["</tbody>", "</table>", "</div>"]
    return rows


def _value_cell(indicator: PublicIndicator) -> str:
    if indicator.value is None:
        text = "Pas encore de valeur"
    else:
        text = f"{escape(indicator.shown(indicator.value))} <span class=\"note\">({escape(parse_period(indicator.period).label if indicator.period else '')})</span>"
    if indicator.note:
        text += f'<br><span class="note">{escape(indicator.note)}</span>'
    return text


def _target_cell(indicator: PublicIndicator) -> str:
    if indicator.target is None:
        return "Sans cible"  # as the status next to it (reader 1, C4)
    per_period = f" {indicator.per_period}" if indicator.per_period else ""
    text = f"{escape(indicator.shown(indicator.target))}{per_period} en {indicator.target_year}"
    if indicator.reference:
        # What « % du chemin parcouru » is measured from (reader 14, m9), in the report's words: a declared
        # baseline is not dated by a period whose measure differs (reader 15, B1: « 25 % au 1er trimestre 2024 »
        # next to the 18,6 % measured then).
        text += f'<br><span class="note">{escape(indicator.reference)}</span>'
    return text


def _progress_cell(indicator: PublicIndicator) -> str:
    status = escape(upper_first(indicator.status.value))
    if indicator.due_period:  # a value, but an older one: « non renseigné » next to it read as a contradiction
        return escape(_not_yet_available(indicator.due_period))
    if indicator.progress_percent is None:
        return status
    percent = max(0.0, min(100.0, indicator.progress_percent))
    if indicator.below_reference:
        # The negative figure the spreadsheet and the CSV give, said, never a silent « 0 % » (reader 15, m6).
        shown = format_number(Decimal(round(indicator.progress_percent)))
        return (f"{shown}\u00a0% du chemin parcouru vers la cible ({escape(indicator.below_reference)}) · "
                f"{status}{_bar(0, indicator.status)}")
    if indicator.progress_percent >= 100:  # as the card and the report say it
        reached = "Cible dépassée" if indicator.progress_percent > 100 else "Cible atteinte"
        return f'{reached}{_bar(100, indicator.status)}'
    shown = format_number(Decimal(round(percent)))
    return f"{shown}\u00a0% du chemin parcouru vers la cible · {status}{_bar(percent, indicator.status)}"


def _bar(percent: float, status: Status) -> str:
    """The progress bar in its status's colour, as on the report's chart (reader 11, C25: every bar was
    navy, « non conforme à la loi » and « en retard » included)."""
    return (f'<span class="bar" aria-hidden="true"><span style="width:{percent:.0f}%;'
            f'background:{STATUS_HEX[status]}"></span></span>')


def _not_yet_available(due_period: str) -> str:
    return f"Valeur pour {parse_period(due_period).with_article()} pas encore disponible"


def public_page_csv(page: PublicSpaser) -> bytes:
    """The same indicators as open data: UTF-8, comma, decimal point, one row per indicator."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for indicator in page.indicators:
        writer.writerow(
            [
                indicator.code,
                indicator.label,
                indicator.axis.value,
                indicator.unit.value,
                indicator.origin,
                indicator.period or "",
                _plain(indicator.value),
                _plain(indicator.baseline),
                indicator.reference_period or "",
                _plain(indicator.target),
                indicator.target_year or "",
                "" if indicator.progress_percent is None else f"{indicator.progress_percent:.1f}",
                indicator.status.value,
                indicator.note,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))


def public_page_xlsx(page: PublicSpaser) -> bytes:
    """The same indicators as a spreadsheet that opens as it is: French headers, periods in words,
    typed numbers in Excel's invariant formats (shown with the reader's separators). openpyxl is
    imported here, by the one request that needs it, not by every instance at start-up."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    from domain.summary.exports import number_format

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicateurs"
    sheet.append([name for name, _width in XLSX_COLUMNS])
    for cell, (_name, width) in zip(sheet[1], XLSX_COLUMNS):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for indicator in page.indicators:
        progress = None if indicator.progress_percent is None else round(indicator.progress_percent, 1)
        row = [
            indicator.code,
            indicator.label,
            upper_first(indicator.axis.value),
            # « tCO2e » is a notation residents do not read; « nombre » said nothing of kilometres (reader 14, m7)
            upper_first(unit_name(indicator.unit, indicator.counted_noun)),
            upper_first(indicator.origin),
            parse_period(indicator.period).label if indicator.period else None,
            indicator.value,
            indicator.baseline,
            parse_period(indicator.reference_period).label if indicator.reference_period else None,
            indicator.target,
            indicator.target_year,
            progress,
            upper_first(indicator.status.value),
            " ; ".join(filter(None, [_not_yet_available(indicator.due_period) if indicator.due_period else "",
                                     indicator.note])) or None,
        ]
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text people typed in the catalogue is never run as a formula
            elif isinstance(cell.value, Decimal | float):
                unit = indicator.unit if XLSX_COLUMNS[cell.column - 1][0] in _AMOUNT_COLUMNS else None
                cell.number_format = number_format(cell.value, unit)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
