"""With an app id configured, the turn's replies and the proactive sends reuse one credentials
object (hence one MSAL token cache) instead of fetching a token from Entra ID for every reply.

The credentials are compared by identity: building them makes no network call (MSAL starts on the
first token request), so the test needs no fake login service.
"""

from __future__ import annotations

from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity

from app import create_adapter
from bot.proactive import build_proactive_adapter
from tests.conftest import make_settings

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
