"""The French sentences of the summary, shared by the card, the chart and the reports.

One place for the wording keeps the exported report identical to the card the élu·es saw.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE, format_date_fr, format_datetime_fr
from domain.indicators.aggregation import AggregationRule
from domain.indicators.values import format_value
from domain.summary.model import DirectorateCompleteness, IndicatorLine, MeetingLike, Status, Summary, TrendDirection
from domain.text import joined

TITLE = "Synthèse SPASER"

_STATUS_PLURALS = {
    Status.ACHIEVED: ("atteint", "atteints"),
    Status.ON_TRACK: ("en bonne voie", "en bonne voie"),
    Status.LATE: ("en retard", "en retard"),
    Status.NOT_REPORTED: ("non renseigné", "non renseignés"),
    Status.NO_TARGET: ("sans cible", "sans cible"),
}

RULES_TEXT = (
    "Statut : atteint si la cible est atteinte ; sinon en bonne voie ou en retard selon une "
    "trajectoire linéaire de la valeur de référence (fin de la première période renseignée) à la "
    "cible (31 décembre de l’année cible). Chaque valeur porte sa période : une valeur plus "
    "ancienne que la période due est affichée comme telle et comptée comme non renseignée. Valeur "
    "d’un indicateur selon la règle déclarée au catalogue : somme des directions (dernière période "
    "remontée par toutes), moyenne, moyenne pondérée par un autre indicateur de la même direction "
    "et de la même période (une direction sans pondération n’est pas comptée), ou valeur unique "
    "de l’organisme. Tendance : à directions constantes, par rapport à la période précédente "
    "renseignée."
)

CARD_RULES_TEXT = (
    "Statut selon une trajectoire linéaire de la référence à la cible ; une valeur plus ancienne "
    "que la période due compte comme non renseignée. Règles détaillées dans le rapport exporté."
)


def status_title(status: Status) -> str:
    """« En bonne voie »: the status as a column heading or badge."""
    return status.value[0].upper() + status.value[1:]


def status_count_label(status: Status, count: int) -> str:
    singular, plural = _STATUS_PLURALS[status]
    return singular if count <= 1 else plural


def indicator_count(count: int) -> str:
    return f"{count} indicateur" + ("s" if count > 1 else "")


def scope_text(summary: Summary, *, with_organisation: bool = True) -> str:
    """« Ville de Lyon · Direction DCP – Commande publique · axe social · au lundi 30 novembre 2026 »."""
    parts = []
    if with_organisation and summary.organisation.name:
        parts.append(summary.organisation.name)
    if summary.viewed_directorate:
        parts.append("Direction " + summary.directorate_name(summary.viewed_directorate))
    else:
        parts.append("Toutes directions")
    if summary.axis_filter is not None:
        parts.append(f"axe {summary.axis_filter.value}")
    parts.append(f"au {format_date_fr(summary.today)}")
    return " · ".join(parts)


def headline_text(summary: Summary) -> str:
    """One sentence with every count, for a notification preview or a text-only client."""
    total = len(summary.lines)
    if total == 0:
        return "Aucun indicateur à afficher."
    counts = [
        f"{count} {status_count_label(status, count)}"
        for status, count in summary.status_counts.items()
        if count
    ]
    return f"{indicator_count(total)} : " + ", ".join(counts) + "."


def value_text(line: IndicatorLine, *, compact: bool = False) -> str:
    """« 1 234 heures en 2026-T3 (4/5 directions) », « dernière valeur : 48 200 tCO2e en 2024 ;
    2025 non renseignée » or « aucune valeur remontée »: a value never goes without its period."""
    directorates = "dir." if compact else "directions"
    if line.latest_value is None or line.latest_period is None:
        text = "aucune valeur remontée"
    else:
        text = f"{format_value(line.latest_value, line.unit)} en {line.latest_period.code}"
        if line.is_partial:
            text += f" ({line.reporting_count}/{line.responsible_count} {directorates})"
        if line.is_stale:
            text = f"dernière valeur : {text} ; {line.due_period.code} non renseignée"
            if line.pending_period == line.due_period:
                text += f" ({line.pending_count}/{line.responsible_count} {directorates})"
        else:
            if line.pending_period is not None:
                counted = f"{line.pending_count}/{line.responsible_count} {directorates}"
                text += f" ; {line.pending_period.code} en cours ({counted})"
    if line.unweighted:
        text += f" ; {unweighted_text(line)}"
    return text


def unweighted_text(line: IndicatorLine) -> str:
    """« DPB non comptée (pondération IND-23 manquante) »."""
    counted = "non comptée" if len(line.unweighted) == 1 else "non comptées"
    return f"{joined(list(line.unweighted))} {counted} (pondération {line.snapshot.weighting_base} manquante)"


def aggregation_text(line: IndicatorLine) -> str:
    """How the directorates' values make the indicator's: « somme des directions »…"""
    rule = line.aggregation
    if rule is AggregationRule.WEIGHTED_MEAN:
        return f"moyenne des directions pondérée par {line.snapshot.weighting_base}"
    if rule is AggregationRule.SINGLE:
        return "valeur unique de l’organisme"
    return "somme des directions" if rule is AggregationRule.SUM else "moyenne des directions"


def late_text(line: IndicatorLine) -> str:
    """« 1 270 tonnes en 2025, attendu 1 400 tonnes »: where a late indicator stands."""
    text = value_text(line)
    if line.expected_value is not None:
        expected = line.expected_value
        places = Decimal(1) if abs(expected) >= 100 else Decimal("0.1")
        text += f", attendu {format_value(expected.quantize(places, rounding=ROUND_HALF_UP), line.unit)}"
    return text


def target_text(line: IndicatorLine) -> str:
    snapshot = line.snapshot
    if snapshot.target is None:
        return "pas de cible"
    target = f"{format_value(snapshot.target, snapshot.unit)} en {snapshot.target_year}"
    if line.target_note:
        return f"{line.target_note} ({target})"
    return f"cible {target}"


def trend_text(line: IndicatorLine, *, with_period: bool = True) -> str:
    """« ↑ en progrès depuis 2026-T2 »: the arrow is the direction, the word the judgement."""
    trend = line.trend
    if trend is None:
        return ""
    if trend.direction is TrendDirection.FLAT:
        judgement = "stable"
    else:
        judgement = "en progrès" if trend.improved else "en recul"
    text = f"{trend.direction.value} {judgement}"
    return f"{text} depuis {trend.previous_period.code}" if with_period else text


def progress_text(line: IndicatorLine) -> str:
    if line.progress_percent is None:
        return ""
    text = f"avancement {_percent(line.progress_percent)}"
    if line.status is not Status.ACHIEVED and line.expected_progress_percent is not None:
        text += f" (attendu {_percent(line.expected_progress_percent)})"
    return text


def detail_text(line: IndicatorLine, *, compact: bool = False) -> str:
    """The grey line under an indicator: value, target, progress, trend (compact: for the card)."""
    parts = [
        value_text(line, compact=compact),
        target_text(line),
        progress_text(line),
        trend_text(line, with_period=not compact),
    ]
    return " · ".join(part for part in parts if part)


def completeness_text(row: DirectorateCompleteness) -> str:
    if row.expected == 0:
        return "aucun indicateur attribué"
    return f"{row.reported}/{row.expected} ({_percent(row.percent or 0.0)})"


def missing_text(row: DirectorateCompleteness) -> str:
    """« 2026-T3 : IND-04, IND-06 ; 2026 : IND-12 »: what is still to report, grouped by period."""
    by_period: dict[str, list[str]] = {}
    for missing in row.missing:
        by_period.setdefault(missing.period.code, []).append(missing.indicator_code)
    return " ; ".join(f"{period} : {', '.join(codes)}" for period, codes in by_period.items())


def completeness_headline(summary: Summary) -> str:
    rows = [row for row in summary.completeness if row.expected > 0]
    if not rows:
        return "Aucun indicateur à remonter pour la période en cours."
    if len(rows) == 1:
        row = rows[0]
        reported = "indicateur remonté" if row.reported <= 1 else "indicateurs remontés"
        return f"{row.directorate.code} : {row.reported} {reported} sur {row.expected} pour la période en cours."
    complete = sum(1 for row in rows if row.is_complete)
    up_to_date = "direction à jour" if complete <= 1 else "directions à jour"
    return f"{complete} {up_to_date} sur {len(rows)} pour la période en cours."


def meeting_text(meeting: MeetingLike, timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    text = format_datetime_fr(meeting.starts_at, timezone)
    if meeting.location:
        text += f" ({meeting.location})"
    return text


def empty_text(summary: Summary) -> str | None:
    """Why there is nothing to show, or None when there is."""
    if summary.lines:
        return None
    if summary.catalogue_size == 0:
        return (
            "Le catalogue d’indicateurs est vide : la personne responsable du SPASER peut l’importer "
            "(fichier CSV) pour que la synthèse se remplisse."
        )
    if summary.viewed_directorate and summary.axis_filter is None:
        return "Aucun indicateur n’est attribué à cette direction."
    if summary.axis_filter is not None:
        return f"Aucun indicateur sur l’axe {summary.axis_filter.value} pour ce périmètre."
    return "Aucun indicateur à afficher pour ce périmètre."


def _percent(value: float) -> str:
    return f"{round(value):d}\u00a0%".replace("-", "−")
