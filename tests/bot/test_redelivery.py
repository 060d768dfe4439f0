"""The same activity (same id) delivered twice, as Teams does when it retries: one effect, whether
the copy arrives after the answer, at the same time, at another instance, or after a restart.
Long version against real processes: reliability/duplicate_activity.py."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from sqlalchemy import event, func, select, update

from app import RUNTIME
from bot.console import ConsoleConversation, render_as_text, teams_activity
from bot.middleware import DeduplicationMiddleware, TurnUnitMiddleware
from bot.runtime import build_runtime
from domain.indicators.values import warm_up
from domain.outbox import SourceKind
from domain.people import Role
from storage.activities import ClaimOutcome, ProcessedActivityRepository
from storage.bot_state import BotStateRecord
from storage.broadcasts.repository import Broadcast
from storage.db import Database
from storage.outbox import Delivery
from tests.committees_support import add_person
from tests.conftest import make_settings, texts
from tests.indicators_support import value_rows

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


class Nadia:
    """Nadia's personal chat through the real endpoint; `post` returns (HTTP status, replies)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.ids = itertools.count(1)

    def activity(self, text: str) -> dict:
        activity = teams_activity(aad_object_id="nadia-aad", name="Nadia Benali", conversation_id="a:nadia", text=text,
                                  id=f"nadia-{next(self.ids)}", delivery_mode="expectReplies")
        activity.service_url = "http://127.0.0.1:9/"
        return activity.serialize()

    async def post(self, activity: dict) -> tuple[int, str]:
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json() if response.status == 200 else {}
        replies = [render_as_text(Activity().deserialize(reply)) for reply in body.get("activities", [])]
        return response.status, "\n".join(replies)


async def lead_at_two_instances(database, clock, officials: int) -> tuple[ConsoleConversation, ConsoleConversation, Database]:
    """The lead's chat as two instances see it (each its own runtime and engine on one database), with
    `officials` people to broadcast to (each has opened the assistant: a message can reach them); the
    caller disposes of the second engine."""
    settings = make_settings(database.url)
    first = build_runtime(settings, database=database, clock=clock)
    other_engine = Database(database.url, connect_args=database.connect_args)
    second = build_runtime(settings, database=other_engine, clock=clock)
    for index in range(officials):
        await add_person(database, f"elu{index}@ville.fr", Role.OFFICIAL, "http://127.0.0.1:9/", name=f"Élu {index}")
    return (
        ConsoleConversation(first, aad_object_id="lead-aad", name="Camille Martin"),
        ConsoleConversation(second, aad_object_id="lead-aad", name="Camille Martin"),
        other_engine,
    )


async def test_a_dialog_answer_delivered_again_is_not_read_as_the_next_answer(client):
    nadia = Nadia(client)
    await nadia.post(nadia.activity("mettre à jour mes indicateurs"))
    value = nadia.activity("45 %")

    first = await nadia.post(value)
    copy = await nadia.post(value)
    comment = await nadia.post(nadia.activity("chiffre provisoire"))

    assert "Un commentaire sur IND-01 (45\u00a0%)\u00a0?" in first[1]
    assert copy == (200, ""), "acknowledged (Teams stops retrying), no reply"
    assert "J’enregistre **45\u00a0%** pour IND-01" in comment[1] and "« chiffre provisoire »" in comment[1]


async def test_a_confirmation_delivered_twice_at_once_saves_one_value(client):
    nadia = Nadia(client)
    for text in ("mettre à jour mes indicateurs", "45 %", "aucun"):
        await nadia.post(nadia.activity(text))
    confirmation = nadia.activity("oui")

    answers = await asyncio.gather(nadia.post(confirmation), nadia.post(confirmation))

    assert sorted(status for status, _ in answers) == [200, 200]
    assert sum("% pour IND-01." in text for _, text in answers) == 1
    assert [text for _, text in answers].count("") == 1
    assert [row[0] for row in await value_rows(client.server.app[RUNTIME])] == ["IND-01"]


async def test_a_broadcast_confirmed_once_but_delivered_to_two_instances_is_sent_once(database, clock):
    """A retry can land on another instance: the ids already handled are shared through the database."""
    lead, lead_elsewhere, other_engine = await lead_at_two_instances(database, clock, officials=5)
    await lead.say("diffuser un message à tout le monde")
    assert "Voulez-vous envoyer ce message à 5\u00a0destinataires ?" in texts(await lead.say("Le COPIL est avancé au 12 mars."))
    confirmation = lead.activity(type="message", text="oui")

    try:
        answers = await asyncio.gather(lead.send(confirmation), lead_elsewhere.send(confirmation))
        async with database.session() as session:
            broadcasts = (await session.execute(select(func.count()).select_from(Broadcast))).scalar_one()
            per_recipient = (await session.execute(
                select(Delivery.person_id, func.count()).where(Delivery.source_kind == SourceKind.BROADCAST.value)
                .group_by(Delivery.person_id)
            )).all()
    finally:
        await other_engine.dispose()

    assert broadcasts == 1
    assert len(per_recipient) == 5 and {count for _, count in per_recipient} == {1}
    assert sorted(len(replies) for replies in answers)[0] == 0, "the copy got no reply"
    assert sum("(5\u00a0destinataires joignables\u00a0: " in texts(replies) for replies in answers) == 1


