"""The bot's Bot Framework authentication, with its app credentials kept for the life of the process.

The SDK's `CloudAdapter` asks its credentials factory for new credentials on every turn and every
proactive send. Each `MicrosoftAppCredentials` owns its MSAL application and token cache, so with
an app id configured every reply would first fetch a new token from Microsoft Entra ID (a blocking
HTTPS call on the event loop). Keeping one credentials object per app, scope and login endpoint
lets MSAL answer from its cache until the token nears expiry, as the other Bot Framework SDKs do.
"""

from __future__ import annotations

from types import SimpleNamespace

from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botframework.connector.auth import ServiceClientCredentialsFactory
from msrest.authentication import Authentication

from bot.settings import Settings

MAX_KEPT_CREDENTIALS = 16
"""Teams uses one or two scopes per app; the bound only guards against unexpected audiences."""


class KeptCredentialsFactory(ServiceClientCredentialsFactory):
    """A credentials factory that builds each app's credentials once and then hands them back."""

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._kept: dict[tuple, Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        credentials = self._kept.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
            if len(self._kept) >= MAX_KEPT_CREDENTIALS:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = credentials
        return credentials


def bot_framework_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    configuration = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )
    factory = KeptCredentialsFactory(ConfigurationServiceClientCredentialFactory(configuration))
    return ConfigurationBotFrameworkAuthentication(configuration, credentials_factory=factory)
