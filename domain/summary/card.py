"""The summary as Adaptive Cards (1.5): a compact one an élu·e reads in ten seconds, and the
detail on demand.

- **Compact** (« synthèse »): headline counts per status and a line with the total, the decisions
  to take, the few points that need attention (late indicators first, then those not reported for
  the period due), one line on the reports and the next meeting, and a « Voir le détail » button.
- **Detail** (« synthèse détaillée », or the button): one row per indicator grouped by axis,
  reporting completeness, next meetings, warnings, how to read it.

Both have filters as buttons that post `synthèse axe …` / `synthèse direction …`.

Teams refuses messages above about 28 KB (28 672 bytes) envelope included: the card is measured
as the connector serialises it (msrest's `json.dumps` defaults, so accents count as `\\uXXXX`) and,
past `MAX_CARD_BYTES` (leaving ~2 KB for the activity around it), indicator rows are cut with a
line that says how many are left out (the exported report has them all). Thirty indicators with
72-character labels and forty directorates fit; labels are shortened to that length.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from domain.cards import CARD_VERSION, fact, im_back
from domain.clock import DEFAULT_TIMEZONE
from domain.committees.messages import no_meeting_text
from domain.indicators.catalogue import Axis
from domain.summary import indicator_wording, reading_rules, wording
from domain.summary.attention import attention_points, cadence_alerts
from domain.summary.model import IndicatorLine, Status, Summary, counted_statuses
from domain.summary.status_colours import CARD_COLORS, STATUS_MARK
from domain.text import (
    agreed,
    counted,
    directorate_title,
    directorates_text,
    excerpt,
    joined,
    unbroken_codes,
    upper_first,
)

MAX_CARD_BYTES = 26_500
MAX_LISTED_DIRECTORATES = 10
MAX_DIRECTORATE_BUTTONS = 6
MAX_LISTED_MEETINGS = 3
MAX_LISTED_MISSING = 10
MAX_LABEL_CHARACTERS = 72
MAX_DIRECTORATE_NAME_CHARACTERS = 40
"""Names are cut only when the detail card with full names would pass `max_bytes`."""
MAX_ATTENTION_ITEMS = 3
DETAIL_BUTTON = "Voir le détail"
DECISIONS_HEADING = "Décisions à prendre"

MAX_AUTO_BADGE_CHARACTERS = 24
"""A status badge up to this long (« Non renseigné », « En bonne voie ») takes the width of its text."""
WARNING_COLOR = "Attention"
"""⚠ texts are red (`Attention`) like the broadcast preview's: Teams' yellow `Warning` is hard to
read on a white background, so no text uses it; « non renseigné » is bold in the default colour.
The status colours are in domain/summary/status_colours.py, shared with the reports."""


def summary_command(axis: Axis | None = None, directorate: str | None = None, *, detail: bool = False) -> str:
    """The text a button posts; `domain.summary.request.parse_summary_request` reads it back."""
    parts = ["synthèse détaillée" if detail else "synthèse"]
    if directorate:
        parts.append(f"direction {directorate}")
    if axis is not None:
        parts.append(f"axe {axis.value}")
    return " ".join(parts)


def card_size(content: dict[str, Any]) -> int:
    """Bytes of the card as the Bot Framework connector sends it."""
    return len(json.dumps(content).encode("utf-8"))


def summary_card_content(
    summary: Summary,
    *,
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE,
    extra_actions: Sequence[dict] = (),
) -> dict[str, Any]:
    """The compact card, read in ten seconds: counts and one line with the total, the decisions to
    take, the few points that need attention, the reports and the next meeting, « Voir le détail ».
    No chart: at card width its 24 labels were about 7 pixels high (reader 7); it is in the report."""
    body: list[dict[str, Any]] = _title(summary, wording.TITLE)
    empty = wording.empty_text(summary)
    if empty:
        body.append(_text(f"⚠ {empty}", color=WARNING_COLOR))
    else:
        body.append(_headline(summary))
        body.append(_text(wording.overview_text(summary), weight="Bolder", spacing="Small"))
        body.extend(_decisions(summary))
        body.append(_attention(summary))
    body.append(_status_line(summary, timezone))
    actions: list[dict[str, Any]] = []
    if summary.lines:
        detail = summary_command(summary.axis_filter, summary.directorate_filter, detail=True)
        actions.append(im_back(DETAIL_BUTTON, detail))
    return _card(body, actions + _actions(summary, detail=False) + list(extra_actions))


def _decisions(summary: Summary) -> list[dict[str, Any]]:
    """« Décisions à prendre », right after the counts: what the committee is there for (reader 7)."""
    decisions = attention_points(summary).decisions
    if not decisions:
        return []
    items = [_text(DECISIONS_HEADING, weight="Bolder", size="Medium")]
    items += [_text(f"• {decision}", size="Small", spacing="Small") for decision in decisions]
    return [{"type": "Container", "separator": True, "spacing": "Medium", "items": items}]


def summary_detail_card_content(
    summary: Summary,
    *,
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE,
    extra_actions: Sequence[dict] = (),
    max_bytes: int = MAX_CARD_BYTES,
) -> dict[str, Any]:
    """The detail card, cut to fit `max_bytes` (see the module docstring)."""
    content = _detail(summary, timezone, extra_actions, len(summary.lines), cut_names=False)
    if card_size(content) <= max_bytes:
        return content
    # As many rows as fit: a few bytes over the limit no longer cost a quarter of the rows.
    fitting = _detail(summary, timezone, extra_actions, 0, cut_names=True)
    low, high = 1, len(summary.lines)
    while low <= high:
        middle = (low + high) // 2
        candidate = _detail(summary, timezone, extra_actions, middle, cut_names=True)
        if card_size(candidate) <= max_bytes:
            fitting, low = candidate, middle + 1
        else:
            high = middle - 1
    return fitting


def summary_fingerprint(
    summary: Summary, timezone: ZoneInfo | str = DEFAULT_TIMEZONE, *, compact: dict[str, Any] | None = None
) -> str:
    """What a person reads in the summary, in 64 characters: two summaries with the same fingerprint
    show the same figures, statuses, reports and meetings (the compact card's texts and every row of
    the detail; the buttons left out).

    `compact`: the compact card already built for this summary (`summary_card_content`, with or
    without extra buttons), used instead of building it again; not yet typeset."""
    card = summary_card_content(summary, timezone=timezone) if compact is None else compact
    read = [
        card["body"],
        _detail(summary, timezone, (), len(summary.lines), cut_names=False),
    ]
    return hashlib.sha256(json.dumps(read, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": actions,
    }


def _title(summary: Summary, title: str) -> list[dict[str, Any]]:
    return [
        _text(title, size="Large", weight="Bolder"),
        _text(wording.scope_text(summary), isSubtle=True, spacing="None"),
    ]


def _attention(summary: Summary) -> dict[str, Any]:
    """The few indicators that need attention, and the others the detail holds: named when few, else counted."""
    points = attention_points(summary)
    items: list[dict[str, Any]] = [_text("Points d’attention", weight="Bolder", size="Medium")]
    shown = points.indicators[:MAX_ATTENTION_ITEMS]
    items.extend(_indicator_row(line) for line in shown)
    if not shown:
        items.append(_text("Aucun indicateur en retard ni manquant pour la période à renseigner.", isSubtle=True,
                           spacing="Small"))
    rest = points.indicators[len(shown):]
    if wording.rest_is_named(len(rest)):
        items.append(_text(_named_rest(shown, rest), size="Small", isSubtle=True))
    elif rest:
        items.append(_text(f"… et {len(rest)} autres indicateurs à suivre : voir le détail.", size="Small",
                           isSubtle=True))
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _named_rest(shown: Sequence[IndicatorLine], rest: Sequence[IndicatorLine]) -> str:
    """« Également en retard : déchets de chantier valorisés (IND-12). Non renseigné : émissions de gaz
    à effet de serre liées aux achats (IND-07). »: the indicators left out of the card, by status (one
    heading for a late and a not-reported one read as if both were late); « Également », not the
    familiar « Aussi » at the head of the line (reader 14, minor 13)."""
    sentences = []
    for status in (Status.OUTSIDE_LEGAL_LIMIT, Status.LATE, Status.NOT_REPORTED):
        group = [line for line in rest if line.status is status]
        if not group:
            continue
        heading = wording.status_count_label(status, len(group))
        heading = f"Également {heading}" if any(line.status is status for line in shown) else upper_first(heading)
        sentences.append(f"{heading}\u00a0: {joined([wording.short_name(line) for line in group])}.")
    return " ".join(sentences)


def _status_line(summary: Summary, timezone: ZoneInfo | str) -> dict[str, Any]:
    """The period's reports and the next meeting, a line each; cadence warnings counted."""
    items = [_text(wording.completeness_headline(summary), size="Small", spacing="Small")]
    if summary.next_meetings:
        meeting = summary.next_meetings[0]
        items.append(_text(f"Prochaine réunion : {meeting.label.lower()}, {wording.meeting_text(meeting, timezone)}.",
                           size="Small", spacing="None"))
    else:
        items.append(_text(no_meeting_text(), size="Small", isSubtle=True, spacing="None"))
    alerts = cadence_alerts(summary)
    if alerts:
        # In digits like every count the card computes; the count does not open the sentence.
        items.append(_text(f"⚠ Rythme des comités\u00a0: {counted(len(alerts), 'alerte')}, voir le détail.", size="Small",
                           color=WARNING_COLOR, spacing="None"))
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _detail(
    summary: Summary,
    timezone: ZoneInfo | str,
    extra_actions: Sequence[dict],
    line_limit: int,
    *,
    cut_names: bool,
) -> dict[str, Any]:
    body: list[dict[str, Any]] = _title(summary, f"{wording.TITLE} : détail")
    empty = wording.empty_text(summary)
    if empty:
        body.append(_text(f"⚠ {empty}", color=WARNING_COLOR))
    else:
        body.append(_headline(summary))
        body.extend(_sections(summary, line_limit, cut_names=cut_names))
    body.extend(_completeness(summary, cut_names=cut_names))
    body.extend(_meetings(summary, timezone))
    body.extend(_warnings(summary))
    if summary.lines:
        body.append(_text(reading_rules.CARD_RULES_TEXT, size="Small", isSubtle=True, separator=True))
    return _card(body, _actions(summary, detail=True) + list(extra_actions))


