"""The SPASER measures computed from the body's contracts, period by period.

- **Share with a social consideration** (« Clause sociale », « Critère social » or « Marché
  réservé ») or **with an environmental one** (« Clause environnementale », « Critère
  environnemental »), in number (contracts) or in value (montant HT), in % rounded to 0.1.
- **Reserved contracts**: their number, or their value in € HT.

A contract counts once, in the period of its notification date, at its latest amount: the
`montant` of its latest notified modification (a new total in the format 2024, not an increment),
else its initial one. The reference asks for a republished contract's latest state; a later
modification corrects the period's value through the values' history. Periods run from the one of the earliest contract to the last one ended on the
day of computation; a period without any contract has no value (« aucun marché notifié »),
never 0 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.indicators.aggregation import Computation
from domain.indicators.periods import Frequency, Period, current_reporting_period, period_containing

_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)
NO_CONTRACT = "aucun marché notifié"


@dataclass(frozen=True)
class ContractFacts:
    """What the measures need of one contract."""

    notified_on: date
    amount: Decimal
    social: bool
    environmental: bool
    reserved: bool


@dataclass(frozen=True)
class PeriodFigure:
    """One measure for one period, with the counts behind it."""

    period: Period
    contracts: int
    amount: Decimal
    matching: int
    matching_amount: Decimal
    value: Decimal | None
    """None: no contract notified in the period (or, for a share in value, no amount)."""


def matches(computation: Computation, facts: ContractFacts) -> bool:
    if computation in (Computation.DECP_SOCIAL_COUNT, Computation.DECP_SOCIAL_AMOUNT):
        return facts.social
    if computation in (Computation.DECP_ENVIRONMENTAL_COUNT, Computation.DECP_ENVIRONMENTAL_AMOUNT):
        return facts.environmental
    if computation in (Computation.DECP_RESERVED_COUNT, Computation.DECP_RESERVED_AMOUNT):
        return facts.reserved
    raise ValueError(f"{computation} is not computed from the DECP")


def is_computed(computation: Computation) -> bool:
    return computation is not Computation.REPORTED


def period_figures(
    computation: Computation, frequency: Frequency, contracts: Iterable[ContractFacts], today: date
) -> list[PeriodFigure]:
    """The measure for every period from the earliest contract's to the last ended one, oldest first."""
    totals: dict[Period, list] = {}
    periods: dict[tuple[int, int], Period] = {}
    earliest: date | None = None
    for facts in contracts:
        month = (facts.notified_on.year, facts.notified_on.month)
        period = periods.get(month)
        if period is None:
            period = periods[month] = period_containing(facts.notified_on, frequency)
        total = totals.setdefault(period, [0, Decimal(0), 0, Decimal(0)])
        total[0] += 1
        total[1] += facts.amount
        if matches(computation, facts):
            total[2] += 1
            total[3] += facts.amount
        earliest = facts.notified_on if earliest is None else min(earliest, facts.notified_on)
    if earliest is None:
        return []
    last = current_reporting_period(frequency, today)
    figures = []
    period = period_containing(earliest, frequency)
    while not last < period:
        count, amount, matching, matching_amount = totals.get(period, (0, Decimal(0), 0, Decimal(0)))
        figures.append(
            PeriodFigure(period, count, amount, matching, matching_amount, _value(computation, count, amount, matching, matching_amount))
        )
        period = period.next()
    return figures


def _value(computation: Computation, count: int, amount: Decimal, matching: int, matching_amount: Decimal) -> Decimal | None:
    if count == 0:
        return None
    if computation in (Computation.DECP_SOCIAL_COUNT, Computation.DECP_ENVIRONMENTAL_COUNT):
        return _percent(Decimal(matching), Decimal(count))
    if computation in (Computation.DECP_SOCIAL_AMOUNT, Computation.DECP_ENVIRONMENTAL_AMOUNT):
        return None if amount == 0 else _percent(matching_amount, amount)
    if computation is Computation.DECP_RESERVED_COUNT:
        return Decimal(matching)
    return matching_amount


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * _HUNDRED / whole).quantize(_TENTH, rounding=ROUND_HALF_UP)


def is_share(computation: Computation) -> bool:
    return computation.value.startswith("decp:part-")


def in_value(computation: Computation) -> bool:
    return computation.value.endswith("-montant")
