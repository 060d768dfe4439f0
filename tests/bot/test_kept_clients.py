"""Successive turns and proactive sends reuse one credentials object (hence one MSAL token cache,
instead of a token fetched from Entra ID for every reply) and one connector client (hence its
open connection to the Teams connector).

The credentials are compared by identity: building them makes no network call (MSAL starts on the
first token request), so those tests need no fake login service.
"""

from __future__ import annotations

from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity

from app import create_adapter
from bot.proactive import build_proactive_adapter
from tests.conftest import make_settings
from tests.http_support import Sender

APP_ID = "5e1f1a52-0000-4000-8000-00000000a11d"
SERVICE_URL = "https://smba.trafficmanager.net/fr/"


def configured():
    return make_settings(app_id=APP_ID, app_password="not-a-real-secret", app_tenant_id="contoso-tenant")


def bot_identity() -> ClaimsIdentity:
    return ClaimsIdentity(
        {AuthenticationConstants.AUDIENCE_CLAIM: APP_ID, AuthenticationConstants.APP_ID_CLAIM: APP_ID}, True
    )


async def connector_credentials(adapter, times: int) -> list:
    credentials = []
    for _ in range(times):  # one connector factory per turn, as CloudAdapter.process_activity does
        factory = adapter.bot_framework_authentication.create_connector_factory(bot_identity())
        client = await factory.create(SERVICE_URL, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)
        credentials.append(client.config.credentials)
    return credentials


async def test_replies_of_successive_turns_share_one_credentials_object():
    first, second, third = await connector_credentials(create_adapter(configured()), 3)

    assert first is second is third
    assert first.microsoft_app_id == APP_ID


async def test_proactive_sends_share_one_credentials_object():
    first, second = await connector_credentials(build_proactive_adapter(configured()), 2)

    assert first is second


async def test_another_scope_gets_its_own_credentials():
    adapter = create_adapter(configured())
    factory = adapter.bot_framework_authentication.create_connector_factory(bot_identity())
    channel = await factory.create(SERVICE_URL, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)
    other = await factory.create(SERVICE_URL, "api://another-audience")

    assert channel.config.credentials is not other.config.credentials
    assert other.config.credentials.oauth_scope == "api://another-audience"


async def test_successive_turns_share_one_connector_and_one_user_token_client():
    adapter = create_adapter(configured())
    auth = adapter.bot_framework_authentication
    clients = [
        await auth.create_connector_factory(bot_identity()).create(SERVICE_URL, "https://api.botframework.com")
        for _ in range(2)
    ]
    token_clients = [await auth.create_user_token_client(bot_identity()) for _ in range(2)]

    assert clients[0] is clients[1]
    assert token_clients[0] is token_clients[1]


async def test_replies_of_two_turns_travel_over_one_connection(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")

    await nadia.post_via_connector(type="message", text="merci")
    await nadia.post_via_connector(type="message", text="quand est le prochain comité ?")

    assert len(connector.sent) >= 2
    assert len({body["_peer"] for body in connector.sent}) == 1


async def test_the_kept_connector_sends_a_card_as_msrest_would_without_walking_it():
    from decimal import Decimal

    from botbuilder.core import CardFactory, MessageFactory
    from msrest.serialization import Serializer

    adapter = create_adapter(configured())
    kept = await adapter.bot_framework_authentication.create_connector_factory(bot_identity()).create(
        SERVICE_URL, "https://api.botframework.com"
    )
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Synthèse", "wrap": True, "size": 2.5}]}
    odd = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": Decimal("12.5")}]}
    plain = Serializer(kept._serialize.dependencies)

    for content in (card, odd):
        activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
        assert kept._serialize.body(activity, "Activity") == plain.body(activity, "Activity")
    sent = kept._serialize.body(MessageFactory.attachment(CardFactory.adaptive_card(card)), "Activity")
    assert sent["attachments"][0]["content"] is card  # passed through, not rebuilt value by value
