"""Summary commands.

- « synthèse », « où en est-on ? », « état d'avancement » [axe …] [direction …] (registered
  people; the scope comes from the server-side person: a contributor sees their directorate):
  the compact card; « synthèse détaillée » (or its « Voir le détail » button): the detail;
- « exporter la synthèse en PDF|HTML|CSV|XLSX » [filters] → a card with a personal link;
- « synthèse hebdomadaire oui|non » (registered people).

Commands open to everyone refuse unregistered people themselves, with a sentence that says
why, rather than the router's "reserved to the lead".
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.router import REGISTERED, Command, CommandCall
from dialogs.cards import adaptive_card, card_message
from domain.cards import im_back, titled_text_card
from domain.clock import link_expiry_text
from domain.errors import DomainError
from domain.people import Role
from domain.summary import answers, wording
from domain.summary.documents import ExportFormat
from domain.summary.links import SummaryLinks
from domain.summary.request import SUMMARY_PATTERNS, parse_summary_request
from domain.text import fold, plain_excerpt
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService, scope_of

EXPORT_LINK_LIFETIME = timedelta(hours=1)

_FORMAT = re.compile(r"\s*\b(?:en |au format |format )?(?:une |un )?(?P<format>pdf|html|page web|csv|xlsx|excel|tableur)\b")
_FORMAT_WORDS = {"pdf": ExportFormat.PDF, "html": ExportFormat.HTML, "page web": ExportFormat.HTML, "csv": ExportFormat.CSV,
                 "xlsx": ExportFormat.XLSX, "excel": ExportFormat.XLSX, "tableur": ExportFormat.XLSX}
_FORMAT_NAMES = {ExportFormat.PDF: "PDF", ExportFormat.HTML: "page web", ExportFormat.CSV: "fichier CSV",
                 ExportFormat.XLSX: "classeur Excel", ExportFormat.CHART: "image"}
"""The export card's title says what the file is (« Synthèse SPASER (page web) »), not a bare extension."""
_DOWNLOADS = {ExportFormat.PDF: "Télécharger le PDF", ExportFormat.HTML: "Ouvrir la page web",
              ExportFormat.CSV: "Télécharger le fichier CSV", ExportFormat.XLSX: "Télécharger le classeur Excel",
              ExportFormat.CHART: "Télécharger l’image"}
"""The button says what it gives, in words (« Ouvrir la page web »), not « Télécharger (HTML) »."""
_YES = re.compile(r"\b(oui|activer?|active[rz]?|abonne[rz]?( moi)?|s'abonner|je veux)\b")
_NO = re.compile(r"\b(non|desactive[rz]?|arrete[rz]?|stop|desabonne[rz]?( moi)?|plus)\b")
EXPORT_PATTERNS = (
    r"^(exporte[rz]?|telecharge[rz]?|envoie[rz]?(-moi)?|genere[rz]?) (la |le |un |une )?"
    r"(synthese|rapport|bilan|valeurs des indicateurs)\b",
    r"^(la )?synthese en (pdf|html|page web|csv|xlsx|excel|tableur)\b",
)
WEEKLY_PATTERN = r"^(la )?synthese (hebdomadaire|hebdo|de la semaine|chaque semaine|toutes les semaines)\b(?P<rest>.*)$"


def _filters(call: CommandCall) -> str:
    found = call.match.groupdict().get("filters") if call.match else None
    return found or ""


def _capitalised(message: str) -> str:
    return message[:1].upper() + message[1:]


