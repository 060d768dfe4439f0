"""The tenant features through the real bot: a pre-installed app's conversation kept, names from
the directory or from the lead, one JSON line per turn, metrics behind a token, one scheduler per
PostgreSQL database."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from bot.console import ConsoleConversation, teams_activity
from bot.runtime import build_runtime
from domain.people import Role
from tests.conftest import make_settings, texts
from tests.fakes.tenant_support import graph, graph_client, graph_settings  # noqa: F401 - fixture

METRICS_TOKEN = "m" * 40


async def start(settings) -> TestClient:
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


async def test_an_app_preinstalled_by_a_setup_policy_keeps_the_persons_conversation(tmp_path, connector):
    """A Teams admin installs the app for Hélène: Teams sends installationUpdate in her chat; she never
    writes, yet her registration by e-mail is linked and reminders can reach her."""
    client = await start(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"))
    runtime = client.server.app[RUNTIME]
    try:
        await runtime.people.assign("helene.dubois@ville.fr", Role.OFFICIAL)
        connector.roster["29:aad-helene"] = "helene.dubois@ville.fr"
        activity = teams_activity(aad_object_id="aad-helene", name="", conversation_id="a:helene", text=None,
                                  id="install-1", type="installationUpdate", action="add")
        activity.from_property.id = "29:aad-helene"
        activity.service_url = connector.url
        response = await client.post("/api/messages", json=activity.serialize())
        assert response.status in (200, 201)

        helene = await runtime.people.get_by_email("helene.dubois@ville.fr")
        assert helene.aad_object_id == "aad-helene"
        assert (await runtime.conversation_refs.personal_for(["aad-helene"]))["aad-helene"]["serviceUrl"] == connector.url
        assert "Bienvenue" in json.dumps(connector.sent, ensure_ascii=False)
    finally:
        await client.close()


async def test_the_lead_adds_someone_by_e_mail_and_the_directory_gives_the_name(sqlite_database, clock, graph):
    settings = replace(make_settings(sqlite_database.url), graph=graph_settings(graph))
    runtime = build_runtime(settings, database=sqlite_database, clock=clock, graph=graph_client(graph, settings.graph))
    graph.add_user("aad-helene", "helene.dubois@ville.fr", "Hélène Dubois")
    lead = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille Martin")
    try:
        said = texts(await lead.say("affecter helene.dubois@ville.fr élue"))
        unknown = texts(await lead.say("affecter inconnu@ville.fr élu"))
    finally:
        await runtime.graph.close()
    assert "**Hélène Dubois** (helene.dubois@ville.fr) a désormais le rôle d’élue" in said
    helene = await runtime.people.get_by_email("helene.dubois@ville.fr")
    assert (helene.name, helene.aad_object_id, helene.tenant_id) == ("Hélène Dubois", "aad-helene", settings.graph.tenant_id)
    assert "je ne trouve pas cette adresse dans l’annuaire Microsoft 365" in unknown


async def test_without_graph_the_lead_gives_the_name(runtime, talk):
    lead = talk("lead-aad", "Camille Martin")
    hint = texts(await lead.say("affecter marc.lefevre@ville.fr élu"))
    named = texts(await lead.say("affecter marc.lefevre@ville.fr élu nom Marc Lefèvre"))
    assert "tapez «\u00a0affecter marc.lefevre@ville.fr élu nom Prénom Nom\u00a0»" in hint
    assert "**Marc Lefèvre** (marc.lefevre@ville.fr)" in named
    assert (await runtime.people.get_by_email("marc.lefevre@ville.fr")).name == "Marc Lefèvre"


async def test_each_turn_is_one_log_line_without_personal_data(tmp_path, connector, caplog):
    client = await start(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"))
    try:
        activity = teams_activity(aad_object_id="lead-aad", name="Camille Martin", conversation_id="a:secret-chat",
                                  text="qui suis-je", id="turn-1")
        activity.service_url = connector.url
        with caplog.at_level(logging.INFO, logger="spaser.turns"):
            await client.post("/api/messages", json=activity.serialize())
            await client.post("/api/messages", json=activity.serialize())  # Teams' re-delivery
    finally:
        await client.close()
    turns = [record.turn for record in caplog.records if record.name == "spaser.turns"]
    assert [(t["activity_id"], t["type"], t["outcome"]) for t in turns] == [("turn-1", "message", "ok"),
                                                                           ("turn-1", "message", "duplicate")]
    assert turns[0]["conversation"] == turns[1]["conversation"] and len(turns[0]["conversation"]) == 16
    line = json.dumps(turns)
    assert "secret-chat" not in line and "Camille" not in line and "qui suis-je" not in line
    assert turns[0]["duration_ms"] > 0


async def test_metrics_exist_only_with_a_token_and_answer_only_it(tmp_path, connector):
    closed = await start(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"))
    try:
        assert (await closed.get("/metrics")).status == 404
    finally:
        await closed.close()
    client = await start(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", metrics_token=METRICS_TOKEN))
    try:
        activity = teams_activity(aad_object_id="lead-aad", name="Camille Martin", conversation_id="a:1", text="aide", id="t1")
        activity.service_url = connector.url
        await client.post("/api/messages", json=activity.serialize())
        assert (await client.get("/metrics")).status == 401
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
        response = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        body = await response.text()
    finally:
        await client.close()
    assert response.status == 200
    assert 'spaser_turns_total{outcome="ok",type="message"} 1.0' in body
    assert "spaser_turn_duration_seconds_bucket" in body
    assert "spaser_outbox_rows" in body


async def test_one_process_per_postgresql_database_runs_the_scheduler(tmp_path):
    from tests.committees_support import postgres_database  # noqa: F401
    from tests.conftest import make_database

    database, drop = await make_database("postgresql", tmp_path)
    await database.migrate()
    settings = make_settings(database.url, scheduler_enabled=True)
    first = build_runtime(settings, database=database)
    second = build_runtime(settings, database=database)
    try:
        await first.jobs.start("Europe/Paris")
        first.scheduler.start()
        await second.jobs.start("Europe/Paris")
        second.scheduler.start()
        assert (first.jobs.leading, second.jobs.leading) == (True, False)
        assert (first.scheduler.state, second.scheduler.state) == ("running", "standby")
        assert (await second.health())["status"] in ("ok", "starting")

        await first.jobs.close()  # the leader goes: the other takes over at its next check
        first.scheduler.shutdown()
        second.jobs._leader_retry_seconds = 0.05
        await second.jobs._campaign_step()
        assert second.jobs.leading and second.scheduler.state == "running"
    finally:
        for runtime in (first, second):
            runtime.scheduler.shutdown()
            await runtime.jobs.close()
        await drop()
