"""The words about one indicator of the summary: its value and period, target, path, trend and
progress, the same in the card, the chart, the reports and the chat answers.

Titles, counts, completeness and the reading rules are put together in domain/summary/wording.py.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from domain.committees.cadence import committee_kind_in
from domain.indicators import targets
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.periods import Frequency, Period
from domain.indicators.units import Unit, format_number
from domain.summary.model import IndicatorLine, Status, TrendDirection
from domain.text import NO_BREAK_SPACE, agreed, counted, directorates_text, fold, lower_first, plural_of


def value_text(line: IndicatorLine) -> str:
    """« 1 234 heures au 3ᵉ trimestre 2026 (d’après 4 des 5 directions concernées) », « dernière valeur :
    48 200 tonnes équivalent CO₂ en 2024 ; l’année 2025 reste à saisir » or « aucune valeur saisie »: a value
    never goes without its period, written as a French sentence says it (`Period.in_sentence`)."""
    if line.latest_value is None or line.latest_period is None:
        text = "aucune valeur saisie"
    else:
        text = f"{shown_value(line)} {line.latest_period.in_sentence()}"
        if line.is_partial:
            text += f" (d’après {_out_of(line.reporting_count, line.responsible_count)})"
        if line.is_stale:
            due = line.due_period.with_article()
            if line.pending_period == line.due_period:
                text = f"dernière valeur : {text} ; pour {due}, {_answered(line.pending_count, line.responsible_count)}"
            else:
                text = f"dernière valeur : {text} ; {due} reste à saisir"
        elif line.pending_period is not None:
            pending = line.pending_period.with_article()
            text += f" ; pour {pending}, {_answered(line.pending_count, line.responsible_count)}"
    if line.unweighted:
        text += f" ; {unweighted_text(line)}"
    return text


def shown_value(line: IndicatorLine) -> str:
    """The latest value with its unit; a mean of the directorates' values to one decimal place
    (« 31,9 % », not « 31,85 % »: the directorates typed one)."""
    return line.show(shown_number(line.latest_value, line.aggregation))


def shown_number(value: Decimal, aggregation: AggregationRule) -> Decimal:
    """The number `shown_value` writes: a mean to one decimal place, any other value as it is; the
    public page shows the same figure as the card and the report."""
    if aggregation in (AggregationRule.MEAN, AggregationRule.WEIGHTED_MEAN) and value.as_tuple().exponent < -1:
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value


def _out_of(count: int, total: int) -> str:
    """« 1 des 2 directions concernées », « 4 des 5 directions concernées »: « 1 direction sur 2 »
    read as « half of the directorates » (reader 7, B36)."""
    if count == 0:
        return f"aucune des {counted(total, 'direction concernée', 'directions concernées')}"
    return f"{count} des {counted(total, 'direction concernée', 'directions concernées')}"


def _answered(count: int, total: int) -> str:
    """« 1 des 2 directions concernées a répondu », « 2 des 5 directions concernées ont répondu »."""
    if count == 0:
        return f"{_out_of(count, total)} n’a répondu"
    return f"{_out_of(count, total)} {agreed(count, 'a répondu', 'ont répondu')}"


def unweighted_text(line: IndicatorLine) -> str:
    """« la direction DPB n’est pas comptée (sans valeur pour l’indicateur de pondération IND-23) »."""
    codes = list(line.unweighted)
    verb = agreed(len(codes), "n’est pas comptée", "ne sont pas comptées")
    return (
        f"{directorates_text(codes)} {verb} (sans valeur pour l’indicateur de pondération "
        f"{line.snapshot.weighting_base})"
    )


def aggregation_text(line: IndicatorLine) -> str:
    """How the directorates' values make the indicator's: « somme des directions », « moyenne des
    directions pondérée par les kilomètres parcourus par les véhicules de service (IND-23) »: the
    base named in words, its code after it."""
    rule = line.aggregation
    if rule is AggregationRule.WEIGHTED_MEAN:
        return f"moyenne des directions pondérée par {weighting_text(line)}"
    if rule is AggregationRule.SINGLE:
        return "valeur unique de l’organisme"
    return "somme des directions" if rule is AggregationRule.SUM else "moyenne des directions"


def aggregation_sentence(line: IndicatorLine) -> str:
    """« ensemble des directions », « moyenne pondérée des directions »: how the directorates' values
    make the indicator's, short under the value (« valeur de l’organisme : somme des directions » read
    as jargon, « total des directions » as a number of directorates, reader 9); the weighting base is
    named in the reading rules (`rules_items`)."""
    rule = line.aggregation
    if rule is AggregationRule.SINGLE:
        return "une seule valeur pour l’organisme, non additionnée entre directions"
    if rule is AggregationRule.WEIGHTED_MEAN:
        return "moyenne pondérée des directions"
    return "ensemble des directions" if rule is AggregationRule.SUM else "moyenne des directions"


def weighting_text(line: IndicatorLine) -> str:
    """« les kilomètres parcourus par les véhicules de service (IND-23) » when the label starts with
    a plural noun, « l’indicateur « Nombre de marchés » (IND-05) » otherwise."""
    code = line.snapshot.weighting_base
    label = line.weighting_label.strip()
    if not label:
        return f"l’indicateur {code}"
    first = lower_first(label).split(" ")[0]
    if first.endswith(("s", "x")) and plural_of(first) == first:
        return f"les {lower_first(label)} ({code})"
    return f"l’indicateur « {label} » ({code})"


def late_text(line: IndicatorLine) -> str:
    """« 1 270 tonnes en 2025, en deçà de la trajectoire, qui prévoit 1 400 tonnes (cible : 2 000 tonnes
    en 2030) »: where a late indicator stands against its path and its target, the same words as the
    card's line (`detail_text`) without the trend."""
    return judged_text(line)


