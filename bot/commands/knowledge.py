"""Questions about the SPASER (the FAQ fallback) and the lead's care of the knowledge base."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ActionTypes, CardAction, SuggestedActions

from bot.attachments import IncomingFile, fetched
from bot.router import LEAD_ONLY, Command, CommandCall, GroupReply
from dialogs.knowledge.answer_question_dialog import AnswerQuestionDialog, AnswerQuestionOptions
from domain.cards import button_title
from domain.clock import format_date_fr
from domain.errors import DomainError
from domain.knowledge.document import MAX_DOCUMENT_BYTES
from domain.knowledge.render import NOT_UNDERSTOOD_TEXT, format_answer
from domain.people import PersonView, Role
from domain.text import shown
from storage.knowledge.service import KnowledgeService

DOCUMENT_EXTENSIONS = (".pdf", ".md", ".markdown", ".txt")
HELP_HINT = "Tapez « aide » pour voir ce que je sais faire."
RECORDED_NOTE = "J’ai transmis votre question à la personne responsable du SPASER, qui pourra y répondre."
IMPORT_HELP = (
    "Pour importer le SPASER adopté par votre organisme, envoyez-moi le fichier (PDF, Markdown ou texte) "
    "dans cette conversation, ou utilisez la commande `spaser-bot import-spaser FICHIER`. "
    "Un nouvel import remplace le précédent."
)


def suggestion_buttons(titles: list[str]) -> list[CardAction]:
    return [CardAction(type=ActionTypes.im_back, title=button_title(title)[:80], value=title) for title in titles]


def build_commands(knowledge: KnowledgeService) -> tuple[list[Command], object]:
    """The lead's commands, and the fallback that answers any other text from the knowledge base."""

    async def answer_from_knowledge(call: CommandCall) -> None:
        answer = call.understanding.answer
        recorded_id = await knowledge.record(answer, call.person.id if call.person else None)
        text = format_answer(answer)
        says_help = text == NOT_UNDERSTOOD_TEXT  # it already ends « ou tapez « aide » pour voir… »
        if recorded_id is not None:
            text += f"\n\n{RECORDED_NOTE}"
        if answer.entry is None and not says_help:
            text += f"\n\n{HELP_HINT}"
        reply = MessageFactory.text(text)
        topics = answer.related if answer.entry is not None else answer.suggestions
        if topics:
            reply.suggested_actions = SuggestedActions(actions=suggestion_buttons([entry.title for entry in topics]))
        await call.turn_context.send_activity(reply)

    async def list_open_questions(call: CommandCall) -> None:
        questions = await knowledge.open_questions()
        if not questions:
            await call.turn_context.send_activity("Aucune question en attente de réponse.")
            return
        base = await knowledge.knowledge_base()
        lines = ["Questions auxquelles je n’ai pas su répondre (les plus récentes d’abord) :"]
        buttons = []
        for qid, text, asked_at in questions:
            lines.append(f"- n° {qid} ({format_date_fr(asked_at.date())}) : « {shown(text[:200])} »")
            for entry in knowledge.suggestions_for(base, text):
                lines.append(f"  la fiche « {entry.title} » y répond peut-être : « rattacher la question {qid} à {entry.id} »")
                buttons.append(CardAction(type=ActionTypes.im_back, title=f"n° {qid} → {entry.id}"[:80],
                                          value=f"rattacher la question {qid} à {entry.id}"))
        lines.append("\nPour écrire une réponse : « répondre à la question N ».")
        reply = MessageFactory.text("\n".join(lines))
        answer_buttons = [
            CardAction(type=ActionTypes.im_back, title=f"Répondre à la n° {qid}", value=f"répondre à la question {qid}")
            for qid, _, _ in questions[:2]
        ]
        reply.suggested_actions = SuggestedActions(actions=[*buttons[:3], *answer_buttons])
        await call.turn_context.send_activity(reply)

    async def attach_question(call: CommandCall) -> None:
        try:
            text = await knowledge.attach_question(int(call.match["id"]), call.match["entry"], call.person)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        await call.turn_context.send_activity(
            f"C’est noté : « {shown(text[:200])} » mène désormais à la fiche « {call.match['entry']} », "
            "pour tout le monde."
        )

    async def answer_open_question(call: CommandCall) -> None:
        await call.dialog_context.begin_dialog(
            AnswerQuestionDialog.__name__, AnswerQuestionOptions(question_id=int(call.match.group("id")))
        )

    async def explain_import(call: CommandCall) -> None:
        await call.turn_context.send_activity(IMPORT_HELP)

    commands = [
        Command(
            "open_questions",
            (r"\bquestions? (sans reponse|non repondues?|en attente)\b",),
            list_open_questions,
            roles=LEAD_ONLY,
            help_line="« questions sans réponse » : ce que les agent·es ont demandé sans obtenir de réponse",
            topic="Questions sur le SPASER",
            example="questions sans réponse",
        ),
        Command(
            "attach_question",
            (r"^rattache[rz]? (la )?question (n(o|°)? ?)?(?P<id>\d{1,9}) (a|au|a la) (fiche )?(?P<entry>[a-z0-9][a-z0-9-]{0,79})$",),
            attach_question,
            roles=LEAD_ONLY,
            help_line="« rattacher la question 3 à la fiche copil » : la question n° 3 renverra désormais à la fiche « copil » (sur le comité de pilotage)",
            topic="Questions sur le SPASER",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "answer_question",
            (r"^repondre (a )?(la )?question (n(o|°)? ?)?(?P<id>\d{1,9})\b",),
            answer_open_question,
            roles=LEAD_ONLY,
            help_line="« répondre à la question 3 » : votre réponse sera donnée aux personnes qui la poseront",
            topic="Questions sur le SPASER",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "import_document",
            (r"\bimporter (notre |le |mon )?(spaser|document)\b",),
            explain_import,
            roles=LEAD_ONLY,
            help_line="« importer notre SPASER » : pour que je cite votre propre document",
            topic="Questions sur le SPASER",
            example="importer notre SPASER",
            in_groups=GroupReply.HERE,
        ),
    ]
    return commands, answer_from_knowledge


def build_file_handlers(knowledge: KnowledgeService) -> dict:
    """A PDF, Markdown or text file sent by the lead is imported as the organisation's SPASER."""

    async def import_spaser_file(turn_context: TurnContext, person: PersonView | None, file: IncomingFile) -> None:
        if person is None or person.role is not Role.LEAD:
            await turn_context.send_activity("Seules les personnes responsables du SPASER peuvent importer le SPASER de l’organisme.")
            return
        try:
            data = fetched(turn_context, file, MAX_DOCUMENT_BYTES)
            result = await knowledge.import_document(data, file.name, person)
        except DomainError as error:
            await turn_context.send_activity(f"{error.message}\n\nRien n’a été modifié.")
            return
        await turn_context.send_activity(import_report(file.name, result))

    return {extension: import_spaser_file for extension in DOCUMENT_EXTENSIONS}


def import_report(filename: str, result) -> str:
    replaced = (
        f" Il remplace « {result.replaced.filename} » importé le {format_date_fr(result.replaced.imported_at.date())}."
        if result.replaced
        else ""
    )
    return (
        f"Votre SPASER « {filename} » est importé : {result.section_count} sections.{replaced} "
        "Essayez : « Que dit notre SPASER sur les clauses sociales ? »"
    )
