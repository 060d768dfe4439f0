"""The Teams connector client's HTTP calls made on the event loop with aiohttp.

msrest's async client sends each request with `requests` in the loop's default thread pool: a
reply cost a hand-off to a thread and back, urllib3's and http.client's Python, and contention for
the GIL with the event loop (py-spy under the 200-user load: the pool's thread was busy about a
third as long as the loop, `ThreadPoolExecutor.submit` and the loop's self-pipe 4 % of the loop).
This sender replaces only the last step of msrest's pipeline: the policies before it (user agent,
the credentials' `signed_session`, which sets or removes `Authorization`, the body's JSON, the
response's deserialisation) are msrest's own, unchanged. It sends the headers `requests` would
send (its defaults, the configuration's, the request's, in that order), honours the configured
timeout and redirect policy, and retries a connection that could not be opened
as msrest's retry policy does (urllib3 2 retries only connection errors of a POST). A failure
raises msrest's `ClientRequestError`, as before. Requests with files, a proxy (configured or in the
environment), a client certificate or another TLS verification than the default still go through msrest's `requests` sender.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from msrest.exceptions import ClientRequestError, raise_with_traceback
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response, SansIOHTTPPolicy
from msrest.pipeline.async_requests import AsyncPipelineRequestsHTTPSender, AsyncRequestsCredentialsPolicy
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import AsyncClientResponse, ClientRequest
from msrest.universal_http.async_requests import AsyncRequestsHTTPSender
from multidict import CIMultiDict
from requests.structures import CaseInsensitiveDict
from requests.utils import default_headers
from yarl import URL

CONNECT_RETRIES = 3
BACKOFF_FACTOR_S = 0.8
"""msrest's `ClientRetryPolicy`: 3 connection retries, urllib3's back-off 0, 1.6, 3.2 s."""


class _HeaderHolder:
    """What the credentials policy signs: it only sets or removes `headers['Authorization']`."""

    __slots__ = ("headers",)

    def __init__(self) -> None:
        self.headers = default_headers()


class _Context:
    __slots__ = ("session",)

    def __init__(self) -> None:
        self.session = _HeaderHolder()


class LoadedResponse(AsyncClientResponse):
    """An aiohttp response read whole, shaped as msrest's responses (sync `body()`, `text()`)."""

    def __init__(self, request: ClientRequest, internal: aiohttp.ClientResponse, body: bytes) -> None:
        super().__init__(request, internal)
        self.status_code = internal.status
        self.headers = CIMultiDict(internal.headers)
        self.reason = internal.reason
        self._body = body

    def body(self) -> bytes:
        return self._body

    def stream_download(self, chunk_size: int | None = None, callback=None) -> AsyncIterator[bytes]:
        size = chunk_size or 10 * 1024

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(self._body), size):
                chunk = self._body[start : start + size]
                if callback is not None:
                    callback(chunk, self.internal_response)
                yield chunk

        return chunks()


class ConnectorHttp:
    """One aiohttp session for every connector client of an adapter, made on the running loop."""

    def __init__(self, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            # certifi's bundle, as requests verifies with it.
            context = ssl.create_default_context(cafile=_certifi_bundle())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=context), trust_env=False, auto_decompress=True
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None


@functools.lru_cache(maxsize=1)
def _environment_proxies() -> bool:
    """Whether the environment names an HTTP(S) proxy, read once: aiohttp's `trust_env` would look
    it up (and `~/.netrc`) in a thread at every request, the hop this sender exists to avoid."""
    proxies = urllib.request.getproxies()
    return bool(proxies.get("http") or proxies.get("https") or proxies.get("all"))


def _certifi_bundle() -> str | None:
    try:
        import certifi
    except ImportError:  # pragma: no cover - requests depends on certifi
        return None
    return certifi.where()


class AiohttpConnectorSender(AsyncHTTPSender):
    """The last step of a connector client's msrest pipeline, on the event loop."""

    def __init__(self, config: Any, http: ConnectorHttp) -> None:
        self._config = config
        self._http = http
        self._fallback = AsyncPipelineRequestsHTTPSender(AsyncRequestsHTTPSender(config))

    async def __aenter__(self) -> AiohttpConnectorSender:
        return self

    async def __aexit__(self, *exc_details) -> None:
        await self._fallback.__aexit__(*exc_details)

    def build_context(self) -> _Context:
        return _Context()

    async def send(self, request: Request, **kwargs: Any) -> Response:
        http_request: ClientRequest = request.http_request
        config = self._config
        connection = config.connection
        environment_proxy = config.proxies.use_env_settings and _environment_proxies()
        if http_request.files or config.proxies() or environment_proxy or connection.verify is not True or connection.cert:
            fallback_context = self._fallback.build_context()
            fallback_context.session.headers.update(request.context.session.headers)
            request.context = fallback_context
            return await self._fallback.send(request, **kwargs)
        headers = CaseInsensitiveDict(request.context.session.headers)
        headers.update(config.headers)
        headers.update(http_request.headers)
        headers.pop("Content-Length", None)  # aiohttp counts the bytes it sends
        sent_headers = {key: value for key, value in headers.items() if value is not None}
        data = http_request.data
        if isinstance(data, str):
            data = data.encode("utf-8")
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connection.timeout, sock_read=connection.timeout)
        redirects = config.redirect_policy
        session = self._http.session()
        attempt = 0
        while True:
            try:
                async with session.request(
                    http_request.method,
                    URL(http_request.url, encoded=True),  # msrest quoted the path: sent as it is
                    data=data,
                    headers=sent_headers,
                    timeout=timeout,
                    allow_redirects=bool(redirects),
                    max_redirects=int(redirects()),
                ) as internal:
                    body = await internal.read()
                return Response(request, LoadedResponse(http_request, internal, body))
            except aiohttp.ClientConnectorError as error:
                if attempt >= CONNECT_RETRIES:
                    raise_with_traceback(ClientRequestError, "Error occurred in request.", error)
                if attempt:
                    await self._http.sleep(BACKOFF_FACTOR_S * 2**attempt)
                attempt += 1
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                raise_with_traceback(ClientRequestError, "Error occurred in request.", error)


def send_on_the_loop(client: Any, http: ConnectorHttp) -> None:
    """Rebuilds `client`'s msrest pipeline as msrest builds it, ending in `AiohttpConnectorSender`."""
    config = client.config
    policies: list[Any] = [config.user_agent_policy, RawDeserializer(), config.http_logger_policy]
    if config.credentials:
        credentials = config.credentials
        wrapped = isinstance(credentials, (AsyncHTTPPolicy, SansIOHTTPPolicy))
        policies.insert(1, credentials if wrapped else AsyncRequestsCredentialsPolicy(credentials))
    config.pipeline = AsyncPipeline(policies, AiohttpConnectorSender(config, http))
