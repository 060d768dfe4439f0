"""What an indicator measures and how its value is made, in French: the answer to « comment est
calculé IND-02 ? », from the catalogue (definition, unit, rule, source)."""

from __future__ import annotations

from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.rules import IndicatorView
from domain.indicators.targets import target_figure_text
from domain.text import directorates_text

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


def characteristics_text(indicator: IndicatorView, *, with_baseline: bool = False) -> str:
    """« Unité : pourcentage (%) ; fréquence : trimestrielle ; évolution recherchée : à la hausse ;
    cible : 30 % en 2030 »: each characteristic named, so that the adjectives are not left without their noun."""
    parts = [
        f"Unité : {indicator.unit_name}",
        f"fréquence : {indicator.frequency.value}",
        f"évolution recherchée : à la {indicator.improvement.value}",
    ]
    if with_baseline and indicator.baseline is not None:
        parts.append(f"référence : {indicator.show(indicator.baseline)}")
    if indicator.target is not None:
        target = target_figure_text(
            indicator.target, indicator.target_year, indicator.unit, indicator.frequency, indicator.counted_noun
        )
        parts.append(f"cible : {target}")
    if indicator.legal_limit is not None:
        parts.append(indicator.legal_limit.limit_text(indicator.unit, indicator.counted_noun))
    elif indicator.legal_basis:
        parts.append(indicator.legal_basis)  # an obligation stated in words (`base_legale` without a threshold)
    return " ; ".join(parts)


def definition_text(indicator: IndicatorView) -> str:
    lines = [f"**{indicator.code}** — {indicator.label}"]
    if indicator.definition:
        lines.append(f"Ce qu’il mesure : {indicator.definition}")
    else:
        lines.append(
            "Aucune définition n’est saisie dans le catalogue : la personne responsable du SPASER peut en "
            f"ajouter une (« modifier {indicator.code} définition … »)."
        )
    lines.append(characteristics_text(indicator) + ".")
    if indicator.computation is not Computation.REPORTED:
        lines.append(
            f"Calculé depuis les données essentielles de la commande publique (DECP) : "
            f"{COMPUTED_FROM_DECP[indicator.computation]}."
        )
    else:
        rule = indicator.aggregation_rule
        how = (
            f"moyenne des valeurs des directions pondérée par l’indicateur {indicator.weighting_base}"
            if rule is AggregationRule.WEIGHTED_MEAN
            else RULES[rule]
        )
        lines.append(f"Renseigné par {directorates_text(indicator.directorates)} ; valeur de l’organisme : {how}.")
    if indicator.source:
        lines.append(f"Source : {indicator.source}.")
    return "\n".join(lines)
