"""Reader 10's findings on the summary's legal wording and the report's layout (issue #17)."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from pypdf import PdfReader

from domain.indicators.periods import Frequency
from domain.summary.attention import attention_points
from domain.summary.compute import compute_summary
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from tests.domain import test_summary_named_rest as named_rest
from tests.domain.test_summary_legal_limit import egalim, payment_delay, plain, summary


def test_a10_b4_the_path_reaches_the_limit_at_a_precise_period_said_with_the_right_verb():
    """« ne respecte le maximum légal qu’en 2027 » when the SPASER's target (30 days, the limit) is for the
    end of 2027: the path stays above the law all through 2027; a path does not « respecter » a minimum."""
    ceiling = replace(payment_delay(38), target=Decimal(30), target_year=2028)
    (decision,) = map(plain, attention_points(summary(ceiling)).decisions)
    # Reader 11, A2: a path ending on a target equal to the maximum reaches it, never « passe sous », and
    # in a period like the minimum's sentence, not « au 31 décembre 2028 »; B20: the one path to revise is
    # named. Reader 14, minor 17: « ne descend au maximum légal » read awkwardly: « ne revient au ».
    assert decision.endswith(
        "La trajectoire du SPASER est à réviser pour IND-11 : elle prévoit 40 jours en 2026 et ne revient au "
        "maximum légal qu’en 2028."
    ), decision
    quarterly = replace(ceiling, frequency=Frequency.QUARTERLY, target_year=2027,
                        values=(("2026-T3", "DCP", 34), ("2026-T4", "DCP", Decimal("32.5"))))
    (decision,) = map(plain, attention_points(summary(quarterly)).decisions)
    assert decision.endswith("et ne revient au maximum légal qu’au 4ᵉ trimestre 2027."), decision
    half_yearly = replace(
        egalim(42), frequency=Frequency.HALF_YEARLY, values=(("2026-S1", "DRC", 30), ("2026-S2", "DRC", 42))
    )
    (decision,) = map(plain, attention_points(summary(half_yearly)).decisions)
    assert decision.endswith("n’atteint le minimum légal qu’au 2ᵉ semestre 2029."), decision
    assert "respecte" not in decision


def _page_texts(shown) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(report_pdf(shown))).pages]


def test_b1_an_item_of_the_first_page_is_never_cut_across_two_pages():
    """Page 2 held « an. » alone, the end of the last « Rythme des comités » item: an item of page 1
    moves whole to the next page, and a group that fits a page moves with its heading."""
    late = named_rest.late(8)
    missing = [
        replace(line, code=f"M{index:02d}", label=line.label + " et" + " complément" * 6,
                values=(("2024", "DRC", Decimal(100)),))
        for index, line in enumerate(named_rest.late(8))
    ]
    shown = compute_summary(late + missing, named_rest.DIRECTORATES, named_rest.TODAY, scope=Scope.everything())
    pages = _page_texts(shown)
    assert len(pages) > 2
    first = pages[1][0]
    # Page 2 opens on a heading or a bullet, never on the end of a sentence begun on page 1.
    assert first.startswith("•") or first.startswith(("Indicateur", "Direction", "Rythme", "Avancement")), first
    assert len([line for line in pages[1] if line.strip()]) >= 4, pages[1]


def test_c11_the_chart_marks_the_legal_limit_on_a_hatched_bar_and_says_when_a_bar_is_capped():
    """IND-09 and IND-11 sat right of the « attendu » tick and looked fine: the legal limit is marked on
    their bar; a bar past 125 % stopped silently at the axis' end."""
    from domain.summary.chart import LEGAL_MARK, PROGRESS_AXIS_MAX, legal_limit_progress, progress_bar_label
    from tests.domain.test_summary_reader9 import _legend, _progress_axes, breaches

    shown = breaches()
    assert "Minimum ou maximum légal" in _legend(shown)
    lines = {line.code: line for line in shown.lines}
    # IND-09: 30 % to 60 %, the limit of 50 % two thirds of the way; IND-11: 45 to 25 days, 30 days at 75 %.
    assert round(legal_limit_progress(lines["IND-09"]), 1) == 66.7
    assert round(legal_limit_progress(lines["IND-11"]), 1) == 75.0
    marks = [line for line in _progress_axes(shown).get_lines() if line.get_color() == LEGAL_MARK["color"]]
    assert sorted(round(mark.get_xdata()[0], 1) for mark in marks) == [66.7, 75.0]
    assert legal_limit_progress(lines["IND-14"]) is None  # late, lawful: no legal mark
    ahead = replace(lines["IND-14"], progress_percent=PROGRESS_AXIS_MAX + 40)
    assert plain(progress_bar_label(ahead)).endswith(" · cible dépassée")  # reader 11, A8
    assert "125" not in progress_bar_label(lines["IND-14"])


def test_the_report_chart_legend_stays_inside_the_picture_with_every_kind_of_row():
    """Reader 10 (PDF page 3): with a legal mark and rows without a bar for three statuses, the legend
    ran past both edges of the chart (« ne voie », « non renseigné c »)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from domain.summary.chart import WIDE, _draw_progress, _legend_inches, _progress_labels, _progress_rows
    from domain.summary.model import IndicatorLine

    stale_breach = replace(payment_delay(38), code="IND-11", values=(("2024", "DCP", 38),))
    no_target = replace(egalim(45, limit=None), code="IND-50", target=None, target_year=None)
    not_reported = replace(egalim(45, limit=None), code="IND-51", values=(("2024", "DRC", 40),))
    on_track = replace(egalim(40, limit=None), code="IND-52")
    late = replace(egalim(31, limit=None), code="IND-53")
    shown = summary(egalim(45), stale_breach, no_target, not_reported, on_track, late)
    rows = _progress_rows(shown)
    labels = _progress_labels(rows, WIDE)
    lines = [row for row in rows if isinstance(row, IndicatorLine)]
    height = 3.0 + _legend_inches(lines, WIDE)
    figure = Figure(figsize=(WIDE.width_inches, height), dpi=100)
    left = WIDE.labels_inches / WIDE.width_inches
    axes = figure.add_axes((left, _legend_inches(lines, WIDE) / height, 0.95 - left, 3.0 / height))
    _draw_progress(axes, rows, labels, WIDE)
    renderer = FigureCanvasAgg(figure).get_renderer()
    legend = axes.get_legend().get_window_extent(renderer)
    picture = figure.bbox
    assert picture.x0 <= legend.x0 and legend.x1 <= picture.x1, (legend, picture)
    assert picture.y0 <= legend.y0, (legend, picture)
