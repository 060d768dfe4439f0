"""Whether a typed value is plausible next to the previous one: 4 800 typed for 48 (a decimal comma
lost, two zeros too many) is readable and within its unit's range, so nothing refused it and it
went into the COPIL's figures.

Out-of-range values are refused earlier, by the unit (`domain.indicators.values.validate_value`:
a share above 100 %, a negative count): this rule only asks for a confirmation, never refuses,
since a real jump (a first big insertion contract) exists. Pure: the caller gives the previous value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.indicators.periods import Period
from domain.indicators.units import Unit, format_value

JUMP_FACTOR = Decimal(5)
"""A value more than five times the previous one, or less than a fifth of it, is asked again."""


@dataclass(frozen=True)
class SuspiciousJump:
    """A value far from the previous period's, with what the person is asked."""

    value: Decimal
    previous: Decimal
    previous_period: Period
    unit: Unit
    counted_noun: str = ""

    def question(self) -> str:
        """« Vous avez saisi 4 800, contre 48 au 2ᵉ trimestre 2026. Confirmez-vous ? »"""
        typed = format_value(self.value, self.unit, self.counted_noun)
        before = format_value(self.previous, self.unit, self.counted_noun)
        return f"Vous avez saisi {typed}, contre {before} {self.previous_period.in_sentence()}. Confirmez-vous ?"


def suspicious_jump(
    value: Decimal,
    previous: Decimal | None,
    previous_period: Period | None,
    unit: Unit,
    counted_noun: str = "",
) -> SuspiciousJump | None:
    """The jump to confirm when `value` is more than `JUMP_FACTOR` times `previous` or less than its
    fifth; None without a previous value, or after a zero (any value is « infinitely » more)."""
    if previous is None or previous_period is None or previous == 0:
        return None
    ratio = value.copy_abs() / previous.copy_abs()
    if ratio > JUMP_FACTOR or ratio * JUMP_FACTOR < 1:
        return SuspiciousJump(value, previous, previous_period, unit, counted_noun)
    return None