def _text(text: str, **style: Any) -> dict[str, Any]:
    """A wrapping TextBlock; False/None styles are left out (bytes count: see MAX_CARD_BYTES)."""
    shown = unbroken_codes(text)  # « IND‑23 » never broken at its hyphen (reader 10, C5)
    return {"type": "TextBlock", "text": shown, "wrap": True, **{k: v for k, v in style.items() if v not in (None, False)}}


def _headline(summary: Summary) -> dict[str, Any]:
    columns = []
    for status in counted_statuses(summary.status_counts):
        count = summary.status_counts.get(status, 0)
        color = CARD_COLORS[status] if count else "Default"
        columns.append(
            {
                "type": "Column",
                "width": "stretch",
                "items": [
                    # The card has one red and no legible green (`status_colours.CARD_COLORS`): the marks of the
                    # badges tell « non conformes » from « en retard » and « atteints » from « sans cible », as the
                    # report's dark red, red and green do (reader 15, minor 17).
                    _text(f"{STATUS_MARK.get(status, '') if count else ''}{count}", size="ExtraLarge", weight="Bolder",
                          color=color, isSubtle=not count),
                    _text(wording.tile_label(status, count), size="Small", spacing="None",
                          isSubtle=not count),
                ],
            }
        )
    return {"type": "ColumnSet", "columns": columns, "spacing": "Medium"}


