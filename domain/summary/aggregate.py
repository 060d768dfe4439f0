"""How the directorates' values of one period make the organisation's value, by the rule the
catalogue declares for the indicator (`AggregationRule`):

- **somme**: the values add up (hours, amounts, tonnes…);
- **moyenne**: the plain mean of the directorates' rates;
- **moyenne pondérée**: Σ(valeur × poids) / Σ poids, the weight of a directorate being its value
  of the weighting indicator (`base_ponderation`) for the same period. A directorate whose weight
  is missing is left out of the mean and named (`unweighted`), never counted with a guessed
  weight; when no directorate has a weight, or the weights add up to zero, the period has no
  value;
- **valeur unique**: one organisation-wide value, the one its only directorate reports.

Means are rounded to the hundredth (half up).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext

from domain.indicators.aggregation import AggregationRule
from domain.indicators.units import Unit
from domain.summary.model import IndicatorSnapshot, ReportedValue

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)
MEAN_QUANTUM = Decimal("0.01")


def counts_whole_things(unit: Unit, rule: AggregationRule) -> bool:
    """Values that count whole things (meetings, contracts, people): a sum or a single value of counts;
    a mean of the directorates' counts may have decimals. Their path expects whole numbers too."""
    return unit in (Unit.COUNT, Unit.PEOPLE) and rule in (AggregationRule.SUM, AggregationRule.SINGLE)


def whole_path_rounding(baseline: Decimal, target: Decimal) -> str:
    """How a path of whole things rounds: to the whole number it has already reached, towards the
    baseline (down on a rising path, up on a falling one). 3,5 meetings expected are 3 held, never 4:
    a count cannot be half held, and 4 is what the path reaches only later (reader 11, A1)."""
    return ROUND_FLOOR if target >= baseline else ROUND_CEILING

PeriodKey = tuple[int, int]
Group = Mapping[str, ReportedValue]


@dataclass(frozen=True)
class PeriodValue:
    """The organisation's value of one period, and which directorates it counts."""

    value: Decimal | None
    counted: frozenset[str]
    unweighted: tuple[str, ...] = ()


class Aggregator:
    """An indicator's rule, with the weights it needs (the weighting indicator's values by period)."""

    def __init__(self, indicator: IndicatorSnapshot, weighting: IndicatorSnapshot | None = None) -> None:
        self.rule = indicator.rule
        self.single_directorate = indicator.directorates[0] if indicator.directorates else None
        self._weights: Mapping[PeriodKey, Group] = {}
        if weighting is not None and weighting.frequency is indicator.frequency:
            self._weights = weighting.history.by_key

    def weights_of(self, key: PeriodKey) -> Group:
        return self._weights.get(key, {})

    def of(self, group: Group, key: PeriodKey, only: Collection[str] | None = None) -> PeriodValue:
        """The value of the period `key` whose values are `group`, on the directorates `only` if given."""
        codes = list(group) if only is None else [code for code in group if code in only]
        if self.rule is AggregationRule.SINGLE:
            codes = [code for code in codes if code == self.single_directorate]
        if not codes:
            return PeriodValue(None, frozenset())
        with localcontext(_CONTEXT):
            if self.rule is AggregationRule.WEIGHTED_MEAN:
                return self._weighted(group, key, codes)
            total = sum((group[code].value for code in codes), Decimal(0))
            if self.rule is AggregationRule.MEAN:
                return PeriodValue((total / len(codes)).quantize(MEAN_QUANTUM), frozenset(codes))
            return PeriodValue(total, frozenset(codes))

    def _weighted(self, group: Group, key: PeriodKey, codes: list[str]) -> PeriodValue:
        weights = self.weights_of(key)
        counted = [code for code in codes if code in weights]
        unweighted = tuple(sorted(code for code in codes if code not in weights))
        total_weight = sum((weights[code].value for code in counted), Decimal(0))
        if not counted or total_weight <= 0:
            return PeriodValue(None, frozenset(), unweighted)
        weighted = sum((group[code].value * weights[code].value for code in counted), Decimal(0))
        return PeriodValue((weighted / total_weight).quantize(MEAN_QUANTUM), frozenset(counted), unweighted)
