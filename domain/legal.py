"""The privacy notice and the terms of use the Teams manifest links to, in French, as plain data.

Written from what the assistant actually stores (the tables of storage/) and how long it keeps it;
the body that runs it and its data-protection officer come from the settings
(`SPASER_ORGANISATION_NAME`, `SPASER_DPO_CONTACT`). `bot/legal_http.py` serves them as HTML pages.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ORGANISATION = "l’organisme public qui met l’assistant à disposition"
DEFAULT_DPO = "le ou la délégué·e à la protection des données (DPD) de cet organisme"


@dataclass(frozen=True)
class LegalPage:
    title: str
    introduction: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    """(heading, paragraphs or list items)."""


def privacy_notice(organisation: str, dpo_contact: str) -> LegalPage:
    organisation = organisation or DEFAULT_ORGANISATION
    dpo = dpo_contact or DEFAULT_DPO
    return LegalPage(
        title="Assistant SPASER : protection de vos données",
        introduction=(
            f"L’assistant du SPASER est une application Microsoft Teams exploitée par {organisation}, responsable "
            "du traitement. Il sert à la gouvernance du schéma de promotion des achats publics socialement "
            "et écologiquement responsables (SPASER) : répondre aux questions, recueillir les indicateurs des "
            "directions, préparer et rappeler les comités, diffuser la synthèse. Base légale : l’exécution "
            "d’une mission d’intérêt public (article 6-1-e du RGPD) ; l’obligation d’adopter un SPASER vient "
            "de l’article L. 2111‑3 du code de la commande publique."
        ),
        sections=(
            (
                "Ce qui est enregistré",
                (
                    "Votre identité Microsoft 365 : nom affiché, adresse e-mail professionnelle, identifiants "
                    "Azure AD (objet et locataire), et, si l’annuaire Microsoft 365 est consulté, le nom qu’il donne.",
                    "Votre rôle dans le SPASER (responsable du SPASER, contributeur·rice, élu·e ou directeur·rice) et "
                    "votre direction, tels que la personne responsable du SPASER les a saisis.",
                    "L’adresse technique de votre conversation avec l’assistant dans Teams, pour vous écrire "
                    "(rappels, diffusions), et l’état de l’échange en cours.",
                    "Les valeurs d’indicateurs que vous saisissez, avec leur auteur·rice, leur date et votre "
                    "commentaire ; une correction ajoute une ligne sans effacer la précédente.",
                    "Les messages que l’assistant vous envoie de lui-même et leur sort (envoyé, en échec, "
                    "injoignable) ; les diffusions de la personne responsable du SPASER ; les questions restées sans "
                    "réponse ; votre choix de recevoir la synthèse chaque semaine ; le secret de votre lien d’agenda.",
                    "Les comités planifiés ; si l’agenda Outlook est relié, l’identifiant de l’invitation créée "
                    "dans la boîte aux lettres organisatrice, dont vous êtes participant·e.",
                    "Les identifiants techniques des messages reçus, pour ne pas traiter deux fois le même.",
                ),
            ),
            (
                "Pourquoi",
                (
                    "Vous reconnaître et appliquer votre rôle (ce que vous pouvez voir et modifier) ; vous "
                    "rappeler les comités et les indicateurs à renseigner ; tenir l’historique des indicateurs "
                    "exigé par le suivi du SPASER ; dire à la personne responsable du SPASER qui n’a pas pu être joint. "
                    "Aucune donnée n’est utilisée à d’autres fins, vendue ni transmise hors de votre organisme.",
                ),
            ),
            (
                "Combien de temps",
                (
                    "Les identifiants des messages reçus : deux jours.",
                    "Votre identité, votre rôle et l’adresse de votre conversation : tant que vous êtes "
                    "enregistré·e ; la personne responsable du SPASER peut vous retirer votre rôle à tout moment.",
                    "Les valeurs d’indicateurs, leur historique, les comités, les diffusions et les messages "
                    "envoyés : pendant la durée du SPASER en cours et de son évaluation, puis selon les règles "
                    "d’archivage de votre organisme.",
                ),
            ),
            (
                "Où",
                (
                    "Dans la base de données de l’assistant, hébergée par votre organisme ou pour son compte, et "
                    "dans Microsoft 365 (Teams, Outlook) sous le contrat de votre organisme avec Microsoft.",
                ),
            ),
            (
                "Vos droits et qui contacter",
                (
                    "Vous pouvez accéder à vos données, les faire rectifier ou effacer, et vous opposer à leur "
                    f"traitement, en écrivant à {dpo}. Vous pouvez aussi saisir la CNIL (www.cnil.fr).",
                ),
            ),
        ),
    )


def terms_of_use(organisation: str, dpo_contact: str) -> LegalPage:
    organisation = organisation or DEFAULT_ORGANISATION
    dpo = dpo_contact or DEFAULT_DPO
    return LegalPage(
        title="Assistant SPASER : conditions d’utilisation",
        introduction=(
            f"L’assistant du SPASER est mis à la disposition des agent·es et des élu·es par {organisation}, "
            "dans Microsoft Teams, pour le suivi du SPASER."
        ),
        sections=(
            (
                "Usage",
                (
                    "L’assistant est réservé à un usage professionnel, dans le cadre du SPASER de votre organisme.",
                    "Ce que vous saisissez (valeurs, commentaires) est enregistré à votre nom et visible par la "
                    "personne responsable du SPASER et, dans la synthèse, par les élu·es.",
                    "Les réponses sur le SPASER viennent d’une base de connaissances rédigée à partir des textes "
                    "publics et du SPASER adopté ; elles ne remplacent pas un avis juridique.",
                ),
            ),
            (
                "Disponibilité",
                (
                    "L’assistant est fourni sans garantie de disponibilité ; un rappel peut arriver en retard "
                    "après une interruption du service, jamais en double à dessein.",
                ),
            ),
            (
                "Contact",
                (
                    "Pour une question sur le SPASER : la personne responsable du SPASER de votre organisme. Pour vos "
                    f"données personnelles : {dpo}.",
                ),
            ),
        ),
    )
