"""Serving the chart and the exports behind expiring tokens (aiohttp).

GET {prefix}/{token}: the token (bot.summary.tokens) names the resource and the person. The
`resolve` callback given by the runtime rebuilds the document for that person, re-checking their
rights now (role or directorate may have changed since the link was sent), and returns None when
they may no longer see it. Forged or unknown → 404; expired → 403 with a French sentence.
Documents are built on request, in a worker thread (matplotlib, openpyxl and fpdf2 are CPU-bound
and would block the event loop), one at a time (see the chart module about matplotlib settings).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum

from aiohttp import web

from domain.summary.chart import card_chart_png
from domain.summary.exports import export_filename, report_html, report_pdf, values_csv, values_xlsx
from domain.summary.model import Summary
from domain.summary.request import SummaryRequest
from domain.indicators.catalogue import Axis
from domain.summary.tokens import DownloadGrant, DownloadTokenError, DownloadTokens, InvalidDownloadToken

DEFAULT_PREFIX = "/synthese"
_HTML_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class ExportFormat(StrEnum):
    """What can be downloaded; the value is the file extension and the resource-id suffix."""

    CHART = "png"
    CSV = "csv"
    XLSX = "xlsx"
    HTML = "html"
    PDF = "pdf"


_CONTENT_TYPES = {
    ExportFormat.CHART: "image/png",
    ExportFormat.CSV: "text/csv",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.HTML: "text/html",
    ExportFormat.PDF: "application/pdf",
}
_RENDERERS: dict[ExportFormat, Callable[[Summary], bytes]] = {
    ExportFormat.CHART: card_chart_png,
    ExportFormat.CSV: values_csv,
    ExportFormat.XLSX: values_xlsx,
    ExportFormat.HTML: report_html,
    ExportFormat.PDF: report_pdf,
}


@dataclass(frozen=True)
class Download:
    body: bytes
    content_type: str
    filename: str | None = None  # None: shown inline (the chart in a card)

    @property
    def charset(self) -> str | None:
        return "utf-8" if self.content_type.startswith("text/") else None


def render_download(summary: Summary, export_format: ExportFormat) -> Download:
    """The document of `summary` in `export_format` (CPU-bound: call it off the event loop)."""
    body = _RENDERERS[export_format](summary)
    inline = export_format is ExportFormat.CHART
    return Download(
        body=body,
        content_type=_CONTENT_TYPES[export_format],
        filename=None if inline else export_filename(summary, export_format.value),
    )


Resolver = Callable[[DownloadGrant], Awaitable[Download | None]]


def resource_id(export_format: ExportFormat, request: SummaryRequest = SummaryRequest()) -> str:
    """`summary:pdf:SOCIAL:DRC`: what to rebuild, carried (signed) in the token."""
    axis = request.axis.name if request.axis is not None else "-"
    return f"summary:{export_format.value}:{axis}:{request.directorate or '-'}"


def parse_resource_id(text: str) -> tuple[ExportFormat, SummaryRequest] | None:
    """The format and filters of a resource id, or None when it is not a summary document."""
    parts = text.split(":")
    if len(parts) != 4 or parts[0] != "summary":
        return None
    _, extension, axis, directorate = parts
    try:
        export_format = ExportFormat(extension)
        chosen_axis = None if axis == "-" else Axis[axis]
    except (ValueError, KeyError):
        return None
    return export_format, SummaryRequest(axis=chosen_axis, directorate=None if directorate == "-" else directorate)


def download_handler(tokens: DownloadTokens, resolve: Resolver):
    async def handle(request: web.Request) -> web.Response:
        try:
            grant = tokens.verify(request.match_info["token"])
        except DownloadTokenError as error:
            return _refusal(error)
        download = await resolve(grant)
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

    return handle


def add_download_routes(
    app: web.Application, tokens: DownloadTokens, resolve: Resolver, prefix: str = DEFAULT_PREFIX
) -> None:
    app.router.add_get(f"{prefix}/{{token}}", download_handler(tokens, resolve))


def single_worker() -> Executor:
    """The executor to render documents in: one thread, so matplotlib's settings never interleave."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="spaser-summary")


async def render_off_loop(executor: Executor, summary: Summary, export_format: ExportFormat) -> Download:
    return await asyncio.get_running_loop().run_in_executor(executor, render_download, summary, export_format)


def _refusal(error: DownloadTokenError) -> web.Response:
    return web.Response(status=error.http_status, text=str(error), content_type="text/plain", charset="utf-8",
                        headers={"Cache-Control": "no-store"})
