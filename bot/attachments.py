"""Files people send to the bot in Teams (personal chat), downloaded with a size limit.

Teams posts a message whose attachment has the content type below and a short-lived
`downloadUrl`; the bot fetches it with a plain GET (the URL carries its own authorisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import aiohttp
from botbuilder.schema import Activity

from domain.errors import DomainError

TEAMS_FILE_CONTENT_TYPE = "application/vnd.microsoft.teams.file.download.info"
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=30)


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
            files.append(IncomingFile(name=attachment.name or "fichier", download_url=url))
    return files


async def download(file: IncomingFile, max_bytes: int) -> bytes:
    """The file's bytes; a French DomainError when it is too large or cannot be fetched."""
    data = bytearray()
    await download_into(file, max_bytes, data.extend)
    return bytes(data)


async def download_to_file(file: IncomingFile, max_bytes: int, target: BinaryIO) -> None:
    """The file written to `target` as it arrives (large files: memory stays bounded)."""
    await download_into(file, max_bytes, target.write)


async def download_into(file: IncomingFile, max_bytes: int, write) -> None:
    """Each chunk given to `write`; a French DomainError when it is too large or cannot be fetched."""
    too_large = DomainError(
        f"Le fichier « {file.name} » dépasse la taille maximale acceptée ({max_bytes // (1024 * 1024)} Mo)."
    )
    try:
        async with aiohttp.ClientSession(timeout=DOWNLOAD_TIMEOUT) as session:
            async with session.get(file.download_url) as response:
                if response.status != 200:
                    raise DomainError(
                        f"Je n'ai pas pu récupérer le fichier « {file.name} » (erreur {response.status}). Renvoyez-le, s'il vous plaît."
                    )
                if response.content_length is not None and response.content_length > max_bytes:
                    raise too_large
                received = 0
                async for chunk in response.content.iter_chunked(64 * 1024):
                    received += len(chunk)
                    if received > max_bytes:
                        raise too_large
                    write(chunk)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise DomainError(f"Je n'ai pas pu récupérer le fichier « {file.name} ». Renvoyez-le, s'il vous plaît.") from error
