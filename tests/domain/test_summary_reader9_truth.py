"""Reader 9, a fresh reader of the summary an élu·e reads in ten seconds: counts that must add up, a
total of several directorates that did not say so, a legal obligation already in force that the
summary never named, what a late payment costs, the wording of the committees' rhythm. Each test
fails on the wording or count she read (the others are in the reader's own tests: legal limits in
test_summary_legal_limit.py, the path of whole counts in test_summary_reader8.py)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from bot.demo_indicators import DEMO_CATALOGUE
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.catalogue_csv import parse_catalogue_csv
from domain.indicators.definitions import characteristics_text
from domain.indicators.periods import Frequency
from domain.indicators.rules import IndicatorView
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.summary.snapshots import snapshot_from_views
from domain.summary.wording import completeness_headline, headline_text, overview_text, preview_text
from tests.domain.test_summary_legal_limit import PAYMENT, payment_delay
from tests.summary_support import texts_in

TODAY = date(2027, 3, 1)  # 2026 is due
DIRECTORATES = [DirectorateInfo("DCP", "Commande publique"), DirectorateInfo("DRH", "Ressources humaines")]


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-").split())


def snapshot(code: str, values, *, target=Decimal(100), directorates=("DCP",), unit=Unit.PERCENT, **other):
    return IndicatorSnapshot(
        code=code, label=f"Indicateur {code}", axis=Axis.SOCIAL, unit=unit, frequency=Frequency.ANNUAL,
        directorates=directorates, direction=ImprovementDirection.UP, baseline=Decimal(0) if target else None,
        target=target, target_year=2030 if target else None, values=tuple(values), **other,
    )


def summary(*indicators, scope=Scope.everything()):
    return compute_summary(indicators, DIRECTORATES, TODAY, scope=scope)


def pdf_text(shown) -> str:
    return plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(shown))).pages))


def test_a6_the_indicators_not_reported_add_up_whatever_their_status_says_first():
    """« 10 non renseignés » next to « il manque DCP (10 indicateurs) et DEE (1) »: IND-15, without a
    target and not reported, was counted « sans cible » and nowhere as missing; IND-11, over the law on
    its last value, too (A3). The overview says how many of those are not reported either."""
    shown = summary(
        snapshot("A", [("2025", "DCP", 10)]),  # not reported: stale
        snapshot("B", [("2026", "DCP", 20)]),  # reported
        snapshot("C", [("2025", "DCP", 5)], target=None),  # without target, not reported
        snapshot("D", [("2026", "DCP", 5)], target=None),  # without target, reported
        replace(payment_delay(38), values=(("2024", "DCP", 45), ("2025", "DCP", 38))),  # over the law, not reported
    )
    assert sum(shown.status_counts.values()) == len(shown.lines) == 5
    text = plain(overview_text(shown))
    legal = Status.OUTSIDE_LEGAL_LIMIT.value
    # Disjoint groups, then the indicators still awaited in a sentence of their own (reader 10, A2).
    assert text == (f"Cinq indicateurs : 1 {legal}, 1 non renseigné, 1 en bonne voie ou atteint et 2 sans cible. "
                    "Au total, 3 indicateurs attendent la valeur de leur dernière période : l’indicateur non "
                    "renseigné, C (sans cible) et IND-11 (non conforme d’après sa dernière valeur connue).")
    said_missing = 3  # « Au total, 3 indicateurs attendent… »
    (row,) = shown.completeness
    assert len(row.missing) == said_missing == sum(line.is_unreported for line in shown.lines)
    assert "Aucun des 3 indicateurs de la direction DCP" not in completeness_headline(shown)
    # The same rule on the card, the report and the text that goes with the card (notifications, CLI).
    assert text in plain(" ".join(texts_in(summary_card_content(shown)).split("\n")))
    assert f"<p>{text}</p>" in plain(report_html(shown).decode("utf-8"))
    assert text in pdf_text(shown)
    assert plain(preview_text(shown)) == text.replace("Cinq indicateurs :", "5 indicateurs, dont")


def test_b13_the_report_opens_with_the_card_s_overview_breaches_and_delays_first():
    """PDF: « 24 indicateurs, dont 5 atteints, 10 en bonne voie, 4 en retard, 2 hors limite légale… »;
    Teams: « 24 indicateurs : 2 hors limite légale, 15 atteints ou en bonne voie, 4 en retard… »."""
    late = snapshot("L", [("2025", "DCP", 0), ("2026", "DCP", 1)])
    shown = summary(late, snapshot("B", [("2025", "DCP", 0), ("2026", "DCP", 90)]), payment_delay(38))
    legal = Status.OUTSIDE_LEGAL_LIMIT.value
    expected = f"Trois indicateurs : 1 {legal}, 1 en retard et 1 en bonne voie ou atteint."
    assert plain(overview_text(shown)) == plain(headline_text(shown)) == expected
    assert expected in pdf_text(shown)
    assert f"<p>{expected}</p>" in plain(report_html(shown).decode("utf-8"))
    assert ", dont" not in pdf_text(shown).split("Décisions à prendre")[0]


def test_a7_the_card_says_a_value_is_the_total_or_the_weighted_mean_of_several_directorates():
    """« 84 personnes au 1er semestre 2026 » next to the 58 a contributor just typed: the PDF said
    « total des directions », the card nothing."""
    trained = snapshot("TRN", [("2026", "DCP", 58), ("2026", "DRH", 26)], directorates=("DCP", "DRH"),
                       unit=Unit.PEOPLE, aggregation=AggregationRule.SUM)
    km = snapshot("KM", [("2026", "DCP", 1000), ("2026", "DRH", 3000)], target=None, directorates=("DCP", "DRH"),
                  unit=Unit.HOURS, aggregation=AggregationRule.SUM)
    electric = snapshot("ELEC", [("2026", "DCP", 20), ("2026", "DRH", 40)], directorates=("DCP", "DRH"),
                        aggregation=AggregationRule.WEIGHTED_MEAN, weighting_base="KM")
    shown = summary(trained, km, electric)
    detail = plain(texts_in(summary_detail_card_content(shown)))
    assert "84 personnes en 2026 (ensemble des directions)" in detail
    assert "35 % en 2026 (moyenne pondérée des directions)" in detail
    # One directorate's view: its own value, nothing to add.
    own = plain(texts_in(summary_detail_card_content(summary(trained, km, electric, scope=Scope.only("DCP")))))
    assert "58 personnes en 2026" in own and "directions)" not in own


def test_b6_the_line_under_an_indicator_starts_with_a_capital():
    """« dernière valeur : 45 365 tonnes … » alone under the indicator's title."""
    shown = summary(snapshot("A", [("2025", "DCP", 10)]), snapshot("N", []))
    detail = texts_in(summary_detail_card_content(shown))
    assert "\nDernière valeur : 10 % en 2025" in detail and "\nAucune valeur saisie" in detail
    assert "\ndernière valeur" not in detail and "\naucune valeur" not in detail


