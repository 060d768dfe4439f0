"""The « Règles de lecture » of the summary: how a status, a count, the law, the period due and
an aggregation are read. Only the rules of what a summary shows go into its report; the card says
them in short (`CARD_RULES_TEXT`)."""

from __future__ import annotations

from domain.indicators.aggregation import AggregationRule
from domain.summary.aggregate import counts_whole_things
from domain.summary.indicator_wording import weighting_text
from domain.summary.model import IndicatorLine, Status, Summary
from domain.text import NO_BREAK_SPACE

RULES_HEADING = "Règles de lecture"
_STATUS_RULE = (
    "Statut : atteint si la cible est atteinte ; sinon, la valeur est comparée à une progression régulière "
    "entre la valeur de référence et la cible (au 31 décembre de l’année cible) : en bonne voie si elle a "
    "parcouru au moins le chemin attendu pour la période mesurée "
    "(au moins la valeur attendue pour un indicateur à la hausse, au plus pour un indicateur à la baisse), ou "
    "s’en écarte de moins de 1 % de la cible ; en retard sinon."
)
_REFERENCE_RULE = (
    "Valeur de référence : la valeur de référence déclarée dans le catalogue du SPASER, à défaut la première "
    "valeur renseignée ; la trajectoire part de la fin de la première période renseignée. Le tableau les indique "
    "sous la cible de chaque indicateur. Avancement en pourcentage, sur la page publique et "
    "dans le tableur : la part de l’écart entre la référence et la cible déjà franchie ; il est négatif quand "
    "la valeur est en deçà de la référence (au-dessus, pour un indicateur à la baisse)."
)
_COUNT_RULE = (
    "Indicateurs comptés en nombres entiers (comités, marchés, personnes) : la valeur attendue est le nombre "
    "entier que la trajectoire a déjà atteint (si la trajectoire prévoit 3,5 comités, on attend 3 comités "
    "pour un indicateur à la hausse, 4 pour un indicateur à la baisse) ; le statut, le texte et le graphique "
    "utilisent ce nombre."
)
_LEGAL_RULE = (
    "Conformité à la loi : un indicateur dont la dernière valeur est sous le minimum fixé par la loi ou le "
    "règlement (au-dessus du maximum, pour un indicateur à la baisse) est « non conforme à la loi », "
    "quelle que soit sa trajectoire."
)
_PERIOD_RULE = (
    "Période à renseigner : pour chaque indicateur, la dernière période terminée selon sa fréquence (l’année, le "
    "semestre ou le trimestre écoulé). Une valeur plus ancienne est affichée avec sa période et comptée comme non "
    "renseignée, sauf si elle enfreint déjà une limite légale : l’indicateur garde alors ce statut, d’après "
    "cette dernière valeur connue."
)
_AGGREGATION_RULES = {
    AggregationRule.SUM: "Ensemble des directions : somme des valeurs des directions, pour la dernière période que "
    "toutes ont saisie.",  # reader 10, C17
    AggregationRule.MEAN: "Moyenne des directions : la moyenne simple de leurs valeurs.",
    AggregationRule.WEIGHTED_MEAN: "Moyenne pondérée des directions : une direction pèse d’autant plus que sa base est grande (par "
    "exemple ses kilomètres parcourus, pour une part de kilomètres), sur la même période ; une direction qui n’a "
    "pas saisi cette base n’est pas comptée.",
    AggregationRule.SINGLE: "Valeur unique : une seule valeur pour tout l’organisme.",
}
_TREND_RULE = (
    "Tendance : par rapport à la période précédente renseignée, en ne comparant que les directions qui ont saisi "
    "les deux périodes ; « dans le bon sens » quand elle va vers la cible."
)
RULES_ITEMS = (_STATUS_RULE, _REFERENCE_RULE, _COUNT_RULE, _LEGAL_RULE, _PERIOD_RULE, *_AGGREGATION_RULES.values(), _TREND_RULE)
"""Every rule the report may need; `rules_items` keeps those of what a summary shows."""


def rules_items(summary: Summary) -> list[str]:
    """The reading rules of what `summary` shows, one a line: an aggregation rule only when an
    indicator's value cell names it (several directorates), the trend rule only when a trend is shown."""
    lines = summary.lines
    if not lines:
        return []
    items = []
    if any(line.snapshot.target is not None for line in lines):
        items.extend((_STATUS_RULE, _REFERENCE_RULE))
    if any(line.snapshot.target is not None and counts_whole_things(line.unit, line.aggregation) for line in lines):
        items.append(_COUNT_RULE)
    if any(line.status is Status.OUTSIDE_LEGAL_LIMIT for line in lines):
        items.append(_LEGAL_RULE)
    items.append(_PERIOD_RULE)
    shown = {line.aggregation for line in lines if line.responsible_count > 1}
    items.extend(_aggregation_rule(rule, lines) for rule in _AGGREGATION_RULES if rule in shown)
    if any(line.trend is not None for line in lines):
        items.append(_TREND_RULE)
    return items


def _aggregation_rule(rule: AggregationRule, lines: list[IndicatorLine]) -> str:
    """The rule, and for a weighted mean the base of each indicator (« Pondération : IND-23, par les
    kilomètres parcourus par les véhicules de service (IND-22). »): the value cell says it in short."""
    text = _AGGREGATION_RULES[rule]
    if rule is AggregationRule.WEIGHTED_MEAN:
        weighted = [line for line in lines if line.responsible_count > 1 and line.aggregation is rule]
        bases = f"{NO_BREAK_SPACE}; ".join(f"{line.code}, par {weighting_text(line)}" for line in weighted)
        text += f" Pondération{NO_BREAK_SPACE}: {bases}."
    return text


CARD_RULES_TEXT = (
    "En bonne voie : au moins au niveau prévu à cette date pour atteindre la cible à temps (à 1 % de la cible "
    "près) ; en retard : en deçà. Une valeur plus ancienne que la période à renseigner compte comme non "
    "renseignée, sauf si elle enfreint déjà la loi. Règles détaillées : rubrique « Règles de lecture », à la fin du rapport (bouton « Exporter »)."
)
