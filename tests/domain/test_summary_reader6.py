"""Issue 17, the sixth French reader of the summary card and the report for the comité de pilotage:
« 15 % attendus » read as an expected value, « dans le bon sens » next to « En retard », ordinary
spaces in the report where the chat has no-break ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from matplotlib.figure import Figure

from domain.indicators.periods import Frequency
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.chart import WIDE, _draw_progress, _progress_labels, _progress_rows
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import target_text
from domain.summary.model import DirectorateInfo
from domain.summary.report import report_html
from domain.summary.report_pdf import _ReportPdf
from domain.summary.scope import Scope
from domain.summary.wording import completeness_headline
from tests.domain.test_summary_aggregation import DIRECTORATES as AGGREGATION_DIRECTORATES
from tests.domain.test_summary_aggregation import contracts, rate
from tests.domain.test_summary_issue17 import DIRECTORATES, TODAY, catalogue, everything_read, plain, summary
from tests.summary_support import texts_in


def test_a4_the_progress_line_gives_the_value_the_path_expects_not_a_share_that_reads_as_one():
    """« 2 % du chemin parcouru vers la cible (20 % attendus pour 2025) »: 20 % read as the value expected."""
    for where, text in everything_read().items():
        flat = " ".join(text.split())
        assert "attendus" not in flat, where
        # Reader 7, B18/B21: the value the path expects, never « 50 % du chemin parcouru », a third kind of
        # percentage; a count of meetings in whole meetings (reader 10, A3: never « 3,3 comités techniques »).
        assert "du chemin" not in flat, where
        if where != "card":
            assert "en avance sur la trajectoire, qui prévoit 250 heures" in flat, where
        assert "en deçà de la trajectoire, qui en prévoit 4 (cible" in flat, where  # reader 9, A4; reader 10, A3


def test_a5_a_trend_the_right_way_on_a_late_indicator_says_it_is_too_slow():
    """« ↑ en hausse, dans le bon sens » then « En retard » read as a contradiction."""
    for where, text in everything_read().items():
        flat = " ".join(text.split())
        assert flat.count("mais trop lentement") == 3, where  # PART, COT and GES
    detail = texts_in(summary_detail_card_content(summary())).replace("\u00a0", " ")
    # Reader 7, B18: the value, the path's value and the target, one kind of figure.
    # Reader 9, A7: a total of several directorates says so on the card, as in the report.
    assert "300 heures en 2025 (ensemble des directions), en avance sur la trajectoire, qui prévoit 250 heures (cible : " \
        "400 heures en 2028) · ↑ en hausse, dans le bon sens\nEn bonne voie" in detail


def test_a6_the_report_joins_a_number_and_the_word_it_counts_as_the_chat_does():
    """« 5 indicateurs, dont… » and « plus 3 calculés automatiquement » with ordinary spaces in the report."""
    html = report_html(summary()).decode("utf-8")
    # Reader 9, B13: the card's words and order, what needs a decision first.
    assert "<p>Cinq indicateurs\u00a0: 3 en retard, 1\u00a0non renseigné et 1 en bonne voie ou atteint.</p>" in html
    assert "L.\u00a02113\u201112" in html
    card = texts_in(summary_card_content(summary())) + texts_in(summary_detail_card_content(summary()))
    assert "L. 2113-12" not in html and "L. 2113-12" not in card
    # The PDF prints every text through the same typesetting (fpdf2 never breaks a line at U+00A0).
    pdf = _ReportPdf("Synthèse SPASER")
    assert pdf.normalize_text("5 indicateurs, plus 3 calculés automatiquement") == (
        "5\u00a0indicateurs, plus 3\u00a0calculés automatiquement"
    )


def test_b3_the_indicators_the_compact_card_leaves_out_are_grouped_by_status():
    """« Également à suivre : IND-14 (…) et IND-07 (…) » put a late indicator with a not-reported one:
    the tile said « 4 en retard », the card labelled 3."""
    more_late = replace(catalogue()[1], code="PAR2", label="Part des achats responsables")
    shown = compute_summary([*catalogue(), more_late], DIRECTORATES, TODAY, scope=Scope.everything())
    text = plain(texts_in(summary_card_content(shown)))
    assert "Également en retard : émissions de gaz à effet de serre liées aux achats (GES). Non renseigné : nombre de " \
        "marchés réservés (RES)." \
        in text.split("\n")
    assert "Également à suivre" not in text
    alone = plain(texts_in(summary_card_content(summary())))
    assert "Non renseigné : nombre de marchés réservés (RES)." in alone.split("\n")


def test_b6_the_value_cell_says_how_directorates_add_up_in_short_and_the_rules_name_the_weighting():
    """« valeur de l’organisme : somme des directions » and « moyenne des directions pondérée par les
    kilomètres parcourus par les véhicules de service (IND-23) » in a table cell read as jargon."""
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100)])
    weighted = compute_summary([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), weights],
                               AGGREGATION_DIRECTORATES, TODAY, scope=Scope.everything())
    html = plain(report_html(weighted).decode("utf-8"))
    assert "<td>27,5 % en 2025 (moyenne pondérée des directions)</td>" in html
    assert "pondérée par" not in html.split("Règles de lecture")[0]
    rules = html.split("Règles de lecture")[1]
    assert "Moyenne pondérée des directions : une direction pèse" in rules
    assert "Pondération : PART, par les marchés notifiés (MARCHES)." in rules
    assert "valeur de l’organisme" not in html
    assert " (ensemble des directions)</td>" in plain(report_html(summary()).decode("utf-8"))


def test_b4_the_reports_line_names_the_few_directorates_behind_and_what_they_miss():
    """« Sur les 7 directions qui ont des indicateurs à saisir, 6 sont à jour pour l’année 2025, le 1er
    semestre 2026 ou le 3ᵉ trimestre 2026, selon l’indicateur. » was heavy, and named no one."""
    for where, text in everything_read().items():
        assert "À jour : 1 direction sur 2 ; il manque la direction DEE (RES, année 2025)." in text, where
        assert "Sur les" not in text, where
    # Directorates with nothing to fill: « 2 » counts those that have some, as said.
    more = [*DIRECTORATES, DirectorateInfo("DSI", "Direction des systèmes d’information")]
    shown = compute_summary(catalogue(), more, TODAY, scope=Scope.everything())
    assert plain(completeness_headline(shown)) == (
        "À jour : 1 direction sur les 2 qui ont des indicateurs à saisir ; il manque la direction DEE (RES, année 2025)."
    )


def test_c5_the_situation_is_at_a_date_without_its_weekday():
    """« au dimanche 1er mars 2026 »: a situation at a date reads « au 1er mars 2026 »."""
    for where, text in everything_read().items():
        assert "Toutes les directions · au 1er mars 2026" in text, where
        assert "au dimanche" not in text, where


def test_b1_the_compact_card_puts_the_points_the_reports_and_the_next_meeting_before_the_chart():
    """The chart's small bars came before the « Points d’attention »: an official scrolled to see what was wrong."""
    body = summary_card_content(summary())["body"]
    kinds = [element.get("type") for element in body]
    assert "Image" not in kinds  # reader 7, B20: unreadable at card width
    read = plain(texts_in(body))
    assert read.index("Points d’attention") < read.index("À jour : 1 direction sur 2")