def _demo_rows():
    return parse_catalogue_csv(DEMO_CATALOGUE.read_bytes())


def _view(row) -> IndicatorView:
    fields = {name: getattr(row, name) for name in (
        "code", "label", "axis", "unit", "frequency", "improvement", "baseline", "target", "target_year", "source",
        "preexisting", "active", "directorates", "definition", "aggregation", "weighting_base", "computation",
        "counted_noun", "legal_threshold", "legal_basis")}
    return IndicatorView(id=1, **fields)


def test_a2_an_obligation_the_catalogue_states_in_words_is_said_under_the_indicator_without_changing_its_status():
    """IND-01 and IND-25 « en bonne voie » towards 100 % in 2027, while every consultation since August
    2026 must carry an environmental consideration (loi Climat et résilience): the catalogue's legal
    basis without a threshold, not the code, puts the line under them."""
    rows = _demo_rows()
    stated = [row for row in rows if row.legal_basis and row.legal_threshold is None]
    # Reader 10, C14: IND-06's note cites the articles that define a reserved contract, out of its label.
    assert sorted(row.code for row in stated) == ["IND-01", "IND-06", "IND-25"]
    stated = [row for row in stated if row.code != "IND-06"]
    assert all("considération environnementale" in row.label for row in stated)
    note = ("obligatoire pour les marchés dont la consultation a été engagée à compter du 21 août 2026 (loi Climat et "
            "résilience)")
    assert {row.legal_basis for row in stated} == {note}

    row = stated[0]
    view = replace(_view(row), directorates=("DCP",), target_year=2027)
    values = [type("Value", (), {"period": period, "directorate_code": "DCP", "value": value, "comment": ""})()
              for period, value in (("2026-T2", Decimal("61.5")), ("2026-T3", Decimal("64.5")))]
    with_note = snapshot_from_views(view, values)
    assert with_note.legal_note == note and with_note.legal_limit is None
    today = date(2026, 12, 6)
    shown = compute_summary([with_note], DIRECTORATES, today, scope=Scope.everything())
    without = compute_summary([replace(with_note, legal_note="")], DIRECTORATES, today, scope=Scope.everything())
    assert shown.lines[0].status is without.lines[0].status is Status.ON_TRACK
    # Reader 10, A5; reader 14, minors 2 and 16: whose value it is, and consultations are engaged.
    sentence = ("Obligatoire pour les marchés dont la consultation a été engagée à compter du 21 août 2026 (loi Climat "
                "et résilience). Valeur saisie par la direction DCP pour ses marchés notifiés au 3ᵉ trimestre 2026, y "
                "compris ceux dont la consultation a été engagée avant le 21 août 2026.")
    assert sentence in plain(texts_in(summary_detail_card_content(shown)))
    assert sentence in plain(re.sub(r"<[^>]+>", " ", report_html(shown).decode("utf-8")))
    assert sentence in pdf_text(shown)
    assert note in plain(characteristics_text(view))
    # A limit with its figure is no note: it is judged (« sous le minimum légal… »).
    egalim = next(row for row in rows if row.legal_threshold is not None)
    assert snapshot_from_views(_view(egalim), []).legal_note == ""


