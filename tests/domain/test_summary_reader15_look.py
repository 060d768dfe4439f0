"""Reader 15's minors on how the summary looks: the chart's legend for a bar of zero length, the card's
status colours and badges."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.card import summary_card_content
from domain.summary.chart import COMPACT, RIGHT_MARGIN_INCHES, WIDE, _draw_progress, _progress_labels, _progress_rows
from domain.summary.model import IndicatorSnapshot
from tests.domain.test_summary_legal_limit import egalim, payment_delay, plain, summary
from tests.domain.test_summary_reader14 import _legend_and_notes, stale_delay
from tests.summary_support import find_elements, texts_in


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


def _clearances(shown, layout) -> list[float]:
    """Pixels between each value label's box and each vertical mark of its row (ticks, legal marks,
    the dashed 100 % line), drawn at 100 dpi; negative when the mark crosses the box. The dashed line
    under a label's white box is hidden by it: counted only when it shows at the box's edge."""
    rows = _progress_rows(shown)
    figure = Figure(figsize=(layout.width_inches, 4), dpi=100)
    FigureCanvasAgg(figure)
    left = layout.labels_inches / layout.width_inches
    axes = figure.add_axes((left, 0.3, 1 - left - RIGHT_MARGIN_INCHES / layout.width_inches, 0.6))
    _draw_progress(axes, rows, _progress_labels(rows, layout), layout)
    renderer = figure.canvas.get_renderer()
    figure.draw(renderer)
    labels = [text.get_bbox_patch().get_window_extent(renderer) for text in axes.texts
              if text.get_style() != "italic" and text.get_bbox_patch() is not None]
    assert labels
    clearances = []
    for line in axes.lines:
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) != 2 or xs[0] != xs[1]:
            continue
        (x, bottom), (_, top) = line.get_transform().transform(np.column_stack([xs, ys]))
        for box in labels:
            if min(bottom, top) < box.y1 and max(bottom, top) > box.y0:
                clearance = max(box.x0 - x, x - box.x1)
                hidden = list(ys) == [0, 1] and clearance < -10
                if not hidden:
                    clearances.append(clearance)
    return clearances


def test_minor_5_no_value_label_touches_a_mark():
    # IND-14: 3 committees in 2026 on a path from 2 in 2025 to 4 in 2027, the « attendu » tick at the bar's end.
    committees = IndicatorSnapshot(
        code="IND-14", label="Comités techniques SPASER tenus dans l’année", axis=Axis.GOVERNANCE, unit=Unit.COUNT,
        frequency=Frequency.ANNUAL, directorates=("DCP",), direction=ImprovementDirection.UP, baseline=Decimal(2),
        target=Decimal(4), target_year=2027, values=(("2025", "DCP", 2), ("2026", "DCP", 3)),
        counted_noun="comité technique")
    # IND-18: its target reached, a long label ending at the dashed 100 % line.
    meals = IndicatorSnapshot(
        code="IND-18", label="Repas végétariens servis par semaine dans les restaurants collectifs",
        axis=Axis.ENVIRONMENTAL, unit=Unit.COUNT, frequency=Frequency.ANNUAL, directorates=("DRC",),
        direction=ImprovementDirection.UP, baseline=Decimal(1), target=Decimal(2), target_year=2027,
        values=(("2025", "DRC", 1), ("2026", "DRC", 2)), counted_noun="repas végétarien par semaine")
    # IND-09: 48,7 % under the EGalim 50 %, hatched, the « attendu » tick inside the bar.
    egalim_09 = replace(egalim(0), target_year=2027, values=(("2025", "DRC", 30), ("2026", "DRC", Decimal("48.7"))))
    # At card width, IND-18's label fills its bar: inside it still, rather than cut past the axis' end.
    for layout, indicators in ((WIDE, (committees, meals, egalim_09)), (COMPACT, (committees, egalim_09))):
        for indicator in indicators:
            clearances = _clearances(summary(indicator), layout)
            assert not clearances or min(clearances) >= 10, (indicator.code, layout, clearances)


def test_the_card_badge_is_short_and_the_law_is_in_the_line():
    shown = summary(replace(egalim(0), values=(("2025", "DRC", 30), ("2026", "DRC", Decimal("48.7")))), stale_delay())
    badges = [element["text"] for element in find_elements(summary_card_content(shown), "TextBlock")
              if element.get("text", "").startswith("⚠ ") and element.get("size") == "Small" and element.get("weight") == "Bolder"]
    assert badges == ["⚠ Non conforme", "⚠ Dernière valeur connue non conforme"]
    texts = plain(texts_in(summary_card_content(shown)))
    assert "sous le minimum légal de 50 % (loi EGalim, en vigueur depuis le 1er janvier 2022)" in texts
    assert "au-dessus du maximum légal de 30 jours (code de la commande publique, art. R. 2192-10)" in texts
    assert "(loi\u00a0EGalim, " in json.dumps(summary_card_content(shown), ensure_ascii=False)


def test_minor_17_the_card_counters_tell_the_law_from_late_and_achieved_from_untargeted():
    late = replace(egalim(31, limit=None), code="IND-12")
    achieved = replace(egalim(60, limit=None), code="IND-17")
    shown = summary(replace(egalim(0), values=(("2025", "DRC", 30), ("2026", "DRC", Decimal("48.7")))), late, achieved)
    headline = next(element for element in find_elements(summary_card_content(shown), "ColumnSet"))
    digits = {column["items"][1]["text"]: column["items"][0]["text"] for column in headline["columns"]}
    assert digits["non conforme"] == "⚠ 1" and digits["atteint"] == "✓ 1" and digits["en retard"] == "1"
