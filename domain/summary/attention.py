"""What needs the COPIL's attention in a summary: the first page of the report and the few items
of the compact card.

- indicators outside their legal limit (below the EGalim floor…), whatever their trajectory;
- late indicators (behind their path to the target), the furthest behind first;
- missing reports: indicators not reported for the period due (never, or only for an older
  period) and the directorates that have not reported everything;
- cadence warnings of the committees;
- decisions to take, derived from the figures: catch-up measures for late indicators, a new
  deadline for a target whose year has passed, a target for an indicator that has none, a
  smaller catalogue past ~30 indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from domain.committees.cadence import CommitteeKind, cadence_sentence, committee_kind_in, committee_type_of
from domain.indicators.units import format_number, format_value
from domain.summary import indicator_wording, trajectory_wording, wording
from domain.summary.legal_path import lawful_from
from domain.summary.model import DirectorateCompleteness, IndicatorLine, Status, Summary, needs_target
from domain.text import NO_BREAK_SPACE, agreed, collation_key, counted, fold, joined, lower_first

NAMED_FOR_CATCH_UP = 5
"""Late indicators named in the catch-up decision (each with its name, so the line stays short);
the others are counted when more than `wording.NAMED_REST` (else named too): the « Indicateurs en
retard » list above names them."""


@dataclass(frozen=True)
class AttentionPoints:
    late: tuple[IndicatorLine, ...]
    not_reported: tuple[IndicatorLine, ...]
    directorates_behind: tuple[DirectorateCompleteness, ...]
    cadence: tuple[str, ...]
    decisions: tuple[str, ...]
    outside_law: tuple[IndicatorLine, ...] = ()

    @property
    def indicators(self) -> tuple[IndicatorLine, ...]:
        """Those outside the law first, then late ones (they need a decision), then those not reported."""
        return self.outside_law + self.late + self.not_reported

    @property
    def count(self) -> int:
        return len(self.indicators) + len(self.directorates_behind) + len(self.cadence)

    @property
    def is_empty(self) -> bool:
        return self.count == 0 and not self.decisions


def attention_points(summary: Summary) -> AttentionPoints:
    lines = summary.lines
    # By importance, not by code: the furthest behind its path first (stable: ties keep the catalogue's order).
    late = tuple(sorted((line for line in lines if line.status is Status.LATE), key=lambda line: -_gap(line)))
    # By code: grouped by axis, with no axis named, the order looked random (reader 14, minor 22).
    not_reported = tuple(sorted((line for line in lines if line.status is Status.NOT_REPORTED), key=indicator_order))
    outside_law = tuple(line for line in lines if line.status is Status.OUTSIDE_LEGAL_LIMIT)
    behind = tuple(row for row in summary.completeness if row.expected > 0 and not row.is_complete)
    cadence = cadence_alerts(summary)
    return AttentionPoints(late, not_reported, behind, cadence, _decisions(summary, late, outside_law), outside_law)


def indicator_order(line: IndicatorLine) -> tuple:
    """Indicators by code, numbers compared as numbers (« IND-9 » before « IND-10 »)."""
    return tuple(int(part) if part.isdigit() else collation_key(part) for part in re.split(r"(\d+)", line.code))


def not_reported_headings(lines: tuple[IndicatorLine, ...] | list[IndicatorLine]) -> tuple[str, str]:
    """The singular and plural heading of the indicators not reported, naming the period due when
    they share one (« Indicateurs non renseignés pour l’année 2025 »), « pour les périodes
    attendues » when they are due for different ones."""
    periods = {line.due_period for line in lines if line.due_period is not None}
    if len(periods) == 1:
        where = f" pour {periods.pop().with_article()}"
    else:
        where = " pour les périodes attendues" if periods else ""
    return f"Indicateur non renseigné{where}", f"Indicateurs non renseignés{where}"


def _gap(line: IndicatorLine) -> float:
    """How far behind its path a late indicator is, in points of the way to its target: comparable
    whatever the unit (« avancement de 11 %, contre 38 % selon la trajectoire » is 27 points)."""
    if line.progress_percent is None or line.expected_progress_percent is None:
        return 0.0
    return line.expected_progress_percent - line.progress_percent


def _named_without_target(line: IndicatorLine) -> str:
    """A directorate's view of a summed indicator has only the organisation's target: say so."""
    if line.snapshot.target is None:
        return wording.meaning_first(line)
    return wording.meaning_first(line, "cible fixée pour l’ensemble des directions")


def _decisions(
    summary: Summary, late: tuple[IndicatorLine, ...], outside_law: tuple[IndicatorLine, ...] = ()
) -> tuple[str, ...]:
    """One rule for every decision: an infinitive verb, then what it bears on, each indicator by what
    it measures and then its code (reader 10, B11: noun labels mixed with « Réviser… »). Each breach
    of the law is said once, in one decision with its value and limit and, when the SPASER's own path
    breaks the law too, the revision of that path (reader 10, A1: « Mise en conformité » and
    « Réviser la trajectoire… » named the same two indicators twice)."""
    decisions = []
    if outside_law:
        decisions.append(_compliance_decision(summary, outside_law))
    if late:
        kept = len(late) if wording.rest_is_named(len(late) - NAMED_FOR_CATCH_UP) else NAMED_FOR_CATCH_UP
        # The furthest behind first, in the order of the « Indicateurs en retard » list on the same page
        # (reader 12, B10: by code here, by gap there, read as two different rankings).
        named = [wording.meaning_first(line) for line in late[:kept]]
        if len(late) > len(named):
            named.append(f"{counted(len(late) - len(named), 'autre indicateur', 'autres indicateurs')} en retard")
        decisions.append(f"Rattraper le retard : {joined(named)}.")
    overdue = [
        line for line in summary.lines
        if line.snapshot.target_year is not None
        and line.snapshot.target_year < summary.today.year
        and line.status is not Status.ACHIEVED
    ]
    for line in overdue:
        year = line.snapshot.target_year
        decisions.append(
            f"Fixer une nouvelle échéance : {wording.meaning_first(line)}, dont la cible {year} n’est pas atteinte."
        )
    # Every indicator without a target, named: the headline counts them all, codes alone say little.
    untargeted = [_named_without_target(line) for line in summary.lines if needs_target(line)]
    if untargeted:
        decisions.append(f"Fixer une cible : {joined(untargeted)}.")
    if summary.catalogue_warning:
        decisions.append(
            f"Réduire le catalogue à une trentaine d’indicateurs ({summary.catalogue_size} actifs aujourd’hui)."
        )
    return tuple(decisions)


def _compliance_decision(summary: Summary, outside_law: tuple[IndicatorLine, ...]) -> str:
    """« Se mettre en conformité avec la loi : part des produits durables… (IND-09 : 48,7 % pour un
    minimum légal de 50 %). La trajectoire du SPASER est à réviser : elle prévoit 46,2 % au 1er semestre
    2026 et n’atteint le minimum légal qu’au 1er semestre 2027. »"""
    named = joined([_with_limit(line) for line in outside_law])
    text = f"Se mettre en conformité avec la loi : {named}."
    revisions = _path_revisions(summary)
    if revisions:
        if len(revisions) > 1:
            parts = [f"pour {line.code}, {planned}" for line, planned in revisions]
            text += f" La trajectoire du SPASER est à réviser : {(NO_BREAK_SPACE + '; ').join(parts)}."
        else:
            # Named: after IND-11, « elle prévoit 46,2 % » read as IND-11's path (reader 11, B20).
            ((line, planned),) = revisions
            text += f" La trajectoire du SPASER est à réviser pour {line.code} : {planned}."
    return text


def _with_limit(line: IndicatorLine) -> str:
    """« part des produits durables… (IND-09 : 48,7 % pour un minimum légal de 50 %) », the period
    said when the value is a last known one (« 32,7 jours au 2ᵉ trimestre 2026 »)."""
    limit = line.snapshot.legal_limit
    if limit is None or line.latest_value is None or line.latest_period is None:
        return wording.meaning_first(line)
    value = indicator_wording.shown_value(line)
    if line.is_stale:
        value += f" {line.latest_period.in_sentence()}"
    kind = "minimum légal" if limit.is_floor else "maximum légal"
    bound = format_value(limit.value, line.unit, line.snapshot.counted_noun)
    return f"{lower_first(wording.short_title(line))} ({line.code} : {value} pour un {kind} de {bound})"


def _path_revisions(summary: Summary) -> list[tuple[IndicatorLine, str]]:
    """« elle prévoit 32,8 jours au 3ᵉ trimestre 2026 et ne revient au maximum légal qu’au 4ᵉ trimestre
    2027 », per indicator outside the law whose expected value breaks the law too: the SPASER as
    adopted plans to stay outside the law, which no measure on the purchases alone fixes (reader 9,
    A5); a lawful value ahead of a timid path needs no revision."""
    revisions = []
    for line in summary.lines:
        limit = line.snapshot.legal_limit
        path = _path_for_period_due(line)
        if line.status is not Status.OUTSIDE_LEGAL_LIMIT or limit is None or path.expected_value is None:
            continue
        if not limit.broken_by(path.expected_value):
            continue
        planned = f"elle prévoit {trajectory_wording.expected_text(path)} {path.latest_period.in_sentence()}"
        revisions.append((line, planned + lawful_from(path)))
    return revisions


def _path_for_period_due(line: IndicatorLine) -> IndicatorLine:
    """The line as its path stands for the period due: a stale value leaves the SPASER's path as it
    is, and a path outside the law needs revising whatever the freshness of the value (reader 15, B3:
    IND-11's path vanished from the decision as soon as its last value was an older period's)."""
    if not line.is_stale:
        return line
    return replace(line, latest_period=line.due_period, expected_value=line.due_expected_value)


def cadence_alerts(summary: Summary) -> tuple[str, ...]:
    """One sentence per committee whose cadence is off, past and coming 12 months together.

    When an indicator of the catalogue counts that committee's meetings (« Comités techniques
    tenus dans l’année »), the meetings held are the indicator's to tell: the alert keeps the coming
    months and quotes the indicator's own figure and period, so the two never disagree (« aucune
    réunion enregistrée » next to « 3 comités techniques en 2024 » read as a contradiction)."""
    counted = counted_by(summary)
    alerts = []
    for kind in CommitteeKind:
        warnings = [warning for warning in summary.cadence_warnings if warning.kind is kind]
        alert = cadence_sentence(committee_type_of(warnings[0]), warnings, counted.get(kind)) if warnings else None
        if alert:
            alerts.append(alert)
    return tuple(alerts)


def counted_by(summary: Summary) -> dict[CommitteeKind, str]:
    """Per committee whose meetings an indicator counts: « 3 réunions tenues en 2025 (indicateur
    IND-14), pour une cible de 4 comités techniques en 2026 fixée par le SPASER », for `cadence_sentence`: 3 late
    next to « 3 à 4 par an conseillés » read as a contradiction without the SPASER's own target, and
    « en retard » still did (reader 8): 3 is below the SPASER's 4, within the advised range."""
    clauses = {}
    for kind in CommitteeKind:
        counting = _counting_indicator(summary, kind)
        if counting is not None:
            clauses[kind] = _held_text(counting)
            if counting.status is Status.LATE and counting.snapshot.target is not None and _target_applies(counting):
                # The target in the words of the card and the report (issue 17: « 4 par an » here,
                # « 4 comités techniques en 2026 » there).
                target = indicator_wording.target_figure(counting)
                clauses[kind] += f", pour une cible de {target} fixée par le SPASER"
    return clauses


