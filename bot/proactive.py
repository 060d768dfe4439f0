"""Proactive delivery to Teams: `continue_conversation` with a stored reference, errors classified.

The only botbuilder-specific piece of sending (kept small for a later port to the Microsoft 365
Agents SDK). It uses its own CloudAdapter, without the turn middleware and without an
`on_turn_error` handler, so a failed send raises here instead of being answered "to the user".
In local mode the app id is empty and the connector accepts anonymous calls; with an app id
configured, `continue_conversation` must be given it (None fails).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference
from msrest.universal_http.requests import ClientRetryPolicy

from bot.credentials import bot_framework_authentication
from bot.settings import Settings
from bot.teams_text import SUMMARY_LIMIT, shape_message
from domain.outbox import parse_retry_after
from domain.text import plain_excerpt
from scheduler.outbox import SendError

log = logging.getLogger(__name__)

def build_message(text: str, card: dict[str, Any] | None) -> Activity:
    """A card with the text, without its Markdown marks, as its notification summary; or the text;
    either shaped for Teams (`bot.teams_text.shape_message`)."""
    if card is None:
        return shape_message(MessageFactory.text(text))
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = plain_excerpt(text, SUMMARY_LIMIT)
    return shape_message(activity)


def speed_up_msrest_client_creation() -> None:
    """Each proactive send builds three msrest clients, and each builds its retry status list by
    testing 999 codes against a 502-item *list* (about 15 ms of CPU per client, so the event loop
    tops out near 25 sends a second). The same membership test on a frozenset gives the same list.
    msrest and botbuilder are archived, so the fix is applied here, once, before sending."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)


def build_proactive_adapter(settings: Settings) -> CloudAdapter:
    speed_up_msrest_client_creation()
    return CloudAdapter(bot_framework_authentication(settings))


@dataclass
class TeamsProactiveChannel:
    adapter: BotAdapter
    app_id: str

    async def send(self, reference: dict[str, Any], text: str, card: dict[str, Any] | None) -> str | None:
        """Posts one message and returns its activity id; raises SendError on any failure."""
        conversation_reference = ConversationReference().deserialize(reference)
        sent: dict[str, str | None] = {}

        async def callback(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(build_message(text, card))
            sent["id"] = response.id if response else None

        try:
            await self.adapter.continue_conversation(conversation_reference, callback, self.app_id)
        except Exception as error:  # noqa: BLE001 - every failure is classified for the outbox
            raise classify(error) from error
        if "id" not in sent:
            raise SendError(None, "the proactive turn ended without sending")
        return sent["id"]

    async def close(self) -> None:
        """Closes the HTTP session the adapter's connector clients share (`bot.connector_http`)."""
        http = getattr(self.adapter.bot_framework_authentication, "connector_http", None)
        if http is not None:
            await http.close()


def classify(error: Exception) -> SendError:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if isinstance(status, int):
        headers = getattr(response, "headers", None) or {}
        retry_after = parse_retry_after(headers.get("Retry-After"))
        return SendError(status, _short(error), retry_after)
    return SendError(None, f"{type(error).__name__}: {_short(error)}")


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:300]
