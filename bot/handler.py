"""The Teams activity handler: identifies the person, keeps conversation references, routes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from botbuilder.core import ConversationState, InvokeResponse, TurnContext, UserState
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.dialogs import DialogSet, DialogTurnStatus
from botbuilder.schema import ChannelAccount

from bot.attachments import IncomingFile, incoming_files
from bot.indicator_choices import IndicatorChoices
from bot.middleware import tenant_of
from bot.private_replies import PrivateReplies, in_group
from bot.router import Command, CommandCall, GroupReply, Router
from dialogs.base import PERSON_KEY
from dialogs.cards import card_message
from domain.cards import welcome_card
from domain.indicators.units import format_number
from domain.people import PersonView, role_refusal
from domain.understanding.understanding import Understood
from storage.knowledge.understanding import UnderstandingService
from storage.people import ConversationRefRepository, PeopleRepository

log = logging.getLogger(__name__)

CardActionHandler = Callable[[TurnContext, PersonView | None, dict], Awaitable[None]]
FileHandler = Callable[[TurnContext, PersonView | None, IncomingFile], Awaitable[None]]
UNKNOWN_INPUT_REPLY = (
    "Je n’ai pas compris. Tapez « aide » pour voir ce que je sais faire, "
    "ou posez-moi une question sur le SPASER."
)
EMPTY_INPUT_REPLY = "Je n’ai reçu aucun texte. Tapez « aide » pour voir ce que je sais faire."
MAX_MESSAGE_CHARS = 4000
"""The longest answer a dialog takes (a broadcast, an agenda): anything longer is refused at once."""
MAX_ROUTED_CHARS = 1000
"""A question or a command is a few sentences; longer text is not matched against anything."""
TOO_LONG_TO_UNDERSTAND = (
    "Votre message est trop long pour que je le comprenne : posez votre question ou donnez votre "
    "commande en une ou deux phrases."
)
ANSWERED_PRIVATELY = "Je vous ai répondu en message privé : ce que vous demandez ne concerne que vous."
ASK_ME_PRIVATELY = (
    "Je ne peux pas répondre ici : ce que vous demandez ne concerne que vous. Écrivez-moi en conversation "
    "privée (cliquez sur mon nom, puis sur « Conversation ») et redemandez-le."
)
UNIVERSAL_ACTION_REPLY = "Ce bouton n’est plus valable. Tapez « aide » pour recommencer."
WELCOMED_FLAG = "welcomed"
ROSTER_KEY = "spaser.roster_member"


def too_long(length: int, limit: int) -> str:
    return (
        f"Votre message est trop long ({format_number(length)} caractères, {format_number(limit)} au plus) : "
        "raccourcissez-le, s’il vous plaît."
    )


def universal_action_response(value: object) -> InvokeResponse:
    """The cards use Action.Submit; an Action.Execute (an old or forged card) gets a French message."""
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        error = {"code": "BadRequest", "message": "malformed adaptiveCard/action"}
        body = {"statusCode": 400, "type": "application/vnd.microsoft.error", "value": error}
        return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body=body)
    body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": UNIVERSAL_ACTION_REPLY}
    return InvokeResponse(status=HTTPStatus.OK, body=body)


class SpaserBot(TeamsActivityHandler):
    def __init__(
        self,
        *,
        conversation_state: ConversationState,
        user_state: UserState,
        dialogs: DialogSet,
        router: Router,
        people: PeopleRepository,
        conversation_refs: ConversationRefRepository,
        private_replies: PrivateReplies,
        understanding: UnderstandingService | None = None,
        card_actions: dict[str, CardActionHandler] | None = None,
        file_handlers: dict[str, FileHandler] | None = None,
    ) -> None:
        super().__init__()
        self._conversation_state = conversation_state
        self._user_state = user_state
        self._dialogs = dialogs
        self._router = router
        self._people = people
        self._conversation_refs = conversation_refs
        self._private = private_replies
        self._understanding = understanding
        self._card_actions = card_actions if card_actions is not None else {}
        self._file_handlers = file_handlers if file_handlers is not None else {}
        self._conversation_flags = conversation_state.create_property("SpaserFlags")
        self._indicator_choices = IndicatorChoices(conversation_state)
        self._known_conversations: set[str] = set()

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        await self._conversation_state.save_changes(turn_context)
        await self._user_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        person = await self._identify(turn_context)
        await self._remember_conversation(turn_context)
        activity = turn_context.activity
        text = (TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text) or ""
        text = text.strip()
        if len(text) > MAX_MESSAGE_CHARS:
            await turn_context.send_activity(too_long(len(text), MAX_MESSAGE_CHARS))
            return
        dialog_context = await self._dialogs.create_context(turn_context)
        if isinstance(activity.value, dict) and activity.value.get("action") and not text:
            await self._handle_card_action(turn_context, person, activity.value)
            return
        files = incoming_files(activity)
        if files:
            await self._handle_files(turn_context, person, files)
            return
        result = await dialog_context.continue_dialog()
        if result.status != DialogTurnStatus.Empty:
            return
        if not text:
            await turn_context.send_activity(EMPTY_INPUT_REPLY)
            return
        if len(text) > MAX_ROUTED_CHARS:
            await turn_context.send_activity(TOO_LONG_TO_UNDERSTAND)
            return
        call_args = dict(turn_context=turn_context, dialog_context=dialog_context, person=person, text=text)
        found = self._router.find(text)
        chosen = await self._indicator_choices.take(turn_context, text)
        if found is None and chosen is not None:
            found = self._router.find(chosen)  # « IND-24 », after « lequel voulez-vous dire ? »
            if found is not None:
                call_args["text"] = chosen
        understanding = None
        if found is None and self._understanding is not None:
            understanding = await self._understanding.understand(text)
            if understanding.kind is Understood.INTENT:
                command_text = understanding.command
                if command_text is None:
                    await self._ask_which_indicator(turn_context, person, understanding)
                    return
                found = self._router.find(command_text)
                if found is not None:
                    call_args["text"] = command_text  # what the command reads past its match is in its own text
        if found:
            command, match = found
            if not command.allowed(person):
                await turn_context.send_activity(role_refusal(command.roles, person))
                return
            call = CommandCall(match=match, understanding=understanding, **call_args)
            if in_group(turn_context) and command.in_groups is not GroupReply.HERE:
                await self._answer_privately(call, command)
                return
            await command.run(call)
        elif self._router.fallback is not None and understanding is not None:
            await self._router.fallback(CommandCall(match=None, understanding=understanding, **call_args))
        else:
            await turn_context.send_activity(UNKNOWN_INPUT_REPLY)

    async def _ask_which_indicator(self, turn_context: TurnContext, person: PersonView | None, understanding) -> None:
        """An intent about one indicator without it: the candidates the question names to choose
        from (when its command is the person's to use), else what to name."""
        choices = understanding.choices
        if not choices:
            await turn_context.send_activity(understanding.intent.missing)
            return
        found = self._router.find(choices[0][1])
        if found is not None and not found[0].allowed(person):
            await turn_context.send_activity(role_refusal(found[0].roles, person))
            return
        await self._indicator_choices.offer(turn_context, understanding)

    async def _answer_privately(self, call: CommandCall, command: Command) -> None:
        """A command typed in a group whose answer is the person's own: in their personal chat."""
        person = call.person
        if command.in_groups is GroupReply.PRIVATELY and person is not None and await self._private.reachable(person):
            await self._private.run_privately(call.turn_context, person, lambda: command.run(call))
            await call.turn_context.send_activity(ANSWERED_PRIVATELY)
        else:
            await call.turn_context.send_activity(ASK_ME_PRIVATELY)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """The bot uses no invoke (its cards post Action.Submit messages): a 400 for each, not the SDK's
        501, nor its 500 when it fails to read a malformed value or to serialise its own error."""
        if turn_context.activity.name == "adaptiveCard/action":
            return universal_action_response(turn_context.activity.value)
        return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body={"error": "unsupported invoke"})

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_teams_members_added(self, teams_members_added, team_info, turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in teams_members_added):
            await self._welcome(turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        """Greets once per conversation: Teams sends both installationUpdate and conversationUpdate."""
        await self._remember_conversation(turn_context, force=True)
        flags = await self._conversation_flags.get(turn_context, dict)
        if flags.get(WELCOMED_FLAG):
            return
        flags[WELCOMED_FLAG] = True
        person = await self._identify(turn_context)
        examples = [(c.example, c.example) for c in self._router.suggested_for(person)]
        await turn_context.send_activity(card_message(welcome_card(person, examples), "Bienvenue dans l’assistant du SPASER"))

    async def _handle_card_action(self, turn_context: TurnContext, person: PersonView | None, value: dict) -> None:
        handler = self._card_actions.get(str(value.get("action")))
        if handler is None:
            await turn_context.send_activity("Ce bouton n’est plus valable. Tapez « aide » pour recommencer.")
            return
        await handler(turn_context, person, value)

    async def _handle_files(self, turn_context: TurnContext, person: PersonView | None, files: list[IncomingFile]) -> None:
        for file in files:
            handler = self._file_handlers.get(file.extension)
            if handler is None:
                accepted = ", ".join(sorted(self._file_handlers)) or "aucun"
                await turn_context.send_activity(
                    f"Je ne sais pas quoi faire du fichier « {file.name} ». Formats acceptés : {accepted}."
                )
                continue
            await handler(turn_context, person, file)

    async def _identify(self, turn_context: TurnContext) -> PersonView | None:
        """Role comes from the server-side record of (tenant, Azure AD object id), never from input."""
        if PERSON_KEY in turn_context.turn_state:
            return turn_context.turn_state[PERSON_KEY]
        activity = turn_context.activity
        sender: ChannelAccount | None = activity.from_property
        person = None
        if sender is not None and sender.aad_object_id:
            name = sender.name or ""
            if not name:
                member = await self._roster_member(turn_context)
                name = getattr(member, "name", None) or ""
            person = await self._people.identify(
                tenant_of(activity),
                sender.aad_object_id,
                name=name,
                email_lookup=lambda: self._lookup_email(turn_context),
            )
        turn_context.turn_state[PERSON_KEY] = person
        return person

    async def _lookup_email(self, turn_context: TurnContext) -> str | None:
        """The sender's e-mail/UPN from the Teams roster, to link a registration made by e-mail."""
        member = await self._roster_member(turn_context)
        return getattr(member, "user_principal_name", None) or getattr(member, "email", None)

    @staticmethod
    async def _roster_member(turn_context: TurnContext):
        """The sender's Teams roster entry, fetched at most once per turn (None outside Teams).

        `installationUpdate` carries no sender name: the roster gives it for the welcome.
        """
        if ROSTER_KEY not in turn_context.turn_state:
            try:
                member = await TeamsInfo.get_member(turn_context, turn_context.activity.from_property.id)
            except Exception:  # noqa: BLE001 - outside Teams (REPL, tests) there is no roster
                log.debug("No Teams roster entry for this sender", exc_info=True)
                member = None
            turn_context.turn_state[ROSTER_KEY] = member
        return turn_context.turn_state[ROSTER_KEY]

    async def _remember_conversation(self, turn_context: TurnContext, force: bool = False) -> None:
        activity = turn_context.activity
        if activity.conversation is None or not activity.service_url:
            return
        if not force and activity.conversation.id in self._known_conversations:
            return
        reference = TurnContext.get_conversation_reference(activity)
        sender = activity.from_property
        conversation_type = activity.conversation.conversation_type or "personal"
        await self._conversation_refs.save(
            reference.serialize(),
            tenant_id=tenant_of(activity),
            aad_object_id=sender.aad_object_id if sender and conversation_type == "personal" else None,
            conversation_type=conversation_type,
        )
        self._known_conversations.add(activity.conversation.id)