def build_commands(service: SummaryService, links: SummaryLinks, subscriptions: SummaryRepository, tz: str) -> list[Command]:
    async def show_summary(call: CommandCall) -> None:
        try:
            request = parse_summary_request(call.text)
            read = await service.read_by(call.person, request)
        except DomainError as error:
            await call.turn_context.send_activity(_capitalised(error.message))
            return
        summary = read.summary
        content = links.card_content(summary, call.person.id, detail=request.detail)
        fingerprint = service.fingerprint(read, None if request.detail else content)
        await call.turn_context.send_activity(
            card_message(content, f"{wording.TITLE} : {wording.preview_text(summary)}")
        )
        await service.record_shown(call.person.id, fingerprint)

    async def export(call: CommandCall) -> None:
        folded = fold(call.text)
        found = _FORMAT.search(folded)
        if found is None:
            await call.turn_context.send_activity(card_message(_format_question(folded), "Quel format d’export ?"))
            return
        export_format = _FORMAT_WORDS[found["format"]]
        try:
            request = parse_summary_request(folded[: found.start()] + folded[found.end():])
            summary = await service.for_person(call.person, request)
        except DomainError as error:
            await call.turn_context.send_activity(_capitalised(error.message))
            return
        url, expires_at = links.link(call.person.id, export_format, request, EXPORT_LINK_LIFETIME)
        validity = link_expiry_text(expires_at, EXPORT_LINK_LIFETIME, expires_at - EXPORT_LINK_LIFETIME, tz)
        body = [
            {"type": "TextBlock", "text": f"{wording.TITLE} ({_FORMAT_NAMES[export_format]})", "size": "Medium",
             "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": f"{_what(export_format)}.", "wrap": True},
            {"type": "TextBlock", "text": wording.scope_text(summary), "wrap": True, "isSubtle": True,
             "spacing": "None"},
            {"type": "TextBlock", "wrap": True, "isSubtle": True, "size": "Small",
             "text": f"Ce lien est personnel et {validity}. Ne le transférez pas : pour un nouveau lien, "
                     "redemandez l’export."},
        ]
        action = {"type": "Action.OpenUrl", "title": _DOWNLOADS[export_format], "url": url}
        await call.turn_context.send_activity(
            card_message(adaptive_card(body, [action]), f"{wording.TITLE} prête : {_FORMAT_NAMES[export_format]}")
        )

    def answering(answer_of):
        async def answer(call: CommandCall) -> None:
            try:
                summary = await service.for_person(call.person, parse_summary_request(_filters(call)))
            except DomainError as error:
                await call.turn_context.send_activity(_capitalised(error.message))
                return
            text = answer_of(summary)
            titled = titled_text_card(text)
            # A titled answer as a card: its title in bold, as every card's (reader 11, C27).
            await call.turn_context.send_activity(card_message(titled, plain_excerpt(text.split("\n")[0], 200)) if titled else text)

        return answer

    async def weekly(call: CommandCall) -> None:
        try:
            scope_of(call.person)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        rest = fold(call.match["rest"] or "") if call.match else ""
        if _NO.search(rest):
            await subscriptions.set_weekly(call.person.id, False)
            await call.turn_context.send_activity("C’est noté : vous ne recevrez plus la synthèse hebdomadaire.")
        elif _YES.search(rest):
            await subscriptions.set_weekly(call.person.id, True)
            await call.turn_context.send_activity(
                "C’est noté : vous recevrez la synthèse SPASER chaque lundi à 8 h. "
                "« synthèse hebdomadaire non » pour l’arrêter."
            )
        else:
            subscribed = await subscriptions.is_weekly(call.person.id)
            state = "Vous recevez" if subscribed else "Vous ne recevez pas"
            await call.turn_context.send_activity(
                f"{state} la synthèse hebdomadaire (chaque lundi à 8 h). Tapez « synthèse hebdomadaire oui » "
                "ou « synthèse hebdomadaire non »."
            )

    return [
        Command(
            "late_indicators",
            (r"^(les )?indicateurs (en retard|a surveiller)(?P<filters>( direction [a-z0-9_-]{1,32})?)$",),
            answering(answers.late_answer),
            roles=REGISTERED,
            help_line="« indicateurs en retard » : ce qui est en retard ou pas renseigné (pour une seule direction : « indicateurs en retard direction DCP »)",
            topic="Synthèse",
            intent="late_indicators",
        ),
        Command(
            "directorates_behind",
            (r"^(les )?directions (en retard|pas a jour|a relancer)$",),
            answering(answers.not_up_to_date_answer),
            roles=REGISTERED,
            help_line="« directions en retard » : les directions qui n’ont pas encore saisi leurs indicateurs pour la dernière période terminée",
            topic="Synthèse",
            intent="directorates_not_up_to_date",
        ),
        Command(
            "reached_indicators",
            (r"^(les )?(indicateurs|cibles) atteint(e)?s$",),
            answering(answers.reached_answer),
            roles=REGISTERED,
            help_line="« indicateurs atteints » : les cibles déjà atteintes",
            topic="Synthèse",
            intent="reached_indicators",
        ),
        Command(
            "summary_weekly",
            (WEEKLY_PATTERN,),
            weekly,
            roles=REGISTERED,
            help_line="« synthèse hebdomadaire oui » : recevoir la synthèse chaque lundi (« non » pour arrêter)",
            topic="Synthèse",
        ),
        Command(
            "summary_export",
            EXPORT_PATTERNS,
            export,
            roles=REGISTERED,
            help_line="« exporter la synthèse en PDF » : un lien pour télécharger le rapport pour le comité de pilotage (« exporter la synthèse en page web » pour le lire dans le navigateur, « exporter la synthèse en tableur » pour les valeurs)",
            topic="Synthèse",
        ),
        Command(
            "summary",
            SUMMARY_PATTERNS,
            show_summary,
            roles=REGISTERED,
            intent="summary",
            help_line="« synthèse », « où en est-on ? » : l’état d’avancement du SPASER "
                      "(« synthèse détaillée », « synthèse axe social », « synthèse direction DCP »)",
            example="où en est-on ?",
            topic="Synthèse",
            suggested_first_to=frozenset({Role.OFFICIAL}),
        ),
    ]


def _what(export_format: ExportFormat) -> str:
    if export_format in (ExportFormat.PDF, ExportFormat.HTML):
        return (
            "Rapport pour le comité de pilotage : les points d’attention, puis le détail de chaque indicateur et les "
            "commentaires des directions"
        )
    return "Valeurs des indicateurs par direction et par période, avec leur date de saisie et qui les a saisies"


def _format_question(folded_text: str):
    """Buttons repeating the request with each format (filters kept)."""
    request_text = folded_text.strip()
    buttons = [im_back(label, f"{request_text} en {fmt}") for label, fmt in
               (("PDF", "pdf"), ("Page web", "page web"), ("Tableur Excel", "tableur"), ("Fichier CSV", "csv"))]
    body = [{"type": "TextBlock", "wrap": True,
             "text": "En quel format ? Le rapport pour le comité de pilotage en PDF ou en page web, les valeurs en tableur Excel ou en fichier CSV."}]
    return adaptive_card(body, buttons)
