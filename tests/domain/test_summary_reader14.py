"""Reader 14's findings on the summary card and the COPIL report (issue #17): the count that opens the
key sentence, the chart's legend and the row of a breach judged on an older value, the lists of the
first page, the words of the margin, the law and the committees' cadence, and page 2 of the PDF."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

from matplotlib.figure import Figure
from pypdf import PdfReader

from domain.indicators.catalogue import Axis
from domain.summary.answers import late_answer
from domain.summary.attention import attention_points
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.chart import WIDE, _draw_progress, _progress_labels, _progress_rows
from domain.summary.chart_notes import bar_note
from domain.summary.indicator_wording import detail_text
from domain.summary.model import Status
from domain.summary.report import MAX_ATTENTION_LINES, attention_groups, report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.wording import legal_alert_text, overview_text, preview_text
from tests.domain import test_summary_named_rest as named_rest
from tests.domain.test_summary_legal_limit import egalim, payment_delay, plain, summary
from tests.summary_support import find_elements, texts_in


def stale_delay():
    """32,7 days in 2025 over the legal 30, 2026 not entered: outside the law on its last known value."""
    return replace(payment_delay(0), values=(("2024", "DCP", 45), ("2025", "DCP", Decimal("32.7"))))


def breaches():
    """IND-09 at 48,7 % under the EGalim 50 %, IND-11 outside the law on its 2025 value."""
    return summary(replace(egalim(0), values=(("2025", "DRC", 30), ("2026", "DRC", Decimal("48.7")))), stale_delay())


def pdf_pages(shown) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(report_pdf(shown))).pages]


def html_text(shown) -> str:
    return plain(re.sub(r"<[^>]+>", " ", report_html(shown).decode("utf-8")))


def test_b1_the_key_sentence_opens_with_the_count_in_words_on_the_card_and_in_both_reports():
    shown = summary(*named_rest.late(20), egalim(42), payment_delay(38), egalim(55), egalim(61))
    expected = "Vingt-quatre indicateurs : 2 non conformes à la loi, 20 non renseignés et 2 en bonne voie ou atteints."
    assert plain(overview_text(shown)) == expected
    assert expected in plain(texts_in(summary_card_content(shown)))
    assert expected in html_text(shown)
    assert expected in pdf_pages(shown)[0]
    # After a colon (a notification's preview), the digits stay.
    assert plain(preview_text(shown)).startswith("24 indicateurs, dont 2 non conformes à la loi")
    assert plain(overview_text(summary(egalim(55), egalim(61)))) == "Deux indicateurs, tous en bonne voie ou atteints."


def _legend_and_notes(shown) -> tuple[list[str], list[str]]:
    rows = _progress_rows(shown)
    axes = Figure(figsize=(WIDE.width_inches, 4)).add_axes((0.4, 0.3, 0.55, 0.6))
    _draw_progress(axes, rows, _progress_labels(rows, WIDE), WIDE)
    legend = [plain(text.get_text()) for text in axes.get_legend().get_texts()]
    return legend, [plain(text.get_text()) for text in axes.texts]


def test_b2_the_legend_says_why_a_row_has_no_bar_and_the_row_of_a_stale_breach_says_the_breach():
    shown = breaches()
    (delay,) = [line for line in shown.lines if line.code == "IND-11"]
    assert delay.is_stale and delay.progress_percent is None
    legend, notes = _legend_and_notes(shown)
    (without_bar,) = [label for label in legend if label.startswith("Sans barre")]
    # Hatched « Non conforme à la loi » and « Sans barre : non conforme à la loi ou … » contradicted each other.
    assert without_bar == "Sans barre : valeur de la période non renseignée"
    assert "Non conforme à la loi" in legend
    expected = ("Année 2026 : valeur non renseignée ; dernière valeur connue non conforme (32,7 jours en 2025)")
    assert plain(bar_note(delay)) == expected
    assert expected in notes
    # One reason per kind of row, enumerated « A, B ou C », never « A ou B ou C ».
    untargeted = replace(egalim(42, limit=None), code="IND-23", target=None, target_year=None)
    legend, _ = _legend_and_notes(summary(stale_delay(), untargeted))
    assert "Sans barre : valeur de la période non renseignée ou indicateur sans cible" in legend
    assert not any(label.count(" ou ") > 1 for label in legend)


def test_minor_5_the_headline_says_a_breach_is_judged_on_an_older_value():
    alert = plain(legal_alert_text(breaches()))
    assert alert.endswith("et délai global de paiement des fournisseurs (IND-11, d’après sa dernière valeur connue, "
                          "en 2025)."), alert
    assert "(IND-09)" in alert


def test_minor_4_a_list_one_over_the_limit_shows_every_item_and_a_longer_one_says_why_some_are_elsewhere():
    (group,) = [g for g in attention_groups(named_rest.summary(MAX_ATTENTION_LINES + 1)) if "retard" in g.heading]
    assert group.heading.endswith(f"({MAX_ATTENTION_LINES + 1})")
    assert len(group.items) == MAX_ATTENTION_LINES + 1 and group.more is None
    (group,) = [g for g in attention_groups(named_rest.summary(MAX_ATTENTION_LINES + 2)) if "retard" in g.heading]
    assert len(group.items) == MAX_ATTENTION_LINES
    assert plain(group.more).startswith("Les 2 autres, détaillés plus loin faute de place sur cette page : ")


def _unreported(code: str, axis: Axis):
    return replace(egalim(0, limit=None), code=code, label=f"Indicateur {code}", axis=axis,
                   values=(("2024", "DRC", 30), ("2025", "DRC", 40)))


def test_minor_22_the_indicators_not_reported_come_by_code_in_the_report_and_the_chat():
    shown = summary(_unreported("IND-10", Axis.SOCIAL), _unreported("IND-02", Axis.ENVIRONMENTAL),
                    _unreported("IND-05", Axis.GOVERNANCE))
    assert [line.code for line in attention_points(shown).not_reported] == ["IND-02", "IND-05", "IND-10"]
    answer = plain(late_answer(shown))
    assert answer.index("IND-02") < answer.index("IND-05") < answer.index("IND-10")


def test_minor_13_the_indicators_left_out_of_the_card_read_as_in_a_sentence():
    text = plain(texts_in(summary_card_content(named_rest.summary(5))))
    assert "Également en retard : part des achats auprès des structures de l’économie sociale et solidaire 03 (L03)" in text
    assert "Aussi" not in text


def test_minor_19_the_card_says_a_fact_once():
    untargeted = replace(egalim(42, limit=None), code="IND-23", target=None, target_year=None)
    (line,) = summary(untargeted).lines
    assert "sans cible" not in detail_text(line, compact=True)  # the badge « Sans cible » says it
    # The headline names the directorate behind and what it lacks: no FactSet saying it again.
    shown = summary(egalim(42), stale_delay())
    detail = summary_detail_card_content(shown)
    assert "il manque la direction DCP (IND-11, année 2026)" in plain(texts_in(detail))
    assert not find_elements(detail, "FactSet")


def test_minor_18_the_margin_admitted_is_said_once_with_its_amount():
    line = replace(summary(egalim(42, limit=None)).lines[0], expected_value=Decimal("42.2"))
    line = replace(line, status=Status.ON_TRACK)
    text = plain(detail_text(line))
    assert "écart inférieur à la marge admise (1 % de la cible, soit 0,6 point) · cible : 60 % en 2030" in text
    assert text.count("cible") == 2  # « 1 % de la cible » and « cible : 60 % »


def test_minor_26_the_reports_by_directorate_follow_the_attention_points_before_the_detail():
    pages = pdf_pages(breaches())
    text = " ".join(pages)
    assert text.index("Points d’attention") < text.index("Saisies attendues") < text.index("Avancement vers la cible")
    assert text.count("Saisies attendues") == 1
    (chart_page,) = [page for page in pages if page.startswith("Avancement vers la cible")]
    assert "Saisies attendues" not in chart_page
