"""Reader 9, on the COPIL report's first two pages and the card: the legal breaches said twice on
page 1 and never first, « hors limite légale » as a status, the chart's legend giving « en retard »
and the legal status the same red, bar labels read as values though they were shares of the way
to the target, and « Total des directions »."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

from matplotlib.figure import Figure
from pypdf import PdfReader

from domain.indicators.aggregation import AggregationRule
from domain.summary.attention import attention_points
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.chart import WIDE, _draw_progress, _progress_labels, _progress_rows
from domain.summary.model import Status
from domain.summary.reading_rules import RULES_ITEMS
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.status_colours import STATUS_HATCH, STATUS_HEX
from domain.summary.wording import overview_text
from tests.domain.test_summary_legal_limit import egalim, payment_delay, plain, read, summary
from tests.summary_support import find_elements, texts_in

LATE = replace(egalim(31, limit=None), code="IND-14", label="Comités techniques tenus dans l’année")
"""31 % in 2026 where the path expects 36 %: late, lawful."""


def breaches():
    """IND-09 at 48,7 % under the EGalim 50 %, IND-11 at 32,5 days over the legal 30, IND-14 late."""
    return summary(
        replace(egalim(0), values=(("2025", "DRC", 30), ("2026", "DRC", Decimal("48.7")))),
        replace(payment_delay(0), values=(("2025", "DCP", 45), ("2026", "DCP", Decimal("32.5")))),
        LATE,
    )


def first_page(shown) -> str:
    return plain(PdfReader(io.BytesIO(report_pdf(shown))).pages[0].extract_text())


def test_1_the_breach_is_detailed_once_and_each_decision_names_the_indicator_by_what_it_measures_then_its_code():
    shown = breaches()
    page = first_page(shown)
    # Reader 10, A1: each breach once on page 1, in one decision with its value and limit.
    assert page.count("minimum légal de 50 %") == 1, page
    assert page.count("maximum légal de 30 jours") == 1, page
    decisions = [plain(decision) for decision in attention_points(shown).decisions]
    # Reader 9, A5 and reader 10, A1, A10, B4, B11: the revision of the SPASER's path in the same decision.
    assert decisions[:2] == [
        "Se mettre en conformité avec la loi : part des produits durables et de qualité dans la restauration "
        "collective (IND-09 : 48,7 % pour un minimum légal de 50 %) et délai global de paiement des fournisseurs "
        "(IND-11 : 32,5 jours pour un maximum légal de 30 jours). La trajectoire du SPASER est à réviser : pour "
        "IND-09, elle prévoit 36 % en 2026 et n’atteint le minimum légal qu’en 2029 ; pour IND-11, elle prévoit "
        "41 jours en 2026 et ne revient au maximum légal qu’en 2029.",  # reader 11, A2
        "Rattraper le retard : comités techniques tenus dans l’année (IND-14).",
    ]
    for decision in decisions:  # one rule for every decision: an infinitive verb first (reader 10, B11)
        assert re.match(r"(Se mettre|Rattraper|Fixer|Réduire) ", decision), decision
    assert "• Se mettre en conformité avec la loi : part des produits durables" in plain(
        texts_in(summary_card_content(shown))
    )
    assert "Réviser la trajectoire" not in plain(texts_in(summary_card_content(shown)))


def test_2_the_first_page_opens_on_the_legal_breaches_before_the_counts():
    shown = breaches()
    opening = ("Deux indicateurs ne sont pas conformes à la loi : part des produits durables et de qualité dans la "
               "restauration collective (IND-09) et délai global de paiement des fournisseurs (IND-11).")
    page = first_page(shown)
    assert opening in page and page.index(opening) < page.index("Trois indicateurs :")  # the card's words (B13)
    assert page.index(opening) < page.index("Points d’attention")
    html = plain(re.sub(r"<[^>]+>", " ", report_html(shown).decode("utf-8")))
    assert opening in html and html.index(opening) < html.index("Points d’attention")
    # The overview's parts still add up to the total.
    assert plain(overview_text(shown)) == "Trois indicateurs : 2 non conformes à la loi et 1 en retard."
    single = summary(egalim(42))
    header = "Synthèse SPASER Rapport pour le comité de pilotage · Toutes les directions · au 1er mars 2027 "
    assert first_page(single).startswith(header + "Un indicateur n’est pas conforme à la loi : part des produits")
    for lawful in (summary(egalim(55)), summary(LATE)):
        # No alert; a zero count when an indicator shown has a legal limit (C4), like « 0 en retard ».
        assert "pas conforme" not in first_page(lawful) and "1 non conforme" not in first_page(lawful)
    assert "conforme à la loi" not in first_page(summary(LATE))


def test_3_the_legal_status_reads_non_conforme_a_la_loi_everywhere():
    shown = breaches()
    for where, text in read(shown).items():
        assert "hors limite" not in text.lower(), where
    assert "2 non conformes à la loi" in read(shown)["pdf"]  # the counter
    assert "Indicateurs non conformes à la loi (2)" not in first_page(shown)  # reader 10, A1
    # Reader 11, C29: the counter says « non conformes », the sentence under it « à la loi ».
    assert re.search(r"<b>2</b>non conformes</div>", report_html(shown).decode("utf-8"))
    counters = texts_in(find_elements(summary_card_content(shown), "ColumnSet")[0])
    assert "non conformes" in counters and "non conformes à la loi" not in counters
    assert "Non conforme à la loi" in _legend(shown)


def test_4_the_legal_status_looks_unlike_late_on_the_chart_the_reports_and_the_card():
    shown = breaches()
    assert STATUS_HEX[Status.OUTSIDE_LEGAL_LIMIT] != STATUS_HEX[Status.LATE]
    axes = _progress_axes(shown)
    handles = {text.get_text(): handle for text, handle in
               zip(axes.get_legend().get_texts(), axes.get_legend().legend_handles)}
    late, unlawful = handles["En retard"], handles["Non conforme à la loi"]
    assert late.get_facecolor() != unlawful.get_facecolor()
    assert not late.get_hatch() and unlawful.get_hatch() == STATUS_HATCH[Status.OUTSIDE_LEGAL_LIMIT]
    bars = axes.patches
    assert sorted(bool(bar.get_hatch()) for bar in bars) == [False, True, True]
    html = report_html(shown).decode("utf-8")
    # Issue 17: the report's badge is short, the law it breaks is in the target column.
    assert f'style="color:{STATUS_HEX[Status.OUTSIDE_LEGAL_LIMIT]}">Non conforme</td>' in html
    assert "minimum légal : 50 % (loi EGalim, en vigueur depuis le 1er janvier 2022) ; cible : 60 % en 2030" in plain(html)
    # The card has one red: the badge says it with ⚠.
    detail = plain(texts_in(summary_detail_card_content(shown)))
    assert "(loi EGalim, en vigueur" in detail  # the law in the line, the badge short (reader 15)
    assert detail.count("⚠ Non conforme") == 2 and "⚠ En retard" not in detail


def test_5_each_bar_says_the_indicator_s_own_value_in_its_unit():
    labels = [plain(text.get_text()) for text in _progress_axes(breaches()).texts]
    assert "48,7 %" in labels and "32,5 jours" in labels and "31 %" in labels
    assert "49 %" not in labels and not any(label.endswith(" %") and "," not in label and label != "31 %"
                                            for label in labels)
    axes = _progress_axes(breaches())
    assert axes.get_xlabel() == "Part du chemin parcouru vers la cible"
    passed = summary(replace(egalim(0, limit=None), values=(("2025", "DRC", 30), ("2026", "DRC", 65))))
    assert [plain(text.get_text()) for text in _progress_axes(passed).texts] == ["65 %"]


def test_6_a_sum_of_the_directorates_reads_ensemble_des_directions():
    summed = replace(egalim(55, limit=None), directorates=("DRC", "DCP"), aggregation=AggregationRule.SUM,
                     values=(("2025", "DRC", 30), ("2026", "DRC", 30), ("2026", "DCP", 25)))
    shown = summary(summed)
    html = plain(report_html(shown).decode("utf-8"))
    assert "(ensemble des directions)</td>" in html and "<br>ensemble" not in html
    # Reader 10, C17: « les valeurs …, additionnées » was hard to follow.
    assert "Ensemble des directions : somme des valeurs des directions, pour la dernière période que toutes ont saisie." in html
    for where, text in read(shown).items():
        assert "total des directions" not in text.lower(), where
    assert not any("Total des directions" in rule for rule in RULES_ITEMS)


def _progress_axes(shown):
    rows = _progress_rows(shown)
    axes = Figure(figsize=(WIDE.width_inches, 4)).add_axes((0.4, 0.3, 0.55, 0.6))
    _draw_progress(axes, rows, _progress_labels(rows, WIDE), WIDE)
    return axes


def _legend(shown) -> list[str]:
    return [text.get_text() for text in _progress_axes(shown).get_legend().get_texts()]
