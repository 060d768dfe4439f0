"""The status summary: per axis and indicator, where it stands against its target.

Rules (also shown in the card's footnote and the report, so readers know how to read them):

- **Scope first.** Values outside the person's scope (a contributor's directorate) or outside the
  directorate filter are dropped before anything is computed: no aggregate, trend, comment or
  completeness row can be derived from them.
- **Aggregation across directorates** follows the rule the catalogue declares per indicator
  (aggregate.py): sum, mean, mean weighted by another indicator of the same directorate and
  period, or one organisation-wide value. Per-directorate rows are kept for the report.
- **Latest value** = the aggregate of the most recent period with a value. For a sum (and a
  single value), it is the most recent period that every responsible directorate reported (a
  total missing a quarter of the directorates would read as a fall), and a newer, incomplete
  period is shown as pending; when no period is complete, the latest one is used and marked
  partial. For a weighted mean, the most recent period with at least one weighted value.
- **Each value carries its period.** A latest value older than the period due today
  (`current_reporting_period`) is stale: shown with its period (« dernière valeur : … en 2024 ;
  2025 non renseignée ») and counted as « non renseigné », whatever it was worth, unless it breaks
  a legal limit: then it keeps that status, on its last known value (reader 9, A3).
- **Trend** compares the latest period with the most recent earlier period, on the directorates
  that reported both (like for like), so that a late directorate does not look like a fall.
- **Status.** No target in the catalogue → « sans cible », reported or not: the tile counts
  exactly the indicators named in « Cible à définir pour … » (`model.needs_target`, reader 8).
  No value, or none for the period due → « non renseigné ». Target reached (≥ for a "hausse" indicator, ≤ for a "baisse" one) → « atteint ». Otherwise the expected value on a
  linear path is computed: the path starts at the baseline (or, without one, the first value)
  at the end of the first reported period and reaches the target on 31 December of the target
  year; at or ahead of the path, or behind it by less than 1 % of the target
  (`TOLERANCE_PERCENT_OF_TARGET`) → « en bonne voie », further behind → « en retard ».
  Whatever that status, a value below the catalogue's legal floor (above its ceiling, for a
  « baisse » indicator: `domain.indicators.legal_limits`) → « non conforme à la loi », shown as
  « sous le minimum légal de 50 % (loi EGalim) », on the last known value when it is stale.
- **A directorate's view of a summed indicator** shared by several directorates has no
  comparable target (the target is the organisation's): its status is « sans cible » with a
  note; means keep the target, which applies to each directorate's rate.
- **Completeness** counts, per directorate, the indicators it is responsible for that have a
  value for the period due today (`storage.periods.current_reporting_period`); indicators computed
  from the DECP are counted apart: nobody fills them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE, load_timezone
from domain.committees.cadence import CadenceWarning
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection, catalogue_size_warning
from domain.indicators.periods import Frequency, Period, current_reporting_period
from domain.summary.aggregate import MEAN_QUANTUM, Aggregator, PeriodValue, counts_whole_things, whole_path_rounding
from domain.summary.model import (
    TOLERANCE_PERCENT_OF_TARGET,
    AxisSection,
    DirectorateCompleteness,
    DirectorateInfo,
    DirectorateValue,
    IndicatorLine,
    IndicatorSnapshot,
    MeetingLike,
    MissingReport,
    ReportedValue,
    Status,
    Summary,
    Trend,
    TrendDirection,
    completeness_order,
    count_statuses,
)
from domain.summary.organisation import Organisation
from domain.summary.scope import Scope, SummaryAccessDenied, SummaryError

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

DirectorateInput = DirectorateInfo | tuple[str, str] | str


def compute_summary(
    indicators: Iterable[IndicatorSnapshot],
    directorates: Iterable[DirectorateInput] | Mapping[str, str],
    today: date,
    *,
    scope: Scope,
    axis: Axis | str | None = None,
    directorate: str | None = None,
    next_meetings: Iterable[MeetingLike] = (),
    cadence_warnings: Iterable[CadenceWarning] = (),
    catalogue_warning: str | None = None,
    weighting_bases: Iterable[IndicatorSnapshot] = (),
    organisation: Organisation = Organisation(),
    timezone: ZoneInfo | str = DEFAULT_TIMEZONE,
) -> Summary:
    """The summary of `indicators` (the active catalogue) as `scope` may see it, on `today`.

    `scope` has no default: every caller states whose view it computes (see `scope_for`).

    `directorate` filters on one directorate; a restricted scope may only name its own (any other
    code is refused with the same message whether it exists or not). `catalogue_warning`
    defaults to the ~30-indicator advice computed from the size of `indicators`.
    `weighting_bases` adds the weighting indicators that are not in `indicators` (inactive ones).
    `next_meetings` keeps the meetings of `today` on, days counted in `timezone`, as the cadence
    check counts them: a COPIL planned this morning is in the report dated today.
    """
    catalogue = list(indicators)
    infos = _directorate_infos(directorates)
    axis_filter = _axis(axis)
    viewed = _viewed_directorate(scope, directorate, infos)
    visible = None if viewed is None else frozenset({viewed})
    by_code = {snapshot.code: snapshot for snapshot in (*weighting_bases, *catalogue)}
    due_by_frequency = {frequency: current_reporting_period(frequency, today) for frequency in Frequency}

    lines: list[IndicatorLine] = []
    scoped: list[IndicatorSnapshot] = []
    for indicator in catalogue:
        if axis_filter is not None and indicator.axis is not axis_filter:
            continue
        restricted = _restrict(indicator, visible)
        if restricted is None:
            continue
        weighting = None
        if indicator.rule is AggregationRule.WEIGHTED_MEAN:
            weighting = by_code.get(indicator.weighting_base or "")
        if weighting is not None and visible is not None:
            weighting = _restrict(weighting, visible)
        target_applies = (
            indicator.rule in (AggregationRule.MEAN, AggregationRule.WEIGHTED_MEAN)
            or visible is None
            or set(indicator.directorates) <= visible
        )
        scoped.append(restricted)
        due = due_by_frequency[indicator.frequency]
        line = _line(restricted, target_applies, due, Aggregator(restricted, weighting))
        if weighting is not None:
            line = dataclasses.replace(line, weighting_label=weighting.label)
        lines.append(line)

    shown_directorates = _visible_directorates(infos, scoped, viewed)
    sections = tuple(
        AxisSection(axis_value, tuple(line for line in lines if line.snapshot.axis is axis_value))
        for axis_value in Axis
        if any(line.snapshot.axis is axis_value for line in lines)
    )
    return Summary(
        today=today,
        scope=scope,
        axis_filter=axis_filter,
        directorate_filter=viewed if not scope.is_restricted else None,
        sections=sections,
        completeness=_completeness(scoped, shown_directorates, due_by_frequency, keep_empty=viewed is not None),
        next_meetings=tuple(
            sorted((m for m in next_meetings if _local_day(m, timezone) >= today), key=lambda m: m.starts_at)
        ),
        cadence_warnings=tuple(cadence_warnings),
        catalogue_warning=catalogue_warning if catalogue_warning is not None else catalogue_size_warning(len(catalogue)),
        catalogue_size=len(catalogue),
        visible_indicators=tuple(scoped),
        visible_directorates=tuple(shown_directorates),
        status_counts=count_statuses(lines),
        organisation=organisation,
    )


def _local_day(meeting: MeetingLike, timezone: ZoneInfo | str) -> date:
    """The day a meeting takes place where the organisation is (a COPIL at 0 h 30 in Paris is on the
    day it says, not on the day before in UTC)."""
    return meeting.starts_at.astimezone(load_timezone(timezone)).date()


def _directorate_infos(directorates: Iterable[DirectorateInput] | Mapping[str, str]) -> list[DirectorateInfo]:
    if isinstance(directorates, Mapping):
        items: Iterable = directorates.items()
    else:
        items = directorates
    infos: dict[str, DirectorateInfo] = {}
    for item in items:
        if isinstance(item, DirectorateInfo):
            info = DirectorateInfo(item.code.upper(), item.name)
        elif isinstance(item, str):
            info = DirectorateInfo(item.upper())
        elif isinstance(item, tuple):
            info = DirectorateInfo(str(item[0]).upper(), str(item[1]) if len(item) > 1 else "")
        else:
            info = DirectorateInfo(str(item.code).upper(), str(getattr(item, "name", "") or ""))
        infos[info.code] = info
    return sorted(infos.values(), key=lambda info: info.code)


def _axis(axis: Axis | str | None) -> Axis | None:
    if axis is None or isinstance(axis, Axis):
        return axis
    return Axis.parse(axis)


def _viewed_directorate(scope: Scope, requested: str | None, infos: Sequence[DirectorateInfo]) -> str | None:
    """The one directorate to show, checked against the scope before anything else."""
    code = (requested or "").strip().upper() or None
    if scope.is_restricted:
        if code is not None and code != scope.directorate:
            raise SummaryAccessDenied(
                f"Vous ne pouvez consulter que la synthèse de votre direction ({scope.directorate})."
            )
        return scope.directorate
    if code is not None and code not in {info.code for info in infos}:
        known = ", ".join(info.code for info in infos) or "aucune direction enregistrée"
        raise SummaryError(f"Je ne connais pas la direction « {requested.strip()[:40]} ». Directions : {known}.")
    return code


def _restrict(indicator: IndicatorSnapshot, visible: frozenset[str] | None) -> IndicatorSnapshot | None:
    """The indicator with only the visible directorates and their values; None if none is visible."""
    if visible is None:
        return indicator
    values = tuple(value for value in indicator.values if value.directorate in visible)
    responsible = tuple(code for code in indicator.directorates if code in visible)
    if not values and not responsible:
        return None
    return dataclasses.replace(indicator, directorates=responsible, values=values)


def _line(indicator: IndicatorSnapshot, target_applies: bool, due: Period, aggregator: Aggregator) -> IndicatorLine:
    by_period, by_key, latest_by_directorate = indicator.history
    responsible = len(indicator.directorates)
    per_directorate = tuple(
        DirectorateValue(code, item.period, item.value, item.comment, item.source)
        for code, item in sorted(latest_by_directorate.items())
    )
    note = _target_note(indicator, target_applies)
    # Reader 8: without a target in the catalogue, « sans cible » whether reported or not, like the
    # decision « Cible à définir » that names it; a directorate's share of a summed target stays
    # « non renseigné » until its value is in (the completeness rows and the card ask for it).
    without_target = indicator.target is None
    periods = list(by_period)
    keys = list(by_key)
    computed: dict[int, PeriodValue] = {}

    def value_at(index: int) -> PeriodValue:
        if index not in computed:
            computed[index] = aggregator.of(by_period[periods[index]], keys[index])
        return computed[index]

    judged_index = _judged_index(indicator, by_period, periods, aggregator.rule, value_at)
    if judged_index is None:
        unweighted = value_at(len(periods) - 1).unweighted if periods else ()
        unjudged = Status.NO_TARGET if without_target else Status.NOT_REPORTED
        return IndicatorLine(
            indicator, unjudged, aggregator.rule, None, None, 0, responsible, None, None, None, None, note,
            per_directorate, due_period=due, unweighted=unweighted,
        )
    latest = periods[judged_index]
    judged = value_at(judged_index)
    trend = _trend(indicator, by_period, periods[: judged_index + 1], keys, aggregator)
    pending_period = periods[-1] if judged_index < len(periods) - 1 else None
    pending_count = 0
    if pending_period is not None:
        pending_count = sum(1 for code in indicator.directorates if code in by_period[pending_period])

    status = Status.NO_TARGET
    expected = progress = expected_progress = reference = due_expected = None
    if indicator.target is not None and target_applies:
        # The path's start, shown on the public page next to « % du chemin parcouru » (reader 14, m9).
        start_index = 0
        if aggregator.rule in (AggregationRule.WEIGHTED_MEAN, AggregationRule.SINGLE):
            start_index = next(index for index in range(judged_index + 1) if value_at(index).value is not None)
        baseline = indicator.baseline if indicator.baseline is not None else value_at(start_index).value
        reference = (baseline, periods[start_index])
    if latest < due and not without_target:
        status = Status.NOT_REPORTED
        if reference is not None:
            # A path outside the law needs revising whatever the freshness of the value (reader 15, B3).
            due_expected = _on_path(indicator, aggregator.rule, reference, due)[0]
    elif reference is not None:
        baseline = reference[0]
        whole = counts_whole_things(indicator.unit, aggregator.rule)
        expected, fraction = _on_path(indicator, aggregator.rule, reference, latest)
        status = _status(indicator.direction, judged.value, indicator.target, expected)
        progress = _progress(indicator.direction, judged.value, baseline, indicator.target)
        expected_progress = float(fraction) * 100
        if status is Status.LATE and (
            # as shown: « 44 % … (44 % attendus) » is not behind; a whole count is judged on whole numbers
            (not whole and round(progress) >= round(expected_progress))
            or abs(judged.value - expected) * 100 < abs(indicator.target) * TOLERANCE_PERCENT_OF_TARGET
        ):
            status = Status.ON_TRACK
    if target_applies and indicator.legal_limit is not None:
        # The law before the trajectory: 42 % of EGalim products is never « en bonne voie ». And before
        # a missing report: a last known value over the law stays outside it until a lawful one comes
        # (reader 9, A3: a late entry made the 32,7 days of payment delay vanish into « non renseigné »).
        if indicator.legal_limit.broken_by(judged.value):
            status = Status.OUTSIDE_LEGAL_LIMIT
    return IndicatorLine(
        snapshot=indicator,
        status=status,
        aggregation=aggregator.rule,
        latest_period=latest,
        latest_value=judged.value,
        reporting_count=sum(1 for code in indicator.directorates if code in judged.counted),
        responsible_count=responsible,
        trend=trend,
        expected_value=expected,
        progress_percent=progress,
        expected_progress_percent=expected_progress,
        target_note=note,
        latest_by_directorate=per_directorate,
        pending_period=pending_period,
        pending_count=pending_count,
        due_period=due,
        unweighted=judged.unweighted,
        reference=reference,
        due_expected_value=due_expected,
    )


def _judged_index(
    indicator: IndicatorSnapshot,
    by_period: Mapping[Period, Mapping[str, ReportedValue]],
    periods: Sequence[Period],
    rule: AggregationRule,
    value_at,
) -> int | None:
    """Index of the period whose value is judged, None when no period has a value.

    A sum (or a single value): the latest period every responsible directorate reported (a sum
    missing a quarter of the directorates would look like a fall), the latest period with a value
    when none is complete. A mean: the latest period. A weighted mean: the latest period with a
    weighted value.
    """
    if rule in (AggregationRule.SUM, AggregationRule.SINGLE) and indicator.directorates:
        responsible = set(indicator.directorates)
        for index in range(len(periods) - 1, -1, -1):
            if responsible <= by_period[periods[index]].keys():
                return index
    for index in range(len(periods) - 1, -1, -1):
        if value_at(index).value is not None:
            return index
    return None


def _target_note(indicator: IndicatorSnapshot, target_applies: bool) -> str | None:
    if indicator.target is None:
        return "sans cible"
    if not target_applies:
        return "cible fixée pour l’ensemble des directions"
    return None


def _trend(
    indicator: IndicatorSnapshot,
    by_period: Mapping[Period, Mapping[str, ReportedValue]],
    periods: Sequence[Period],
    keys: Sequence[tuple[int, int]],
    aggregator: Aggregator,
) -> Trend | None:
    """The latest period against the most recent earlier one, on the directorates counted in both."""
    last = len(periods) - 1
    latest_values = by_period[periods[last]]
    weighted = aggregator.rule is AggregationRule.WEIGHTED_MEAN
    for index in range(last - 1, -1, -1):
        earlier_values = by_period[periods[index]]
        common = latest_values.keys() & earlier_values.keys()
        if weighted:
            common &= aggregator.weights_of(keys[last]).keys() & aggregator.weights_of(keys[index]).keys()
        now = aggregator.of(latest_values, keys[last], common).value
        before = aggregator.of(earlier_values, keys[index], common).value
        if now is None or before is None:
            continue
        earlier = periods[index]
        if now == before:
            return Trend(TrendDirection.FLAT, None, earlier, before)
        went_up = now > before
        improved = went_up == (indicator.direction is ImprovementDirection.UP)
        return Trend(TrendDirection.UP if went_up else TrendDirection.DOWN, improved, earlier, before)
    return None


def _on_path(
    indicator: IndicatorSnapshot, rule: AggregationRule, reference: tuple[Decimal, Period], period: Period
) -> tuple[Decimal, Decimal]:
    """The value the path from the reference to the target expects for `period`, and the share of the
    way it stands for."""
    baseline, start = reference
    fraction = _path_fraction(start, period, indicator.target_year)
    with localcontext(_CONTEXT):
        expected = (baseline + (indicator.target - baseline) * fraction).quantize(MEAN_QUANTUM)
        if counts_whole_things(indicator.unit, rule):
            # No half meeting on a path of meetings (reader 10, A3: « qui prévoit 3,5 comités
            # techniques »): the whole number the path has already reached, rounded towards the
            # baseline, the one the sentence says, the chart marks and the status uses. Half up made
            # 3,5 a 4 a year early (reader 11, A1: « qui en prévoit 4 (cible : 4 par an en 2026) »).
            expected = expected.quantize(Decimal(1), rounding=whole_path_rounding(baseline, indicator.target))
            if indicator.target != baseline:
                fraction = (expected - baseline) / (indicator.target - baseline)
    return expected, fraction


def _path_fraction(start: Period, latest: Period, target_year: int) -> Decimal:
    """Share of the way from the end of the first reported period to 31 December of the target year."""
    path_start = start.end
    path_end = date(target_year, 12, 31)
    if path_end <= path_start:
        return Decimal(1)
    elapsed = (latest.end - path_start).days
    fraction = Decimal(elapsed) / Decimal((path_end - path_start).days)
    return min(Decimal(1), max(Decimal(0), fraction))


def _status(direction: ImprovementDirection, value: Decimal, target: Decimal, expected: Decimal) -> Status:
    if direction is ImprovementDirection.UP:
        if value >= target:
            return Status.ACHIEVED
        return Status.ON_TRACK if value >= expected else Status.LATE
    if value <= target:
        return Status.ACHIEVED
    return Status.ON_TRACK if value <= expected else Status.LATE


def _progress(direction: ImprovementDirection, value: Decimal, baseline: Decimal, target: Decimal) -> float:
    """Share of the distance from baseline to target covered (may be < 0 or > 100)."""
    if target == baseline:
        reached = value >= target if direction is ImprovementDirection.UP else value <= target
        return 100.0 if reached else 0.0
    return float((value - baseline) / (target - baseline)) * 100


def _visible_directorates(
    infos: Sequence[DirectorateInfo], scoped: Sequence[IndicatorSnapshot], viewed: str | None
) -> list[DirectorateInfo]:
    """The directorates the summary may name: the viewed one, or every known and responsible one."""
    by_code = {info.code: info for info in infos}
    if viewed is not None:
        return [by_code.get(viewed, DirectorateInfo(viewed))]
    for indicator in scoped:
        for code in indicator.directorates:
            by_code.setdefault(code, DirectorateInfo(code))
    return sorted(by_code.values(), key=lambda info: info.code)


def _completeness(
    scoped: Sequence[IndicatorSnapshot],
    directorates: Sequence[DirectorateInfo],
    due_by_frequency: Mapping[Frequency, Period],
    *,
    keep_empty: bool,
) -> tuple[DirectorateCompleteness, ...]:
    reported_keys: set[tuple[str, str, Period]] = set()
    expected_by_directorate: dict[str, list[tuple[str, Period]]] = {}
    computed_by_directorate: dict[str, int] = {}
    for indicator in scoped:
        if indicator.computed:
            # Computed from the DECP: nobody in the directorate has it to fill, nor is late with it.
            for code in indicator.directorates:
                computed_by_directorate[code] = computed_by_directorate.get(code, 0) + 1
            continue
        due = due_by_frequency[indicator.frequency]
        for directorate in indicator.history.by_key.get((due.year, due.number), ()):
            reported_keys.add((indicator.code, directorate, due))
        for code in indicator.directorates:
            expected_by_directorate.setdefault(code, []).append((indicator.code, due))
    rows = []
    for info in directorates:
        expected = expected_by_directorate.get(info.code, [])
        if not expected and not keep_empty:
            continue
        missing = tuple(
            MissingReport(code, period) for code, period in expected if (code, info.code, period) not in reported_keys
        )
        rows.append(DirectorateCompleteness(
            info, len(expected), len(expected) - len(missing), missing, computed_by_directorate.get(info.code, 0)
        ))
    # One order for every list of directorates the summary prints (issue 17: the report's « Directions en
    # attente » went by share entered, its table by name, the card's « sont à jour » by code).
    return tuple(completeness_order(rows))
