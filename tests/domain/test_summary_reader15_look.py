"""Reader 15's minors on how the summary looks: the chart's legend for a bar of zero length, the card's
status colours and badges."""

from __future__ import annotations

from dataclasses import replace

from domain.summary.card import summary_card_content
from tests.domain.test_summary_legal_limit import egalim, payment_delay, plain, summary
from tests.domain.test_summary_reader14 import _legend_and_notes, stale_delay
from tests.summary_support import find_elements


def test_minor_4_the_legend_says_why_a_reported_indicator_with_a_target_has_no_bar():
    # 20 % against a reference of 30 %: measured, with a target, and a bar of zero length (IND-26).
    behind = replace(egalim(20, limit=None), code="IND-26")
    legend, _ = _legend_and_notes(summary(stale_delay(), behind))
    (without_bar,) = [label for label in legend if label.startswith("Sans barre")]
    assert without_bar == "Sans barre : valeur de la période non renseignée ou valeur encore sous la référence"
    # Down is better: a delay of 50 days against 45 is above its reference.
    legend, _ = _legend_and_notes(summary(replace(payment_delay(50), legal_limit=None)))
    assert "Sans barre : valeur encore au-dessus de la référence" in legend
    untargeted = replace(egalim(42, limit=None), code="IND-23", target=None, target_year=None)
    legend, _ = _legend_and_notes(summary(stale_delay(), untargeted, behind))
    assert ("Sans barre : valeur de la période non renseignée, indicateur sans cible ou valeur encore sous la "
            "référence") in legend
