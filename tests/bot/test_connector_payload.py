"""The replies' JSON, as the bot now writes it for the Teams connector, is msrest's to the byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    Entity,
    HeroCard,
    Mention,
    SuggestedActions,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest import Serializer

from bot.connector_payload import lighten


def serializers() -> tuple[Serializer, Serializer]:
    """msrest's serializer as the SDK's connector client builds it, and the same made lighter."""
    client = ConnectorClient(credentials=MicrosoftAppCredentials(None, None), base_url="http://127.0.0.1:9/")
    plain = Serializer(client._serialize.dependencies)
    plain.client_side_validation = False
    return plain, lighten(Serializer(client._serialize.dependencies))


def full_activity() -> Activity:
    user = ChannelAccount(id="29:user", name="Camille Martin", aad_object_id="aad-1", role="user")
    mention = Mention(mentioned=user, text="<at>Camille Martin</at>", type="mention")
    return Activity(
        type=ActivityTypes.message,
        id="1",
        timestamp=datetime(2026, 12, 6, 3, 0, 1, 123456, tzinfo=UTC),
        local_timestamp=datetime(2026, 12, 6, 4, 0, 1, tzinfo=timezone(timedelta(hours=1))),
        service_url="https://smba.trafficmanager.net/fr/",
        channel_id="msteams",
        from_property=ChannelAccount(id="28:bot", name="Assistant SPASER"),
        conversation=ConversationAccount(id="a:1", is_group=False, conversation_type="personal", tenant_id="t"),
        recipient=user,
        text_format="markdown",
        attachment_layout="list",
        members_added=[user, None],
        text="Bonjour <at>Camille Martin</at>\u00a0!",
        speak="Bonjour",
        input_hint="acceptingInput",
        suggested_actions=SuggestedActions(
            to=["29:user"], actions=[CardAction(type="imBack", title="Oui", value="oui"), CardAction(type="imBack", title="Non", value={"n": 1})]
        ),
        attachments=[
            CardFactory.adaptive_card({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "é", "size": 2.5}]}),
            Attachment(content_type="text/plain", content="fin", name="x"),
        ],
        entities=[mention, Entity(type="clientInfo")],
        channel_data={"tenant": {"id": "t"}, "notification": {"alert": True}},
        reply_to_id="0",
        value={"action": "save", "values": [1, 2.5, None, "a"]},
        locale="fr-FR",
        listen_for=["oui", "non"],
    )


@pytest.mark.parametrize(
    "activity",
    [
        full_activity(),
        MessageFactory.text("Enregistré\u00a0: 12 heures."),
        Activity(type="typing"),
        MessageFactory.attachment(CardFactory.hero_card(HeroCard(title="t", buttons=[CardAction(type="imBack", value="v")]))),
        Activity(type="message", text="x", entities=[], attachments=None, value={1: "not plain JSON"}),
    ],
)
def test_an_activity_is_written_as_msrest_writes_it(activity):
    plain, light = serializers()
    assert json.dumps(light.body(activity, "Activity")) == json.dumps(plain.body(activity, "Activity"))


def test_a_model_holding_a_dict_where_a_model_is_declared_goes_through_msrest_whole():
    plain, light = serializers()
    activity = Activity(type="message", text="x", from_property={"id": "28:bot", "name": "Assistant"})
    expected = plain.body(Activity(type="message", text="x", from_property={"id": "28:bot", "name": "Assistant"}), "Activity")
    assert light.body(activity, "Activity") == expected
    assert expected["from"] == {"id": "28:bot", "name": "Assistant"}
