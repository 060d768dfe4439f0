"""What the progress chart says of a row without a bar, and why its legend says rows have none:
apart from domain/summary/chart.py, which draws them."""

from __future__ import annotations

from collections.abc import Sequence

from domain.indicators.catalogue import ImprovementDirection
from domain.summary import indicator_wording
from domain.summary.model import IndicatorLine, Status
from domain.text import upper_first

UNREPORTED_REASON = "valeur de la période non renseignée"
UNTARGETED_REASON = "indicateur sans cible"
SHARED_TARGET_REASON = "cible fixée pour l’ensemble des directions"
BEHIND_REFERENCE_REASON = {
    ImprovementDirection.UP: "valeur encore sous la référence",
    ImprovementDirection.DOWN: "valeur encore au-dessus de la référence",
}
"""A value measured against its target but no better than the reference yet: a bar of zero length
(reader 15, minor 4: IND-26 reported, with a target, and no bar the legend explained)."""
MIXED_BEHIND_REFERENCE_REASON = "valeur pas encore meilleure que la référence"


def unbarred_reasons(lines: Sequence[IndicatorLine]) -> list[str]:
    """Why rows have no bar, as the legend says it: by what the row lacks, never by status. By status,
    it read « Sans barre : non conforme à la loi ou non renseigné ou sans cible » next to the hatched
    « Non conforme à la loi » (reader 14, B2): a value outside the law whose period due is not reported
    has no bar for want of that value, not for being outside the law."""
    unbarred = [line for line in lines if line.progress_percent is None]
    reasons = []
    if any(line.is_unreported for line in unbarred):
        reasons.append(UNREPORTED_REASON)
    if any(not line.is_unreported and line.snapshot.target is None for line in unbarred):
        reasons.append(UNTARGETED_REASON)
    if any(not line.is_unreported and line.snapshot.target is not None for line in unbarred):
        reasons.append(SHARED_TARGET_REASON)
    behind = {line.snapshot.direction for line in lines
              if line.progress_percent is not None and line.progress_percent <= 0}
    if behind:
        reasons.append(BEHIND_REFERENCE_REASON[behind.pop()] if len(behind) == 1 else MIXED_BEHIND_REFERENCE_REASON)
    return reasons


def bar_note(line: IndicatorLine) -> str | None:
    """What a row without a bar says instead: « 3ᵉ trimestre 2026 : valeur non renseignée », « sans
    cible »; for a value outside the law whose period due is not reported, the breach too: « 3ᵉ
    trimestre 2026 : valeur non renseignée ; dernière valeur connue non conforme (32,7 jours au 2ᵉ
    trimestre 2026) » (reader 14, B2: « valeur non renseignée » alone hid one of the two breaches of the
    headline), the same words as the other rows without a value and as the badge."""
    if line.progress_percent is not None:
        return None
    if line.is_stale and line.status is Status.OUTSIDE_LEGAL_LIMIT:
        known = f"{indicator_wording.shown_value(line)} {line.latest_period.in_sentence()}"
        return upper_first(f"{line.due_period.label} : valeur non renseignée ; dernière valeur connue non conforme ({known})")
    if line.is_stale:
        return upper_first(f"{line.due_period.label} : valeur non renseignée")
    return "non renseigné" if line.latest_value is None else line.target_note or ""
