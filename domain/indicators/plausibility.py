"""Whether a typed value is plausible next to the previous one: 4 800 typed for 48 (a decimal comma
lost, two zeros too many) is readable and within its unit's range, so nothing refused it and it
went into the COPIL's figures.

Out-of-range values are refused earlier, by the unit (`domain.indicators.values.validate_value`:
a share above 100 %, a negative count): this rule only asks for a confirmation, never refuses,
since a real jump (a first big insertion contract) exists. Pure: the caller gives the previous value.
The chat asks it value by value (`dialogs.indicators.value_check`); the form card, submitted in one
go, lists every jump and is saved once they are all confirmed (`jumps_in_form`, `confirmation_token`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import DomainError
from domain.indicators.periods import Frequency, Period
from domain.indicators.rules import DueItem, ValueEntry, canonical
from domain.indicators.units import Unit, format_number, format_value
from domain.indicators.values import parse_value

JUMP_FACTOR = Decimal(3)
"""A value more than three times the previous one, or less than a third of it, is asked again (reader
14: 36 500 hours after 8 111, 4,5 times as many, was saved without a question at five)."""


@dataclass(frozen=True)
class SuspiciousJump:
    """A value far from the previous period's, with what the person is asked."""

    value: Decimal
    previous: Decimal
    previous_period: Period
    unit: Unit
    counted_noun: str = ""

    def comparison(self) -> str:
        """« 4 800 heures, soit 100 fois la valeur du 2ᵉ trimestre 2026 (48 heures) »: the question's
        core, also listed by the form's confirmation."""
        typed = format_value(self.value, self.unit, self.counted_noun)
        return f"{typed}, soit {self.times_the_previous()}"

    def times_the_previous(self) -> str:
        """« 4,5 fois la valeur du 2ᵉ trimestre 2026 (8 111 heures) », « 5 fois moins que la valeur de
        2024 (…) »: how far from the previous period's value, as a reader says it."""
        before = format_value(self.previous, self.unit, self.counted_noun)
        period = self.previous_period
        of_period = f"de {period.year}" if period.frequency is Frequency.ANNUAL else f"du {period.label}"
        ratio = self.value.copy_abs() / self.previous.copy_abs()
        times = _times(ratio) if ratio >= 1 else f"{_times(1 / ratio)} moins que"
        return f"{times} la valeur {of_period} ({before})"

    def question(self) -> str:
        """« Vous avez saisi 36 500 heures. C’est 4,5 fois la valeur du 2ᵉ trimestre 2026 (8 111 heures) :
        vous confirmez ? »"""
        typed = format_value(self.value, self.unit, self.counted_noun)
        return f"Vous avez saisi {typed}. C’est {self.times_the_previous()}\u00a0: vous confirmez\u00a0?"


def _times(ratio: Decimal) -> str:
    """« 4,5 fois », « 100 fois »: one decimal at most."""
    return f"{format_number(ratio.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize())}\u00a0fois"


def suspicious_jump(
    value: Decimal,
    previous: Decimal | None,
    previous_period: Period | None,
    unit: Unit,
    counted_noun: str = "",
) -> SuspiciousJump | None:
    """The jump to confirm when `value` is more than `JUMP_FACTOR` times `previous` or less than its
    third; None without a previous value, or after a zero (any value is « infinitely » more)."""
    if previous is None or previous_period is None or previous == 0:
        return None
    now, before = value.copy_abs(), previous.copy_abs()
    if now > before * JUMP_FACTOR or now * JUMP_FACTOR < before:  # no division: 16 is exactly a third of 48
        return SuspiciousJump(value, previous, previous_period, unit, counted_noun)
    return None


@dataclass(frozen=True)
class FormJump:
    """A suspicious value of a submitted form, with the item it is for."""

    item: DueItem
    jump: SuspiciousJump

    @property
    def line(self) -> str:
        """« IND-03 (3ᵉ trimestre 2026) : 4 800 heures, contre 48 heures au 2ᵉ trimestre 2026 »"""
        return f"{self.item.indicator.code} ({self.item.period.label})\u00a0: {self.jump.comparison()}"

    @property
    def token(self) -> str:
        return confirmation_token(self.item.key, self.jump.value)


def confirmation_token(key: str, value: Decimal) -> str:
    """What a confirmation carries for one value: its entry key and the number confirmed, so that a
    value changed after the question is asked again rather than taken as confirmed."""
    return f"{key}={canonical(value)}"


def jumps_in_form(
    entries: Iterable[ValueEntry], items: Iterable[DueItem], confirmed: Collection[str] = ()
) -> list[FormJump]:
    """The entries far from their item's last value and not confirmed yet (`confirmed`: tokens).

    An entry that does not read is left out: the save refuses it with its own error."""
    by_key = {item.key: item for item in items}
    found: list[FormJump] = []
    for entry in entries:
        item = by_key.get(entry.key)
        if item is None or item.last is None:
            continue
        try:
            value = parse_value(entry.value, item.indicator.unit) if isinstance(entry.value, str) else entry.value
        except DomainError:
            continue
        jump = suspicious_jump(value, item.last.value, item.last.period, item.indicator.unit, item.indicator.counted_noun)
        if jump is not None and confirmation_token(item.key, value) not in confirmed:
            found.append(FormJump(item, jump))
    return found
