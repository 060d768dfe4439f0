"""Where an indicator's value stands against its trajectory: ahead, on it, behind it, within the
margin admitted, or a trajectory that itself breaks the law; and the value the trajectory expects,
rounded as the values are. Apart from domain/summary/indicator_wording.py, which puts these words
next to the value and the target (card, chart, reports, chat answers), because they are one
question: the path and its expected value, said the same way everywhere.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.periods import Frequency, Period
from domain.indicators.units import Unit, format_number
from domain.summary.aggregate import counts_whole_things
from domain.summary.legal_path import lawful_from
from domain.summary.model import TOLERANCE_PERCENT_OF_TARGET, IndicatorLine, Status
from domain.text import NO_BREAK_SPACE


def path_text(line: IndicatorLine, *, with_period: bool = False) -> str:
    """Where the value stands against its path: « en deçà de la trajectoire, qui prévoit 16,5 % »,
    « légèrement en deçà de la trajectoire, qui prévoit 981 280 €, écart inférieur à la marge admise (1 %
    de la cible, soit 12 000 €) » (on track within the tolerance, whatever the indicator: one rule), « en avance sur la trajectoire, qui prévoit 25 % »;
    « cible dépassée » past the target. `with_period`: « … qui prévoit 25 % au 1er semestre 2026 »,
    in a table whose value is in another column."""
    if line.progress_percent is not None and line.progress_percent >= 100:
        return "cible dépassée" if line.progress_percent > 100 else "cible atteinte"
    if line.expected_value is None or line.latest_value is None or line.status is Status.ACHIEVED:
        return ""
    down = line.snapshot.direction is ImprovementDirection.DOWN
    below = "au-dessus" if down else "en deçà"
    expected = f", {planned_text(line)}"
    if with_period:
        expected += f" {_measured_period(line.latest_period)}"
    if line.status is Status.OUTSIDE_LEGAL_LIMIT:
        return _unlawful_path_text(line, expected, below, with_period=with_period)
    if line.status is Status.LATE:
        return f"{below} de la trajectoire{expected}"
    if within_tolerance(line):
        return f"légèrement {below} de la trajectoire{expected}, {_margin_text(line)}"
    if line.latest_value == line.expected_value:
        return f"sur la trajectoire{expected}"
    return f"en avance sur la trajectoire{expected}"


def _unlawful_path_text(line: IndicatorLine, expected: str, below: str, *, with_period: bool = False) -> str:
    """Outside the law, never « en avance sur la trajectoire »: reader 8 read « 48,7 % …, en avance sur
    la trajectoire, qui prévoit 46,2 % » next to « Sous le minimum légal de 50 % ». When the path
    itself breaks the law, say so with the SPASER as the subject (reader 9, B2: « le SPASER lui-même
    prévoit 46,2 % au 1er semestre 2026 et ne respecte le minimum légal qu’en 2027 »); otherwise the
    value is behind a lawful path."""
    limit = line.snapshot.legal_limit
    if limit is not None and limit.broken_by(line.expected_value):
        when = f" {_measured_period(line.latest_period)}" if with_period else " à cette date"
        return f"le SPASER lui-même prévoit {expected_text(line)}{when}{lawful_from(line)}"
    return f"{below} de la trajectoire{expected}"


def _margin_text(line: IndicatorLine) -> str:
    """Why a value behind its path is still on track, in plain words (reader 10, B5: « écart toléré »
    read as jargon): « écart inférieur à la marge admise (1 % de la cible, soit 4 000 €) », the margin
    in the indicator's unit (reader 14, minor 18: « dans la marge admise de 1 % de la cible (cible :
    … » said « cible » twice and left the margin to compute), or « à l’arrondi près » when the value is
    behind by less than the rounding of the percentages shown."""
    gap = abs(line.latest_value - line.expected_value) * 100
    target = line.snapshot.target
    if target is not None and gap < abs(target) * TOLERANCE_PERCENT_OF_TARGET:
        share = f"{format_number(TOLERANCE_PERCENT_OF_TARGET)}{NO_BREAK_SPACE}% de la cible"
        return f"écart inférieur à la marge admise ({share}, soit {_margin_amount(line)})"
    return "à l’arrondi près"


def _margin_amount(line: IndicatorLine) -> str:
    """The margin admitted in the indicator's unit: « 4 000 € », « 0,3 point » for a percentage (« 0,3 % »
    next to « 1 % de la cible » read as a share of a share)."""
    margin = abs(line.snapshot.target) * TOLERANCE_PERCENT_OF_TARGET / 100
    if line.unit is Unit.PERCENT:
        return f"{format_number(margin)}{NO_BREAK_SPACE}{'points' if margin >= 2 else 'point'}"
    return line.show(margin)


def within_tolerance(line: IndicatorLine) -> bool:
    """On track although behind its path: less than the tolerance (1 % of the target) behind, or
    behind by less than the rounding of the percentages shown. Said the same way for every indicator
    (reader 7: IND-04 said « toléré », IND-26, as far behind, « toujours sur la trajectoire »)."""
    if line.status is not Status.ON_TRACK or line.expected_value is None or line.latest_value is None:
        return False
    if line.snapshot.direction is ImprovementDirection.DOWN:
        return line.latest_value > line.expected_value
    return line.latest_value < line.expected_value


def planned_text(line: IndicatorLine) -> str:
    """« qui prévoit 16,5 % », « qui en prévoit 4 » for a count of whole things, whose expected value is
    a whole number (reader 10, A3: « en deçà de la trajectoire, qui en prévoit 4 »)."""
    if _whole_count(line):
        return f"qui en prévoit {format_number(_whole_expected(line))}"
    return f"qui prévoit {expected_text(line)}"


def expected_text(line: IndicatorLine) -> str:
    """The value expected on the path, rounded like the values (a whole number past 100, one decimal
    place otherwise: reader 7 asked for the value every other line gives, not « 37 % du chemin »)
    unless the rounding would make it read as the target or as the value; a count of whole things in
    whole things (« 4 marchés réservés »)."""
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
    """A path of whole things in whole things (reader 8: « qui prévoit 4,9 marchés réservés »; reader 10,
    A3: « qui prévoit 3,5 comités techniques »): the whole number the path has reached, the figure the
    status is judged on (compute; reader 11, A1: half up said « 4 » a year before the target of 4)."""
    return line.show(_whole_expected(line))


def _whole_expected(line: IndicatorLine) -> Decimal:
    rising = line.snapshot.direction is ImprovementDirection.UP
    return line.expected_value.quantize(Decimal(1), rounding=ROUND_FLOOR if rising else ROUND_CEILING)


def _whole_count(line: IndicatorLine) -> bool:
    """Values that count whole things: a sum or a single value of committees or people (a mean of
    the directorates' counts may have decimals); their expected value is already whole (compute)."""
    return counts_whole_things(line.unit, line.aggregation)


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