def judged_text(line: IndicatorLine) -> str:
    """The value, where it stands against its path and the target, in one sentence: « 10,1 % en 2025,
    en deçà de la trajectoire, qui prévoit 16,5 % (cible : 25 % en 2028) », « 2 repas végétariens par
    semaine au 3ᵉ trimestre 2026, cible de 2 en 2027 atteinte ». One kind of figure: « 12 % du chemin
    parcouru vers la cible » next to two values read as a third value."""
    text = value_text(line)
    joint = f"{NO_BREAK_SPACE};" if ";" in text or line.status is Status.OUTSIDE_LEGAL_LIMIT else ","
    if line.target_note is not None or line.is_stale or line.snapshot.target is None:
        return f"{text} · {target_text(line)}" if line.target_note is not None or line.is_stale else text
    if line.progress_percent is not None and line.progress_percent >= 100:
        reached = "dépassée" if line.progress_percent > 100 else "atteinte"
        return f"{text}{joint} {_target_named(line)} {reached}"
    path = path_text(line)
    if not path:
        return f"{text}, {target_text(line, joined_to_value=True)}"
    return f"{text}{joint} {path} ({target_label(line)}{NO_BREAK_SPACE}: {_target_figure(line)})"


def path_text(line: IndicatorLine, *, with_period: bool = False) -> str:
    """Where the value stands against its path: « en deçà de la trajectoire, qui prévoit 16,5 % »,
    « légèrement en deçà de la trajectoire, qui prévoit 981 280 €, écart toléré » (on track within the
    tolerance, whatever the indicator: one rule), « en avance sur la trajectoire, qui prévoit 25 % »;
    « cible dépassée » past the target. `with_period`: « … qui prévoit 25 % au 1er semestre 2026 »,
    in a table whose value is in another column."""
    if line.progress_percent is not None and line.progress_percent >= 100:
        return "cible dépassée" if line.progress_percent > 100 else "cible atteinte"
    if line.expected_value is None or line.latest_value is None or line.status is Status.ACHIEVED:
        return ""
    down = line.snapshot.direction is ImprovementDirection.DOWN
    below = "au-dessus" if down else "en deçà"
    expected = f", qui prévoit {expected_text(line)}"
    if with_period:
        expected += f" {_measured_period(line.latest_period)}"
    if line.status is Status.OUTSIDE_LEGAL_LIMIT:
        return _unlawful_path_text(line, expected, below)
    if line.status is Status.LATE:
        return f"{below} de la trajectoire{expected}"
    if within_tolerance(line):
        return f"légèrement {below} de la trajectoire{expected}, écart toléré"
    if line.latest_value == line.expected_value:
        return f"sur la trajectoire{expected}"
    return f"en avance sur la trajectoire{expected}"


