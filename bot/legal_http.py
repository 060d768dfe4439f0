"""`GET /confidentialite` and `GET /conditions`: the privacy notice and terms of use the Teams
manifest links to (the admin centre shows them), as small French HTML pages."""

from __future__ import annotations

import html
import re

from aiohttp import web

from bot.teams_package import PRIVACY_PATH, TERMS_PATH
from domain.legal import LegalPage, privacy_notice, terms_of_use

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;"
    "overflow-wrap:break-word}"
    # The title at a size a phone's width holds (375 px: « Assistant SPASER : » filled the line at 2em and
    # three lines of 48 px took the first screen, issue 17), as large as before on a wide screen.
    "h1{font-size:clamp(1.45rem,5vw + .35rem,2rem);line-height:1.25;hyphens:auto}"
    "h2{font-size:clamp(1.2rem,3.5vw + .4rem,1.5rem);line-height:1.3}"
)


FRENCH_SPACES = re.compile(r" ([:;?!])")


def _text(value: str) -> str:
    """Escaped, with the no-break space French typography puts before « : ; ? ! »."""
    return FRENCH_SPACES.sub("\u00a0\\1", html.escape(value))


def render(page: LegalPage) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(page.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_text(page.title)}</h1>",
        f"<p>{_text(page.introduction)}</p>",
    ]
    for heading, items in page.sections:
        parts.append(f"<h2>{_text(heading)}</h2>")
        if len(items) == 1:
            parts.append(f"<p>{_text(items[0])}</p>")
        else:
            parts.append("<ul>" + "".join(f"<li>{_text(item)}</li>" for item in items) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def add_legal_routes(app: web.Application, organisation: str, dpo_contact: str) -> None:
    pages = {
        PRIVACY_PATH: render(privacy_notice(organisation, dpo_contact)),
        TERMS_PATH: render(terms_of_use(organisation, dpo_contact)),
    }
    for path, body in pages.items():
        async def serve(_request: web.Request, body: str = body) -> web.Response:
            return web.Response(text=body, content_type="text/html", charset="utf-8",
                                headers={"Cache-Control": "public, max-age=3600"})

        app.router.add_get(path, serve)
