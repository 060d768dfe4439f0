"""How an indicator's target reads, the same in the summary, the public page and the lead's
indicator dialogs: « 20 000 heures par trimestre en 2028 ». The target of a quarterly or
half-yearly amount is the value of one period (the summary compares it to one period's value),
which « 20 000 heures en 2028 » read as a year's."""

from __future__ import annotations

from decimal import Decimal

from domain.indicators.periods import Frequency
from domain.indicators.units import Unit, format_value

_PER_PERIOD = {Frequency.HALF_YEARLY: " par semestre", Frequency.QUARTERLY: " par trimestre"}


def per_period_text(unit: Unit, frequency: Frequency, counted_noun: str = "") -> str:
    """« par trimestre » (with its leading space) for a quarterly or half-yearly amount; nothing for
    a share, a delay or a count already per something (« repas végétariens par semaine »)."""
    if unit is Unit.PERCENT or unit is Unit.DAYS or "par" in counted_noun.split():
        return ""
    return _PER_PERIOD.get(frequency, "")


def target_figure_text(target: Decimal, target_year: int | None, unit: Unit, frequency: Frequency, counted_noun: str = "") -> str:
    """« 20 000 heures par trimestre en 2028 », « 25 % en 2028 »."""
    year = f" en {target_year}" if target_year is not None else ""
    return f"{format_value(target, unit, counted_noun)}{per_period_text(unit, frequency, counted_noun)}{year}"
