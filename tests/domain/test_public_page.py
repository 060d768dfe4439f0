"""The public SPASER page as a reader sees it (reader 1 of the e2e run, 2026-12-06)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.indicators.catalogue import Axis
from domain.indicators.values import Unit
from domain.public_page import PublicIndicator, PublicSpaser, public_page_html
from domain.summary.model import Status


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