def _sections(summary: Summary, line_limit: int, *, cut_names: bool) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    shown = 0
    for section in summary.sections:
        if shown >= line_limit:
            break
        items: list[dict[str, Any]] = [
            _text(
                f"Axe {section.axis.value} · {wording.indicator_count(len(section.lines))}",
                weight="Bolder",
                size="Medium",
            )
        ]
        for line in section.lines:
            if shown >= line_limit:
                break
            items.append(_indicator_row(line, cut_names=cut_names))
            shown += 1
        elements.append({"type": "Container", "separator": True, "spacing": "Medium", "items": items})
    left_out = len(summary.lines) - shown
    if left_out > 0:
        elements.append(
            _text(
                f"… et {wording.indicator_count(left_out)} de plus, non affichés ici : voir le rapport exporté.",
                isSubtle=True,
            )
        )
    return elements


def _indicator_row(line: IndicatorLine, *, cut_names: bool = False) -> dict[str, Any]:
    """Label and details on the left, the coloured status on the right, level with the label
    (~650 bytes a row: the details are sentences, so the status column carries no alignment)."""
    title = wording.short_title(line)
    # « ⚠ Non conforme », the law in the line's text: « (loi / EGalim) » wrapped inside the badge, the code
    # de la commande publique's article took three lines (reader 15), as the report's column did (issue 17).
    badge = STATUS_MARK.get(line.status, "") + wording.line_status_title(line)
    status = {"type": "TextBlock", "text": badge, "weight": "Bolder", "size": "Small",
              "color": CARD_COLORS[line.status]}
    # A long badge (the law a value breaks) gets two fifths of the row and wraps: sized to its text,
    # it squeezed the label into a column a word wide. Short ones add no bytes (Teams' card limit).
    short = len(badge) <= MAX_AUTO_BADGE_CHARACTERS
    if not short:
        status["wrap"] = True
    return {
        "type": "ColumnSet",
        "columns": [
            {
                "type": "Column",
                **({} if short else {"width": 3}),
                "items": [
                    _text(f"**{line.code}** {excerpt(title, MAX_LABEL_CHARACTERS) if cut_names else title}"),
                    # The value line in the text colour, the legal notes grey under it: the notes, black, drew
                    # the eye before the figure (reader 11, C26).
                    _text(indicator_wording.detail_text(line, compact=True), size="Small", spacing="None"),
                    *(_text(note, size="Small", isSubtle=True, spacing="None")
                      for note in indicator_wording.legal_notes(line)),
                ],
            },
            {"type": "Column", "width": "auto" if short else 2, "items": [status]},
        ],
    }


