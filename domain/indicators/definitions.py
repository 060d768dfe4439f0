"""What an indicator measures and how its value is made, in French: the answer to « comment est
calculé IND-02 ? », from the catalogue (definition, unit, rule, source)."""

from __future__ import annotations

from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.rules import IndicatorView
from domain.text import joined

COMPUTED_FROM_DECP = {
    Computation.DECP_SOCIAL_COUNT: "part des marchés notifiés dans la période avec au moins une considération sociale, en nombre",
    Computation.DECP_SOCIAL_AMOUNT: "part des marchés notifiés dans la période avec au moins une considération sociale, en montant HT",
    Computation.DECP_ENVIRONMENTAL_COUNT: "part des marchés notifiés dans la période avec au moins une considération environnementale, en nombre",
    Computation.DECP_ENVIRONMENTAL_AMOUNT: "part des marchés notifiés dans la période avec au moins une considération environnementale, en montant HT",
    Computation.DECP_RESERVED_COUNT: "nombre de marchés réservés notifiés dans la période",
    Computation.DECP_RESERVED_AMOUNT: "montant HT des marchés réservés notifiés dans la période",
}
RULES = {
    AggregationRule.SUM: "somme des valeurs des directions",
    AggregationRule.MEAN: "moyenne des valeurs des directions",
    AggregationRule.SINGLE: "une seule valeur pour tout l’organisme",
}


def definition_text(indicator: IndicatorView) -> str:
    lines = [f"**{indicator.code}** — {indicator.label}"]
    if indicator.definition:
        lines.append(f"Ce qu’il mesure : {indicator.definition}")
    else:
        lines.append(
            "Aucune définition n’est saisie dans le catalogue : la personne responsable du SPASER peut en "
            f"ajouter une (« modifier {indicator.code} définition … »)."
        )
    target = f" ; cible {indicator.show(indicator.target)} en {indicator.target_year}" if indicator.target is not None else ""
    lines.append(f"En {indicator.unit.display_name}, {indicator.frequency.value}, à la {indicator.improvement.value}{target}.")
    if indicator.computation is not Computation.REPORTED:
        lines.append(
            f"Calculé depuis les données essentielles de la commande publique (DECP) : "
            f"{COMPUTED_FROM_DECP[indicator.computation]}."
        )
    else:
        rule = indicator.aggregation_rule
        how = (
            f"moyenne des valeurs des directions pondérée par {indicator.weighting_base}"
            if rule is AggregationRule.WEIGHTED_MEAN
            else RULES[rule]
        )
        lines.append(f"Renseigné par {joined(list(indicator.directorates))} ; valeur de l’organisme : {how}.")
    if indicator.source:
        lines.append(f"Source : {indicator.source}.")
    return "\n".join(lines)