def _unlawful_path_text(line: IndicatorLine, expected: str, below: str) -> str:
    """Outside the law, never « en avance sur la trajectoire »: reader 8 read « 48,7 % …, en avance sur
    la trajectoire, qui prévoit 46,2 % » next to « Sous le minimum légal de 50 % ». When the path
    itself breaks the law, say so (« la trajectoire du SPASER, qui prévoit 46,2 %, reste sous le
    minimum légal »); otherwise the value is behind a lawful path."""
    limit = line.snapshot.legal_limit
    if limit is not None and limit.broken_by(line.expected_value):
        where = "sous le minimum légal" if limit.is_floor else "au-dessus du maximum légal"
        return f"la trajectoire du SPASER{expected}, reste {where}"
    return f"{below} de la trajectoire{expected}"


def within_tolerance(line: IndicatorLine) -> bool:
    """On track although behind its path: less than the tolerance (1 % of the target) behind, or
    behind by less than the rounding of the percentages shown. Said the same way for every indicator
    (reader 7: IND-04 said « toléré », IND-26, as far behind, « toujours sur la trajectoire »)."""
    if line.status is not Status.ON_TRACK or line.expected_value is None or line.latest_value is None:
        return False
    if line.snapshot.direction is ImprovementDirection.DOWN:
        return line.latest_value > line.expected_value
    return line.latest_value < line.expected_value


def target_label(line: IndicatorLine) -> str:
    """« cible », or « cible fixée par le SPASER » for the indicator that counts committees: 3 late
    next to « 3 à 4 par an conseillés » read as a contradiction without whose target it is."""
    return "cible fixée par le SPASER" if counts_committees(line) else "cible"


def counts_committees(line: IndicatorLine) -> bool:
    """A count whose label names a committee (« Comités techniques SPASER tenus dans l’année »)."""
    label = fold(line.label)
    return line.unit is Unit.COUNT and "comit" in label and committee_kind_in(label) is not None


def _target_figure(line: IndicatorLine) -> str:
    """« 25 % en 2028 », « 4 par an en 2026 »: the target after the value, a count without its noun
    (« 2 repas végétariens par semaine …, cible de 2 repas végétariens par semaine » repeated it)."""
    target = line.snapshot.target
    if line.unit is Unit.COUNT:
        shown = format_number(target)
        per = " par an" if counts_committees(line) and line.snapshot.frequency is Frequency.ANNUAL else ""
        return f"{shown}{per}{per_period_text(line)} en {line.snapshot.target_year}"
    return f"{line.show(target)}{per_period_text(line)} en {line.snapshot.target_year}"


def _target_named(line: IndicatorLine) -> str:
    """« cible de 30 % en 2028 », « cible fixée par le SPASER de 4 par an en 2026 »."""
    return f"{target_label(line)} de {_target_figure(line)}"


def expected_text(line: IndicatorLine) -> str:
    """The value expected on the path, rounded like the values (a whole number past 100, one decimal
    place otherwise: « 3,5 comités techniques », « 4,9 marchés réservés »: reader 7 asked for the
    value every other line gives, not « 37 % du chemin ») unless the rounding would make it read as
    the target or as the value."""
    expected = line.expected_value
    if _whole_count(line):
        return _whole_expected_text(line)
    places = 0 if abs(expected) >= 100 else 1
    for extra in range(3):
        rounded = expected.quantize(Decimal(1).scaleb(-(places + extra)), rounding=ROUND_HALF_UP)
        if not any(other is not None and rounded == other != expected
                   for other in (line.snapshot.target, line.latest_value)):
            break
    return line.show(rounded)


def _whole_expected_text(line: IndicatorLine) -> str:
    """A path of whole things in whole things (reader 8: « qui prévoit 3,5 comités techniques »,
    « 4,9 marchés réservés »): the nearest whole number (« 5 marchés réservés »), or « entre 3 et 4
    comités techniques » when the nearest would read as the value itself (3 held, « en deçà de la
    trajectoire, qui prévoit 3 ») or as the target (reader 1: « prévoit 4 » next to « cible : 4 »)."""
    expected = line.expected_value
    rounded = expected.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounded == expected or rounded not in (line.latest_value, line.snapshot.target):
        return line.show(rounded)
    low, high = (expected.quantize(Decimal(1), rounding=way) for way in (ROUND_FLOOR, ROUND_CEILING))
    return f"entre {format_number(low)} et {line.show(high)}"


def _whole_count(line: IndicatorLine) -> bool:
    """Values that count whole things: a sum or a single value of committees or people (a mean of
    the directorates' counts may have decimals). Past 100, rounding says it well enough."""
    return line.unit in (Unit.COUNT, Unit.PEOPLE) and line.aggregation in (AggregationRule.SUM, AggregationRule.SINGLE)


