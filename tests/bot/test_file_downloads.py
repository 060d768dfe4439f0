"""Files sent in Teams: fetched only from Microsoft's file hosts (this machine in local mode), never
through a redirect to another host, never quoted back, and never holding the places other
people's turns need."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.attachments import Downloads, IncomingFile, allowed_file_url
from domain.errors import DomainError
from tests.http_support import Sender


@pytest.mark.parametrize(
    ("url", "local_mode", "allowed"),
    [
        ("https://contoso.sharepoint.com/personal/x/download.aspx?t=1", False, True),
        ("https://contoso-my.sharepoint.com/x", False, True),
        ("http://contoso.sharepoint.com/x", False, False),
        ("https://127.0.0.1/x", False, False),
        ("https://evil.invalid/contoso.sharepoint.com", False, False),
        ("https://contoso.sharepoint.com.evil.invalid/x", False, False),
        ("http://127.0.0.1:8080/files/a.csv", True, True),
        ("http://localhost/files/a.csv", True, True),
        ("https://contoso.sharepoint.com/x", True, False),
        ("http://10.0.0.1/metadata", True, False),
    ],
)
def test_only_microsofts_file_hosts_or_this_machine_are_fetched(url, local_mode, allowed):
    assert allowed_file_url(url, local_mode) is allowed


@pytest.fixture
async def file_server():
    """A file host on 127.0.0.1 that can redirect elsewhere, serve a body, or hold a request."""
    state = {"requests": [], "release": asyncio.Event(), "arrived": asyncio.Event(), "held": 0}

    async def serve(request: web.Request) -> web.Response:
        state["requests"].append(request.path)
        name = request.match_info["name"]
        if name == "redirect.csv":
            raise web.HTTPFound(f"http://localhost:{request.url.port}/files/secret.csv")
        if name == "slow.csv":
            state["held"] += 1
            state["arrived"].set()
            await state["release"].wait()
        return web.Response(body=b"INTERNE-CONFIDENTIEL;x;y\n1;2;3\n")

    app = web.Application()
    app.router.add_get("/files/{name}", serve)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    state["url"] = lambda name: str(server.make_url(f"/files/{name}"))
    yield state
    state["release"].set()
    await server.close()


async def test_a_redirect_to_another_host_is_not_followed(file_server, tmp_path):
    downloads = Downloads(local_mode=True, max_bytes={".csv": 1000})

    with pytest.raises(DomainError, match="pas pu récupérer"):
        await downloads.fetch(IncomingFile("redirect.csv", file_server["url"]("redirect.csv")), tmp_path / "f.csv")

    assert file_server["requests"] == ["/files/redirect.csv"]


def file_activity(name: str, url: str) -> dict:
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
                         "content": {"downloadUrl": url, "fileType": "csv"}}],
    }


async def test_what_a_fetched_file_holds_is_never_quoted_back(client, connector, file_server):
    lead = Sender(client, connector, "lead-aad", "Camille Martin")

    answer = await lead.post(**file_activity("catalogue.csv", file_server["url"]("plain.csv")))

    assert "Import refusé" in str(answer) and "INTERNE" not in str(answer)


async def test_slow_downloads_leave_room_for_everyone_elses_turns(client, connector, file_server):
    lead = Sender(client, connector, "lead-aad", "Camille Martin")
    uploads = [asyncio.create_task(lead.in_group(f"19:g{n}").post(**file_activity("catalogue.csv", file_server["url"]("slow.csv"))))
               for n in range(20)]
    await file_server["arrived"].wait()

    answered = await asyncio.wait_for(Sender(client, connector, "nadia-aad", "Nadia").say("qui suis-je"), timeout=20)
    held = file_server["held"]
    file_server["release"].set()
    await asyncio.gather(*uploads)

    assert "Nadia" in answered and held < len(uploads)
