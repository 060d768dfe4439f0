"""Replies and proactive sends reach the Teams connector over aiohttp on the event loop, as the same
requests msrest's `requests` sender made: same method, path, headers (the bearer token included)
and body; Teams' errors and unreachable connectors raise what they raised before."""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest
from botbuilder.core import MessageFactory
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest.exceptions import ClientRequestError

from bot.connector_http import ConnectorHttp, send_on_the_loop
from bot.proactive import classify
from tests.http_support import Sender

APP_ID = "5e1f1a52-0000-4000-8000-00000000a11d"


class FixedTokenCredentials(MicrosoftAppCredentials):
    """Real credentials whose token comes from a fake Entra ID (the network boundary)."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "token-from-entra"


def clients(url: str, http: ConnectorHttp) -> tuple[ConnectorClient, ConnectorClient]:
    credentials = FixedTokenCredentials(APP_ID, "not-a-real-secret")
    plain = ConnectorClient(credentials, base_url=url)
    on_the_loop = ConnectorClient(credentials, base_url=url)
    send_on_the_loop(on_the_loop, http)
    return plain, on_the_loop


def reply() -> MessageFactory:
    activity = MessageFactory.text("Enregistré\u202f: 12\u00a0% « oui »")
    activity.conversation = None
    return activity


async def test_the_connector_receives_the_request_requests_sent(connector):
    connector.record_requests = True
    http = ConnectorHttp()
    plain, on_the_loop = clients(connector.url, http)

    first = await plain.conversations.reply_to_activity("a:conv-1", "act-1", reply())
    second = await on_the_loop.conversations.reply_to_activity("a:conv-1", "act-1", reply())
    await http.close()

    assert first.id and second.id and first.id != second.id
    (method_a, path_a, headers_a, body_a), (method_b, path_b, headers_b, body_b) = connector.requests
    assert (method_b, path_b, body_b) == (method_a, path_a, body_a)
    assert {k.lower(): v for k, v in headers_b.items()} == {k.lower(): v for k, v in headers_a.items()}
    assert headers_b["Authorization"] == "Bearer token-from-entra"


async def test_teams_errors_are_classified_as_before(connector):
    http = ConnectorHttp()
    plain, on_the_loop = clients(connector.url, http)
    failures = []
    for client in (plain, on_the_loop):
        connector.fail_next(429, **{"Retry-After": "2"})
        with pytest.raises(Exception) as raised:
            await client.conversations.reply_to_activity("a:conv-1", "act-1", reply())
        failure = classify(raised.value)
        failures.append((type(raised.value), failure.status, failure.retry_after_seconds, str(failure)))
    await http.close()

    assert failures[1] == failures[0]
    assert failures[1][1:3] == (429, 2)


async def test_an_unreachable_connector_is_retried_then_raises_a_client_request_error(unused_tcp_port):
    delays = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    http = ConnectorHttp(sleep=sleep)
    _, on_the_loop = clients(f"http://127.0.0.1:{unused_tcp_port}/", http)
    with pytest.raises(ClientRequestError):
        await on_the_loop.conversations.reply_to_activity("a:conv-1", "act-1", reply())
    await http.close()

    assert delays == [1.6, 3.2]  # msrest's retry policy: 3 retries of a connection, backed off 0, 1.6, 3.2 s
    assert classify(ClientRequestError("x")).status is None  # retried by the turn, then queued


class CountingExecutor(concurrent.futures.ThreadPoolExecutor):
    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.submitted: list[str] = []

    def submit(self, fn, /, *args, **kwargs):
        self.submitted.append(getattr(fn, "__qualname__", repr(fn)))
        return super().submit(fn, *args, **kwargs)


async def test_a_turn_replies_through_the_endpoint_without_a_thread_hop(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    connector.record_requests = True
    await nadia.post_via_connector(type="message", text="merci")  # warm: the kept client is built
    executor = CountingExecutor()
    asyncio.get_running_loop().set_default_executor(executor)

    texts = await nadia.post_via_connector(type="message", text="quand est le prochain comité ?")

    assert texts and all(texts)
    assert executor.submitted == []  # neither requests nor aiohttp's proxy and netrc look-ups
    method, path, headers, _ = connector.requests[-1]
    assert method == "POST" and path.startswith("/v3/conversations/")
    assert "Authorization" not in headers  # local mode: anonymous, as before
    assert headers["Content-Type"] == "application/json; charset=utf-8"