def target_text(line: IndicatorLine, *, joined_to_value: bool = False) -> str:
    """« cible : 40 % en 2026 », or after a value « pour une cible de 40 % en 2026 »."""
    snapshot = line.snapshot
    if snapshot.target is None:
        return "sans cible"
    target = f"{line.show(snapshot.target)}{per_period_text(line)} en {snapshot.target_year}"
    if line.target_note:
        return f"{line.target_note} ({target})"
    return f"pour une cible de {target}" if joined_to_value else f"{target_label(line)} : {target}"


def per_period_text(line: IndicatorLine) -> str:
    """« par trimestre » after the target of a quarterly amount (`domain.indicators.targets`)."""
    snapshot = line.snapshot
    return targets.per_period_text(line.unit, snapshot.frequency, snapshot.counted_noun)


def trend_text(line: IndicatorLine, *, with_period: bool = True) -> str:
    """« ↑ en hausse depuis le 2ᵉ trimestre 2026, dans le bon sens »: which way the value went and,
    for an indicator with a target, whether that is the way of the objective (« à l’inverse de
    l’objectif »); without a target, the way only. The status says whether the pace is enough."""
    trend = line.trend
    if trend is None or line.is_stale:
        # Reader 7, C47: « Non renseigné » next to « ↑ en hausse, dans le bon sens » told of an old change.
        return ""
    if trend.direction is TrendDirection.FLAT:
        way = "stable"
    else:
        way = "en hausse" if trend.direction is TrendDirection.UP else "en baisse"
    text = f"{trend.direction.value}\u00a0{way}"
    if with_period:
        previous = trend.previous_period
        since = str(previous.year) if previous.frequency is Frequency.ANNUAL else previous.with_article()
        text = f"{text} depuis {since}"
    if trend.improved is not None and line.snapshot.target is not None:
        if line.status is Status.OUTSIDE_LEGAL_LIMIT:
            # Reader 8: « dans le bon sens » next to « Sous le minimum légal » reassured about a breach.
            if not trend.improved:
                text += ", à l’inverse de l’objectif"
        elif trend.improved and line.status is Status.LATE:
            # « dans le bon sens » next to « En retard » read as a contradiction.
            text += ", mais trop lentement"
        elif trend.improved:
            text += ", dans le bon sens"
        elif line.status is Status.ON_TRACK:
            # « à l’inverse de l’objectif » next to « En bonne voie » read as a contradiction; « toujours
            # sur la trajectoire » was false for a value just behind it (within the tolerance).
            text += ", mais toujours en bonne voie"
        elif line.status is Status.ACHIEVED:
            text += ", mais la cible reste atteinte"
        else:
            text += ", à l’inverse de l’objectif"
    return text


def progress_text(line: IndicatorLine) -> str:
    """The report's « Avancement » cell: where the value stands against its path, with the period
    the path is computed for (« en deçà de la trajectoire, qui prévoit 16,5 % pour 2025 »), or
    « cible dépassée »; never « 12 % du chemin parcouru », a third kind of percentage next to the
    value and the target."""
    return path_text(line, with_period=True)


def _measured_period(period: Period | None) -> str:
    """« pour 2025 », « au 3ᵉ trimestre 2026 »: the period whose value is judged, the one the expected
    value is computed for (not today)."""
    if period is None:
        return "pour la période mesurée"
    return f"pour {period.year}" if period.frequency is Frequency.ANNUAL else period.in_sentence()


def detail_text(line: IndicatorLine, *, compact: bool = False) -> str:
    """The grey line under an indicator (compact: for the card): « 19,4 % au 2ᵉ trimestre 2026, en
    deçà de la trajectoire, qui prévoit 21,4 % (cible : 38 % en 2026) · ↑ en hausse »."""
    parts = [judged_text(line), trend_text(line, with_period=not compact)]
    return " · ".join(part for part in parts if part)


def percent_text(value: float) -> str:
    """« 12 % », « −3 % »: a share rounded to a whole percent."""
    return f"{round(value):d}\u00a0%".replace("-", "−")


def legal_text(line: IndicatorLine) -> str:
    """« 42 % au 2ᵉ semestre 2026, sous le minimum légal de 50 % (loi EGalim) »."""
    return f"{value_text(line)}, {line.legal_breach}"
