"""Assembles the aiohttp application: bot runtime, Bot Framework adapter, routes, scheduler.

`create_app(settings)` builds everything from settings and nothing else; `main` is the
`spaser-bot` command line, and `python app.py` runs the server (an alias for `spaser-bot serve`);
`gunicorn_app` is the production entry point (gunicorn with aiohttp's worker, gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot import cli
from bot.credentials import bot_framework_authentication
from bot.http import health_handler, messages_handler
from bot.legal_http import add_legal_routes
from bot.observability import RedactingAccessLogger, metrics_handler
from bot.runtime import BotRuntime, build_runtime
from bot.settings import Settings
from bot.teams_text import TeamsMarkdownMiddleware
from bot.turn_context import ShallowCopyCloudAdapter
from domain.clock import Clock

log = logging.getLogger("spaser")

RUNTIME = web.AppKey("runtime", BotRuntime)
ADAPTER = web.AppKey("adapter", CloudAdapter)


def create_adapter(settings: Settings) -> CloudAdapter:
    adapter = ShallowCopyCloudAdapter(bot_framework_authentication(settings))
    adapter.use(TeamsMarkdownMiddleware())
    return adapter


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    settings.validate()
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: MicrosoftAppId is empty, AUTHENTICATION IS OFF and every request is accepted. "
            "Never expose this instance; set MicrosoftAppId/MicrosoftAppPassword for Teams."
        )
    runtime = build_runtime(settings, clock=clock)
    adapter = create_adapter(settings)
    runtime.install_middleware(adapter, typeset=False)  # the adapter's Teams shaping typesets

    app = web.Application(client_max_size=settings.max_body_bytes + 1)
    app[RUNTIME] = runtime
    app[ADAPTER] = adapter
    app.router.add_post("/api/messages", messages_handler(adapter, runtime.bot.on_turn, settings.max_body_bytes))
    app.router.add_get("/healthz", health_handler(runtime.health))
    runtime.calendar.add_routes(app)
    runtime.documents.add_routes(app)
    runtime.public_routes.add_routes(app)
    add_legal_routes(app, settings.organisation.name, settings.dpo_contact)
    if settings.metrics_token:
        app.router.add_get("/metrics", metrics_handler(runtime.metrics, settings.metrics_token, runtime.outbox.counts))
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    await app[RUNTIME].start()


async def _stop(app: web.Application) -> None:
    await app[RUNTIME].close()
    await app[ADAPTER].bot_framework_authentication.connector_http.close()


def run_server(settings: Settings) -> None:
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log_class=RedactingAccessLogger)


async def gunicorn_app() -> web.Application:
    """The app for gunicorn's aiohttp worker, one per worker process (gunicorn.conf.py):
    `gunicorn app:gunicorn_app -c gunicorn.conf.py`."""
    settings = cli.settings_or_exit()
    cli.configure_logging(settings)
    return create_app(settings)


def main(argv: list[str] | None = None) -> None:
    """`spaser-bot …` and `python app.py` (which serves)."""
    arguments = sys.argv[1:] if argv is None else argv
    cli.main(arguments or ["serve"], run_server)


if __name__ == "__main__":
    main()
