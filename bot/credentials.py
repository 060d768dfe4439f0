"""The bot's Bot Framework authentication, with its credentials and clients kept for the process.

The SDK's `CloudAdapter` builds new credentials, a new connector client and a new user-token
client on every turn and every proactive send. Each `MicrosoftAppCredentials` owns its MSAL
application and token cache, and each client its own HTTP session: with an app id configured,
every reply would first fetch a new token from Microsoft Entra ID (a blocking HTTPS call on the
event loop) and open a new TLS connection to the Teams connector. Keeping one credentials object
per app, scope and login endpoint, and one client per app, service URL and audience, lets MSAL
answer from its cache until the token nears expiry and reuses the connections, as the other Bot
Framework SDKs do. Building the two clients was also about a tenth of a turn's CPU.
"""

from __future__ import annotations

from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from msrest.authentication import Authentication

from bot.connector_http import ConnectorHttp, send_on_the_loop
from bot.connector_payload import lighten
from bot.settings import Settings

MAX_KEPT_CREDENTIALS = 16
"""Teams uses one or two scopes per app; the bound only guards against unexpected audiences."""
MAX_KEPT_CLIENTS = 64
"""Teams uses a few service URLs per region; the least recently used client goes beyond this."""


class _KeptClients:
    """A small least-recently-used map of clients."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._clients: OrderedDict[tuple, Any] = OrderedDict()

    def get(self, key: tuple) -> Any:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
        return client

    def keep(self, key: tuple, client: Any) -> Any:
        self._clients[key] = client
        while len(self._clients) > self._capacity:
            self._clients.popitem(last=False)
        return client


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


class _KeptConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, app_id: str | None, kept: _KeptClients, http: ConnectorHttp) -> None:
        self._inner, self._app_id, self._kept, self._http = inner, app_id, kept, http

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience)
        kept = self._kept.get(key)
        if kept is None:
            kept = await self._inner.create(service_url, audience)
            lighten(kept._serialize)
            send_on_the_loop(kept, self._http)
            self._kept.keep(key, kept)
        return kept


def _app_id(claims_identity: ClaimsIdentity) -> str | None:
    """As the SDK reads it: the audience claim from a channel, the appid claim from the Emulator."""
    return claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) or claims_identity.get_claim_value(
        AuthenticationConstants.APP_ID_CLAIM
    )


class KeptClientsAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's authentication, handing back the connector and user-token clients it built before."""

    def __init__(self, configuration: Any, *, credentials_factory: ServiceClientCredentialsFactory) -> None:
        super().__init__(configuration, credentials_factory=credentials_factory)
        self._connectors = _KeptClients(MAX_KEPT_CLIENTS)
        self._token_clients = _KeptClients(MAX_KEPT_CREDENTIALS)
        self.connector_http = ConnectorHttp()
        """The connector clients' HTTP session (`bot.connector_http`), closed with the app."""

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _KeptConnectorFactory(
                result.connector_factory, _app_id(result.claims_identity), self._connectors, self.connector_http
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = super().create_connector_factory(claims_identity)
        return _KeptConnectorFactory(inner, _app_id(claims_identity), self._connectors, self.connector_http)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = (_app_id(claims_identity),)
        kept = self._token_clients.get(key)
        return kept or self._token_clients.keep(key, await super().create_user_token_client(claims_identity))


def bot_framework_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    configuration = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )
    factory = KeptCredentialsFactory(ConfigurationServiceClientCredentialFactory(configuration))
    return KeptClientsAuthentication(configuration, credentials_factory=factory)
