"""Files sent in a Teams chat: a loopback server standing for Teams' `downloadUrl`, and the message."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.schema import Attachment

from bot.attachments import TEAMS_FILE_CONTENT_TYPE
from bot.console import ConsoleConversation


@pytest.fixture
async def file_server():
    """Serves files on loopback like Teams' downloadUrl; `files[name] = bytes`."""
    files: dict[str, bytes] = {}

    async def serve(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in files:
            return web.Response(status=404)
        return web.Response(body=files[name])

    app = web.Application()
    app.router.add_get("/files/{name}", serve)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    server.files = files
    yield server
    await server.close()


def file_message(conversation: ConsoleConversation, server, name: str):
    attachment = Attachment(
        content_type=TEAMS_FILE_CONTENT_TYPE,
        name=name,
        content={"downloadUrl": str(server.make_url(f"/files/{name}")), "fileType": name.rsplit(".", 1)[-1]},
    )
    return conversation.activity(type="message", text="", attachments=[attachment])
