"""Short answers to data questions, read off the summary (so in the asker's scope): what is late,
which directorates have not reported, what has reached its target."""

from __future__ import annotations

from domain.summary import indicator_wording, wording
from domain.summary.attention import indicator_order, not_reported_headings
from domain.summary.model import IndicatorLine, Status, Summary
from domain.text import agreed, as_sentence, counted, counted_in_words, joined

MAX_LINES = 15


def late_answer(summary: Summary) -> str:
    unlawful = [line for line in summary.lines if line.status is Status.OUTSIDE_LEGAL_LIMIT]
    late = [line for line in summary.lines if line.status is Status.LATE]
    missing = sorted((line for line in summary.lines if line.status is Status.NOT_REPORTED), key=indicator_order)
    scope = wording.scope_text(summary, with_organisation=False)
    up_to_date = _up_to_date(summary)
    own = summary.viewed_directorate is not None
    if not unlawful and not late and not missing:
        return f"{up_to_date}Aucun indicateur en retard ni manquant — {scope}. 👍"
    parts = [f"{up_to_date}**Indicateurs à surveiller** — {scope}"]
    if unlawful:
        # The law before the trajectory (reader 8, A1): a payment delay over 30 days was never said. In
        # the status's own words (reader 9, B7: « ne respecte pas sa limite légale » read as another one).
        label = wording.status_count_label(Status.OUTSIDE_LEGAL_LIMIT, len(unlawful))
        parts.append(f"{counted_in_words(len(unlawful), 'indicateur')} {agreed(len(unlawful), 'est', 'sont')} {label}\u00a0:")
        parts += _listed(unlawful, indicator_wording.legal_text, own=own)  # the breach next to the value (reader 9, A3)
    if late:
        # A sentence, not « Indicateurs en retard sur leur trajectoire (4) : » (reader 7, C35).
        parts.append(f"{counted_in_words(len(late), 'indicateur')} {agreed(len(late), 'est', 'sont')} en retard sur "
                     f"{agreed(len(late), 'sa trajectoire', 'leur trajectoire')}\u00a0:")
        parts += _listed(late, indicator_wording.late_text, own=own)
    if missing:
        parts.append(f"{agreed(len(missing), *not_reported_headings(missing))} ({len(missing)}) :")
        # A total says so, as the card and the report do (reader 15, minor 8: « 14 461 heures » next to
        # a directorate's own 8 111 read as a contradiction).
        parts += _listed(missing, lambda line: indicator_wording.value_text(line, aggregated=True), own=own)
    parts.append(
        "Tapez « directions en retard » pour savoir qui n’a pas encore saisi ses indicateurs, ou « synthèse » pour le "
        "tableau complet."
    )
    return "\n".join(parts)


def _up_to_date(summary: Summary) -> str:
    """« La DRC est-elle à jour de ses saisies ? »: of one directorate whose entries are all in, that
    first (its breaches or late trajectories are no missing entry); one with entries missing has
    them listed as not reported. « La direction DCP a saisi ses 10 indicateurs (année 2025, 1er
    semestre 2026 et 3ᵉ trimestre 2026, selon l’indicateur). » (reader 12, B12: « est à jour de ses
    saisies pour l’année 2025, … ou le 3ᵉ trimestre 2026, selon l’indicateur : ses 10 indicateurs sont
    saisis » read badly with « ou » and said the same thing twice)."""
    code = summary.viewed_directorate
    rows = [row for row in summary.completeness if row.directorate.code == code and row.is_complete]
    if code is None or not rows:
        return ""
    count = rows[0].expected
    entered = "son indicateur" if count == 1 else f"ses {count}\u00a0indicateurs"
    due = sorted({line.due_period for line in summary.lines if line.due_period and not line.snapshot.computed})
    if len(due) > 1:
        periods = f" ({joined([period.label for period in due])}, selon l’indicateur)"
    else:
        periods = f" {wording.due_periods_text(summary)}".rstrip()
    return f"La direction {code} a saisi {entered}{periods}.\n"


def reached_answer(summary: Summary) -> str:
    reached = [line for line in summary.lines if line.status is Status.ACHIEVED]
    scope = wording.scope_text(summary, with_organisation=False)
    if not reached:
        return f"Aucun indicateur n’a encore atteint sa cible — {scope}."
    lines = [f"**Cibles atteintes** ({scope}) : {wording.indicator_count(len(reached))}"]
    lines += _listed(
        reached,
        lambda line: f"{indicator_wording.value_text(line)}, "
        f"{indicator_wording.target_text(line, joined_to_value=True)}",
    )
    return "\n".join(lines)


def not_up_to_date_answer(summary: Summary) -> str:
    rows = [row for row in summary.completeness if row.expected > 0]
    behind = [row for row in rows if not row.is_complete]
    if not rows:
        return "Aucun indicateur n’est à saisir en ce moment."
    if not behind:
        return f"Toutes les directions sont à jour {wording.due_periods_text(summary)}."
    lines = [f"**Saisies manquantes** — {wording.completeness_headline(summary)}"]
    lines += _bulleted([
        f"**{row.directorate.code}** : {wording.completeness_sentence(row)} ; {wording.missing_sentence(row)}" for row in behind
    ])
    lines.append("Pour les relancer : « diffuser un message aux directions en retard ».")
    return "\n".join(lines)


COMPUTED_NOTE = " (calculé à partir des DECP, rien à saisir)"
"""After the code of an indicator computed from the DECP, in a directorate's own list: « qu’est-ce qui est
en retard chez nous ? » answered « IND-26 » to the DCP, which enters nothing for it (reader 15, m7). It
stays listed: its trajectory is the purchasing directorate's to act on, only its entry is not."""


def _listed(lines: list[IndicatorLine], describe, *, own: bool = False) -> list[str]:
    """At most `MAX_LINES`, the others counted; when only a few are left (`wording.NAMED_REST`) they
    are listed too: their lines name them, with what a count would have hidden. `own`: the list of one
    directorate, where a computed indicator says it has nothing to enter."""
    limit = len(lines) if wording.rest_is_named(len(lines) - MAX_LINES) else MAX_LINES
    shown = _bulleted([
        f"**{line.snapshot.code}**{COMPUTED_NOTE if own and line.snapshot.computed else ''} "
        f"{wording.short_title(line)} — {describe(line)}"
        for line in lines[:limit]
    ])
    if len(lines) > limit:
        shown.append(f"… et {counted(len(lines) - MAX_LINES, 'autre')} : voir la synthèse détaillée.")
    return shown


def _bulleted(items: list[str]) -> list[str]:
    """A « - » list when there are several items; one item reads as a sentence, never as a list of
    one bullet (as in the report: `report.listed`)."""
    return [as_sentence(items[0])] if len(items) == 1 else [f"- {item}" for item in items]
