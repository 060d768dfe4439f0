"""A bare echo bot on the SPASER bot's own stack, the baseline of the load test.

    python benchmarks/echo_bot.py --port 3979

Same aiohttp server, same Bot Framework `CloudAdapter` built by `app.create_adapter` (local mode,
no authentication), same strict front door (`bot.http.messages_handler`), and the same msrest
client-creation fix the bot's process applies; the handler only echoes the text back through the
connector at the activity's `serviceUrl`. No database, no state, no middleware: what is left is
the cost of the SDK and of replying over HTTP.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web  # noqa: E402
from botbuilder.core import ActivityHandler, TurnContext  # noqa: E402

from app import create_adapter  # noqa: E402
from bot.http import messages_handler  # noqa: E402
from bot.proactive import speed_up_msrest_client_creation  # noqa: E402
from bot.settings import Settings  # noqa: E402


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(turn_context.activity.text or "")


def create_echo_app(settings: Settings) -> web.Application:
    speed_up_msrest_client_creation()
    adapter = create_adapter(settings)
    app = web.Application(client_max_size=settings.max_body_bytes + 1)
    app.router.add_post("/api/messages", messages_handler(adapter, EchoBot().on_turn, settings.max_body_bytes))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3979)
    args = parser.parse_args()
    web.run_app(create_echo_app(Settings(port=args.port)), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
