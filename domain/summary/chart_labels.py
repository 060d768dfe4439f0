"""Where the progress chart writes a bar's value label: inside the bar's end or after it, clear of the
marks (the « attendu » tick, the dashed 100 % line, the legal mark); apart from domain/summary/chart.py,
which draws them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PROGRESS_AXIS_MAX = 125.0
RIGHT_MARGIN_INCHES = 0.3
LABEL_POINTS = 8
LABEL_EM = 0.62


def _units_per_inch(layout: Any) -> float:
    return PROGRESS_AXIS_MAX / (layout.width_inches - layout.labels_inches - RIGHT_MARGIN_INCHES)


MARK_CLEARANCE_INCHES = 0.15
"""Room between a value label and a mark (the « attendu » tick, the dashed 100 % line), whatever the
chart's width: 1.5 axis units left « 48,7 % », « 3 comités techniques » and « 2 repas végétariens par
semaine » touching one (reader 15, minor 5)."""
TARGET_PROGRESS = 100.0


def value_label_place(
    shown: float, expected: float | None, label: str, layout: Any, *, inside: bool = True
) -> tuple[float, str, bool]:
    """Where a bar's value label goes, as (x, horizontal alignment, inside the bar): inside the bar's
    end when it fits with room on both sides (and `inside` allows it: not over hatching), held back
    from a mark at the bar's end (the « attendu » tick, the dashed 100 % line); otherwise just after the
    bar, or after the « attendu » tick when it would fall on the label there (« 44 % » was printed
    across the tick of a bar at 44 %)."""
    units = _units_per_inch(layout)
    width = len(label) * LABEL_EM * LABEL_POINTS / 72 * units  # the label's width in axis units
    gap = 1.5
    clearance = MARK_CLEARANCE_INCHES * units

    def clear(start: float, end: float, marks: Sequence[float]) -> bool:
        return not any(start - clearance < mark < end + clearance for mark in marks)

    if inside and shown > 20:
        marks = [mark for mark in (expected, TARGET_PROGRESS) if mark is not None]
        at_end = [mark for mark in marks if abs(mark - shown) < clearance]
        end = min([*at_end, shown]) - clearance if at_end else shown - gap
        if end - width >= gap and clear(end - width, end, [mark for mark in marks if mark not in at_end]):
            return end, "right", True
    start = shown + gap
    if expected is not None and not clear(start, start + width, [expected]):
        start = max(start, expected + clearance)
    if start + width > PROGRESS_AXIS_MAX and inside and shown - 2 * gap - width >= 0:
        # Past the axis' end it would be cut: inside, even close to a mark (a long label at card width).
        return shown - gap, "right", True
    return start, "left", False


def label_before_legal_mark(
    shown: float, expected: float | None, legal: float, width: float, clearance: float
) -> tuple[float, str, bool]:
    """Where a hatched bar's value label goes when just after the bar it would cross the legal mark,
    as (x, horizontal alignment, on a white box over the hatching): never after the mark (reader 11,
    C24: « 48,7 % » right of 50 % read as past the minimum) nor across the « attendu » tick (issue 17:
    IND-09's « 48,7 % » covered it; reader 15, minor 5: its box still touched it). At the bar's end
    when it fits there clear of the tick, else inside the bar before the tick, else after the mark as
    a last resort. `clearance`: `MARK_CLEARANCE_INCHES` in axis units."""
    gap = 1.5
    boxed = clearance + 1  # the white box's padding clear of the tick too

    def clear(start: float, end: float) -> bool:
        return expected is None or not start - boxed < expected < end + boxed

    if legal > shown and shown - gap - width >= gap and clear(shown - gap - width, shown - gap):
        return shown - gap, "right", True
    if legal > shown and expected is not None and expected < shown and expected - boxed - width >= gap:
        return expected - boxed, "right", True
    return legal + gap, "left", False
