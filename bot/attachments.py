"""Files people send to the bot in Teams, fetched before the turn takes its place among the others.

Teams posts a message whose attachment has the content type below and a short-lived `downloadUrl`
(the URL carries its own authorisation). The URL comes from the request, so it is fetched only on
Microsoft's file hosts (SharePoint / OneDrive) once authentication is on, only on this machine in
local mode; a redirect to another host is not followed; size and time are bounded; what was
fetched is never quoted back. `IncomingFilesMiddleware` fetches them before the turn admission
limit, a few at a time: slow downloads never hold the places other people's turns need.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlparse

import aiohttp
from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity

from domain.errors import DomainError
from domain.outbox import LOCAL_HOSTS

TEAMS_FILE_CONTENT_TYPE = "application/vnd.microsoft.teams.file.download.info"
FILE_HOST_SUFFIXES = (".sharepoint.com", ".sharepoint.us", ".sharepoint-df.com", ".sharepoint.de", ".sharepoint.cn")
DOWNLOAD_SECONDS = 10
MAX_REDIRECTS = 3
CONCURRENT_DOWNLOADS = 4
FILES_KEY = "spaser.incoming_files"


@dataclass(frozen=True)
class IncomingFile:
    name: str
    download_url: str

    @property
    def extension(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def incoming_files(activity: Activity) -> list[IncomingFile]:
    files = []
    for attachment in activity.attachments or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        url = content.get("downloadUrl")
        if attachment.content_type == TEAMS_FILE_CONTENT_TYPE and isinstance(url, str) and url.startswith(("https://", "http://")):
            files.append(IncomingFile(name=(attachment.name or "fichier")[:200], download_url=url[:4000]))
    return files


def allowed_file_url(url: str, local_mode: bool) -> bool:
    """Microsoft's file hosts over HTTPS once authentication is on; this machine in local mode."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if local_mode:
        return host in LOCAL_HOSTS
    return parsed.scheme == "https" and host.endswith(FILE_HOST_SUFFIXES)


class Downloads:
    def __init__(self, local_mode: bool, max_bytes: Mapping[str, int], concurrency: int = CONCURRENT_DOWNLOADS) -> None:
        """`max_bytes`: the largest file accepted, by extension; other extensions are not fetched."""
        self._local_mode = local_mode
        self._max_bytes = dict(max_bytes)
        self._slots = asyncio.Semaphore(concurrency)

    async def fetch(self, file: IncomingFile) -> bytes:
        """The file's bytes; a French DomainError when it may not, or could not, be fetched."""
        limit = self._max_bytes.get(file.extension)
        if limit is None:
            raise DomainError(f"Je ne sais pas quoi faire du fichier « {file.name} ».")
        cannot = DomainError(f"Je n'ai pas pu récupérer le fichier « {file.name} ». Renvoyez-le, s'il vous plaît.")
        async with self._slots:
            try:
                async with asyncio.timeout(DOWNLOAD_SECONDS), aiohttp.ClientSession() as session:
                    return await self._get(session, file, limit, cannot)
            except (aiohttp.ClientError, TimeoutError) as error:
                raise cannot from error

    async def _get(self, session: aiohttp.ClientSession, file: IncomingFile, limit: int, cannot: DomainError) -> bytes:
        url = file.download_url
        for _ in range(MAX_REDIRECTS + 1):
            if not allowed_file_url(url, self._local_mode):
                raise cannot
            async with session.get(url, allow_redirects=False) as response:
                if response.status in (301, 302, 303, 307, 308):
                    target = urljoin(url, response.headers.get("Location", ""))
                    if urlparse(target).hostname != urlparse(url).hostname:
                        raise cannot
                    url = target
                    continue
                if response.status != 200:
                    raise cannot
                return await _read(response, limit, file)
        raise cannot


async def _read(response: aiohttp.ClientResponse, limit: int, file: IncomingFile) -> bytes:
    too_large = DomainError(
        f"Le fichier « {file.name} » dépasse la taille maximale acceptée ({max(limit // (1024 * 1024), 1)} Mo)."
    )
    if response.content_length is not None and response.content_length > limit:
        raise too_large
    data = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > limit:
            raise too_large
    return bytes(data)


class IncomingFilesMiddleware(Middleware):
    """Fetches a message's files before the turn admission: each file's bytes, or the French reason
    it could not be had, wait in the turn state for the file handlers (`fetched`)."""

    def __init__(self, downloads: Downloads) -> None:
        self._downloads = downloads

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]):
        files = incoming_files(context.activity) if context.activity.type == "message" else []
        if files:
            results = await asyncio.gather(*(self._downloads.fetch(file) for file in files), return_exceptions=True)
            context.turn_state[FILES_KEY] = dict(zip(files, results))
        return await logic()


def fetched(turn_context: TurnContext, file: IncomingFile) -> bytes:
    """The bytes `IncomingFilesMiddleware` fetched for `file`; raises its French DomainError."""
    result = turn_context.turn_state.get(FILES_KEY, {}).get(file)
    if isinstance(result, bytes):
        return result
    if isinstance(result, DomainError):
        raise result
    raise DomainError(f"Je n'ai pas pu récupérer le fichier « {file.name} ». Renvoyez-le, s'il vous plaît.")
