"""The DECP in the chat: the lead sends the body's file (JSON, or the consolidated CSV) and gets the
import report card; « d'où vient IND-01 ? »; the contracts notified without an environmental
consideration since the law asks for one in every contract."""

from __future__ import annotations

from pathlib import Path

from botbuilder.core import TurnContext

from bot.attachments import IncomingFile, fetched_path
from bot.handler import FileHandler
from bot.router import LEAD_ONLY, Command, CommandCall
from dialogs.cards import card_message
from domain.decp.reader import looks_like_decp_csv
from domain.decp.report import import_report_card, missing_environmental_text, provenance_text
from domain.errors import DomainError
from domain.people import PersonView, Role
from storage.decp.service import DecpService

MAX_DECP_BYTES = 64 * 1024 * 1024
"""A year of a big body's contracts (~20,000) is 30–40 MB of JSON; the file is streamed to disk."""
TOPIC = "Données essentielles de la commande publique (DECP)"
IMPORT_HELP = (
    "Pour calculer les indicateurs depuis les données essentielles de la commande publique (DECP) de "
    "l’organisme, envoyez-moi son fichier dans cette conversation : le JSON publié (format 2024) ou le CSV "
    "consolidé. En ligne de commande : « spaser-bot import-decp FICHIER --siret 12345678900012 ». "
    "Seuls les marchés des SIRET de l’organisme sont gardés (variable SPASER_SIRETS) ; un marché compte une "
    "fois, dans son dernier état, et un nouvel import n’ajoute rien en double. Les indicateurs calculés sont "
    "ceux dont la colonne « calcul » du catalogue commence par `decp:` (par exemple `decp:part-sociale-nombre`)."
)
NOTHING_IMPORTED = "Rien n’a été importé."


def build_commands(decp: DecpService) -> list[Command]:
    async def explain_provenance(call: CommandCall) -> None:
        try:
            provenance = await decp.provenance(call.match.group("code"))
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        await call.turn_context.send_activity(provenance_text(provenance))

    async def list_missing_environmental(call: CommandCall) -> None:
        contracts, total = await decp.missing_environmental()
        await call.turn_context.send_activity(missing_environmental_text(contracts, total))

    async def explain_import(call: CommandCall) -> None:
        await call.turn_context.send_activity(IMPORT_HELP)

    return [
        Command(
            "decp_provenance",
            (r"^(d'?ou (vient|viennent|provient)|(la )?provenance de|(la )?source de)( la valeur de| l'indicateur)? (?P<code>[a-z0-9][a-z0-9_.-]{0,31})$",),
            explain_provenance,
            roles=LEAD_ONLY,
            help_line="« d’où vient IND-24 ? » : la source d’un indicateur et le nombre de marchés derrière le chiffre",
            topic=TOPIC,
            # Reader 10, C12: an indicator computed from the DECP (IND-01 is entered by hand).
            example="d’où vient IND-24 ?",
        ),
        Command(
            "decp_missing_environmental",
            (r"^(les |liste des |lister les )?marches? sans (aucune )?(consideration|clause|critere)s? environnementale?s?$",),
            list_missing_environmental,
            roles=LEAD_ONLY,
            help_line="« marchés sans considération environnementale » : les marchés notifiés à compter du 21 août 2026 qui n’en déclarent aucune dans les DECP. L’obligation ne vaut que pour les consultations engagées à compter de cette date : vérifiez pour chaque marché la date de lancement de sa consultation.",
            topic=TOPIC,
        ),
        Command(
            "decp_import_help",
            (r"\bimporter (les |nos )?(decp|donnees essentielles)\b",),
            explain_import,
            roles=LEAD_ONLY,
            help_line="« importer les DECP » : calculer les indicateurs depuis les données essentielles",
            topic=TOPIC,
        ),
    ]


def build_file_handlers(decp: DecpService, csv_fallback: FileHandler | None = None) -> dict[str, FileHandler]:
    """`.json`: the DECP. `.csv`: the DECP when its header is DECP's, otherwise `csv_fallback` (the catalogue)."""

    async def import_json(turn_context: TurnContext, person: PersonView | None, file: IncomingFile) -> None:
        if not _is_lead(person):
            await turn_context.send_activity("Seules les personnes responsables du SPASER peuvent importer les données essentielles (DECP) de l’organisme.")
            return
        path = await _downloaded(turn_context, file)
        if path is not None:
            await _import(turn_context, person, file, path)

    async def import_csv(turn_context: TurnContext, person: PersonView | None, file: IncomingFile) -> None:
        if not _is_lead(person) and csv_fallback is not None:
            await csv_fallback(turn_context, person, file)
            return
        path = await _downloaded(turn_context, file)
        if path is None:
            return
        with path.open("rb") as stream:
            is_decp = looks_like_decp_csv(stream.read(4096))
        if is_decp or csv_fallback is None:
            await _import(turn_context, person, file, path)
        else:
            await csv_fallback(turn_context, person, file)

    async def _import(turn_context: TurnContext, person: PersonView, file: IncomingFile, path: Path) -> None:
        try:
            report = await decp.import_file(path, file.name, person)
        except DomainError as error:
            await turn_context.send_activity(f"{error.message}\n\n{NOTHING_IMPORTED}")
            return
        await turn_context.send_activity(card_message(import_report_card(report), "Import des DECP"))

    return {".json": import_json, ".csv": import_csv}


async def _downloaded(turn_context: TurnContext, file: IncomingFile) -> Path | None:
    """Where the file fetched for this turn is; None (the person is told why) when it could not be."""
    try:
        return fetched_path(turn_context, file)
    except DomainError as error:
        await turn_context.send_activity(f"{error.message}\n\n{NOTHING_IMPORTED}")
        return None


def _is_lead(person: PersonView | None) -> bool:
    return person is not None and person.role is Role.LEAD
