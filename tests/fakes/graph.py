"""A fake Microsoft Graph and identity platform on loopback, over TLS with a throw-away certificate
(msal accepts only https authorities), with scriptable faults: 429 with Retry-After, 403 (consent
missing), 404 (unknown user), 409 (already installed), and answers held back so that a test can
kill the bot while Graph has done the work but not yet answered.

Run alone (`python -m tests.fakes.graph CERT_DIR`) it prints its URL; `/_stats` and `/_setup`
let a script in another process read what happened and add users.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import itertools
import ssl
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import requests
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TENANT = "11111111-1111-1111-1111-111111111111"
CLIENT_ID = "22222222-2222-2222-2222-222222222222"
CLIENT_SECRET = "fake-graph-secret"
CATALOG_APP_ID = "33333333-3333-3333-3333-333333333333"
ORGANISER = "spaser@ville-exemple.fr"


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 and localhost; returns the PEM (cert then key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake graph")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "cert.pem"


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    code: str = "Error"


@dataclass
class Event:
    id: str
    body: dict
    transaction_id: str | None
    cancelled: bool = False
    patches: int = 0


class FakeGraph:
    def __init__(self, cert_dir: Path) -> None:
        self.cert = make_certificate(cert_dir)
        self.users: dict[str, dict] = {}
        self.installed: dict[str, str] = {}
        """aad id -> installation id."""
        self.consent_missing = False
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.hold: dict[str, float] = {}
        """Route kind -> seconds to wait after doing the work and before answering (once)."""
        self.calls: list[str] = []
        self.events: dict[str, Event] = {}
        self.tokens_issued = 0
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- set-up ------------------------------------------------------------------------------

    def add_user(self, aad_object_id: str, upn: str, name: str) -> None:
        self.users[aad_object_id] = {"id": aad_object_id, "displayName": name, "mail": upn, "userPrincipalName": upn}

    def fail_next(self, kind: str, status: int, count: int = 1, code: str = "Error", **headers: str) -> None:
        self.faults[kind].extend(Fault(status, headers, code) for _ in range(count))

    def chat_id(self, aad_object_id: str) -> str:
        return f"19:{aad_object_id}_{CLIENT_ID}@unq.gbl.spaces"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def requests_session(self) -> requests.Session:
        session = requests.Session()
        session.verify = str(self.cert)
        session.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
        return session

    # --- helpers -----------------------------------------------------------------------------

    def _user(self, key: str) -> dict | None:
        key = unquote(key)
        return self.users.get(key) or next((u for u in self.users.values() if u["userPrincipalName"].lower() == key.lower()), None)

    async def _answer(self, kind: str, make) -> web.Response:
        """A queued fault, else `make()` (the work), then any hold before the answer leaves."""
        self.calls.append(kind)
        if self.faults[kind]:
            fault = self.faults[kind].popleft()
            return web.json_response({"error": {"code": fault.code, "message": f"fake {fault.status}"}},
                                     status=fault.status, headers=fault.headers)
        response = make()
        if kind in self.hold:
            await asyncio.sleep(self.hold.pop(kind))
        return response

    @staticmethod
    def _error(status: int, code: str) -> web.Response:
        return web.json_response({"error": {"code": code, "message": code}}, status=status)

    # --- identity platform -------------------------------------------------------------------

    async def _openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return web.json_response({
            "issuer": f"{self.url}/{tenant}/v2.0",
            "authorization_endpoint": f"{self.url}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{self.url}/{tenant}/oauth2/v2.0/token",
        })

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != CLIENT_ID \
                or form.get("client_secret") != CLIENT_SECRET or request.match_info["tenant"] != TENANT:
            return web.json_response({"error": "invalid_client", "error_description": "bad client"}, status=401)

        def issue() -> web.Response:
            self.tokens_issued += 1
            return web.json_response({"token_type": "Bearer", "expires_in": 3599, "access_token": f"token-{self.tokens_issued}"})

        return await self._answer("token", issue)

    # --- Graph -------------------------------------------------------------------------------

    @web.middleware
    async def _authorised(self, request: web.Request, handler):
        if request.path.startswith("/v1.0/") and not request.headers.get("Authorization", "").startswith("Bearer token-"):
            return self._error(401, "InvalidAuthenticationToken")
        return await handler(request)

    async def _get_user(self, request: web.Request) -> web.Response:
        user = self._user(request.match_info["user"])
        return await self._answer("user", lambda: web.json_response(user) if user else self._error(404, "Request_ResourceNotFound"))

    async def _install(self, request: web.Request) -> web.Response:
        user = self._user(request.match_info["user"])
        body = await request.json()

        def install() -> web.Response:
            if self.consent_missing:
                return self._error(403, "Forbidden")
            if user is None:
                return self._error(404, "NotFound")
            if not body.get("teamsApp@odata.bind", "").endswith(f"/appCatalogs/teamsApps/{CATALOG_APP_ID}"):
                return self._error(400, "BadRequest")
            if user["id"] in self.installed:
                return self._error(409, "Conflict")
            self.installed[user["id"]] = f"installation-{next(self._ids)}"
            return web.Response(status=201)

        return await self._answer("install", install)

    async def _installations(self, request: web.Request) -> web.Response:
        user = self._user(request.match_info["user"])
        wanted = CATALOG_APP_ID in request.query.get("$filter", "")
        installation = self.installed.get(user["id"]) if user else None
        value = [{"id": installation, "teamsApp": {"id": CATALOG_APP_ID}}] if installation and wanted else []
        return await self._answer("installations", lambda: web.json_response({"value": value}))

    async def _chat(self, request: web.Request) -> web.Response:
        user = self._user(request.match_info["user"])
        if user is None or self.installed.get(user["id"]) != request.match_info["installation"]:
            return self._error(404, "NotFound")
        return await self._answer("chat", lambda: web.json_response({"id": self.chat_id(user["id"])}))

    def _mailbox_known(self, request: web.Request) -> bool:
        return unquote(request.match_info["user"]).lower() == ORGANISER

    async def _create_event(self, request: web.Request) -> web.Response:
        body = await request.json()

        def create() -> web.Response:
            if not self._mailbox_known(request):
                return self._error(404, "ErrorInvalidUser")
            transaction = body.get("transactionId")
            event = next((e for e in self.events.values() if transaction and e.transaction_id == transaction), None)
            if event is None:  # Graph's transactionId: a retried POST gives back the event it created
                event = Event(f"event-{next(self._ids)}", body, transaction)
                self.events[event.id] = event
            return web.json_response(self._event_json(event), status=201)

        return await self._answer("create_event", create)

    def _event_json(self, event: Event) -> dict:
        return {**event.body, "id": event.id, "onlineMeeting": {"joinUrl": f"https://teams.microsoft.com/l/meetup-join/{event.id}"}}

    async def _update_event(self, request: web.Request) -> web.Response:
        body = await request.json()
        event = self.events.get(request.match_info["event"])

        def update() -> web.Response:
            if event is None or event.cancelled:
                return self._error(404, "ErrorItemNotFound")
            event.body = {**event.body, **body}
            event.patches += 1
            return web.json_response(self._event_json(event))

        return await self._answer("update_event", update)

    async def _cancel_event(self, request: web.Request) -> web.Response:
        event = self.events.get(request.match_info["event"])

        def cancel() -> web.Response:
            if event is None or event.cancelled:  # a cancelled event leaves the organiser's calendar
                return self._error(404, "ErrorItemNotFound")
            event.cancelled = True
            return web.Response(status=202)

        return await self._answer("cancel_event", cancel)

    # --- another process reads and sets up -----------------------------------------------------

    def stats(self) -> dict:
        return {
            "events": [{"id": e.id, "start": e.body.get("start"), "attendees": len(e.body.get("attendees", [])),
                        "patches": e.patches, "cancelled": e.cancelled} for e in self.events.values()],
            "calls": self.calls,
            "installed": sorted(self.installed),
        }

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    async def _setup(self, request: web.Request) -> web.Response:
        setup = await request.json()
        for user in setup.get("users", []):
            self.add_user(user["id"], user["upn"], user["name"])
        self.hold.update(setup.get("hold", {}))
        return web.json_response({"ok": True})

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        app = web.Application(middlewares=[self._authorised])
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users/{user}", self._get_user)
        app.router.add_post("/v1.0/users/{user}/teamwork/installedApps", self._install)
        app.router.add_get("/v1.0/users/{user}/teamwork/installedApps", self._installations)
        app.router.add_get("/v1.0/users/{user}/teamwork/installedApps/{installation}/chat", self._chat)
        app.router.add_post("/v1.0/users/{user}/events", self._create_event)
        app.router.add_patch("/v1.0/users/{user}/events/{event}", self._update_event)
        app.router.add_post("/v1.0/users/{user}/events/{event}/cancel", self._cancel_event)
        app.router.add_get("/_stats", self._stats)
        app.router.add_post("/_setup", self._setup)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.cert.with_name("key.pem"))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, ssl_context=context)
        await site.start()
        self.url = f"https://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def serve_forever(cert_dir: Path) -> None:
    graph = FakeGraph(cert_dir)
    print(await graph.start(), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    asyncio.run(serve_forever(Path(sys.argv[1])))
