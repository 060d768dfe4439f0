"""How an indicator's values come to be: typed by the directorates or computed from the contract data
the body publishes (DECP), and how the directorates' values of a period make the organisation's."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import quoted_input
from domain.indicators.units import Unit
from domain.text import fold


class InvalidRule(ValueError):
    """An unknown aggregation or computation (the catalogue reports it by column)."""


class AggregationRule(StrEnum):
    """How the values the directorates report for a period make the organisation's value."""

    SUM = "somme"
    MEAN = "moyenne"
    WEIGHTED_MEAN = "moyenne pondérée"
    """Weighted by each directorate's value of another indicator (`base_ponderation`), e.g. a share
    of contracts weighted by the number of contracts."""
    SINGLE = "valeur unique"
    """One organisation-wide value, reported by the indicator's only directorate."""

    @classmethod
    def parse(cls, text: str) -> AggregationRule:
        rule = _AGGREGATION_ALIASES.get(fold(text))
        if rule is None:
            raise InvalidRule(
                f"agrégation « {quoted_input(text)} » inconnue. Possibles : {', '.join(r.value for r in cls)}."
            )
        return rule

    @classmethod
    def default_for(cls, unit: Unit) -> AggregationRule:
        """Rates are averaged; every other unit counts something that adds up across directorates."""
        return cls.MEAN if unit is Unit.PERCENT else cls.SUM


class Computation(StrEnum):
    """Where an indicator's values come from: typed by the directorates, or computed from the
    contract data the body publishes (DECP: share of contracts with a social or environmental
    consideration, in number or in value; reserved contracts)."""

    REPORTED = "saisie"
    DECP_SOCIAL_COUNT = "decp:part-sociale-nombre"
    DECP_SOCIAL_AMOUNT = "decp:part-sociale-montant"
    DECP_ENVIRONMENTAL_COUNT = "decp:part-environnementale-nombre"
    DECP_ENVIRONMENTAL_AMOUNT = "decp:part-environnementale-montant"
    DECP_RESERVED_COUNT = "decp:marches-reserves-nombre"
    DECP_RESERVED_AMOUNT = "decp:marches-reserves-montant"

    @classmethod
    def parse(cls, text: str) -> Computation:
        folded = "-".join(fold(text).split())
        for computation in cls:
            if folded == "-".join(fold(computation.value).split()):
                return computation
        raise InvalidRule(
            f"calcul « {quoted_input(text)} » inconnu. Possibles : {', '.join(c.value for c in cls)}."
        )

    @property
    def units(self) -> frozenset[Unit]:
        """The units an indicator computed this way can have."""
        if self is Computation.REPORTED:
            return frozenset(Unit)
        if self.value.startswith("decp:part-"):
            return frozenset({Unit.PERCENT})
        return frozenset({Unit.EURO}) if self.value.endswith("-montant") else frozenset({Unit.COUNT})


_AGGREGATION_ALIASES = {
    "somme": AggregationRule.SUM,
    "total": AggregationRule.SUM,
    "moyenne": AggregationRule.MEAN,
    "moyenne simple": AggregationRule.MEAN,
    "moyenne ponderee": AggregationRule.WEIGHTED_MEAN,
    "ponderee": AggregationRule.WEIGHTED_MEAN,
    "valeur unique": AggregationRule.SINGLE,
    "unique": AggregationRule.SINGLE,
    "valeur de l'organisme": AggregationRule.SINGLE,
}
