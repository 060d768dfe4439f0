"""Replies are copied shallowly before they are addressed (bot/turn_context.py): the caller's
activity and its card are left as they were, and the person gets the card."""

from __future__ import annotations

import copy

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationAccount

from app import create_adapter
from bot.turn_context import ShallowCopyCloudAdapter, ShallowCopyTurnContext
from tests.conftest import make_settings


class RecordingAdapter(ShallowCopyCloudAdapter):
    def __init__(self, authentication) -> None:
        super().__init__(authentication)
        self.sent: list[Activity] = []

    async def send_activities(self, context, activities):
        self.sent.extend(activities)
        return []


def _incoming() -> Activity:
    return Activity(
        type="message", id="in-1", channel_id="msteams", service_url="https://smba.example/",
        conversation=ConversationAccount(id="a:1"), from_property=ChannelAccount(id="29:u", name="U"),
        recipient=ChannelAccount(id="28:bot", name="Bot"), text="synthèse",
    )


async def test_a_reply_is_addressed_on_a_copy_and_the_callers_activity_and_card_stay_as_they_were():
    adapter = create_adapter(make_settings())
    assert isinstance(adapter, ShallowCopyCloudAdapter)
    recorder = RecordingAdapter(adapter.bot_framework_authentication)
    context = ShallowCopyTurnContext(recorder, _incoming())
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Synthèse"}]}
    reply = Activity(type="message", text="Synthèse", attachments=[Attachment(content_type="application/vnd.microsoft.card.adaptive", content=card)])
    before = copy.deepcopy(reply.serialize())

    await context.send_activities([reply])

    assert reply.serialize() == before
    [sent] = recorder.sent
    assert sent is not reply
    assert sent.conversation.id == "a:1" and sent.reply_to_id == "in-1" and sent.recipient.id == "29:u"
    assert sent.attachments[0].content == card
    assert context.responded


async def test_the_adapter_keeps_what_botbuilder_puts_in_a_turns_state():
    adapter = create_adapter(make_settings())
    context = adapter._create_turn_context(_incoming(), "identity", "scope", "connector", "tokens", None, "factory")
    assert isinstance(context, ShallowCopyTurnContext)
    assert context.turn_state[adapter.BOT_IDENTITY_KEY] == "identity"
    assert context.turn_state[adapter.BOT_CONNECTOR_CLIENT_KEY] == "connector"
    assert context.turn_state[adapter.CONNECTOR_FACTORY_KEY] == "factory"
    assert isinstance(context, TurnContext)
