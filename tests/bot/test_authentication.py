"""Authentication on (MicrosoftAppId set): the real Bot Framework token validation of the SDK
(botframework-connector's JwtTokenValidation → ChannelValidation), against a fake
login.botframework.com on loopback that serves the OpenID metadata and the signing keys (JWKS)
of an RSA key made here.

A valid token is accepted and answered: that proves the set-up is real, so each refused token is
refused for its own fault. Every refusal is a 401 (or a French refusal for a valid token from a
foreign organisation or a contributor forging card data) and writes nothing.
The plain « no token » and « Bearer not.a.jwt » cases are in tests/bot/test_http_endpoint.py.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
import uuid
from datetime import UTC, datetime

import jwt
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import AuthenticationConstants, ChannelValidation, JwtTokenExtractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app import RUNTIME, create_app
from bot.console import teams_activity
from domain.clock import FakeClock
from domain.indicators.values import warm_up
from tests.conftest import make_settings
from tests.indicators_support import seed, value_rows
from tests.properties_support import every_row

APP_ID = "5e1f1a52-0000-4000-8000-00000000a11d"
OTHER_APP_ID = "9d9d9d9d-0000-4000-8000-0000000000ff"
CHANNEL_ISSUER = "https://api.botframework.com"
KEY_ID = "spaser-test-key"
HOME_TENANT = "local-tenant"
SERVICE_URL = "https://smba.trafficmanager.net/fr/"
# Bot Framework's Azure AD tenant: the issuer of tokens the Emulator (and other Azure AD clients) send.
AZURE_AD_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"


@functools.cache
def rsa_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name for the whole run: `signing` is the fake service's, others are foreign."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeBotFrameworkLogin:
    """login.botframework.com on loopback: `/v1/.well-known/openidconfiguration` and its JWKS.

    It runs an aiohttp app in a thread with its own event loop because the SDK fetches the
    metadata with blocking `requests` calls from the bot's event loop.
    """

    def __init__(self) -> None:
        self.key = rsa_key("signing")
        self.endorsements = ["msteams"]
        self.requests: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-botframework-login", daemon=True)
        self.port = 0

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/.well-known/openidconfiguration"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.json_response(
            {
                "issuer": CHANNEL_ISSUER,
                "jwks_uri": f"http://127.0.0.1:{self.port}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        public.update(kid=KEY_ID, use="sig", endorsements=self.endorsements)
        return web.json_response({"keys": [public]})

    def token(self, *, key=None, headers: dict | None = None, algorithm: str = "RS256", drop: tuple = (), **claims) -> str:
        """A token as the Bot Framework channel signs it for this bot; `claims` override its claims."""
        now = int(time.time())
        payload = {"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": SERVICE_URL, "nbf": now - 60, "iat": now - 60, "exp": now + 3600}
        payload.update(claims)
        for claim in drop:
            payload.pop(claim, None)
        signing_key = key if key is not None else self.key
        return jwt.encode(payload, signing_key, algorithm=algorithm, headers={"kid": KEY_ID, **(headers or {})})


# One app and one fake login service for the module: every test compares the tables before and
# after its own requests, so they need no fresh database.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


@pytest.fixture(scope="module")
def login():
    """The SDK pointed at the fake login service, with an empty key cache: channel tokens through
    ChannelValidation's own override, Emulator/Azure AD tokens through the constant it reads."""
    fake = FakeBotFrameworkLogin()
    fake.start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ChannelValidation, "open_id_metadata_endpoint", fake.metadata_url)
        patch.setattr(AuthenticationConstants, "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL", fake.metadata_url)
        patch.setattr(JwtTokenExtractor, "metadataCache", {})
        yield fake
    fake.close()


async def authenticated_client(folder, **overrides) -> TestClient:
    settings = make_settings(
        f"sqlite+aiosqlite:///{folder / 'auth.db'}", app_id=APP_ID, app_password="test-secret", **overrides
    )
    client = TestClient(TestServer(create_app(settings, clock=FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)))))
    await client.start_server()
    await seed(client.server.app[RUNTIME])
    return client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(tmp_path_factory, login):
    test_client = await authenticated_client(tmp_path_factory.mktemp("auth"))
    yield test_client
    await test_client.close()


