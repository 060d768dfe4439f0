"""A send that fails with an unexpected error (the database gone while recording it, a bug) ends
the drain with that error; it must not leave the drain waiting forever — a hung drain keeps its lock
and the outbox would send nothing more until a restart. Found by the fault scripts (reliability/)."""

from __future__ import annotations

import asyncio

import pytest

from domain.outbox import OutboxMessage, SendingSettings, SourceKind
from domain.people import Role
from tests.committees_support import add_person, build_feature

pytestmark = pytest.mark.reliability


class Unexpected(Exception):
    pass


async def test_a_send_failing_while_the_claimer_waits_for_room_in_the_queue_ends_the_drain(sqlite_database, clock, connector):
    feature = build_feature(sqlite_database, clock, sending=SendingSettings(concurrency=1))
    people = [await add_person(sqlite_database, f"p{i}@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP") for i in range(4)]
    await feature.outbox.enqueue([
        OutboxMessage(key=f"test:{i}", source_kind=SourceKind.BROADCAST, source_id="1", text=f"Message {i}", person_id=p.id)
        for i, p in enumerate(people)
    ], clock.now())
    targets, queue_full = feature.jobs.sender._directory.targets, asyncio.Event()
    looked_up = 0

    async def count_lookups(rows):
        nonlocal looked_up
        found = await targets(rows)
        looked_up += 1
        if looked_up == 3:  # row 1 is being sent, row 2 fills the queue, row 3 waits for room
            queue_full.set()
        return found

    class FailingChannel:
        async def send(self, reference, text, card):
            await queue_full.wait()
            raise Unexpected("the database went away while the send was recorded")

    feature.jobs.sender._directory.targets = count_lookups
    feature.jobs.sender._channel = FailingChannel()

    drain = asyncio.create_task(feature.jobs.sender.drain())
    finished, _ = await asyncio.wait({drain}, timeout=30)  # a guard against the hang, not a measure
    await feature.jobs.close()

    assert finished, "the drain hung: it would keep its lock and the outbox would send nothing more"
    error = drain.exception()
    assert isinstance(error, ExceptionGroup) and error.subgroup(Unexpected) is not None
    assert not feature.jobs.sender._lock.locked(), "the next drain can run"