def test_c16_a_payment_delay_over_the_law_says_what_it_costs():
    """« Tout retard ouvre droit, de plein droit, à des intérêts moratoires et à une indemnité forfaitaire
    de 40 € par facture »: from the text the limit cites (art. R. 2192-10), not from a code."""
    # Reader 10, B2: the code's own words, « fait courir de plein droit ».
    costs = "Tout retard de paiement fait courir de plein droit des intérêts moratoires et une indemnité " \
            "forfaitaire de 40 € par facture"
    over = summary(payment_delay(38))
    assert costs in plain(texts_in(summary_card_content(over)))
    assert costs in pdf_text(over)
    assert costs in plain(late_answer(over))
    assert costs not in plain(texts_in(summary_card_content(summary(payment_delay(29)))))  # lawful: nothing to say
    other_law = replace(payment_delay(38), legal_limit=replace(PAYMENT, basis="règlement intérieur"))
    assert costs not in plain(texts_in(summary_card_content(summary(other_law))))


def test_a3_the_chat_answer_puts_the_breach_next_to_the_last_known_value():
    """« dernière valeur : 32,7 jours … ; le 3ᵉ trimestre reste à saisir, au-dessus du maximum légal »:
    the breach read as said of the missing quarter."""
    stale = replace(payment_delay(38), values=(("2024", "DCP", 45), ("2025", "DCP", 38)))
    answer = plain(late_answer(summary(stale)))
    assert ("dernière valeur : 38 jours en 2025, au-dessus du maximum légal de 30 jours (code de la commande "
            "publique, art. R. 2192-10) ; l’année 2026 reste à saisir") in answer


def test_reader12_a2_the_awaited_total_names_every_indicator_outside_the_non_renseignes():
    """« 9 non renseignés … 11 indicateurs attendent…, dont IND-11 »: 9 + IND-11 made 10; the 11th,
    counted « sans cible », was named nowhere. Every one outside the « non renseignés » is named."""
    shown = summary(
        snapshot("A", [("2025", "DCP", 10)]),
        snapshot("B", [("2025", "DCP", 10)]),
        snapshot("C", [("2025", "DCP", 5)], target=None),
        replace(payment_delay(38), values=(("2024", "DCP", 45), ("2025", "DCP", 38))),
    )
    assert plain(overview_text(shown)).endswith(
        "Au total, 4 indicateurs attendent la valeur de leur dernière période : les 2 non renseignés, C (sans "
        "cible) et IND-11 (non conforme d’après sa dernière valeur connue).")