def activity(aad: str = "lead-aad", name: str = "Camille Martin", tenant: str = HOME_TENANT, **fields) -> dict:
    """A Teams message answered in the response body (`expectReplies`: no connector, no token needed)."""
    fields.setdefault("text", "qui suis-je")
    built = teams_activity(
        aad_object_id=aad, name=name, conversation_id=f"a:{aad}", tenant_id=tenant, id=uuid.uuid4().hex,
        delivery_mode="expectReplies", **fields,
    )
    return built.serialize()


async def post(client: TestClient, body: dict, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = await client.post("/api/messages", json=body, headers=headers)
    payload = await response.json() if response.content_type == "application/json" else None
    return response.status, payload


def reply_texts(payload: dict | None) -> str:
    return "\n".join(reply.get("text") or "" for reply in (payload or {}).get("activities", []))


async def test_a_valid_channel_token_is_accepted_and_answered(client, login):
    status, payload = await post(client, activity(), login.token())
    assert status == 200, payload
    assert "responsable du SPASER" in reply_texts(payload)
    assert "/v1/.well-known/keys" in login.requests, "the SDK did not fetch the signing keys from the fake service"


async def test_a_valid_azure_ad_token_for_this_app_is_accepted_too(client, login):
    """The Emulator's path: its two refusals below fail for their own fault, not for the set-up."""
    status, payload = await post(client, activity(), login.token(iss=AZURE_AD_ISSUER, appid=APP_ID, ver="1.0"))
    assert status == 200, payload
    assert "responsable du SPASER" in reply_texts(payload)


def forged_tokens(login: FakeBotFrameworkLogin) -> dict[str, str]:
    now = int(time.time())
    return {
        "expired": login.token(exp=now - 3600, nbf=now - 7200, iat=now - 7200),
        "not yet valid": login.token(nbf=now + 3600, iat=now + 3600, exp=now + 7200),
        "wrong audience": login.token(aud=OTHER_APP_ID),
        "no audience": login.token(drop=("aud",)),
        "wrong issuer": login.token(iss="https://login.example.org"),
        "no issuer": login.token(drop=("iss",)),
        "signed by another key": login.token(key=rsa_key("foreign")),
        "unknown key id": login.token(headers={"kid": "another-key"}),
        "symmetric algorithm": login.token(key="a-shared-secret-of-at-least-32-bytes!", algorithm="HS256"),
        "unsigned": jwt.encode({"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": SERVICE_URL, "exp": now + 3600}, None, algorithm="none", headers={"kid": KEY_ID}),
        "for another service url": login.token(serviceurl="https://smba.example.org/"),
        "tampered payload": _tampered(login.token(aud=OTHER_APP_ID), login.token()),
        "azure ad token for another app": login.token(iss=AZURE_AD_ISSUER, aud=OTHER_APP_ID, appid=OTHER_APP_ID, ver="1.0"),
        "azure ad token signed by another key": login.token(iss=AZURE_AD_ISSUER, appid=APP_ID, ver="1.0", key=rsa_key("foreign")),
        "skill token": login.token(ver="2.0", azp=OTHER_APP_ID),
    }


def _tampered(signed_for_another_app: str, genuine: str) -> str:
    """A genuine signature glued onto the payload of a token for another app."""
    header, payload, _ = signed_for_another_app.split(".")
    return ".".join((header, payload, genuine.split(".")[2]))


FORGED = [
    "expired", "not yet valid", "wrong audience", "no audience", "wrong issuer", "no issuer", "signed by another key",
    "unknown key id", "symmetric algorithm", "unsigned", "for another service url", "tampered payload",
    "azure ad token for another app", "azure ad token signed by another key", "skill token",
]


@pytest.mark.parametrize("fault", FORGED)
async def test_a_forged_or_misdirected_token_is_401_and_writes_nothing(client, login, fault):
    runtime = client.server.app[RUNTIME]
    before = await every_row(runtime)
    status, payload = await post(client, activity(text="affecter paul@ville.fr contributeur DCP"), forged_tokens(login)[fault])
    assert status == 401, (fault, payload)
    assert await every_row(runtime) == before
    status, _ = await post(client, activity(), login.token())
    assert status == 200, "the valid token must still be accepted after the refusal"


@pytest.mark.parametrize("header", ["Basic bGVhZDpzZWNyZXQ=", "Bearer", "Bearer ", "bearer {token}", "Bearer {token} extra", "{token}"])
async def test_a_malformed_authorization_header_is_401(client, login, header):
    runtime = client.server.app[RUNTIME]
    before = await every_row(runtime)
    response = await client.post("/api/messages", json=activity(), headers={"Authorization": header.format(token=login.token())})
    assert response.status == 401
    assert await every_row(runtime) == before


async def test_a_key_that_does_not_endorse_the_channel_is_401(client, login, monkeypatch):
    """Keys are endorsed per channel: a key for Web Chat does not sign Teams activities."""
    monkeypatch.setattr(login, "endorsements", ["webchat"])
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    runtime = client.server.app[RUNTIME]
    before = await every_row(runtime)
    status, _ = await post(client, activity(), login.token())
    assert status == 401
    assert await every_row(runtime) == before


async def test_when_the_signing_keys_cannot_be_fetched_the_request_is_503_not_accepted(client, login, monkeypatch):
    closed = FakeBotFrameworkLogin()
    closed.start()
    unreachable = closed.metadata_url
    closed.close()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", unreachable)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    runtime = client.server.app[RUNTIME]
    before = await every_row(runtime)
    status, _ = await post(client, activity(), login.token())
    assert status == 503
    assert await every_row(runtime) == before


async def test_a_valid_token_from_a_foreign_organisation_is_refused_in_french_and_writes_nothing(tmp_path, login):
    client = await authenticated_client(tmp_path, allowed_tenants=(HOME_TENANT,))
    try:
        runtime = client.server.app[RUNTIME]
        before = await every_row(runtime)
        status, payload = await post(client, activity(tenant="foreign-tenant", text="affecter paul@ville.fr contributeur DCP"), login.token())
        assert status == 200
        assert "n’est pas ouvert à votre organisation" in reply_texts(payload)
        assert await every_row(runtime) == before
        status, payload = await post(client, activity(), login.token())
        assert "responsable du SPASER" in reply_texts(payload), "the home tenant must still be served"
    finally:
        await client.close()


SPOOFED_CARDS = {
    "another directorate, naming the lead": {
        "directorate": "DPB", "aadObjectId": "lead-aad", "from": {"aadObjectId": "lead-aad"}, "valeur|IND-03|2026-T3": "99999",
    },
    "a past period only the lead may write, naming the lead": {
        "directorate": "DCP", "aadObjectId": "lead-aad", "role": "lead", "person_id": 1, "valeur|IND-01|2024-T1": "50",
    },
    "an indicator of another directorate, naming its contributor": {
        "directorate": "DCP", "aadObjectId": "julien-aad", "valeur|IND-08|2025": "50",
    },
}


@pytest.mark.parametrize("spoof", list(SPOOFED_CARDS))
async def test_a_contributor_card_naming_another_person_or_directorate_is_refused_and_writes_nothing(client, login, spoof):
    runtime = client.server.app[RUNTIME]
    before = await value_rows(runtime)
    value = {"action": "indicators.submit", "card_id": "forged", **SPOOFED_CARDS[spoof]}
    status, payload = await post(client, activity("nadia-aad", "Nadia Benali", text=None, value=value), login.token())
    assert status == 200
    said = reply_texts(payload)
    assert "Rien n’a été enregistré" in said or "rien n’a été enregistré" in said, said
    assert await value_rows(runtime) == before


async def test_card_data_naming_another_person_saves_under_the_real_sender(client, login):
    """The identity comes from the authenticated activity's sender, whatever the card says."""
    runtime = client.server.app[RUNTIME]
    value = {
        "action": "indicators.submit", "card_id": "own-card", "directorate": "DCP",
        "aadObjectId": "lead-aad", "entered_by_id": 1, "valeur|IND-01|2026-T3": "45",
    }
    status, payload = await post(client, activity("nadia-aad", "Nadia Benali", text=None, value=value), login.token())
    assert status == 200 and "Enregistré pour la direction DCP" in reply_texts(payload)
    history = await runtime.values.history("IND-01")
    nadia = await runtime.people.get_by_email("nadia@ville.fr")
    assert [view.entered_by for view in history[1]] == [nadia.name]
