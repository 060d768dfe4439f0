"""The public SPASER page, once the lead published it: GET /spaser (HTML), GET /spaser.xlsx (the
same indicators as a spreadsheet) and GET /spaser.csv (open data). Read-only, no authentication, nothing personal; 404 while unpublished."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from domain.public_page import CSV_PATH, PAGE_PATH, XLSX_PATH, public_page_csv, public_page_html, public_page_xlsx
from storage.public_page import PublicPageService

log = logging.getLogger(__name__)
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
NOT_PUBLISHED = "Cette page n’est pas publiée."
UNAVAILABLE = "La page du SPASER est momentanément indisponible. Réessayez dans quelques minutes."
BUILD_TIMEOUT = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PublicPageRoutes:
    def __init__(self, pages: PublicPageService) -> None:
        self._pages = pages

    async def _published(self):
        """(page, None) once published; (None, the French 404 or 503 to answer) otherwise."""
        try:
            async with asyncio.timeout(BUILD_TIMEOUT):
                page = await self._pages.page()
        except Exception:  # noqa: BLE001 - a public page answers in French, never with a 500
            log.warning("Could not build the public SPASER page", exc_info=True)
            return None, web.Response(status=503, text=UNAVAILABLE, headers={"Retry-After": "60", "Cache-Control": "no-store"})
        if page is None:
            return None, web.Response(status=404, text=NOT_PUBLISHED, headers={"Cache-Control": "no-store"})
        return page, None

    async def html(self, _request: web.Request) -> web.Response:
        page, refusal = await self._published()
        if refusal is not None:
            return refusal
        return web.Response(
            text=public_page_html(page), content_type="text/html", charset="utf-8",
            headers={**_HEADERS, "Content-Security-Policy": _POLICY},
        )

    async def csv(self, _request: web.Request) -> web.Response:
        page, refusal = await self._published()
        if refusal is not None:
            return refusal
        return web.Response(
            body=public_page_csv(page), content_type="text/csv", charset="utf-8",
            headers={**_HEADERS, "Content-Disposition": 'attachment; filename="spaser-indicateurs.csv"'},
        )

    async def xlsx(self, _request: web.Request) -> web.Response:
        page, refusal = await self._published()
        if refusal is not None:
            return refusal
        return web.Response(
            body=public_page_xlsx(page), content_type=XLSX_TYPE,
            headers={**_HEADERS, "Content-Disposition": 'attachment; filename="spaser-indicateurs.xlsx"'},
        )

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(PAGE_PATH, self.html)
        app.router.add_get(CSV_PATH, self.csv)
        app.router.add_get(XLSX_PATH, self.xlsx)
