"""Microsoft Graph over HTTP: the app's own token (client credentials, `msal`), and the few calls the
assistant makes — a person from the directory, the app installed in a person's Teams, the chat it
opened, and the committees' Outlook events.

Every failure is a `SendError` (status, Graph's error code and message, Retry-After), so the outbox
classifies it as it does Teams' answers: 429 waits its Retry-After, 403 and 404 are final. Nothing
here retries: the outbox does. The token is fetched in a worker thread (msal is synchronous) and
cached by msal until shortly before it expires. `SPASER_GRAPH_URL` and `SPASER_LOGIN_URL` point the
client at a fake Graph in tests.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from typing import Any
from urllib.parse import quote

import aiohttp
import msal

from domain.outbox import parse_retry_after
from domain.tenant import DirectoryEntry, GraphSettings
from scheduler.outbox import SendError

log = logging.getLogger(__name__)

LOOKUP_TIMEOUT_SECONDS = 5.0
"""A name looked up during a turn waits at most this long (the turn must answer within 15 s)."""


class GraphClient:
    def __init__(self, settings: GraphSettings, *, ssl_context: ssl.SSLContext | None = None, http_client=None) -> None:
        """`ssl_context` and `http_client` (a `requests.Session` for msal) let tests trust a loopback certificate."""
        self.settings = settings
        self._ssl = ssl_context
        self._http_client = http_client
        self._app: msal.ConfidentialClientApplication | None = None
        self._session: aiohttp.ClientSession | None = None
        self._token_lock = asyncio.Lock()

    # --- transport ---------------------------------------------------------------------------

    def _acquire_token(self) -> dict:
        if self._app is None:
            extra = {"http_client": self._http_client} if self._http_client is not None else {}
            self._app = msal.ConfidentialClientApplication(
                self.settings.client_id,
                client_credential=self.settings.client_secret,
                authority=f"{self.settings.login_url}/{self.settings.tenant_id}",
                instance_discovery=False,
                **extra,
            )
        return self._app.acquire_token_for_client(scopes=[f"{self.settings.graph_url}/.default"])

    async def _token(self) -> str:
        async with self._token_lock:
            try:
                async with asyncio.timeout(self.settings.timeout_seconds):
                    result = await asyncio.to_thread(self._acquire_token)
            except TimeoutError as error:
                raise SendError(None, "no answer from the Microsoft identity platform") from error
            except Exception as error:  # noqa: BLE001 - msal raises ValueError, requests errors…
                self._app = None
                raise SendError(None, f"token: {type(error).__name__}: {_short(str(error))}") from error
        if "access_token" not in result:
            raise SendError(401, f"token refused: {result.get('error')}: {_short(result.get('error_description', ''))}")
        return result["access_token"]

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
            self._session = aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(ssl=self._ssl or True))
        return self._session

    async def request(self, method: str, path: str, body: dict | None = None, *, ok: tuple[int, ...] = ()) -> Any:
        """JSON of a Graph call (None for an empty body); statuses in `ok` count as success."""
        headers = {"Authorization": f"Bearer {await self._token()}"}
        url = f"{self.settings.graph_url}/v1.0{path}"
        try:
            async with self._client().request(method, url, json=body, headers=headers) as response:
                payload = await response.json(content_type=None) if response.content_length != 0 else None
                if response.status < 400 or response.status in ok:
                    return payload if response.status < 400 else {"_status": response.status}
                error = (payload or {}).get("error", {}) if isinstance(payload, dict) else {}
                raise SendError(
                    response.status,
                    f"{error.get('code', 'error')}: {_short(error.get('message', ''))}",
                    parse_retry_after(response.headers.get("Retry-After")),
                )
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise SendError(None, f"Microsoft Graph: {type(error).__name__}: {_short(str(error))}") from error

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    # --- people ------------------------------------------------------------------------------

    async def user(self, id_or_upn: str) -> DirectoryEntry:
        """Raises SendError 404 for someone the directory does not know."""
        found = await self.request("GET", f"/users/{quote(id_or_upn)}?$select=id,displayName,mail,userPrincipalName")
        return DirectoryEntry(found["id"], found.get("displayName") or "", found.get("mail") or found.get("userPrincipalName"))

    async def find_person(self, email: str) -> DirectoryEntry | None:
        """The person behind an e-mail/UPN, None when unknown or when Graph does not answer in time
        (`domain.tenant.PeopleDirectory`, used while the lead registers someone)."""
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT_SECONDS):
                return await self.user(email)
        except TimeoutError:
            log.warning("Directory look-up timed out")
        except SendError as error:
            if error.status != 404:
                log.warning("Directory look-up failed: %s", error)
        return None

    # --- the app in a person's Teams ------------------------------------------------------------

    async def install_app(self, user_id: str) -> bool:
        """Installs the catalogue app for the user; False when it was already installed (409)."""
        body = {"teamsApp@odata.bind": f"{self.settings.graph_url}/v1.0/appCatalogs/teamsApps/{self.settings.catalog_app_id}"}
        answer = await self.request("POST", f"/users/{quote(user_id)}/teamwork/installedApps", body, ok=(409,))
        return not (isinstance(answer, dict) and answer.get("_status") == 409)

    async def personal_chat_id(self, user_id: str) -> str:
        """The id of the chat between the user and the installed app."""
        query = f"?$expand=teamsApp&$filter=teamsApp/id eq '{self.settings.catalog_app_id}'"
        installations = await self.request("GET", f"/users/{quote(user_id)}/teamwork/installedApps{quote(query, safe='?$=&')}")
        values = (installations or {}).get("value") or []
        if not values:
            raise SendError(404, "installation not found after installing the app")
        chat = await self.request("GET", f"/users/{quote(user_id)}/teamwork/installedApps/{quote(values[0]['id'])}/chat")
        return chat["id"]

    # --- Outlook events ------------------------------------------------------------------------

    def _events(self) -> str:
        return f"/users/{quote(self.settings.organiser_mailbox)}/events"

    async def create_event(self, body: dict) -> dict:
        return await self.request("POST", self._events(), body)

    async def update_event(self, event_id: str, body: dict) -> None:
        await self.request("PATCH", f"{self._events()}/{quote(event_id)}", body)

    async def cancel_event(self, event_id: str, comment: str) -> bool:
        """False when the event is already gone (cancelled before, or deleted in Outlook)."""
        answer = await self.request("POST", f"{self._events()}/{quote(event_id)}/cancel", {"comment": comment}, ok=(404,))
        return not (isinstance(answer, dict) and answer.get("_status") == 404)


def _short(text: str) -> str:
    return " ".join(str(text).split())[:300]