def _target_applies(line: IndicatorLine) -> bool:
    """A target « 4 comités techniques en 2026 » is not compared with the meetings of 2025 (reader 10, A4)."""
    year = line.snapshot.target_year
    return year is None or line.latest_period is None or line.latest_period.year >= year


def _held_text(line: IndicatorLine) -> str:
    """« 3 réunions tenues en 2025 (indicateur IND-14) »: the committees held, as the indicator counts
    them, with their noun (reader 9, B12: « 3 tenus en 2025 » left it out); « indicateur IND-14, aucune
    valeur saisie » when it has none for the period due."""
    if line.latest_value is None or line.latest_period is None or line.is_stale:
        return f"indicateur {line.code}, {indicator_wording.value_text(line)}"
    count = line.latest_value
    meetings = f"{format_number(count)} {agreed(int(count), 'réunion tenue', 'réunions tenues')}"
    return f"{meetings} {line.latest_period.in_sentence()} (indicateur {line.code})"


def _counting_indicator(summary: Summary, kind: CommitteeKind) -> IndicatorLine | None:
    """The indicator that counts this committee's meetings (a count whose label names the committee)."""
    for line in summary.lines:
        if indicator_wording.counts_committees(line) and committee_kind_in(fold(line.label)) is kind:
            return line
    return None
