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
    assert decision.endswith("elle prévoit 40 jours en 2026 et ne passe sous le maximum légal qu’au 31 décembre 2028.")
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
    assert plain(progress_bar_label(ahead)).endswith("(> 125 %)")
    assert "125" not in progress_bar_label(lines["IND-14"])