async def test_an_activity_delivered_again_after_a_restart_is_ignored(sqlite_database, clock):
    settings = make_settings(sqlite_database.url)
    before = build_runtime(settings, database=sqlite_database, clock=clock)
    lead = ConsoleConversation(before, aad_object_id="lead-aad", name="Camille Martin")
    creation = lead.activity(type="message", text="ajouter une direction DJ Direction juridique")
    assert "enregistrée" in texts(await lead.send(creation))

    restarted_engine = Database(sqlite_database.url)
    after = build_runtime(settings, database=restarted_engine, clock=clock)
    try:
        retried = await ConsoleConversation(after, aad_object_id="lead-aad", name="Camille Martin").send(creation)
        codes = [d.code for d in await after.directorates.list()]
    finally:
        await restarted_engine.dispose()

    assert retried == []
    assert codes.count("DJ") == 1


async def test_a_turn_cut_short_by_a_crash_runs_again_when_teams_delivers_it_again(database, clock):
    """A process killed mid-turn leaves its claim incomplete (the claim is completed only in the turn's
    commit): the re-delivery, once the claim's lease has run out, is processed instead of ignored."""
    settings = make_settings(database.url)
    restarted = build_runtime(settings, database=database, clock=clock)
    lead = ConsoleConversation(restarted, aad_object_id="lead-aad", name="Camille Martin")
    creation = lead.activity(type="message", text="ajouter une direction DJ Direction juridique")
    killed_turns_claim = f"{creation.channel_id}|{creation.conversation.id}|{creation.id}"
    assert await restarted.processed_activities.claim(killed_turns_claim, clock.now()) is ClaimOutcome.CLAIMED
    clock.advance(restarted.processed_activities.lease + timedelta(seconds=1))

    retried = await lead.send(creation)
    retried_again = await lead.send(creation)
    codes = [d.code for d in await restarted.directorates.list()]

    assert "enregistrée" in texts(retried)
    assert retried_again == [], "once it ran to its commit, the activity is handled"
    assert codes.count("DJ") == 1


async def test_a_claim_is_in_progress_for_its_lease_then_taken_over_and_handled_once_completed(database, clock):
    processed = ProcessedActivityRepository(database, lease=timedelta(seconds=10))

    first = await processed.claim("msteams|a:1|m1", clock.now())
    clock.advance(timedelta(seconds=9))
    during_the_lease = await processed.claim("msteams|a:1|m1", clock.now())
    clock.advance(timedelta(seconds=2))
    after_the_lease = await processed.claim("msteams|a:1|m1", clock.now())
    clock.advance(timedelta(seconds=2))
    async with database.transaction() as connection:
        await processed.complete_in(connection, "msteams|a:1|m1", clock.now())
    clock.advance(timedelta(hours=1))
    once_completed = await processed.claim("msteams|a:1|m1", clock.now())

    assert (first, during_the_lease, after_the_lease, once_completed) == (
        ClaimOutcome.CLAIMED, ClaimOutcome.IN_PROGRESS, ClaimOutcome.CLAIMED, ClaimOutcome.HANDLED
    )


async def test_a_copy_waits_for_the_turn_holding_the_claim_and_runs_only_if_its_lease_runs_out(sqlite_database, clock):
    processed = ProcessedActivityRepository(sqlite_database, lease=timedelta(seconds=10))
    paused: list[float] = []

    async def pause(seconds: float) -> None:
        paused.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    adapter = TestAdapter()
    adapter.use(DeduplicationMiddleware(processed, clock, pause))
    adapter.use(TurnUnitMiddleware(sqlite_database, processed, clock))
    runs: list[str] = []

    async def logic(turn_context: TurnContext) -> None:
        runs.append(turn_context.activity.text)

    copy = Activity(type="message", id="m1", text="oui", channel_id="msteams",
                    conversation=ConversationAccount(id="a:1"), from_property=ChannelAccount(id="u1"),
                    recipient=ChannelAccount(id="bot"))
    await processed.claim("msteams|a:1|m1", clock.now())  # the turn of a process that then died

    await adapter.run_pipeline(TurnContext(adapter, copy), logic)  # TestAdapter.process_activity renumbers ids
    waited = sum(paused)
    await processed.flush()  # this turn wrote nothing: its claim is completed in the background
    await adapter.run_pipeline(TurnContext(adapter, copy), logic)

    assert runs == ["oui"], "run once, by the first copy, once the lease had run out"
    assert round(waited, 1) == 10.0, "it waited out the lease, no more"


async def test_the_claims_of_turns_that_wrote_nothing_are_completed_together_after_the_answers(sqlite_database, clock):
    processed = ProcessedActivityRepository(sqlite_database)
    for number in range(3):
        await processed.claim(f"msteams|a:1|q{number}", clock.now())

    for number in range(3):
        processed.complete_soon(f"msteams|a:1|q{number}", clock.now())
    await processed.flush()
    after = [await processed.claim(f"msteams|a:1|q{number}", clock.now()) for number in range(3)]

    assert after == [ClaimOutcome.HANDLED] * 3


