"""The real aiohttp app: /api/messages front door, expectReplies, replies through a fake connector."""

from __future__ import annotations

import threading

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.console import teams_activity
from tests.conftest import make_settings


async def client_for(settings) -> TestClient:
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


@pytest.fixture
async def client(tmp_path):
    test_client = await client_for(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'http.db'}"))
    yield test_client
    await test_client.close()


def message(text: str, service_url: str, **fields) -> dict:
    """A Teams-shaped message whose serviceUrl is the fake connector (tests never leave loopback)."""
    activity = teams_activity(
        aad_object_id="lead-aad", name="Camille Martin", conversation_id="a:http-1", text=text, id=fields.pop("id", "m1"), **fields
    )
    activity.service_url = service_url
    return activity.serialize()


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"not json", {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400),
        (b'"text"', {"Content-Type": "application/json"}, 400),
        (b"{}", {"Content-Type": "application/json"}, 400),
        (b'{"type": 42}', {"Content-Type": "application/json"}, 400),
        (b'{"type": "message"}', {"Content-Type": "text/plain"}, 415),
        (b'{"type": "message"}', {}, 415),
        (b'{"type": "message", "text": "' + b"a" * 300_000 + b'"}', {"Content-Type": "application/json"}, 413),
    ],
)
async def test_bad_requests_get_a_4xx_never_a_500(client, body, headers, status):
    response = await client.post("/api/messages", data=body, headers=headers)
    assert response.status == status
    assert "error" in await response.json()


async def test_expect_replies_returns_the_replies_in_the_body(client, connector):
    body = message("qui suis-je", connector.url, delivery_mode="expectReplies")
    response = await client.post("/api/messages", json=body)
    assert response.status == 200
    replies = (await response.json())["activities"]
    assert any("responsable du SPASER" in (reply.get("text") or "") for reply in replies)
    assert connector.sent == [], "with expectReplies nothing goes through the connector"


async def test_a_message_is_answered_through_the_teams_connector(client, connector):
    response = await client.post("/api/messages", json=message("qui suis-je", connector.url))
    assert response.status in (200, 201)
    assert any("responsable du SPASER" in text for text in connector.texts())
    assert connector.sent[0]["_conversation_id"] == "a:http-1"


async def test_health_reports_database_scheduler_and_warm_up(client):
    from app import RUNTIME

    await client.server.app[RUNTIME].settled()
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "scheduler": "disabled", "warm_up": "done"}


async def test_health_is_503_until_the_start_up_warm_up_has_finished(tmp_path, monkeypatch):
    """A load balancer must not send the first users to an instance still compiling its recognizers."""
    import bot.runtime
    from app import RUNTIME

    recognizers_compiled = threading.Event()
    monkeypatch.setattr(bot.runtime, "warm_up_recognizers", lambda: recognizers_compiled.wait(30))
    client = await client_for(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'warm.db'}"))
    try:
        while_warming = await client.get("/healthz")
        body_while_warming = await while_warming.json()
        recognizers_compiled.set()
        await client.server.app[RUNTIME].settled()
        after = await client.get("/healthz")

        assert (while_warming.status, body_while_warming["status"], body_while_warming["warm_up"]) == (503, "starting", "running")
        assert (after.status, (await after.json())["status"]) == (200, "ok")
    finally:
        recognizers_compiled.set()
        await client.close()


async def test_with_an_app_id_a_request_without_a_valid_token_is_401_and_nothing_is_written(tmp_path, connector):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}", app_id="00000000-1111-2222-3333-444444444444", app_password="secret")
    client = await client_for(settings)
    try:
        no_token = await client.post("/api/messages", json=message("qui suis-je", connector.url))
        forged = await client.post(
            "/api/messages", json=message("qui suis-je", connector.url, id="m2"), headers={"Authorization": "Bearer not.a.jwt"}
        )
        assert (no_token.status, forged.status) == (401, 401)
        from app import RUNTIME

        assert await client.server.app[RUNTIME].people.list() == []
    finally:
        await client.close()


def test_production_without_app_id_refuses_to_start():
    from bot.settings import SettingsError

    with pytest.raises(SettingsError):
        create_app(make_settings(environment="production"))


async def test_a_registration_by_email_is_linked_through_the_teams_roster(client, connector):
    from app import RUNTIME
    from domain.people import Role

    runtime = client.server.app[RUNTIME]
    await runtime.directorates.add("DCP", "Direction de la commande publique")
    await runtime.people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP")
    connector.roster["29:nadia-aad"] = "Nadia@Ville.fr"
    activity = teams_activity(aad_object_id="nadia-aad", name="Nadia", conversation_id="a:nadia", text="qui suis-je", id="n1")
    activity.service_url = connector.url
    response = await client.post("/api/messages", json=activity.serialize())
    assert response.status == 200
    assert any("renseignez les indicateurs SPASER de la direction de la commande publique (DCP)" in text for text in connector.texts())


async def test_the_welcome_on_install_greets_by_the_roster_name(client, connector):
    connector.roster["29:alex-aad"] = "alexw@example.com"
    activity = teams_activity(aad_object_id="alex-aad", name="", conversation_id="a:alex", id="i1")
    activity.type, activity.action, activity.service_url = "installationUpdate", "add", connector.url
    activity.from_property.name = None
    response = await client.post("/api/messages", json=activity.serialize())
    assert response.status in (200, 201)
    welcome = connector.sent[0]["attachments"][0]["content"]["body"][0]["text"]
    assert welcome == "Bonjour alexw@example.com !"


async def test_the_lead_assigns_a_role_by_mentioning_a_team_member(client, connector):
    from app import RUNTIME
    from domain.people import Role

    runtime = client.server.app[RUNTIME]
    await runtime.directorates.add("DRH", "Direction des ressources humaines")
    connector.roster["29:nadia"] = "nadia.benali@ville.fr"
    activity = teams_activity(
        aad_object_id="lead-aad",
        name="Camille",
        conversation_id="19:team-channel",
        conversation_type="channel",
        id="c1",
        text="<at>Assistant SPASER</at> affecter <at>Nadia Benali</at> contributrice DRH",
    )
    activity.service_url = connector.url
    body = activity.serialize()
    body["entities"] = [
        {"type": "mention", "mentioned": {"id": "28:spaser-bot", "name": "Assistant SPASER"}, "text": "<at>Assistant SPASER</at>"},
        {"type": "mention", "mentioned": {"id": "29:nadia", "name": "Nadia Benali"}, "text": "<at>Nadia Benali</at>"},
    ]
    response = await client.post("/api/messages", json=body)
    assert response.status == 200
    person = await runtime.people.get_by_email("nadia.benali@ville.fr")
    assert person is not None, connector.texts()
    assert person.role is Role.CONTRIBUTOR and person.directorate_code == "DRH"


async def test_a_text_reply_starts_without_markdown_marks_for_the_chat_list_and_notifications(client, connector):
    """Reader 7, B16: the chat list showed « Vous êtes **Camille… ». Teams ignores `summary` for a text
    message (it uses it for cards only) and previews the start of the text: that line is plain."""
    response = await client.post("/api/messages", json=message("qui suis-je", connector.url))
    assert response.status in (200, 201)
    [reply] = [body for body in connector.sent if "responsable du SPASER" in (body.get("text") or "")]
    first_line = reply["text"].split("\n")[0]
    assert first_line.startswith("Vous êtes Camille Martin") and "**" not in first_line, first_line
    assert "**" not in reply["summary"]
