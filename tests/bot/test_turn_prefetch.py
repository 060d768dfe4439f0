"""A turn reads the person and the dialog state in the transaction that claims its activity
(bot/prefetch.py): one round trip where there were three, through the real endpoint and SQLite."""

from __future__ import annotations

import itertools
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app import RUNTIME
from bot.console import teams_activity
from domain.indicators.rules import ValueEntry
from domain.indicators.values import warm_up


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


@contextmanager
def statements_by_transaction(database):
    """[(transaction number, SQL)] of every statement run meanwhile; numbered per connection, so
    that a background task's transaction begun meanwhile on another connection is told apart."""
    seen: list[tuple[int, str]] = []
    transactions = itertools.count(1)
    current: dict[int, int] = {}

    def on_begin(connection) -> None:
        current[id(connection)] = next(transactions)

    def on_statement(connection, _cursor, statement, *_args) -> None:
        seen.append((current.get(id(connection), 0), " ".join(statement.split())))

    def on_direct_transaction(statements: list[str]) -> None:  # a SQLite file's claim (Database.direct)
        number = next(transactions)
        seen.extend((number, " ".join(sql.split())) for sql in statements)

    engine = database.engine.sync_engine
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_statement)
    direct = database.direct.observers if database.direct is not None else []
    direct.append(on_direct_transaction)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_statement)
        direct.remove(on_direct_transaction)


ACTIVITY_IDS = itertools.count(1)


class Chat:
    def __init__(self, client, name: str = "Nadia Benali") -> None:
        self.client = client
        self.name = name

    async def say(self, text: str) -> str:
        activity = teams_activity(aad_object_id="nadia-aad", name=self.name, conversation_id="a:nadia", text=text,
                                  id=f"nadia-{next(ACTIVITY_IDS)}", delivery_mode="expectReplies")
        response = await self.client.post("/api/messages", json=activity.serialize())
        assert response.status == 200
        body = await response.json()
        return "\n".join(reply.get("text") or "" for reply in body.get("activities", []))


def _reading(sql: str, table: str) -> bool:
    return sql.startswith("SELECT") and f"FROM {table}" in sql


async def test_the_person_and_the_dialog_state_are_read_with_the_claim(client):
    runtime = client.server.app[RUNTIME]
    chat = Chat(client)
    await chat.say("mettre à jour mes indicateurs")
    with statements_by_transaction(runtime.database) as seen:
        answer = await chat.say("12")
    assert answer, "the dialog went on"
    claim = next(number for number, sql in seen if sql.startswith("INSERT INTO processed_activity"))
    in_claim = [sql for number, sql in seen if number == claim]
    assert any(_reading(sql, "person") for sql in in_claim)
    assert any(sql.startswith("SELECT bot_state.etag") for sql in in_claim)
    assert len(in_claim) == 2, ("the claim, then the person and the state in one statement", in_claim)
    elsewhere = [sql for number, sql in seen if number != claim]
    assert not any(_reading(sql, "bot_state") or _reading(sql, "person LEFT OUTER JOIN") for sql in elsewhere)


async def test_a_new_teams_name_is_still_written_when_the_person_was_read_with_the_claim(client):
    runtime = client.server.app[RUNTIME]
    await Chat(client).say("aide")
    await Chat(client, name="Nadia Benali-Roux").say("merci")
    person = await runtime.people.get_by_identity("local-tenant", "nadia-aad")
    assert person.name == "Nadia Benali-Roux"


async def test_a_question_checks_the_knowledge_base_the_catalogue_and_the_directorates_in_one_transaction(client):
    runtime = client.server.app[RUNTIME]
    chat = Chat(client)
    await chat.say("aide")
    with statements_by_transaction(runtime.database) as seen:
        answer = await chat.say("le SPASER est-il obligatoire pour ma collectivité ?")
    assert "SPASER" in answer
    together = [sql for _, sql in seen if sql.startswith("SELECT (SELECT data_version.version") and "FROM knowledge_phrasing" in sql]
    assert len(together) == 1, ("the versions and the knowledge base's fingerprint in one statement", seen)
    checks = {
        "knowledge": {number for number, sql in seen if "FROM knowledge_entry" in sql and "FROM knowledge_phrasing" in sql},
        "versions": {number for number, sql in seen if sql.startswith("SELECT (SELECT data_version.version")},
        "directorates": {number for number, sql in seen if sql.startswith("SELECT directorate.code, directorate.name FROM directorate ORDER BY")},
    }
    assert all(len(numbers) == 1 for numbers in checks.values()), (checks, seen)
    assert len(set.union(*checks.values())) == 1, checks
    with statements_by_transaction(runtime.database) as seen:
        await chat.say("qui valide le SPASER ?")
    assert not [sql for _, sql in seen if "FROM directorate ORDER BY" in sql or sql.startswith("SELECT indicator.id")]


async def test_a_summary_reads_the_meetings_once_and_its_data_in_one_transaction(client):
    runtime = client.server.app[RUNTIME]
    chat = Chat(client)
    await chat.say("aide")
    with statements_by_transaction(runtime.database) as seen:
        await chat.say("synthèse")
    reads = [sql for _, sql in seen if re.search(r"\bFROM meeting\b", sql)]
    assert len(reads) == 1, reads
    together = {
        number
        for number, sql in seen
        if re.search(r"FROM (meeting|committee_type|directorate ORDER BY|indicator_value$|indicator_value JOIN directorate)", sql)
        or sql.startswith("SELECT indicator.id")
    }
    assert len(together) == 1, "the values' version, the catalogue, the directorates, the meetings and the values: one transaction"
    await runtime.values.record_value(
        await runtime.people.get_by_identity("local-tenant", "nadia-aad"), "DCP",
        ValueEntry("IND-01", "2026-T3", "45"), runtime.values.today(),
    )
    with statements_by_transaction(runtime.database) as seen:
        await chat.say("synthèse")
    versions = {number for number, sql in seen if re.search(r"FROM indicator_value$", sql)}
    recorded_since = {number for number, sql in seen if "FROM indicator_value JOIN directorate" in sql and "indicator_value.id >" in sql}
    assert len(versions) == 1 and versions == recorded_since, ("the values recorded since, read after their version", seen)
