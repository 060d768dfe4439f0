"""Files people send to the bot in Teams, fetched before the turn takes its place among the others.

Teams posts a message whose attachment has the content type below and a short-lived `downloadUrl`
(the URL carries its own authorisation). The URL comes from the request, so it is fetched only on
Microsoft's file hosts (SharePoint / OneDrive) once authentication is on, only on this machine in
local mode; a redirect to another host is not followed; size and time are bounded; what was
fetched is never quoted back. `IncomingFilesMiddleware` fetches them before the turn admission
limit, a few at a time, into a folder kept for the turn: slow downloads never hold the places
other people's turns need, and a large file never sits in memory.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
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

    async def fetch(self, file: IncomingFile, target: Path) -> Path:
        """The file written to `target`; a French DomainError when it may not, or could not, be fetched."""
        limit = self._max_bytes.get(file.extension)
        if limit is None:
            raise DomainError(f"Je ne sais pas quoi faire du fichier « {file.name} ».")
        cannot = DomainError(f"Je n’ai pas pu récupérer le fichier « {file.name} ». Renvoyez-le, s’il vous plaît.")
        async with self._slots:
            try:
                async with asyncio.timeout(DOWNLOAD_SECONDS), aiohttp.ClientSession() as session:
                    with target.open("wb") as stream:
                        await self._get(session, file, limit, cannot, stream)
                return target
            except (aiohttp.ClientError, TimeoutError) as error:
                raise cannot from error

    async def _get(
        self, session: aiohttp.ClientSession, file: IncomingFile, limit: int, cannot: DomainError, stream: BinaryIO
    ) -> None:
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
                return await _copy(response, limit, file, stream)
        raise cannot


async def _copy(response: aiohttp.ClientResponse, limit: int, file: IncomingFile, stream: BinaryIO) -> None:
    too_large = DomainError(
        f"Le fichier « {file.name} » dépasse la taille maximale acceptée ({max(limit // (1024 * 1024), 1)} Mo)."
    )
    if response.content_length is not None and response.content_length > limit:
        raise too_large
    received = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        received += len(chunk)
        if received > limit:
            raise too_large
        stream.write(chunk)


class IncomingFilesMiddleware(Middleware):
    """Fetches a message's files before the turn admission: each file's bytes, or the French reason
    it could not be had, wait in the turn state for the file handlers (`fetched`)."""

    def __init__(self, downloads: Downloads) -> None:
        self._downloads = downloads

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]):
        files = incoming_files(context.activity) if context.activity.type == "message" else []
        if not files:
            return await logic()
        with tempfile.TemporaryDirectory(prefix="spaser-files-") as folder:
            targets = [Path(folder) / f"{index}{file.extension}" for index, file in enumerate(files)]
            results = await asyncio.gather(
                *(self._downloads.fetch(file, target) for file, target in zip(files, targets)), return_exceptions=True
            )
            context.turn_state[FILES_KEY] = dict(zip(files, results))
            return await logic()


def fetched_path(turn_context: TurnContext, file: IncomingFile) -> Path:
    """Where `IncomingFilesMiddleware` put `file` for this turn; raises its French DomainError."""
    result = turn_context.turn_state.get(FILES_KEY, {}).get(file)
    if isinstance(result, Path):
        return result
    if isinstance(result, DomainError):
        raise result
    raise DomainError(f"Je n’ai pas pu récupérer le fichier « {file.name} ». Renvoyez-le, s’il vous plaît.")


def fetched(turn_context: TurnContext, file: IncomingFile, max_bytes: int) -> bytes:
    """The bytes of a file `IncomingFilesMiddleware` fetched for this turn, when it is no bigger than
    `max_bytes` (a French DomainError otherwise: the file is not read)."""
    path = fetched_path(turn_context, file)
    if path.stat().st_size > max_bytes:
        raise DomainError(
            f"Le fichier « {file.name} » dépasse la taille maximale acceptée ({max(max_bytes // (1024 * 1024), 1)} Mo)."
        )
    return path.read_bytes()
