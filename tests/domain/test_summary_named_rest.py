"""A few indicators left out of a list are named (code and short label), not counted: « et 2 autres
indicateurs » makes an élu·e open the detail to learn which (issue #17)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.answers import MAX_LINES, late_answer
from domain.summary.attention import NAMED_FOR_CATCH_UP, attention_points
from domain.summary.card import MAX_ATTENTION_ITEMS, summary_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.report import MAX_ATTENTION_LINES, attention_groups
from domain.summary.scope import Scope
from domain.text import lower_first
from tests.summary_support import texts_in

TODAY = date(2026, 3, 1)
DIRECTORATES = [DirectorateInfo("DRC", "Ressources et commande")]
LONG_LABEL = "Part des achats auprès des structures de l’économie sociale et solidaire"


def late(count: int) -> list[IndicatorSnapshot]:
    """`count` late indicators, L00 furthest behind, each label naming its code."""
    return [
        IndicatorSnapshot(
            code=f"L{n:02d}", label=f"{LONG_LABEL} {n:02d}", axis=Axis.SOCIAL, unit=Unit.HOURS,
            frequency=Frequency.ANNUAL, directorates=("DRC",), direction=ImprovementDirection.UP,
            baseline=Decimal(100), target=Decimal(200), target_year=2027,
            values=(("2024", "DRC", Decimal(100)), ("2025", "DRC", Decimal(101 + n))),
        )
        for n in range(count)
    ]


def summary(count: int):
    return compute_summary(late(count), DIRECTORATES, TODAY, scope=Scope.everything())


def card_text(count: int) -> str:
    return texts_in(summary_card_content(summary(count))["body"])


def test_the_compact_card_names_the_few_indicators_it_leaves_out():
    text = card_text(MAX_ATTENTION_ITEMS + 2)
    assert f"Également en retard : {LONG_LABEL.lower()} 03 (L03) et {LONG_LABEL.lower()} 04 (L04)." in text
    assert "autres indicateurs" not in text
    assert "… et 4 autres indicateurs à suivre : voir le détail." in card_text(MAX_ATTENTION_ITEMS + 4)


def test_the_report_first_page_names_the_few_indicators_it_leaves_out():
    group = attention_groups(summary(MAX_ATTENTION_LINES + 3))[0]  # « Décisions à prendre » apart (reader 10, C18)
    assert group.more == (
        f"Les 3 autres, détaillés plus loin faute de place sur cette page\u00a0: {LONG_LABEL.lower()} 08 (L08), "
        f"{LONG_LABEL.lower()} 09 (L09) et {LONG_LABEL.lower()} 10 (L10)."
    )
    assert attention_groups(summary(MAX_ATTENTION_LINES + 4))[0].more == (
        "Les 4 autres, faute de place sur cette page\u00a0: voir le détail ci-après."
    )


def test_the_catch_up_decision_names_every_late_indicator_when_few_are_left():
    decision = attention_points(summary(NAMED_FOR_CATCH_UP + 1)).decisions[0]
    # Reader 9: what the indicator measures, then its code.
    last = f"{lower_first(LONG_LABEL)} {NAMED_FOR_CATCH_UP:02d} (L{NAMED_FOR_CATCH_UP:02d})."
    assert "autre" not in decision and last in decision
    counted = attention_points(summary(NAMED_FOR_CATCH_UP + 4)).decisions[0]
    assert counted.replace("\u00a0", " ").endswith(" et 4 autres indicateurs en retard.")


def test_the_chat_answer_lists_the_few_late_indicators_past_its_limit():
    answer = late_answer(summary(MAX_LINES + 2))
    assert f"**L{MAX_LINES + 1:02d}** {LONG_LABEL} {MAX_LINES + 1:02d}" in answer and "autre" not in answer
    assert "… et 4 autres : voir la synthèse détaillée." in late_answer(summary(MAX_LINES + 4)).replace("\u00a0", " ")
