"""The card and the exported report colour each status alike: « non renseigné » was orange in the
report and in the default colour on the card, « sans cible » grey in one and black in the other.
« Non conforme à la loi » is the exception the card cannot follow (one red): darker in the report,
⚠ on the card's badge (reader 9)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.legal_limits import LegalLimit
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.card import summary_detail_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status
from domain.summary.report import report_html
from domain.summary.scope import Scope
from domain.summary.status_colours import LEGAL_HEX, TEAMS_HEX
from tests.summary_support import card_nodes

TODAY = date(2026, 3, 1)  # 2025 is due


def indicator(code, values=(), *, target="200", legal_limit=None):
    return IndicatorSnapshot(
        code=code, label=f"Indicateur {code}", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=("DRC",), direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=None if target is None else Decimal(target), target_year=2027 if target else None,
        values=tuple(values), legal_limit=legal_limit,
    )


def test_the_card_and_the_report_give_each_status_the_same_colour():
    catalogue = [
        indicator("OK", [("2024", "DRC", 100), ("2025", "DRC", 210)]),
        indicator("PACE", [("2024", "DRC", 100), ("2025", "DRC", 150)]),
        indicator("LATE", [("2024", "DRC", 100), ("2025", "DRC", 101)]),
        indicator("NONE"),
        indicator("FREE", [("2025", "DRC", 7)], target=None),
        indicator("LAW", [("2024", "DRC", 100), ("2025", "DRC", 210)],
                  legal_limit=LegalLimit(Decimal(250), "loi EGalim", ImprovementDirection.UP)),
    ]
    summary = compute_summary(catalogue, [DirectorateInfo("DRC", "Restauration")], TODAY, scope=Scope.everything())
    statuses = {line.code: line.status for line in summary.lines}
    assert set(statuses.values()) == set(Status), statuses

    card = summary_detail_card_content(summary)
    html = report_html(summary).decode("utf-8")

    for code, status in statuses.items():
        [row] = [column_set for column_set in card_nodes(card) if column_set.get("type") == "ColumnSet"
                 and any(node.get("text", "").startswith(f"**{code}**") for node in card_nodes(column_set))]
        [badge] = [node for node in card_nodes(row) if node.get("weight") == "Bolder" and node.get("size") == "Small"]
        on_card = TEAMS_HEX[badge.get("color", "Default")]
        [in_report] = re.findall(rf"<b>{code}</b>.*?<td class=\"status\" style=\"color:(#[0-9a-f]{{6}})\">", html)
        if status is Status.OUTSIDE_LEGAL_LIMIT:
            assert (on_card, in_report) == (TEAMS_HEX["Attention"], LEGAL_HEX) and badge["text"].startswith("⚠ ")
        else:
            # « Atteint » alone keeps the default colour on the card: Teams' `Good` is too light on white.
            expected = TEAMS_HEX["Default"] if status is Status.ACHIEVED else in_report
            assert on_card == expected, (code, status, on_card, in_report)
