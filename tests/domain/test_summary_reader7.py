"""Reader 7, a fresh French reader of the e2e artifacts: the status summary as an élu·e reads it in ten
seconds (the compact card), the report's first page and the chat answers. Each test fails on the
wording they read."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from pypdf import PdfReader

from domain.committees.cadence import check_cadence, default_committee_types
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.attention import cadence_alerts
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import detail_text, judged_text, trend_text
from domain.summary.model import Status
from domain.summary.reading_rules import CARD_RULES_TEXT
from domain.summary.report import attention_groups, report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.summary.wording import completeness_headline
from tests.domain.test_summary_issue17 import DIRECTORATES, TODAY, catalogue, indicator, plain, summary
from tests.summary_support import texts_in


def test_a8_the_committees_late_against_the_spaser_s_own_target_say_so_next_to_the_advised_rhythm():
    """« 3 comités techniques » late next to « la cadence recommandée est de 3 à 4 par an »."""
    (cotech,) = [alert for alert in cadence_alerts(summary()) if alert.startswith("Comité technique")]
    # Reader 10, A4: the 2025 count is not compared with a target for 2026; the advice has a source.
    assert plain(cotech) == (
        # Reader 11, A6: the count within the range is not what « alors que » opposes; future meetings are
        # « prévues », not « tenues »; the advice names where it was given.
        "Comité technique : aucune réunion planifiée avec l’assistant "
        "dans les 12 prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme "
        "conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an ; "
        "3 réunions tenues en 2025 (indicateur COT)."
    )
    same_year = [replace(snapshot, target_year=2025) if snapshot.code == "COT" else snapshot for snapshot in catalogue()]
    types = default_committee_types()
    warnings = [warning for kind in types for warning in check_cadence(types[kind], [], TODAY)]
    shown = compute_summary(same_year, DIRECTORATES, TODAY, scope=Scope.everything(), cadence_warnings=warnings)
    (cotech,) = [alert for alert in cadence_alerts(shown) if alert.startswith("Comité technique")]
    assert "3 réunions tenues en 2025 (indicateur COT), pour une cible de 5 comités techniques en 2025 fixée par le SPASER." in plain(cotech)
    committees = next(line for line in summary().lines if line.code == "COT")
    assert "(cible : 5 comités techniques en 2026)" in plain(judged_text(committees))  # reader 10, C9; issue 17: one wording


def test_b17_the_compact_card_says_the_total_and_one_message_under_the_counters():
    shown = plain(texts_in(summary_card_content(summary())))
    assert "Cinq indicateurs : 3 en retard, 1 non renseigné et 1 en bonne voie ou atteint." in shown  # reader 9, B13


def test_b19_the_decisions_come_right_after_the_counts_on_the_card_and_the_report_s_first_page():
    body = summary_card_content(summary())["body"]
    read = plain(texts_in(body))
    assert read.index("Décisions à prendre") < read.index("Points d’attention")
    assert "• Rattraper le retard :" in read
    # Reader 10, C18: a section of its own, before « Points d’attention », not nested in it.
    assert "Décisions à prendre" not in [group.heading for group in attention_groups(summary())]
    html = plain(report_html(summary()).decode("utf-8"))
    assert html.index("<h2>Décisions à prendre</h2>") < html.index("<h2>Points d’attention</h2>")
    assert html.index("<h2>Points d’attention</h2>") < html.index("<h3>Indicateurs en retard (3)</h3>")
    page = plain(PdfReader(io.BytesIO(report_pdf(summary()))).pages[0].extract_text())
    assert page.index("Décisions à prendre") < page.index("Rattraper le retard") < page.index("Points d’attention")


def test_b18_b23_a_line_gives_the_value_the_path_expects_and_one_rule_for_the_tolerance():
    """« 12 % du chemin parcouru vers la cible (la trajectoire prévoit 16,5 % pour 2025) »: three kinds
    of percentages; IND-04 « toléré », IND-26 as far behind « toujours sur la trajectoire »."""
    lines = {line.code: line for line in summary().lines}
    assert plain(detail_text(lines["PART"], compact=True)) == (
        "11 % en 2025, en deçà de la trajectoire, qui prévoit 20 % (cible : 50 % en 2028) · ↑ en hausse, mais trop "
        "lentement"
    )
    hours = lines["HRS"]
    behind = replace(hours, status=Status.ON_TRACK, latest_value=Decimal(249), expected_value=Decimal(250))
    assert plain(judged_text(behind)) == (
        "249 heures en 2025, légèrement en deçà de la trajectoire, qui prévoit 250 heures, écart inférieur à la marge "
        "admise (1 % de la cible, soit 4 heures) · cible : 400 heures en 2028"
    )
    assert "sur la trajectoire" not in plain(trend_text(replace(behind, trend=replace(hours.trend, improved=False))))


def test_c55_a_target_reached_is_said_once_without_repeating_its_unit():
    meals = indicator("REP", "Repas végétariens servis par semaine", Unit.COUNT, [("2024", "DCP", 1), ("2025", "DCP", 2)],
                      target=2, baseline=1, noun="repas végétarien par semaine")
    (line,) = compute_summary([meals], DIRECTORATES, TODAY, scope=Scope.everything()).lines
    # Reader 10, B9: « cible de 2 en 2027 atteinte » was a figure without its unit.
    assert plain(judged_text(line)) == "2 repas végétariens par semaine en 2025, cible de 2 repas par semaine en 2028 atteinte"


def test_c44_a_round_amount_of_millions_is_written_in_words():
    amount = indicator("ESS", "Montant des achats auprès des structures de l’économie sociale et solidaire", Unit.EURO,
                       [("2024", "DCP", 900_000), ("2025", "DCP", 980_000)], target=1_200_000, baseline=900_000)
    (line,) = compute_summary([amount], DIRECTORATES, TODAY, scope=Scope.everything()).lines
    # Reader 11, B22: next to « 980 000 € », the target in digits too, one way in one line.
    assert "(cible : 1 200 000 € en 2028)" in plain(judged_text(line))
    line = replace(line, latest_value=Decimal(1_100_000))
    assert plain(line.show(Decimal(2_000_000))) == "2 millions d’euros"
    assert plain(line.show(Decimal(1_234_567))) == "1 234 567 €"


def test_c47_an_indicator_not_reported_for_the_period_due_shows_no_trend():
    stale = next(line for line in summary().lines if line.code == "RES")
    assert stale.status is Status.NOT_REPORTED and stale.is_stale
    assert trend_text(stale) == "" and "↑" not in detail_text(stale)


def test_b40_the_card_says_what_on_track_means_in_plain_words():
    assert plain(CARD_RULES_TEXT).startswith("En bonne voie : au moins au niveau prévu à cette date pour atteindre la cible")
    assert "progression régulière" not in CARD_RULES_TEXT
    assert plain(CARD_RULES_TEXT) in plain(texts_in(summary_detail_card_content(summary())))


def test_c35_the_chat_says_how_many_indicators_are_late_in_a_sentence():
    answer = plain(late_answer(summary()))
    assert "Trois indicateurs sont en retard sur leur trajectoire :" in answer
    assert "(3) :" not in answer


def test_b37_b38_a_directorate_missing_many_indicators_is_counted_not_listed_period_by_period():
    many = [replace(indicator(f"Q{n}", f"Indicateur {n}", Unit.HOURS, [], target=10, baseline=0), directorates=("DCP",))
            for n in range(5)]
    one = compute_summary(many, DIRECTORATES, TODAY, scope=Scope.only("DCP"))
    assert plain(completeness_headline(one)) == "Aucun des 5 indicateurs de la direction DCP n’est saisi pour l’année 2025."
    up_to_date_dee = [line for line in catalogue() if line.code != "RES"]
    everyone = compute_summary([*many, *up_to_date_dee], DIRECTORATES, TODAY, scope=Scope.everything())
    assert plain(completeness_headline(everyone)) == "À jour : 1 direction sur 2 ; il manque la direction DCP (5 indicateurs)."


def test_c54_the_reading_rules_are_a_section_in_the_body_s_size():
    html = report_html(summary()).decode("utf-8")
    assert "<h2>Règles de lecture</h2>" in html and '<div class="subtle small"><p><b>Règles' not in html
