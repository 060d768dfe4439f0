"""Turn replies through the real endpoint and a fake Teams connector that applies Teams' limits
and faults: paced like proactive sends, retried on 429 and 5xx, queued in the outbox past the
time a turn may wait, so that the confirmation of a committed save always arrives."""

from __future__ import annotations

import pytest

from app import RUNTIME
from bot.console import teams_activity
from tests.fakes.teams_connector import FakeTeamsConnector, TeamsLimits
from tests.indicators_support import value_rows

pytestmark = pytest.mark.reliability

SAVE = {"action": "indicators.submit", "card_id": "paced", "directorate": "DCP", "valeur|IND-01|2026-T3": "12"}


@pytest.fixture
async def limited_connector():
    fake = FakeTeamsConnector(TeamsLimits())
    await fake.start()
    yield fake
    await fake.close()


def teams_message(service_url: str, activity_id: str, text: str | None = None, **fields) -> dict:
    activity = teams_activity(aad_object_id="nadia-aad", name="Nadia Benali", conversation_id="a:nadia-paced",
                              id=activity_id, text=text, **fields)
    activity.service_url = service_url
    return activity.serialize()


async def test_a_burst_of_messages_gets_every_reply_without_a_429(client, limited_connector):
    """100 messages in one conversation gave 96 replies in one second, over Teams' 7 per second."""
    for number in range(12):
        response = await client.post("/api/messages", json=teams_message(limited_connector.url, f"burst-{number}", "qui suis-je"))
        assert response.status in (200, 201)
    replies = [text for text in limited_connector.texts() if "Vous êtes Nadia Benali" in text]
    assert len(replies) == 12
    assert limited_connector.limits.throttled == 0


async def test_the_confirmation_of_a_save_survives_502s(client, connector):
    connector.fail_next(502, count=2)
    response = await client.post("/api/messages", json=teams_message(connector.url, "save-502", value=SAVE))
    assert response.status in (200, 201)
    assert sum("Enregistré pour la direction DCP" in text for text in connector.texts()) == 1
    assert len(await value_rows(client.server.app[RUNTIME])) == 1


async def test_a_confirmation_refused_past_the_turn_budget_arrives_through_the_outbox(client, connector):
    runtime = client.server.app[RUNTIME]
    connector.fail_next(429, count=3, **{"Retry-After": "30"})
    response = await client.post("/api/messages", json=teams_message(connector.url, "save-429", value=SAVE))
    assert response.status in (200, 201)
    assert not any("Enregistré" in text for text in connector.texts()), "Teams refused it for 30 s"

    connector.faults.clear()
    await runtime.jobs.drain_outbox()

    assert sum("Enregistré pour la direction DCP" in text for text in connector.texts()) == 1
    assert len(await value_rows(runtime)) == 1
