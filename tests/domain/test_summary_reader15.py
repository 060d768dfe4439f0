"""Reader 15's findings on the summary's decisions (blocking 3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.summary.attention import attention_points
from domain.summary.compute import compute_summary
from domain.summary.scope import Scope
from tests.domain.test_summary_legal_limit import DIRECTORATES, egalim, payment_delay, plain


def test_b3_a_path_outside_the_law_is_to_revise_whatever_the_freshness_of_the_value():
    """IND-11's last value is 2026's while 2027 is due: the SPASER's path, which stays above the
    30-day maximum until 2028, is unchanged and still needs revising, said for the period due."""
    ceiling = replace(payment_delay(38), target=Decimal(30), target_year=2028)
    floor = replace(egalim(42), values=(("2025", "DRC", 30), ("2026", "DRC", 42), ("2027", "DRC", 44)),
                    target=Decimal(60), target_year=2030)
    shown = compute_summary([floor, ceiling], DIRECTORATES, date(2028, 3, 1), scope=Scope.everything())
    assert [line.is_stale for line in shown.lines] == [False, True]
    (decision,) = map(plain, attention_points(shown).decisions)
    assert decision.endswith(
        "La trajectoire du SPASER est à réviser : pour IND-09, elle prévoit 42 % en 2027 et n’atteint le "
        "minimum légal qu’en 2029 ; pour IND-11, elle prévoit 35 jours en 2027 et ne revient au maximum "
        "légal qu’en 2028."
    ), decision
