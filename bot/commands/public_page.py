"""The lead publishes the SPASER on a public page (opt-in), or takes it down."""

from __future__ import annotations

import re

from bot.router import LEAD_ONLY, Command, CommandCall
from domain.errors import DomainError
from domain.public_page import CSV_PATH, PAGE_PATH
from storage.public_page import PublicPageService

TOPIC = "Données essentielles de la commande publique (DECP)"
_ORGANISATION_NOUNS = (
    r"ville|commune|m[ée]tropole|eurom[ée]tropole|communaut[ée]|agglom[ée]ration|r[ée]gion|d[ée]partement|"
    r"collectivit[ée]|conseil|syndicat|[ée]tablissement|centre"
)
_NAME = re.compile(
    rf"\b(?:pour|au nom de)\s+(?:(?:la|le|l['’])\s*(?=(?:{_ORGANISATION_NOUNS})\b))?(?P<name>.+)$",
    re.IGNORECASE | re.DOTALL,
)
"""« pour la Ville de Démoville » names « Ville de Démoville »: the article is the sentence's, not the name's."""
_PAGE = r"(la page (publique )?(du |de notre )?spaser|le spaser|la page publique)"
_SEND_THE_DOCUMENT = (
    "Le SPASER doit être rendu public\u00a0: envoyez-moi son fichier (PDF, Markdown ou texte) dans cette conversation, "
    "et la page montrera son titre et son plan."
)


def no_document_warning(contact: str) -> str:
    """What the lead learns on publishing without the adopted SPASER, as the page says it: with a contact
    (`SPASER_PUBLIC_CONTACT`), the page invites residents to ask for it there; without one, it leaves the
    adopted SPASER out (reader 14, m11: a placeholder with no one to write to)."""
    if contact:
        return (
            "⚠ Je n’ai pas encore le texte du SPASER adopté\u00a0: la page dit qu’il sera mis en ligne et invite, en "
            f"attendant, à vous le demander en écrivant à {contact}. {_SEND_THE_DOCUMENT}"
        )
    return (
        "⚠ Je n’ai pas encore le texte du SPASER adopté\u00a0: la page n’en parle donc pas. "
        f"{_SEND_THE_DOCUMENT} En attendant, la personne qui administre l’assistant peut indiquer sur la page "
        "une adresse où le demander (`SPASER_PUBLIC_CONTACT`)."
    )


def build_commands(pages: PublicPageService, public_url: str) -> list[Command]:
    page_url, csv_url = public_url.rstrip("/") + PAGE_PATH, public_url.rstrip("/") + CSV_PATH

    async def publish(call: CommandCall) -> None:
        found = _NAME.search(call.text)
        try:
            state = await pages.publish(call.person, found["name"] if found else None)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        has_document = await pages.has_document()
        shown = "le SPASER adopté et les indicateurs" if has_document else "les indicateurs"
        text = (
            f"La page publique du SPASER est en ligne au nom de « {state.organisation_name} » : {page_url} "
            f"(données ouvertes : {csv_url}). Elle montre {shown} avec leurs dernières "
            "valeurs, cibles et progression, sans nom de personne ni commentaire. Pour la retirer : « retirer la page SPASER »."
        )
        if not has_document:  # said to the lead rather than found on the page (reader 9, C10)
            text += "\n\n" + no_document_warning(pages.contact)
        await call.turn_context.send_activity(text)

    async def unpublish(call: CommandCall) -> None:
        try:
            await pages.unpublish(call.person)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        await call.turn_context.send_activity(f"La page publique du SPASER est retirée : {page_url} ne répond plus.")

    async def show_state(call: CommandCall) -> None:
        state = await pages.state()
        if state.published:
            text = f"La page publique du SPASER est en ligne au nom de « {state.organisation_name} » : {page_url}."
        else:
            text = (
                "La page publique du SPASER n’est pas publiée. Pour la mettre en ligne : "
                "« publier la page SPASER pour <nom de l’organisme> »."
            )
        await call.turn_context.send_activity(text)

    return [
        Command(
            "public_page_publish",
            (rf"^(publier|mettre en ligne) {_PAGE}( (pour|au nom de|de) .{{1,160}})?$",),
            publish,
            roles=LEAD_ONLY,
            help_line="« publier la page SPASER pour la Ville de Rennes » : le SPASER et ses indicateurs sur une page publique",
            topic=TOPIC,
            example="publier la page SPASER",
        ),
        Command(
            "public_page_unpublish",
            (rf"^(retirer|depublier|mettre hors ligne) {_PAGE}$",),
            unpublish,
            roles=LEAD_ONLY,
            help_line="« retirer la page SPASER » : mettre la page publique hors ligne",
            topic=TOPIC,
        ),
        Command("public_page_state", (r"^page (publique|spaser)$",), show_state, roles=LEAD_ONLY, topic=TOPIC),
    ]
