"""Two turns of one conversation at the same time: in one process they run one after the other;
across two instances the state's eTag refuses the later save, and that turn is answered by the
conflict message alone — nothing lost silently, no 500. Long version: reliability/concurrent_turns.py."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from bot.console import ConsoleConversation, teams_activity
from bot.runtime import CONFLICT_REPLY, TURN_ERROR_REPLY, build_runtime
from domain.clock import FakeClock
from domain.indicators.values import warm_up
from storage.db import Database
from tests.conftest import make_settings, texts
from tests.indicators_support import seed

pytestmark = pytest.mark.reliability

POSITION = re.compile(r"\((\d+)/10\) (?:\*\*)?IND-")  # a text's first line carries no Markdown


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


def positions(text: str) -> list[int]:
    return [int(found) for found in POSITION.findall(text)]


async def test_turns_sent_at_once_through_the_endpoint_are_all_applied_one_after_the_other(tmp_path):
    clock = FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    client = TestClient(TestServer(create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'http.db'}"), clock=clock)))
    await client.start_server()
    try:
        await seed(client.server.app[RUNTIME])
        counter = iter(range(100))

        async def say(text: str) -> str:
            activity = teams_activity(aad_object_id="nadia-aad", name="Nadia Benali", conversation_id="a:nadia",
                                      text=text, id=f"n-{next(counter)}", delivery_mode="expectReplies")
            activity.service_url = "http://127.0.0.1:9/"
            response = await client.post("/api/messages", json=activity.serialize())
            assert response.status == 200
            return "\n".join(reply.get("text") or "" for reply in (await response.json())["activities"])

        assert positions(await say("mettre à jour mes indicateurs")) == [1]
        answers = await asyncio.gather(*(say("passer") for _ in range(4)))
        probe = await say("passer")

        assert sorted(p for answer in answers for p in positions(answer)) == [2, 3, 4, 5]
        assert positions(probe) == [6], "every one of the four turns moved the dialog on"
        assert not any(CONFLICT_REPLY in answer for answer in answers)
    finally:
        await client.close()


async def test_a_turn_that_loses_the_state_race_to_another_instance_shows_only_the_conflict_message(database, clock):
    """The later save is refused (eTag): its turn must not show the next question it then disowns,
    and the other instance's turn is kept."""
    settings = make_settings(database.url)
    first = build_runtime(settings, database=database, clock=clock)
    other_engine = Database(database.url, connect_args=database.connect_args)
    second = build_runtime(settings, database=other_engine, clock=clock)
    await seed(first)
    on_first = ConsoleConversation(first, aad_object_id="nadia-aad", name="Nadia Benali")
    on_second = ConsoleConversation(second, aad_object_id="nadia-aad", name="Nadia Benali")
    assert positions(texts(await on_first.say("mettre à jour mes indicateurs"))) == [1]

    first_has_read, second_is_done = asyncio.Event(), asyncio.Event()
    # A turn reads its state with its activity's claim (bot/prefetch.py) or alone: either way the
    # stored row becomes the state through `item`. It writes its state in its transaction.
    read, write_in = first.storage.item, first.storage.write_in

    def read_then_let_the_other_turn_run(etag, data):
        item = read(etag, data)
        first_has_read.set()
        return item

    async def write_after_the_other_turn(connection, changes):
        await second_is_done.wait()
        await write_in(connection, changes)

    first.storage.item, first.storage.write_in = read_then_let_the_other_turn_run, write_after_the_other_turn

    async def other_instance_turn():
        await first_has_read.wait()
        replies = await on_second.say("passer")
        second_is_done.set()
        return replies

    try:
        lost, kept = await asyncio.gather(on_first.say("passer"), other_instance_turn())
        first.storage.item, first.storage.write_in = read, write_in
        probe = texts(await on_second.say("passer"))
    finally:
        await other_engine.dispose()

    assert texts(lost) == CONFLICT_REPLY, "the refused turn shows the conflict message and nothing else"
    assert positions(texts(kept)) == [2]
    assert positions(probe) == [3], "the other instance's turn was kept; the refused one was not applied"


async def test_a_turn_that_fails_is_answered_by_the_error_message_alone(runtime, talk, caplog):
    """Messages a turn made before failing are dropped with it: the person reads the error message
    only, with the reference of the error's log line."""
    lead = talk()
    await lead.say("ajouter une direction")

    async def broken_write(connection, changes):
        raise RuntimeError("disk full")

    runtime.storage.write_in = broken_write
    replies = await lead.say("DAF")

    said = texts(replies)
    reference = re.fullmatch(re.escape(TURN_ERROR_REPLY) + r" Si cela se reproduit, .*\u00a0: ([0-9A-F]{8})\.", said)
    assert reference, said
    assert f"Unhandled error in turn (reference {reference[1]})" in caplog.text
