"""« définition de IND-21 »: what an indicator measures, each characteristic named, the directorates
and the weighting indicator said as a French reader expects them."""

from __future__ import annotations

from decimal import Decimal

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.definitions import definition_text
from domain.indicators.periods import Frequency
from domain.indicators.rules import IndicatorView
from domain.indicators.units import Unit


def weighted_rate(directorates: tuple[str, ...]) -> IndicatorView:
    return IndicatorView(
        id=21, code="IND-21", label="Part des marchés avec un critère environnemental", axis=Axis.ENVIRONMENTAL,
        unit=Unit.PERCENT, frequency=Frequency.QUARTERLY, improvement=ImprovementDirection.UP,
        baseline=Decimal("10"), target=Decimal("30"), target_year=2030, source="", preexisting=False, active=True,
        directorates=directorates, aggregation=AggregationRule.WEIGHTED_MEAN, weighting_base="IND-23",
    )


def test_each_characteristic_has_its_noun_and_the_weighting_indicator_is_named_as_one():
    text = definition_text(weighted_rate(("DCP", "DPB")))
    assert (
        "Unité\u00a0: pourcentage (%)\u00a0; fréquence\u00a0: trimestrielle\u00a0; évolution recherchée\u00a0: "
        "à la hausse\u00a0; cible\u00a0: 30\u00a0% en 2030." in text
    )
    assert (
        "Renseigné par les directions DCP et DPB\u00a0; valeur de l’organisme\u00a0: moyenne des valeurs des "
        "directions pondérée par l’indicateur IND-23." in text
    )


def test_one_directorate_is_named_with_its_article():
    assert "Renseigné par la direction DCP\u00a0;" in definition_text(weighted_rate(("DCP",)))
