"""When the SPASER's own trajectory reaches the legal limit an indicator breaks, and since when the
limit applies: the words of the decision « Se mettre en conformité avec la loi » and of the lines
outside the law (reader 10, A10, B3, B4)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from domain.indicators.periods import period_containing
from domain.summary.model import IndicatorLine


def in_force_text(limit) -> str:
    """« (en vigueur depuis le 1er janvier 2022) » after the limit when its date is known."""
    return f" ({limit.in_force})" if limit.in_force else ""


def lawful_from(line: IndicatorLine) -> str:
    """« et n’atteint le minimum légal qu’au 1er semestre 2027 », « et ne revient au maximum légal qu’au
    4ᵉ trimestre 2027 » (reader 10, A10 and B4: « qu’en 2027 » sounded sooner than the end of 2027, and a
    path does not « respecter » a minimum; reader 11, A2: a path that ends on a target equal to the
    maximum reaches it, it never « passe sous », and a period like the minimum's, not a day);
    « , sous le minimum légal » when the SPASER's path never reaches it (`lawful_year`)."""
    limit = line.snapshot.legal_limit
    when = lawful_when(line)
    if when is None:
        return ", sous le minimum légal" if limit.is_floor else ", au-dessus du maximum légal"
    if limit.is_floor:
        return f" et n’atteint le minimum légal qu’{when}"
    # « ne descend au maximum légal » read awkwardly (reader 14, minor 17); the limit's figure is said
    # just before, with the value (« pour un maximum légal de 30 jours »).
    return f" et ne revient au maximum légal qu’{when}"


def lawful_when(line: IndicatorLine) -> str | None:
    """When the SPASER's path reaches the legal limit: the indicator's period that holds that day
    (« au 1er semestre 2027 », « au 4ᵉ trimestre 2027 », « en 2027 »)."""
    day = lawful_day(line)
    if day is None:
        return None
    return period_containing(day, line.snapshot.frequency).in_sentence()


def lawful_year(line: IndicatorLine) -> int | None:
    """The year the SPASER's path reaches the legal limit (`lawful_day`)."""
    day = lawful_day(line)
    return day.year if day is not None else None


def lawful_day(line: IndicatorLine) -> date | None:
    """The day the SPASER's path reaches the legal limit, on the straight line from the value expected
    for the period measured to the target; None when it never does (a target itself outside the law)."""
    limit = line.snapshot.legal_limit
    target, year = line.snapshot.target, line.snapshot.target_year
    if limit is None or line.expected_value is None or line.latest_period is None:
        return None
    if target is None or year is None or limit.broken_by(target) or target == line.expected_value:
        return None
    start, end = line.latest_period.end, date(year, 12, 31)
    if end <= start:
        return None
    share = (limit.value - line.expected_value) / (target - line.expected_value)
    return start + timedelta(days=int(math.ceil(share * (end - start).days)))
