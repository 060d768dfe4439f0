"""The public SPASER page as a reader sees it (reader 1 of the e2e run, 2026-12-06)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.public_page import PublicIndicator, PublicSpaser, public_indicators, public_page_html
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import shown_value
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status
from domain.summary.scope import Scope


def emissions(**fields) -> PublicIndicator:
    values = dict(
        code="IND-07", label="Émissions de gaz à effet de serre liées aux achats", axis=Axis.ENVIRONMENTAL,
        unit=Unit.TCO2E, computed=False, period="2024", value=Decimal(45365), baseline=Decimal(48200),
        target=Decimal(38000), target_year=2030, progress_percent=None, status=Status.NOT_REPORTED,
    )
    return PublicIndicator(**{**values, **fields})


def page(*indicators: PublicIndicator) -> str:
    return public_page_html(PublicSpaser("Ville de Démoville", None, (), indicators, date(2026, 12, 6)))


def test_the_footer_names_the_publisher_without_a_colon_after_a_preposition():
    html = page(emissions())
    assert "Éditeur de la page\u00a0: Ville de Démoville. Page réalisée avec l’assistant SPASER." in html
    assert "publiée par\u00a0:" not in html and "par :" not in html


def test_an_older_value_says_the_due_one_is_not_available_yet_rather_than_not_reported():
    """B21: « 45 365 t CO₂e (année 2024) » next to « Non renseigné » read as a contradiction."""
    html = page(emissions(due_period="2025"))
    assert "Valeur pour l’année 2025 pas encore disponible" in html and "Non renseigné" not in html
    assert "Non renseigné" in page(emissions(period=None, value=None))


def test_an_axis_heading_says_the_axis_once_as_the_report_names_it():
    """C5: the heading was repeated by the table's caption, and the axis named otherwise than in the report."""
    html = page(emissions())
    assert "<h3>Axe environnemental\u00a0: achats écologiquement responsables</h3>" in html
    assert "<caption>Dernière valeur, cible et progression des indicateurs de l’axe environnemental</caption>" in html
    assert html.count("achats écologiquement responsables") == 1


def test_an_indicator_without_a_target_says_sans_cible_in_both_cells():
    """Reader 1, C4: « Pas de cible » next to « Sans cible »."""
    html = page(emissions(target=None, target_year=None, status=Status.NO_TARGET, period="2025"))
    assert html.count("Sans cible") == 2 and "Pas de cible" not in html


def test_a_mean_shows_the_same_one_decimal_figure_as_the_card_and_the_report():
    """A fresh reader: IND-21 read « 31,85 % » on the public page, « 31,9 % » on the card and in the report."""
    rate = IndicatorSnapshot(
        code="IND-21", label="Part des achats auprès de PME", axis=Axis.RESPONSIBLE_ECONOMY, unit=Unit.PERCENT,
        frequency=Frequency.ANNUAL, directorates=("DCP", "DPB"), direction=ImprovementDirection.UP,
        baseline=Decimal(25), target=Decimal(40), target_year=2028, aggregation=AggregationRule.MEAN,
        values=(("2025", "DCP", Decimal("31.8")), ("2025", "DPB", Decimal("31.9"))),
    )
    summary = compute_summary([rate], [DirectorateInfo("DCP"), DirectorateInfo("DPB")], date(2026, 3, 1),
                              scope=Scope.everything())
    (line,) = summary.lines
    assert shown_value(line) == "31,9\u00a0%"
    html = page(*public_indicators([line], set(), {}))
    assert "31,9\u00a0%" in html and "31,85" not in html


def test_the_emissions_unit_is_written_in_words():
    """Reader 4, B22: « t CO₂e » is a notation; issue 17, B15: officials do not read it even explained
    once: every value says « tonnes équivalent CO₂ »."""
    html = page(emissions()).replace("\u00a0", " ")
    assert "tonnes équivalent CO₂" in html and "CO₂e" not in html and "se lit" not in html


def test_the_open_data_paragraph_says_how_to_open_the_file_in_a_french_spreadsheet():
    """Reader 4, B10: « séparateur virgule, point décimal » alone: a French spreadsheet opened it wrong."""
    html = page(emissions()).replace("\u00a0", " ")
    assert "Dans un tableur réglé en français, ouvrez-le par l’import de données (menu Données)" in html
    assert "à ouvrir dans un tableur" not in html


def test_the_origin_cell_starts_with_a_capital_like_the_other_cells():
    """Reader 4, C31: « Sans cible » next to « saisi par les directions »."""
    html = page(emissions(target=None, target_year=None, status=Status.NO_TARGET, period="2025"))
    assert "<td>Saisi par les directions</td>" in html and "<td>saisi par" not in html
    assert "<td>Calculé à partir des marchés notifiés (DECP)</td>" in page(emissions(computed=True))


def test_a_target_passed_reads_as_the_card_and_the_report_say_it():
    """Reader 5, B12: « 100 % du chemin vers la cible · Atteint » where the card says « cible dépassée »."""
    passed = page(emissions(progress_percent=120.0, status=Status.ACHIEVED))
    assert "Cible dépassée" in passed and "100\u00a0% du chemin" not in passed
    assert "Cible atteinte" in page(emissions(progress_percent=100.0, status=Status.ACHIEVED))
    assert "40\u00a0% du chemin parcouru vers la cible" in page(emissions(progress_percent=40.0, status=Status.LATE))


def test_the_target_of_a_quarterly_amount_says_per_quarter_as_the_report_does():
    """Reader 7, A1: « 20 000 heures en 2028 » read as a yearly target; the report says « par trimestre »."""
    hours = IndicatorSnapshot(
        code="IND-03", label="Heures d’insertion professionnelle réalisées", axis=Axis.SOCIAL, unit=Unit.HOURS,
        frequency=Frequency.QUARTERLY, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal(5000), target=Decimal(20000), target_year=2028, aggregation=AggregationRule.SUM,
        values=(("2026-T3", "DCP", Decimal(9000)),),
    )
    summary = compute_summary([hours], [DirectorateInfo("DCP")], date(2026, 12, 6), scope=Scope.everything())
    html = page(*public_indicators(summary.lines, set(), {})).replace("\u00a0", " ").replace("\u202f", " ")
    assert "20 000 heures par trimestre en 2028" in html


def test_without_the_adopted_document_the_page_says_so_without_promising_a_date():
    """Reader 7, B30: « sera publié ici prochainement » was a vague promise."""
    html = page(emissions()).replace("\u00a0", " ")
    assert "sera publié ici prochainement" not in html
    assert "n’a pas encore été ajouté à cette page. Vous pouvez le demander à l’éditeur de la page" in html
