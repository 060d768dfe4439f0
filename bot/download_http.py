"""Serving the summary's chart and exports behind expiring tokens: GET /synthese/{token}.

The token (domain/summary/tokens.py) names the document and the person. The document is rebuilt
for that person at download time, with their rights as they are now (role or directorate may have
changed since the link was sent); None of it is visible once they may no longer see it. Forged or
unknown → 404; expired → 403 with a French sentence. Documents are built in a worker thread
(matplotlib, openpyxl and fpdf2 are CPU-bound and would block the event loop), one at a time
(matplotlib's settings must never interleave). So that one person fetching a link over and over
cannot make everyone else wait, each person has a budget of downloads (429 past it) and the queue
of documents to build is bounded (503 when full), both with `Retry-After`.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from aiohttp import web

from domain.summary.documents import (
    DEFAULT_PREFIX,
    ENTRY_FORMATS,
    Download,
    ExportFormat,
    parse_resource_id,
    render_download,
)
from domain.summary.model import Summary
from domain.summary.scope import SummaryError
from domain.summary.tokens import DownloadGrant, DownloadTokenError, DownloadTokens, InvalidDownloadToken
from domain.text import counted
from storage.people import PeopleRepository
from storage.summary.service import SummaryService

_HTML_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
DOWNLOADS_PER_PERSON = 6
DOWNLOAD_WINDOW_S = 60.0
MAX_RENDERS = 8
"""Documents being built or waiting to be: about 8 s of work at the slowest (a PDF report)."""
BUSY_RETRY_AFTER_S = 5
TOO_MANY_DOWNLOADS = "Vous avez téléchargé beaucoup de documents en peu de temps : réessayez dans {wait}."
TOO_MANY_RENDERS = "Beaucoup de documents sont en préparation : réessayez dans quelques secondes."


class DownloadBudget:
    """At most `limit` downloads per person in any `window` seconds."""

    def __init__(self, limit: int = DOWNLOADS_PER_PERSON, window: float = DOWNLOAD_WINDOW_S,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window = window
        self._now = now
        self._recent: dict[int, deque[float]] = {}

    def take(self, person_id: int) -> float | None:
        """None when this download is within the budget (and counts), else the seconds to wait."""
        now = self._now()
        recent = self._recent.setdefault(person_id, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        if len(recent) >= self._limit:
            return recent[0] + self._window - now
        recent.append(now)
        for other in [key for key, stamps in self._recent.items() if not stamps]:
            del self._recent[other]
        return None


class SummaryDocuments:
    """Renders the summary's documents off the event loop, and serves them to their link's person."""

    def __init__(
        self,
        tokens: DownloadTokens,
        summaries: SummaryService,
        people: PeopleRepository,
        *,
        budget: DownloadBudget | None = None,
        max_renders: int = MAX_RENDERS,
    ) -> None:
        self._tokens = tokens
        self._summaries = summaries
        self._people = people
        self._budget = budget or DownloadBudget()
        self._max_renders = max_renders
        self._renders = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spaser-summary")

    async def render(self, summary: Summary, export_format: ExportFormat) -> Download:
        """The document, with who entered each value and when for the value exports."""
        entries = await self._summaries.entries(summary) if export_format in ENTRY_FORMATS else None
        render = partial(
            render_download, summary, export_format, entries=entries, timezone=self._summaries.timezone,
            produced_at=self._summaries.now(),
        )
        return await asyncio.get_running_loop().run_in_executor(self._executor, render)

    async def resolve(self, grant: DownloadGrant) -> Download | None:
        """The document a link names, rebuilt for its person with their rights as they are now."""
        parsed = parse_resource_id(grant.resource_id)
        if parsed is None:
            return None
        export_format, request = parsed
        person = await self._people.get(grant.person_id)
        try:
            summary = await self._summaries.for_person(person, request)
        except SummaryError:
            return None
        return await self.render(summary, export_format)

    async def handle(self, request: web.Request) -> web.Response:
        try:
            grant = self._tokens.verify(request.match_info["token"])
        except DownloadTokenError as error:
            return _refusal(error)
        wait = self._budget.take(grant.person_id)
        if wait is not None:
            return _busy(429, TOO_MANY_DOWNLOADS.format(wait=counted(math.ceil(wait), "seconde")), wait)
        if self._renders >= self._max_renders:
            return _busy(503, TOO_MANY_RENDERS, BUSY_RETRY_AFTER_S)
        self._renders += 1
        try:
            download = await self.resolve(grant)
        finally:
            self._renders -= 1
        if download is None:
            return _refusal(InvalidDownloadToken())
        headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
        if download.filename:
            headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        if download.content_type == "text/html":
            headers["Content-Security-Policy"] = _HTML_POLICY
        return web.Response(
            body=download.body, content_type=download.content_type, charset=download.charset, headers=headers
        )

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(f"{DEFAULT_PREFIX}/{{token}}", self.handle)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _refusal(error: DownloadTokenError) -> web.Response:
    return web.Response(status=error.http_status, text=str(error), content_type="text/plain", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


def _busy(status: int, text: str, retry_after: float) -> web.Response:
    headers = {"Cache-Control": "no-store", "Retry-After": str(max(1, math.ceil(retry_after)))}
    return web.Response(status=status, text=text, content_type="text/plain", charset="utf-8", headers=headers)