async def test_the_next_claim_carries_the_completions_of_turns_that_wrote_nothing(database, clock):
    """The claim's transaction writes already: the completions waiting for a batch go with it, and
    no transaction of their own is needed."""
    processed = ProcessedActivityRepository(database, completion_delay=60)
    await processed.claim("msteams|a:1|q1", clock.now())
    processed.complete_soon("msteams|a:1|q1", clock.now())
    transactions: list[list[str]] = []
    engine = database.engine.sync_engine

    def on_begin(_connection) -> None:
        transactions.append([])

    def on_statement(_connection, _cursor, statement, *_args) -> None:
        transactions[-1].append(statement.split()[0])

    def on_direct_transaction(statements: list[str]) -> None:  # a SQLite file's claim (Database.direct)
        transactions.append([sql.split()[0] for sql in statements])

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_statement)
    direct = database.direct.observers if database.direct is not None else []
    direct.append(on_direct_transaction)
    try:
        assert await processed.claim("msteams|a:1|q2", clock.now()) is ClaimOutcome.CLAIMED
        await asyncio.sleep(0.05)
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_statement)
        direct.remove(on_direct_transaction)

    assert transactions == [["INSERT", "UPDATE"]]
    assert await processed.claim("msteams|a:1|q1", clock.now()) is ClaimOutcome.HANDLED
    await processed.flush()


async def test_completions_a_claim_could_not_carry_are_written_on_their_own_soon_after(sqlite_database, clock):
    """A claim refused (a re-delivery) writes nothing, so the completions it carried wait again;
    without another claim they are written after the delay."""
    processed = ProcessedActivityRepository(sqlite_database, completion_delay=0.05)
    for number in range(2):
        await processed.claim(f"msteams|a:1|q{number}", clock.now())
    processed.complete_soon("msteams|a:1|q1", clock.now())
    assert await processed.claim("msteams|a:1|q0", clock.now()) is ClaimOutcome.IN_PROGRESS
    assert not await processed.is_handled("msteams|a:1|q1")

    await asyncio.sleep(0.5)

    assert await processed.is_handled("msteams|a:1|q1")
    assert not await processed.is_handled("msteams|a:1|q0")


async def test_two_yes_of_one_broadcast_dialog_read_from_the_same_state_send_it_once(database, clock):
    """Two « oui » with different ids (a double tap), each at an instance that read the dialog state
    before the other committed: the second finds the run's broadcast recorded and says so."""
    lead, lead_elsewhere, other_engine = await lead_at_two_instances(database, clock, officials=3)
    await lead.say("diffuser un message à tout le monde")
    await lead.say("Le COPIL est avancé au 12 mars.")
    async with database.session() as session:
        state_read_by_the_other_instance = [(row.key, row.etag, row.data) for row in (await session.execute(select(BotStateRecord))).scalars()]

    try:
        sent = texts(await lead.say("oui"))
        async with database.session() as session:  # the other instance still works from what it read
            for key, etag, data in state_read_by_the_other_instance:
                await session.execute(update(BotStateRecord).where(BotStateRecord.key == key).values(etag=etag, data=data))
        second_yes = texts(await lead_elsewhere.say("oui"))
        async with database.session() as session:
            broadcasts = (await session.execute(select(func.count()).select_from(Broadcast))).scalar_one()
            deliveries = (await session.execute(
                select(func.count()).select_from(Delivery).where(Delivery.source_kind == SourceKind.BROADCAST.value)
            )).scalar_one()
    finally:
        await other_engine.dispose()

    assert sent.startswith("Message en cours d’envoi ") and "(3\u00a0destinataires joignables\u00a0: " in sent
    assert second_yes.startswith("Ce message est déjà parti le lundi 30 novembre 2026 à 10 h 00 (3\u00a0destinataires)")
    assert (broadcasts, deliveries) == (1, 3)


async def test_a_command_that_wrote_outside_the_turn_transaction_completes_its_claim_with_the_turn(database, clock):
    """« ajouter une direction DJ … » writes in its own unit of work and leaves the dialog state as it
    was: its claim is still completed before the answer, not in the background batch, so a process
    killed right after answering does not run it again on Teams' re-delivery."""
    runtime = build_runtime(make_settings(database.url), database=database, clock=clock)
    runtime.processed_activities.complete_soon = lambda *_args: None  # killed before any batch
    lead = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille Martin")
    await lead.say("qui suis-je")  # the conversation's state exists: the command does not change it
    creation = lead.activity(type="message", text="ajouter une direction DJ Direction juridique")
    assert "enregistrée" in texts(await lead.send(creation))
    clock.advance(runtime.processed_activities.lease + timedelta(seconds=1))

    retried = await lead.send(creation)

    assert retried == []
    assert [d.code for d in await runtime.directorates.list()].count("DJ") == 1
