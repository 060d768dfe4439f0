"""The botbuilder Storage on SQLite and PostgreSQL: round trips, eTags, concurrency, safe restore."""

from __future__ import annotations

import asyncio

import pytest
from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.dialogs.choices import Choice
from botbuilder.dialogs.prompts import PromptOptions
from sqlalchemy import text

from bot.console import ConsoleConversation
from bot.runtime import build_runtime
from bot.state.codec import StateCodec, StateCodecError
from bot.state.storage import SqlStorage
from storage.bot_state import BotStateRepository, StateConflictError
from storage.db import Database
from tests.conftest import make_settings, texts


def real_dialog_state() -> dict:
    prompt = PromptOptions(
        prompt=MessageFactory.text("Quel rôle ?"),
        retry_prompt=MessageFactory.text("Choisissez un rôle."),
        choices=[Choice(value="Responsable SPASER", synonyms=["pilote"])],
    )
    instance = DialogInstance("AssignRoleDialog", {"options": prompt, "values": {"email": "a@b.fr"}, "stepIndex": 1})
    return {"DialogState": DialogState([instance]), "flags": {"welcomed": True}}


@pytest.fixture
def storage(database):
    return SqlStorage(BotStateRepository(database), database, StateCodec())


async def test_round_trip_of_real_dialog_state(storage):
    await storage.write({"conv/1": real_dialog_state()})
    restored = (await storage.read(["conv/1", "missing"]))["conv/1"]
    instance = restored["DialogState"].dialog_stack[0]
    assert instance.id == "AssignRoleDialog"
    assert instance.state["options"].prompt.text == "Quel rôle ?"
    assert instance.state["options"].choices[0].synonyms == ["pilote"]
    assert instance.state["values"] == {"email": "a@b.fr"} and restored["flags"] == {"welcomed": True}
    assert restored["e_tag"]


async def test_delete_removes_the_item(storage):
    await storage.write({"conv/1": {"a": 1}})
    await storage.delete(["conv/1"])
    assert await storage.read(["conv/1"]) == {}


async def test_every_write_issues_a_new_etag_and_a_stale_one_is_rejected(storage):
    item = {"count": 1}
    await storage.write({"k": item})
    first = (await storage.read(["k"]))["k"]
    stale = dict(first)
    first["count"] = 2
    await storage.write({"k": first})
    second = (await storage.read(["k"]))["k"]
    assert second["e_tag"] != stale["e_tag"] and second["count"] == 2
    stale["count"] = 99
    with pytest.raises(StateConflictError):
        await storage.write({"k": stale})
    assert (await storage.read(["k"]))["k"]["count"] == 2


async def test_star_or_no_etag_writes_unconditionally(storage):
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2, "e_tag": "*"}})
    await storage.write({"k": {"v": 3}})
    assert (await storage.read(["k"]))["k"]["v"] == 3


async def test_two_writes_in_one_turn_do_not_conflict_with_themselves(storage):
    item = {"v": 1}
    await storage.write({"k": item})
    item["v"] = 2
    await storage.write({"k": item})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_two_concurrent_writers_exactly_one_wins_and_nothing_is_silently_lost(storage):
    await storage.write({"k": {"writer": "none"}})
    read_a, read_b = (await storage.read(["k"]))["k"], (await storage.read(["k"]))["k"]
    read_a["writer"], read_b["writer"] = "a", "b"
    results = await asyncio.gather(storage.write({"k": read_a}), storage.write({"k": read_b}), return_exceptions=True)
    failures = [r for r in results if isinstance(r, StateConflictError)]
    assert len(failures) == 1 and results.count(None) == 1
    winner = "a" if results[0] is None else "b"
    assert (await storage.read(["k"]))["k"]["writer"] == winner


async def test_stored_state_naming_an_unknown_type_is_refused_not_executed(storage, database):
    async with database.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO bot_state (key, etag, data, updated_at) VALUES ('evil', 'x', :data, CURRENT_TIMESTAMP)"),
            {"data": '{"$t": "object:Popen", "$v": {"args": ["touch", "/tmp/pwned"]}}'},
        )
    with pytest.raises(StateCodecError):
        await storage.read(["evil"])


def test_codec_refuses_to_store_an_object_it_cannot_restore():
    class Unregistered:
        pass

    with pytest.raises(StateCodecError):
        StateCodec().dumps({"x": Unregistered()})


def test_codec_keeps_user_dicts_that_look_like_type_tags():
    codec = StateCodec()
    value = {"$t": "object:DialogState", "$v": {}}
    assert codec.loads(codec.dumps(value)) == value


async def test_restart_resumes_an_unfinished_dialog(database, clock):
    settings = make_settings(database.url)
    first = build_runtime(settings, database=database, clock=clock)
    conversation = ConsoleConversation(first, aad_object_id="lead-aad", name="Camille")
    assert "code court" in texts(await conversation.say("ajouter une direction"))

    await first.database.engine.dispose()
    new_engine = Database(database.url, connect_args=database.connect_args)
    restarted = build_runtime(settings, database=new_engine, clock=clock)
    resumed = ConsoleConversation(restarted, aad_object_id="lead-aad", name="Camille")
    assert "nom complet de la direction DAF" in texts(await resumed.say("DAF"))
    assert "enregistrée" in texts(await resumed.say("Direction des affaires financières"))
    assert (await restarted.directorates.get_by_code("DAF")) is not None
    await new_engine.dispose()
