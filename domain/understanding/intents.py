"""What people ask of the organisation's own data, and the everyday requests, as intents.

An intent is found like a knowledge entry: by its example phrasings, in the same index and with
the same French analysis, so « qui n'a pas encore rempli ses chiffres ? » competes on equal terms
with « combien d'indicateurs prévoir ? ». Once found, it is turned into the command that answers
it (`command`), written the way the command's documented phrasing is, so that the role checks,
the group-chat rules and the answer are those of that command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.committees.cadence import CommitteeKind
from domain.knowledge.entries import Entry, EntryKind
from domain.understanding.slots import Slots

ENTRY_PREFIX = "intent-"
WHICH_INDICATOR = (
    "De quel indicateur parlez-vous ? Donnez son code (par exemple IND-03) ou son sujet "
    "(« les heures d’insertion ») ; « catalogue » les liste tous."
)


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    examples: tuple[str, ...]
    command: Callable[[Slots], str | None]
    """The command text that answers it; None when a slot it needs is missing."""
    missing: str = ""

    @property
    def entry_id(self) -> str:
        return ENTRY_PREFIX + self.id.replace("_", "-")

    def as_entry(self) -> Entry:
        return Entry(
            id=self.entry_id,
            title=self.title,
            questions=self.examples,
            answer=self.title,
            source="intention",
            kind=EntryKind.INTENT,
        )


def _with_directorate(text: str, slots: Slots) -> str:
    return f"{text} direction {slots.directorate}" if slots.directorate else text


def _summary(slots: Slots) -> str:
    text = "synthèse"
    if slots.axis:
        text += f" axe {slots.axis.value}"
    return _with_directorate(text, slots)


def _about_indicator(verb: str) -> Callable[[Slots], str | None]:
    return lambda slots: f"{verb} {slots.indicator}" if slots.indicator else None


def _next_meeting(slots: Slots) -> str:
    return {CommitteeKind.COPIL: "prochain copil", CommitteeKind.COTECH: "prochain cotech"}.get(
        slots.committee, "prochain comité"
    )


def _referents(slots: Slots) -> str:
    return f"référents de la direction {slots.directorate}" if slots.directorate else "référents de ma direction"


INTENTS: tuple[Intent, ...] = (
    Intent(
        "late_indicators",
        "Quels indicateurs sont en retard ou pas renseignés ?",
        (
            "quels indicateurs sont en retard",
            "les indicateurs en retard",
            "qu'est-ce qui est en retard sur nos objectifs",
            "quels indicateurs ne sont pas renseignés pour la période",
            "ce qui manque dans nos chiffres",
            "les indicateurs pas encore remplis ce trimestre",
            "où est-ce qu'on décroche par rapport aux cibles",
            "quels objectifs ne sont pas tenus",
            "on est à la traîne sur quoi",
            "indicateurs en dessous de la trajectoire",
            "qu'est-ce qui coince dans le tableau de bord",
            "les points rouges du suivi",
            "liste des indicateurs non renseignés",
            "quels sont les retards",
        ),
        lambda slots: _with_directorate("indicateurs en retard", slots),
    ),
    Intent(
        "directorates_not_up_to_date",
        "Quelles directions n’ont pas encore saisi leurs chiffres ?",
        (
            "quelles directions n'ont pas rempli leurs chiffres",
            "qui n'a pas encore saisi ses indicateurs",
            "les directions en retard de saisie",
            "qui manque à l'appel pour la remontée des données",
            "quels services n'ont pas répondu pour les indicateurs",
            "qui dois-je relancer pour les chiffres",
            "les retardataires de la saisie",
            "toutes les directions ont-elles renseigné leurs valeurs",
            "qui n'est pas à jour",
            "quelles directions sont à jour",
            "état de la complétude par direction",
            "qui traîne pour saisir ses chiffres",
            "les services qui n'ont rien remonté",
        ),
        lambda slots: "directions en retard",
    ),
    Intent(
        "reached_indicators",
        "Quels indicateurs ont atteint leur cible ?",
        (
            "quels indicateurs ont atteint leur cible",
            "les objectifs atteints",
            "sur quoi on a réussi",
            "les indicateurs au vert",
            "qu'est-ce qui est déjà atteint",
            "nos réussites",
            "les cibles déjà dépassées",
            "quels résultats sont bons",
            "où a-t-on atteint l'objectif",
        ),
        lambda slots: "indicateurs atteints",
    ),
    Intent(
        "indicator_value",
        "Quelle est la dernière valeur d’un indicateur ?",
        (
            "quelle est la valeur de l'indicateur",
            "où en est l'indicateur",
            "combien on a fait sur cet indicateur",
            "le dernier chiffre de",
            "on en est où sur",
            "donne-moi le chiffre de",
            "quel est le taux actuel de",
            "quel niveau atteint",
            "ça donne quoi en ce moment",
            "résultat de l'indicateur",
            "valeur actuelle",
        ),
        _about_indicator("valeur de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "indicator_definition",
        "Que mesure un indicateur et comment est-il calculé ?",
        (
            "comment est calculé l'indicateur",
            "que mesure cet indicateur",
            "définition de l'indicateur",
            "c'est quoi exactement cet indicateur",
            "d'où vient la donnée de",
            "quelle est la méthode de calcul de",
            "comment on compte",
            "qu'est-ce qu'on met dedans",
            "quelle source pour cet indicateur",
            "sur quoi porte l'indicateur",
            "explique-moi l'indicateur",
            "ça mesure quoi",
            "on compte quoi dedans",
            "qu'entend-on par ce libellé",
            "calculé comment",
        ),
        _about_indicator("définition de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "indicator_history",
        "Qui a saisi quoi et quand pour un indicateur ?",
        (
            "historique de l'indicateur",
            "qui a saisi la valeur de",
            "qui a rempli cet indicateur et quand",
            "les saisies précédentes de",
            "qui a modifié la valeur",
            "quand a été saisi le chiffre de",
            "trace des corrections de",
            "qui a mis à jour",
            "qui a renseigné la dernière valeur",
            "qui a tapé ce chiffre",
            "l'auteur de la saisie",
            "quand la valeur a-t-elle été saisie et par qui",
        ),
        _about_indicator("historique de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "who_is_lead",
        "Qui est la personne responsable du SPASER ?",
        (
            "qui est le responsable spaser",
            "la responsable du spaser c'est qui",
            "qui pilote la démarche chez nous",
            "à qui m'adresser pour",
            "qui s'occupe",
            "qui est la référente",
            "la personne à contacter pour la démarche",
            "qui gère le suivi des achats responsables",
            "qui est en charge",
            "qui porte dans la maison",
        ),
        lambda slots: "responsable SPASER",
    ),
    Intent(
        "directorate_referent",
        "Qui renseigne les indicateurs d’une direction ?",
        (
            "qui est le référent de ma direction",
            "qui saisit les indicateurs de la direction",
            "qui remplit les chiffres pour",
            "le correspondant de la direction",
            "qui contacter dans la direction pour les indicateurs",
            "qui est contributeur pour",
            "qui s'occupe des indicateurs chez",
            "mon référent",
        ),
        _referents,
    ),
    Intent(
        "next_meeting",
        "Quand est le prochain comité ?",
        (
            "quand est le prochain comité",
            "c'est quand la prochaine réunion",
            "date du prochain copil",
            "prochaine réunion du comité technique",
            "quand se réunit le comité de pilotage",
            "la prochaine séance",
            "on se voit quand",
            "quand a lieu le cotech",
            "la date du comité",
        ),
        _next_meeting,
    ),
    Intent(
        "my_due",
        "Qu’ai-je à saisir pour la période ?",
        (
            "qu'est-ce que je dois renseigner",
            "qu'est-ce que j'ai à remplir",
            "mes indicateurs à saisir",
            "ce que j'ai à faire ce trimestre",
            "qu'attend-on de moi",
            "quels chiffres dois-je fournir",
            "j'ai des saisies en attente",
            "ma liste de choses à remplir",
            "qu'est-ce qui me reste à saisir",
        ),
        lambda slots: "quels indicateurs dois-je renseigner",
    ),
    Intent(
        "summary",
        "Où en est le SPASER ?",
        (
            "où en est-on",
            "faites-moi le point sur nos résultats",
            "état d'avancement global",
            "le bilan de nos indicateurs",
            "comment ça avance",
            "tableau de bord",
            "synthèse",
            "les résultats",
            "on en est où globalement",
            "vue d'ensemble des indicateurs",
            "ça donne quoi cette année",
        ),
        _summary,
    ),
    Intent(
        "catalogue",
        "Quels sont les indicateurs suivis ?",
        (
            "la liste des indicateurs",
            "quels indicateurs suivons-nous",
            "tous nos indicateurs",
            "le catalogue",
            "quels sont nos indicateurs",
            "on suit quoi comme indicateurs",
            "les indicateurs chez nous",
        ),
        lambda slots: "catalogue",
    ),
    Intent(
        "whoami",
        "Quel est mon rôle ?",
        (
            "qui suis-je",
            "quel est mon rôle",
            "je suis inscrit comme quoi",
            "quels sont mes droits",
            "pour quelle direction je saisis",
            "tu me connais",
        ),
        lambda slots: "qui suis-je",
    ),
    Intent(
        "help",
        "Que sais-tu faire ?",
        (
            "aide",
            "que sais-tu faire",
            "qu'est-ce que tu peux faire",
            "comment ça marche",
            "à quoi tu sers",
            "les commandes",
            "tu fais quoi",
            "mode d'emploi",
        ),
        lambda slots: "aide",
    ),
    Intent(
        "calendar",
        "Le lien d’abonnement à l’agenda des comités",
        (
            "ajouter les comités à mon agenda outlook",
            "le lien de l'agenda",
            "s'abonner au calendrier des comités",
            "mettre les réunions dans mon calendrier",
        ),
        lambda slots: "mon agenda",
    ),
    Intent(
        "update_indicators",
        "Saisir mes indicateurs",
        (
            "je veux saisir mes chiffres",
            "je voudrais remplir mes indicateurs",
            "mettre à jour mes valeurs",
            "saisie des indicateurs",
            "je viens renseigner les données du trimestre",
        ),
        lambda slots: "mettre à jour mes indicateurs",
    ),
)

INTENTS_BY_ENTRY_ID = {intent.entry_id: intent for intent in INTENTS}
