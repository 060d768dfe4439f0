"""What a question naming one indicator asks of it, told by its words: its value (an amount asked),
who entered its values or how they moved (its history), or what it measures (its definition).
Pure functions and patterns of the folded text, kept apart from the understanding's flow."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from domain.understanding.intents import INTENTS_BY_ENTRY_ID, Intent

HOW_MUCH = re.compile(r"\b(?:combien|chiffres?|valeurs?|taux|part|niveau|nombre|pourcentage|montant|total)\b")
"""A question about an amount: with an indicator named, it asks for its value."""
ONE_INDICATOR = re.compile(r"\bindicateur\b")
"""« on en est où sur cet indicateur ? » is about one indicator, to be named."""
HISTORY_ASKED = re.compile(
    r"\b(?:historique|par qui|qui (?:l[' ]|les )?a (?:\w+ )?(?:saisie?|renseignee?|remplie?|modifiee?|corrigee?|tapee?|rentree?|mise?|"
    r"changee?|transmise?|remontee?|entree?)s?|quand a[- ]t[- ](?:il|elle) ete (?:saisie?|renseignee?|modifiee?))\b"
)
"""« qui a renseigné quoi et quand pour le délai de paiement », « par qui »: who entered its values
(« qui renseigne… », in the present, is who reports for a directorate)."""
_HISTORY_OVER_YEARS = re.compile(
    r"^(?:l[' ])?historique(?: des (?:valeurs|saisies|chiffres|donnees))?"
    r"(?: (?:de|d'|des|du|depuis|entre|sur|pour|en|a|au|et|les|annees?|(?:19|20)\d{2}(?:-(?:19|20)?\d{2})?))*"
    r" (?:19|20)\d{2}(?:-(?:19|20)?\d{2})?(?: (?:svp|stp|merci))?$"
)
"""« historique 2019-2023 », « l'historique de 2020 à 2024 »: the history of values over years, of an
indicator left to name (a span of years is no indicator's code)."""
_TREND_ASKED = re.compile(
    r"\b(?:evolu\w*|tendances?|progress\w*|baiss\w*|mont(?:e|ent)|augment\w*|diminu\w*|recul\w*|bouge\w*|courbe"
    r"|valeurs? (?:passees|precedentes|anterieures)|anciennes valeurs|depuis (?:l[' ]an|le debut|l[' ]annee|janvier))\b"
)
"""« le délai de paiement, il baisse ? », « l'évolution des repas végétariens »: its past values."""
BARE_WHAT_IS = re.compile(
    r"\b(?:c(?:[' ]?est)? (?:quoi|koi) (?:ce (?:truc|machin|bidule|sigle|acronyme|terme|mot)|ca|exactement|au juste"
    r"|en gros|en fait)"
    r"|(?<=[,;:.!?] )(?:en (?:\d+|une?|deux|trois|quelques) (?:lignes?|mots|phrases?) )?c (?:quoi|koi)$|kesako|kezako|qu[' ]est[- ]ce que c[' ]?est|(?<!est-)(?<!est )ce que c[' ]?est|ce que (?:signifie|veut dire)|(?:ca|cela) veut dire quoi(?: concretement| exactement| au juste)?(?= *(?:$|[?,.!;]| pour\b))|forme developpee|en toutes lettres|une definition)\b"
)
"""« c'est quoi ce truc ? », « c quoi ce sigle », « ce que c'est », « une définition du SPASER », « …, en deux
phrases c quoi ? » (a clause of its own, not « loi climat indicateurs spaser c quoi »): what the subject named
elsewhere in the question is."""
CONSISTS_OF = re.compile(r"\bconsist\w* en quoi\b|\ben quoi (?:ca |cela )?consist\w*")
"""« dans un marché de nettoyage, une clause sociale consisterait en quoi ? »: what the subject named is,
whatever its context (an indicator named asks its definition instead)."""
_DEFINITION_ASKED = re.compile(
    r"\b(?:methode de calcul|mode de calcul|formule|sources? et methodes?|methodes? et sources?|methodo(?:logie)?|"
    r"(?:sa|la) (?:source|methode)(?= *$| *[?,;])|d[' ]ou (?:vien\w*|sort\w*|provien\w*)|provenance|sources? des? (?:chiffres?|donnees?)|"
    r"(?:ca|il|elle) mesure quoi|mesure[- ]t[- ](?:il|elle)|qu[' ]est[- ]ce qu[' ](?:il|elle) mesure|que mesure|on compte quoi|"
    r"comment (?:est|sont)?\s?(?:il |elle |on l[' ]|on le |on la |on )?(?:calcul|mesur|compt|constru)\w*|"
    r"(?:est|sont) (?:calcul|mesur|compt|constru)(?:e|ee|es|ees) comment|"
    r"(?:ca|il|elle) (?:inclu\w*|compren\w*|englob\w*|couvr\w*)|(?:est|sont) (?:inclu|compri|compt)\w*)\b"
)
"""« d'où viennent les chiffres de… », « comment est calculé… », « ça mesure quoi », « source et méthode ? »:
what an indicator measures and how."""
HOW_TO = re.compile(r"\bcomment (?:l[ea]s? |l |en )?(?:calculer|mesurer|compter|evaluer|estimer|construire)\b")
"""« comment mesurer l'empreinte carbone de nos achats ? », « le bilan carbone, comment le mesurer ? »:
how one should measure a subject (the infinitive), advice
from the knowledge base, unless the question names the indicator (« comment calculer l'IND-05 »,
« cet indicateur »), whose definition then answers."""
DEFINITION_WORD = "definition"
DEFINITION_TYPOS = 2
"""« defintion », « définiton »: the word typed fast, a letter or two off."""


def asked_of_an_indicator(folded: str, rest: list[str]) -> Intent | None:
    """What a question naming an indicator asks of it, when its words say so plainly: who
    entered its values, or what it measures."""
    if HISTORY_ASKED.search(folded) or _TREND_ASKED.search(folded):
        return INTENTS_BY_ENTRY_ID["intent-indicator-history"]
    typed_definition = any(
        len(token) >= 7 and Levenshtein.distance(token, DEFINITION_WORD, score_cutoff=DEFINITION_TYPOS) <= DEFINITION_TYPOS
        for token in (*rest, *_DEFINITION_WORDS.findall(folded))
    )
    one = ONE_INDICATOR.search(folded) or _A_CODE.search(folded)
    what_in_it = _WHAT_IS.search(folded) and one and not HOW_MUCH.search(folded)
    if typed_definition or what_in_it or _DEFINITION_ASKED.search(folded) or BARE_WHAT_IS.search(folded):
        return INTENTS_BY_ENTRY_ID["intent-indicator-definition"]
    return None


_WHAT_IS = re.compile(
    r"\bc[' ]?est quoi\b|\bc (?:quoi|koi)\b|\bqu[' ]est[- ]ce (?:que|qu[' ]|qui)"
    r"|\bcomment (?:ca|cela) (?:marche|fonctionne)\b|\b(?:ca|cela) (?:marche|fonctionne) comment\b"
    r"|\bconsist\w* en quoi\b|\ben quoi (?:ca |cela )?consist\w*"
)
"""« c'est quoi un produit durable dans l'indicateur ? », « c quoi l'IND-16 »: what the indicator counts,
not its figure; « les heures d'insertion, comment ça marche ? », « ça consiste en quoi ? »: how a notion
works is what it is, not whether it « marche » (goes well)."""
_A_CODE = re.compile(r"\bind[- ]?\d{1,3}\b")
"""An indicator named by its code is one indicator, as « cet indicateur » is."""
_DEFINITION_WORDS = re.compile(r"\bd\w{6,10}\b")
"""Words the analysis drops as framing (« définition »): looked for in the question itself."""


_OUR_FIGURE = re.compile(r"\b(?:moyen\w*|actuel\w*|dernier\w*|en ce moment)\b")
_A_RULE_ASKED = re.compile(
    r"\b(?:legal\w*|lois?|reglement\w*|codes?|decrets?|obligatoire\w*|maxim\w*|max|plafond\w*|minim\w*|impos\w*|autoris\w*"
    r"|doi[st]|doivent|faut|faudrait|devr\w*|peu[tv]\w*|droits?|dus?|dues?|interets?|moratoires?|indemnit\w*|penalit\w*"
    r"|acomptes?|avances?|courir|suspen\w*|factures?|chorus|comptable|titulaires?|hopita\w*|etat|etablissements?"
    r"|comment|pourquoi|reduire|ameliorer|raccourcir|tva|fctva|taxes?|fiscal\w*|impots?)\b"
    r"|\bpour (?:une?|l'|les) (?:communes?|collectivites?|acheteurs?|marches?|administrations?)\b|\b\d+ jours ou\b"
)
"""« quel est le délai légal de paiement ? », « 30 jours ou 50 jours ? », « les intérêts moratoires »:
the rule of a neighbouring subject, not the organisation's figure."""


_A_NORM_OR_A_PRICE = re.compile(
    r"\b(?:cout\w*|prix|tarifs?|exig\w*|officiel\w*|ratios?|normes?|regles?|reglement\w*|legal\w*|obligatoire\w*"
    r"|minimum|maximum)\b"
)
"""« combien d'heures d'insertion exiger pour un million de travaux, y a un ratio officiel ? », « combien
coûte une formation ? »: a norm or a price on the subject of an indicator, not its figure."""


def norm_asked(folded: str) -> bool:
    """A norm or a price asked about an indicator's subject (`_A_NORM_OR_A_PRICE`)."""
    return bool(_A_NORM_OR_A_PRICE.search(folded))


def concept_asked(folded: str) -> bool:
    """« marché réservé, c'est quoi ? »: what a notion is, asked plainly of its name, not of the
    indicator (« cet indicateur ») nor of an amount."""
    return bool(_WHAT_IS.search(folded)) and not ONE_INDICATOR.search(folded) and not HOW_MUCH.search(folded)


def figure_asked(folded: str) -> bool:
    """« le délai de paiement c'est combien de jours », « le délai de paiement moyen »: an amount."""
    return bool(HOW_MUCH.search(folded) or _OUR_FIGURE.search(folded))


def rule_asked(folded: str) -> bool:
    """The rule of a neighbouring subject of the procurement rules (`_A_RULE_ASKED`), which stays
    out of scope even when an indicator of the organisation shares its subject."""
    return bool(_A_RULE_ASKED.search(folded))


_OUR_INDICATOR = re.compile(
    r"\b(?:l|cet|cette|ce|son|leur|notre|votre|de l)[' ]?\s*(?:indicateur|indic)\b|^(?:indicateur|indic)\b|\bvous\b|\bvos\b"
)


def our_indicator_meant(folded: str) -> bool:
    """« comment est calculé l'indicateur sur les déchets ? », « indicateur déchets : comment on le
    compte ? », « les marchés réservés, vous les comptez comment ? »: our indicator's definition;
    « on veut un indicateur sur l'ESS, comment on le calcule ? » asks the method in general."""
    return bool(_OUR_INDICATOR.search(folded))


def history_over_years_asked(folded: str) -> bool:
    """Whether the question asks only for values' history over some years (`_HISTORY_OVER_YEARS`)."""
    return bool(_HISTORY_OVER_YEARS.search(re.sub(r"[\s?!.]+$", "", folded.strip())))
