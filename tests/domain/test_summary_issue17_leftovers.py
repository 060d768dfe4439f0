"""Issue 17, leftovers: the overview line says its counts in the order of the counters (the most
serious first), the report never breaks an indicator's code across lines, and the note under a value
computed from the DECP says on how many contracts."""

from __future__ import annotations

from domain.summary.card import summary_card_content
from domain.summary.model import STATUS_ORDER, Status
from domain.summary.report import report_html
from domain.summary.wording import overview_text, preview_text, status_count_label
from tests.domain.test_summary_reader9_truth import pdf_text, plain, snapshot, summary
from tests.summary_support import find_elements


def _every_status_but_the_law():
    return summary(
        snapshot("L", [("2025", "DCP", 0), ("2026", "DCP", 1)]),  # late
        snapshot("A", [("2025", "DCP", 10)]),  # 2026 due: not reported
        snapshot("B", [("2025", "DCP", 0), ("2026", "DCP", 90)]),  # on track
        snapshot("R", [("2026", "DCP", 100)]),  # achieved
        snapshot("D", [("2026", "DCP", 5)], target=None),  # without target
    )


def _tile_labels(card: dict) -> list[str]:
    """The labels under the counters, left to right (the first ColumnSet whose columns are counts)."""
    for column_set in find_elements(card, "ColumnSet"):
        columns = column_set["columns"]
        if all(column["items"][0]["text"].isdigit() for column in columns):
            return [plain(column["items"][1]["text"]) for column in columns]
    raise AssertionError("no counters on the card")


def test_the_overview_line_says_the_counts_in_the_order_of_the_counters():
    """« 5 indicateurs : 1 en retard, 2 atteints ou en bonne voie, 1 non renseigné… » under counters
    that read « en retard, non renseigné, en bonne voie, atteint »: one order for both."""
    shown = _every_status_but_the_law()
    assert {line.status for line in shown.lines} == set(STATUS_ORDER) - {Status.OUTSIDE_LEGAL_LIMIT}
    expected = "5 indicateurs : 1 en retard, 1 non renseigné, 2 en bonne voie ou atteints et 1 sans cible."
    assert plain(overview_text(shown)) == expected
    assert plain(preview_text(shown)) == expected.replace("5 indicateurs :", "5 indicateurs, dont")
    card = summary_card_content(shown)
    tiles = _tile_labels(card)
    assert tiles == [status_count_label(status, 1) for status in STATUS_ORDER if status is not Status.OUTSIDE_LEGAL_LIMIT]
    # Every tile's word comes in the overview in the tiles' order, on the card, the HTML and the PDF report.
    for where, text in {"card": expected, "html": plain(report_html(shown).decode("utf-8")), "pdf": pdf_text(shown)}.items():
        line = text[text.index("5 indicateurs :"):]
        line = line[: line.index(".") + 1]
        positions = [line.index(f" {label.rstrip('s')}") for label in tiles]
        assert positions == sorted(positions), (where, line)
