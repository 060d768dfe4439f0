"""After a `kill -9` on PostgreSQL, a delivery left in "sending" may still belong to another live
instance: a restarted one takes it back only once SPASER_STUCK_LEASE_SECONDS (600 s unless set)
has passed since it was claimed. Long version: reliability/kill_during_broadcast.py --postgres."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.committees.settings import CommitteeSettings
from domain.outbox import DeliveryState, OutboxMessage, SourceKind
from domain.people import Role
from tests.committees_support import (
    add_person,
    build_feature,
    postgres_database,  # noqa: F401 - fixture
    received,
)

pytestmark = pytest.mark.reliability


def test_the_stuck_delivery_lease_is_read_from_the_environment():
    assert CommitteeSettings.from_values({}).sending.stuck_lease_seconds == 600
    assert CommitteeSettings.from_values({"SPASER_STUCK_LEASE_SECONDS": "30"}).sending.stuck_lease_seconds == 30


async def test_on_postgresql_a_delivery_left_sending_is_sent_again_once_its_lease_has_passed(
    postgres_database, clock, connector  # noqa: F811 - fixture
):
    sending = CommitteeSettings.from_values({"SPASER_STUCK_LEASE_SECONDS": "30"}).sending
    killed = build_feature(postgres_database, clock, sending=sending)
    nadia = await add_person(postgres_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await killed.outbox.enqueue([OutboxMessage(key="test:1", source_kind=SourceKind.BROADCAST, source_id="1",
                                               text="Bonjour", person_id=nadia.id)], clock.now())
    [claimed] = await killed.outbox.claim(clock.now(), 10)  # then SIGKILL: never marked sent
    await killed.jobs.close()

    restarted = build_feature(postgres_database, clock, sending=sending, scheduler_enabled=True)
    await restarted.jobs.start("Europe/Paris")
    clock.advance(timedelta(seconds=20))
    await restarted.jobs.drain_outbox()
    within_the_lease = [row.state for row in await restarted.outbox.list()]
    clock.advance(timedelta(seconds=11))
    await restarted.jobs.drain_outbox()
    await restarted.jobs.close()

    assert claimed.state == DeliveryState.SENDING
    assert within_the_lease == [DeliveryState.SENDING], "another instance may still be sending it"
    assert [row.state for row in await restarted.outbox.list()] == [DeliveryState.SENT]
    assert [text for _, text in received(connector)] == ["Bonjour"]
