"""The public SPASER page as a reader sees it (reader 1 of the e2e run, 2026-12-06)."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.public_page import (
    PublicIndicator,
    PublicSpaser,
    organisation_with_article,
    public_indicators,
    public_page_html,
    public_page_xlsx,
)
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
    assert ('<caption id="tableau-environmental">Dernière valeur, cible et progression des indicateurs de l’axe '
            "environnemental</caption>") in html
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


def test_the_open_data_section_offers_a_spreadsheet_that_opens_as_it_is_and_the_csv_for_reuse():
    """Reader 4, B10: « séparateur virgule, point décimal » alone: a French spreadsheet opened it wrong;
    reader 9, B15: « encodage UTF-8 », « séparateur virgule » were jargon for the residents."""
    html = page(emissions()).replace("\u00a0", " ")
    assert '<a href="/spaser.xlsx" download>Télécharger les indicateurs (tableur, fichier XLSX)</a> : ' \
           "il s’ouvre directement dans Excel, LibreOffice Calc ou un autre tableur." in html
    assert '<a href="/spaser.csv" download>les indicateurs au format CSV</a>' in html
    assert "la virgule comme séparateur de colonnes et le point comme séparateur décimal" in html
    assert "UTF-8" not in html and "encodage" not in html and "réglé en français" not in html


def test_the_spreadsheet_has_french_headers_periods_in_words_and_typed_numbers():
    """Reader 9, B15: the file residents open, the same indicators as the CSV."""
    data = public_page_xlsx(PublicSpaser("Ville de Démoville", None, (), (
        emissions(due_period="2025"),
        emissions(code="IND-04", label="=Montant ESS", axis=Axis.RESPONSIBLE_ECONOMY, unit=Unit.EURO,
                  value=Decimal("980000"), baseline=Decimal("800000"), target=Decimal("1200000"),
                  period="2025", progress_percent=45.04, status=Status.ON_TRACK),
    ), date(2026, 12, 6)))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Code", "Indicateur", "Axe", "Unité", "Origine", "Période", "Dernière valeur")
    assert rows[1][:6] == ("IND-07", "Émissions de gaz à effet de serre liées aux achats", "Environnemental",
                           "Tonnes équivalent CO₂", "Saisi par les directions", "année 2024")
    assert rows[2][1] == "=Montant ESS" and sheet["B3"].data_type == "s"  # never a formula
    assert (rows[2][6], rows[2][9], rows[2][10], rows[2][11]) == (980000, 1200000, 2030, 45)
    assert sheet["G3"].number_format == '#,##0\u00a0"€"' and sheet["L3"].number_format == "#,##0"
    assert rows[2][12] == "En bonne voie" and rows[2][13] is None
    assert rows[1][13] == "Valeur pour l’année 2025 pas encore disponible"  # as the page says it


def test_an_amount_in_millions_reads_as_on_the_card_and_in_the_report():
    """Reader 9, C9: « 1 200 000 € » on the public page, « 1,2 million d’euros » on the card and in the report."""
    html = page(emissions(unit=Unit.EURO, value=Decimal("1100000"), target=Decimal("1200000"))).replace("\u00a0", " ")
    assert "1,2 million d’euros en 2030" in html and "1\u202f200\u202f000" not in html
    # Reader 11, B22: next to a value under a million, in digits like it.
    html = page(emissions(unit=Unit.EURO, value=Decimal("980000"), target=Decimal("1200000"))).replace("\u00a0", " ")
    assert "1\u202f200\u202f000 € en 2030" in html


def test_the_origin_cell_starts_with_a_capital_like_the_other_cells():
    """Reader 4, C31: « Sans cible » next to « saisi par les directions »."""
    html = page(emissions(target=None, target_year=None, status=Status.NO_TARGET, period="2025"))
    assert '<td data-label="Origine">Saisi par les directions</td>' in html and ">saisi par" not in html
    assert '<td data-label="Origine">Calculé à partir des marchés notifiés (DECP)</td>' in page(emissions(computed=True))


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
    """Reader 7, B30: « sera publié ici prochainement » was a vague promise; reader 9, C10: « page »
    three times, and « l’éditeur de la page, indiqué en bas de page » rather than the organisation."""
    html = public_page_html(PublicSpaser("Ville de Démoville", None, (), (emissions(),), date(2026, 12, 6),
                                         contact="achats@demoville.fr")).replace("\u00a0", " ")
    assert "sera publié ici prochainement" not in html
    schema = html.split('<h2 id="schema">Le SPASER adopté</h2>')[1].split("</section>")[0]
    assert schema == (  # reader 10, A6; reader 14, m11: somewhere to write to
        "\n<p>Le texte du SPASER adopté sera mis en ligne sur cette page. En attendant, vous pouvez le demander "
        'à la Ville de Démoville en écrivant à <a href="mailto:achats@demoville.fr">achats@demoville.fr</a>.</p>\n'
    )


def test_the_page_names_the_organisation_rather_than_l_organisme():
    """Reader 10, C19: « sa dernière valeur pour l’organisme… que l’organisme publie » on the Ville's own page."""
    html = page(emissions()).replace("\u00a0", " ")
    assert "l’organisme" not in html
    assert "sa dernière valeur pour la Ville de Démoville, sa cible" in html
    assert "(DECP) que la Ville de Démoville publie pour chaque marché" in html


def test_organisation_with_article():
    assert organisation_with_article("Ville de Démoville", "à") == "à la Ville de Démoville"
    assert organisation_with_article("Département du Rhône", "à") == "au Département du Rhône"
    assert organisation_with_article("Département du Rhône") == "le Département du Rhône"
    assert organisation_with_article("Eurométropole de Strasbourg", "à") == "à l’Eurométropole de Strasbourg"
    assert organisation_with_article("Lyon", "à") == "à Lyon"
    assert organisation_with_article("Lyon") == "Lyon"


def test_the_title_and_the_tables_fit_a_phone_s_width():
    """Issue 17: at 375 px the title took seven lines of 43 px (the first screen) and the tables made the
    page 734 px wide. The title's size follows the width (checked in headless Chromium: 4 lines, the
    page 375 px wide); each table scrolls in its own region, which a keyboard reaches."""
    html = page(emissions())
    title = re.search(r"\bh1\{([^}]*)\}", html).group(1)
    assert "font-size:clamp(1.3rem," in title and "line-height:1.25" in title and "overflow-wrap:break-word" in title
    assert ".table-scroll{overflow-x:auto" in html
    assert re.search(r'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="(tableau-[a-z_]+)">\s*'
                     r'<table>\s*<caption id="\1">', html)
    assert html.count('<div class="table-scroll"') == html.count("<table>")


def test_on_a_phone_each_row_is_a_card_whose_cells_say_their_column():
    """Reader 15, minor 19: at 375 px the table was cut at « 30 % en », « Référenc… », with nothing to say it
    scrolled. Under 600 px the cells go one under the other, each after its column's name (checked in
    headless Chromium at 375 px: « Dernière valeur : 45 365 tonnes… », « Cible : … », nothing cut)."""
    html = page(emissions())
    narrow = re.search(r"@media \(max-width:37\.5rem\)\{(.*?)\}\}\n", html, re.S).group(1)
    assert "display:block" in narrow and "td[data-label]::before{content:attr(data-label)" in narrow
    cells = re.findall(r'<td data-label="([^"]+)">', html)
    assert cells == ["Dernière valeur", "Cible", "Progression", "Origine"]
    assert re.findall(r'<th scope="col">([^<]+)</th>', html) == ["Indicateur", *cells]