def test_b10_the_target_of_a_quarterly_amount_reads_per_quarter():
    """« 15 118 heures au 3ᵉ trimestre 2026, pour une cible de 20 000 heures en 2028 »: per quarter or per
    year? The path compares the target with one quarter's value: it is per quarter."""
    hours = replace(catalogue()[3], frequency=Frequency.QUARTERLY,
                    values=(("2026-T2", "DCP", 100), ("2026-T2", "DEE", 100), ("2026-T3", "DCP", 160),
                            ("2026-T3", "DEE", 160)))
    share = replace(catalogue()[1], frequency=Frequency.QUARTERLY, values=(("2026-T3", "DCP", 12),))
    shown = compute_summary([hours, share], DIRECTORATES, date(2026, 11, 2), scope=Scope.everything())
    by_code = {line.code: line for line in shown.lines}
    assert plain(target_text(by_code["HRS"], joined_to_value=True)) == "pour une cible de 400 heures par trimestre en 2028"
    assert plain(target_text(by_code["PART"])) == "cible : 50 % en 2028"  # a share is no amount per quarter
    html = plain(report_html(shown).decode("utf-8"))
    assert "400 heures par trimestre en 2028" in html


def test_c4_the_chart_legend_names_the_rows_without_a_bar():
    """The legend named the colours of the bars, not « non renseigné » nor « sans cible », shown without one."""
    no_target = replace(catalogue()[1], code="NOT", target=None, target_year=None)
    shown = compute_summary([*catalogue(), no_target], DIRECTORATES, TODAY, scope=Scope.everything())
    rows = _progress_rows(shown)
    axes = Figure(figsize=(WIDE.width_inches, 4)).add_axes((0.4, 0.3, 0.55, 0.6))
    _draw_progress(axes, rows, _progress_labels(rows, WIDE), WIDE)
    legend = [" ".join(text.get_text().split("\n")) for text in axes.get_legend().get_texts()]
    assert "Sans barre\u00a0: valeur de la période non renseignée ou indicateur sans cible" in legend, legend