def _completeness(summary: Summary, *, cut_names: bool = False) -> list[dict[str, Any]]:
    rows = summary.completeness
    if not rows:
        return []
    items: list[dict[str, Any]] = [
        _text(wording.COMPLETENESS_HEADING, weight="Bolder", size="Medium"),
        _text(wording.completeness_headline(summary), spacing="Small"),
    ]
    if summary.viewed_directorate:
        missing = [m for row in rows for m in row.missing]
        if missing:
            named = [f"{m.indicator_code} ({m.period.label})" for m in missing[:MAX_LISTED_MISSING]]
            more = f" et {len(missing) - MAX_LISTED_MISSING} autres" if len(missing) > MAX_LISTED_MISSING else ""
            listed = ", ".join(named) if more else joined(named)  # reader 15, minor 11: « A, B et C »
            items.append(_text(f"⚠ À saisir : {listed}{more}.", color=WARNING_COLOR, spacing="Small"))
        elif rows[0].expected == 0:
            items.append(_text(wording.completeness_text(rows[0]), isSubtle=True, spacing="Small"))
    else:
        late = [row for row in rows if row.expected > 0 and not row.is_complete]
        # The headline above already names each directorate behind and what it lacks: a FactSet under it
        # said the same fact again (reader 14, minor 19: « il manque la direction DEE (IND-07, année
        # 2025) » then « Direction de l’environnement… (DEE) : 1 indicateur saisi sur 2 (50 %) »).
        if late and not wording.headline_names_behind(summary):
            facts = [
                fact(
                    directorate_title(row.directorate.code, excerpt(row.directorate.name, MAX_DIRECTORATE_NAME_CHARACTERS))
                    if cut_names else row.directorate.display,
                    wording.completeness_sentence(row),
                )
                for row in late[:MAX_LISTED_DIRECTORATES]
            ]
            items.append({"type": "FactSet", "facts": facts, "spacing": "Small"})
            if len(late) > MAX_LISTED_DIRECTORATES:
                items.append(_text(f"… et {len(late) - MAX_LISTED_DIRECTORATES} autres directions en attente.",
                                   isSubtle=True, spacing="None"))
        complete = [row.directorate.code for row in rows if row.is_complete]
        if complete:
            named = directorates_text(complete)
            up_to_date = f"{upper_first(named)} {agreed(len(complete), 'est', 'sont')} à jour."
            items.append(_text(up_to_date, size="Small", isSubtle=True, spacing="Small"))
    return [{"type": "Container", "separator": True, "spacing": "Medium", "items": items}]


