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