def _meetings(summary: Summary, timezone: ZoneInfo | str) -> list[dict[str, Any]]:
    heading = "Prochaine réunion" if len(summary.next_meetings) == 1 else "Prochaines réunions"
    items: list[dict[str, Any]] = [_text(heading, weight="Bolder", size="Medium")]
    if summary.next_meetings:
        facts = [
            fact(meeting.label, wording.meeting_text(meeting, timezone))
            for meeting in summary.next_meetings[:MAX_LISTED_MEETINGS]
        ]
        items.append({"type": "FactSet", "facts": facts, "spacing": "Small"})
    else:
        items.append(_text(no_meeting_text(), isSubtle=True, spacing="Small"))
    return [{"type": "Container", "separator": True, "spacing": "Medium", "items": items}]


def _warnings(summary: Summary) -> list[dict[str, Any]]:
    messages = list(cadence_alerts(summary))
    if summary.catalogue_warning:
        messages.append(summary.catalogue_warning)
    if not messages:
        return []
    return [
        {
            "type": "Container",
            "separator": True,
            "spacing": "Medium",
            "items": [_text("⚠ " + message, size="Small", color=WARNING_COLOR, spacing="Small") for message in messages],
        }
    ]


def _actions(summary: Summary, *, detail: bool) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    viewed = summary.directorate_filter
    if summary.axis_filter is not None or viewed is not None:
        actions.append(im_back("Synthèse complète", summary_command(detail=detail)))
    if summary.catalogue_size:
        axis_buttons = [
            im_back(f"Axe {axis.value}", summary_command(axis=axis, directorate=viewed, detail=detail))
            for axis in Axis
            if axis is not summary.axis_filter
        ]
        actions.append(_show_card("Filtrer par axe", [], axis_buttons))
    if not summary.scope.is_restricted and viewed is None:
        # The least up to date first, as the hint says; ties in the summary's order (`completeness_order`).
        behind_first = sorted((row for row in summary.completeness if row.expected > 0), key=lambda row: row.percent or 0.0)
        candidates = [row.directorate.code for row in behind_first]
        if candidates:
            buttons = [
                im_back(code, summary_command(directorate=code, detail=detail))
                for code in candidates[:MAX_DIRECTORATE_BUTTONS]
            ]
            hint = _text(
                "Directions les moins à jour d’abord. Pour une autre, tapez « synthèse direction CODE ».",
                size="Small",
                isSubtle=True,
            )
            actions.append(_show_card("Filtrer par direction", [hint], buttons))
    return actions


def _show_card(title: str, body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "version": CARD_VERSION, "body": body, "actions": actions},
    }
